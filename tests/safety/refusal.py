"""Checking that the CLI refuses bad input cleanly and leaves the project exactly as it was.

"Cleanly" means: a non-zero exit, exactly one line on stderr that starts with
"annotator: error:", no traceback. "Exactly as it was" is checked twice, because of WAL: the
SHA-256 of the file after a checkpoint (so nothing hides in the -wal file) and the logical
content (an SQL dump), before and after.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.cli.app import main
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import open_project
from annotator.store.labels import CellKey, CellState, put_cell, set_done
from tests.conftest import add_actor, add_article

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Snapshot:
    sha256: str
    dump: str


def snapshot(db: str | Path) -> Snapshot:
    path = Path(db)
    if path.exists() and path.read_bytes()[:16] == b"SQLite format 3\x00":
        try:
            conn = sqlite3.connect(path)
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                dump = "\n".join(conn.iterdump())
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:  # a damaged file: compare its bytes only
            dump = f"unreadable: {exc}"
    else:
        dump = "not a database"
    data = path.read_bytes() if path.exists() else b""
    return Snapshot(hashlib.sha256(data).hexdigest(), dump)


def make_labelled_project(path: Path) -> str:
    """A project with an article, an actor, a label with evidence and a done mark."""
    with open_project(str(path)) as project:
        article = add_article(project, "kept", "Pistorius will mehr Geld für die Bundeswehr.")
        actor = add_actor(project, "Boris Pistorius")
        anna = get_or_create_annotator(project, "anna")
        key = CellKey(article, actor, "defence_spending")
        put_cell(project, anna, key, CellState("favor", ((0, 25),), "klar"))
        set_done(project, article, anna)
    return str(path)


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    """Run `annotator ARGS` in this process; return (exit code, stderr lines, stdout)."""
    code = 0
    try:
        main(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.err.splitlines(), captured.out


def assert_one_clear_line(code: int, err: list[str], match: str) -> str:
    assert code != 0, "the command did not fail"
    assert len(err) == 1, f"expected one line on stderr, got {len(err)}: {err}"
    line = err[0]
    assert line.startswith("annotator: error: "), line
    assert "Traceback" not in line and "unexpected" not in line, line
    assert re.search(match, line), f"{line!r} does not match {match!r}"
    return line


def assert_refused(db: str, args: list[str], capsys: pytest.CaptureFixture[str], match: str) -> str:
    """Run the CLI on `db`; it must fail cleanly and leave the project unchanged."""
    before = snapshot(db)
    code, err, _ = run_cli(["--db", db, *args], capsys)
    line = assert_one_clear_line(code, err, match)
    after = snapshot(db)
    assert after.dump == before.dump, "the project's content changed"
    assert after.sha256 == before.sha256, "the project file changed"
    return line


# ------------------------------------------------------------------ read-only files

PR_CAPBSET_DROP = 24
# Root ignores file permissions through these capabilities (override, search, owner).
ROOT_OVERRIDES = (1, 2, 3)


def _drop_root_overrides() -> None:
    # Runs in the child before exec: a capability dropped from the bounding set is gone
    # after exec, so the child is still root but read-only files are read-only for it, as
    # for any ordinary user (chmod alone means nothing to root). CAP_SETPCAP is needed.
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in ROOT_OVERRIDES:
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop root's file-permission override")


# Runs several commands in one child (Python takes seconds to start here) and reports each
# one's exit code and output as JSON, after probing whether the child can write the file.
_CHILD = """
import contextlib, io, json, sys
from annotator.cli.app import main
probe, commands = sys.argv[1], json.loads(sys.argv[2])
try:
    open(probe, "ab").close()
    writable = True
except OSError:
    writable = False
results = []
for args in commands:
    out, err, code = io.StringIO(), io.StringIO(), 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    results.append([code, out.getvalue(), err.getvalue()])
print(json.dumps({"writable": writable, "results": results}))
"""


@dataclass(frozen=True)
class ChildRun:
    could_write: bool  # whether the child could open the probed file for writing
    results: list[tuple[int, str, str]]  # (exit code, stdout, stderr) per command


def run_as_ordinary_user(probe: Path, commands: list[list[str]], home: Path) -> ChildRun:
    """Run `annotator` commands in a child process for which file permissions count."""
    env = dict(os.environ, ANNOTATOR_HOME=str(home), PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(probe), json.dumps(commands)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        preexec_fn=_drop_root_overrides,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    return ChildRun(report["writable"], [tuple(r) for r in report["results"]])
