"""One chaos trial with the real window process: the original lost-save scenario.

The window (annotator.gui.app.run, offscreen) starts the way a user starts it, including the
daily backup, and labels by key presses; meanwhile other processes run `annotator info`,
`backup`, `export` and a merge of the project into a lead's file; then the window is killed
with SIGKILL at a random moment. Every save it acknowledged must be in the file.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.ingest.importer import import_paths
from annotator.paths import seeds_dir
from annotator.store.engine import open_project
from tests.safety.conftest import REPO, Lines, Written, integrity, missing_in, writer_env

DRIVER = Path(__file__).resolve().parent / "window_driver.py"
CLI = "import sys; from annotator.cli.app import main; main(sys.argv[1:])"


@pytest.mark.slow
def test_the_real_window_killed_while_other_commands_run_loses_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "project.db")
    with open_project(db) as project:  # the seeds: articles with highlighted actors
        import_paths(project, [seeds_dir()])
    lead = str(tmp_path / "lead.db")
    env = writer_env() | {"QT_QPA_PLATFORM": "offscreen", "ANNOTATOR_HOME": str(tmp_path / "h")}
    window = subprocess.Popen([sys.executable, str(DRIVER), db, "wanda"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)  # fmt: skip
    written = Written()
    lines = Lines(window)
    commands = [
        ["info"], ["backup", str(tmp_path)], ["history"],
        ["export", "--format", "stances", "-o", str(tmp_path / "s.jsonl")],
    ]  # fmt: skip
    try:
        while (line := lines.next(timeout=120)) != "window up":
            assert line is not None, window.stderr.read() if window.stderr else "window died"
        others = [
            subprocess.Popen(
                [sys.executable, "-c", CLI, "--db", db, *args],
                env=env,
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for args in commands
        ]
        others.append(subprocess.Popen([sys.executable, "-c", CLI, "--db", lead, "merge", db],
                                       env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, text=True))  # fmt: skip
        for proc in others:
            _, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err
        time.sleep(random.uniform(0.0, 1.0))  # a random moment, not an ordering
        os.kill(window.pid, signal.SIGKILL)
        window.wait(timeout=30)
        while (line := lines.next(timeout=30)) is not None:
            written.add(line)
    finally:
        if window.poll() is None:
            window.kill()
    print(f"the window acknowledged {len(written)} saves before it was killed")
    assert len(written) > 5, "the window acknowledged almost nothing before it was killed"
    assert not missing_in(db, written)
    assert integrity(db) == "ok"
