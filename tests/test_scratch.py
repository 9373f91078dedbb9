"""Scratch folders (files.scratch_folder): a killed run's folder is removed by the next run,
a live run's is kept (issue 23, item 10: kill -9 of merge or package had left 18 MB in the
system's temporary folder for good)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.assignments.package import write_package
from annotator.assignments.plan import PlanRequest
from annotator.assignments.service import plan_project
from annotator.codebook import Codebook
from annotator.files import SCRATCH_PREFIX, clean_scratch, scratch_folder
from annotator.store.engine import Project
from tests.agreement.builders import new_project
from tests.assignments.test_package import MORE
from tests.conftest import add_article

REPO = Path(__file__).resolve().parents[1]

_HOLD = """
import os, sys
from pathlib import Path
from annotator.files import scratch_folder
with scratch_folder("merge", base=Path(sys.argv[1]) if len(sys.argv) > 1 else None) as f:
    (f / "snapshot.db").write_bytes(b"x" * 100_000)
    os.write(1, (str(f) + "\\n").encode())
    sys.stdin.read()  # until the test kills us or closes stdin
"""


def _holder(*args: str, tmpdir: Path | None = None) -> tuple[subprocess.Popen[str], Path]:
    """A real process holding a scratch folder; returns it and the folder."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    if tmpdir is not None:
        env["TMPDIR"] = str(tmpdir)
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)  # fmt: skip
    assert proc.stdout is not None
    folder = Path(proc.stdout.readline().strip())
    assert folder.is_dir() and (folder / "snapshot.db").exists()
    return proc, folder


def _kill(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _scratch(where: Path) -> list[Path]:
    return sorted(p for p in where.iterdir() if p.name.startswith(SCRATCH_PREFIX))


def test_a_killed_runs_folder_is_removed_by_the_next_a_live_ones_kept(tmp_path: Path) -> None:
    killed, dead = _holder(str(tmp_path))
    live, alive = _holder(str(tmp_path))
    _kill(killed)
    assert dead.exists()  # kill -9 runs no clean-up
    with scratch_folder("package", base=tmp_path) as mine:
        assert mine.name.startswith(f"{SCRATCH_PREFIX}package-") and mine.is_dir()
        assert not dead.exists()
        assert _scratch(tmp_path) == sorted([alive, mine])
    assert _scratch(tmp_path) == [alive]
    assert live.stdin is not None
    live.stdin.close()  # the live run ends normally and removes its own
    assert live.wait(timeout=30) == 0
    assert _scratch(tmp_path) == []


def test_snapshot_folders_of_older_versions_go_when_a_day_old(tmp_path: Path) -> None:
    names = ("annotator-merge-abcd1234", "annotator-package-efgh5678", "annotator-notes")
    old, young, other = (tmp_path / name for name in names)
    for folder in (old, young, other):
        folder.mkdir()
        (folder / "x.db").write_bytes(b"x")
    two_days_ago = time.time() - 2 * 86400
    os.utime(old, (two_days_ago, two_days_ago))
    os.utime(other, (two_days_ago, two_days_ago))
    assert clean_scratch(tmp_path) == [old]
    assert young.exists() and other.exists()


@pytest.fixture
def lead(tmp_path: Path) -> Iterator[Project]:
    project = new_project(tmp_path / "lead.db")
    for ext, text in MORE.items():
        add_article(project, ext, text, title=ext)
    plan_project(project, PlanRequest(("anna", "ben"), 0.2, 2, seed=11))
    yield project
    project.close()


def test_a_killed_package_run_is_cleaned_up_by_the_next(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    lead: Project,
    codebook: Codebook,
) -> None:
    temp = tmp_path / "temp"  # the system's temporary folder, for both processes
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    killed, dead = _holder(tmpdir=temp)
    _kill(killed)
    assert dead.parent == temp and dead.exists()
    write_package(lead, "anna", tmp_path / "anna.db", codebook)
    assert (tmp_path / "anna.db").exists()
    assert list(temp.iterdir()) == []  # neither the dead run's folder nor the package's own
