"""Shared pieces of the safety tests: a small project on disk and the writer processes."""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from annotator.store.engine import open_project
from tests.conftest import add_actor, add_article
from tests.safety.label_writer import ACTORS, ARTICLES

REPO = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).resolve().parent / "label_writer.py"
CELLS = ARTICLES * ACTORS * 3  # per annotator


def make_project(path: Path) -> str:
    """A project file with a few articles and actors, closed again (no open connection)."""
    with open_project(str(path)) as project:
        for i in range(ARTICLES):
            add_article(project, f"art-{i}", f"Artikel {i}: " + "Pistorius will mehr Geld. " * 4)
        for name in ("Boris Pistorius", "Carlo Masala", "Olaf Scholz", "Friedrich Merz")[:ACTORS]:
            add_actor(project, name)
    return str(path)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return make_project(tmp_path / "project.db")


def writer_command(*args: str) -> list[str]:
    return [sys.executable, str(WRITER), *args]


def writer_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


class Lines:
    """Reads a process's stdout lines on a thread, so a hung process fails the test
    instead of hanging it."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def next(self, timeout: float = 60) -> str | None:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(
                f"no output from process {self.proc.pid} for {timeout} s"
            ) from None

    def rest(self, timeout: float = 60) -> list[str]:
        """Every line until the process closes its output."""
        out = []
        while (line := self.next(timeout)) is not None:
            out.append(line)
        return out


def start_writer(*args: str) -> tuple[subprocess.Popen[str], Lines]:
    proc = subprocess.Popen(
        writer_command(*args),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=writer_env(),
        cwd=REPO,
    )
    return proc, Lines(proc)


@dataclass
class Written:
    """What a writer said it had written, by annotator."""

    stances: dict[tuple[str, int, int, str], str] = field(default_factory=dict)
    evidence: set[tuple[str, int, int, str, int, int]] = field(default_factory=set)
    # A curator's gold decisions, the last one per unit (article, actor, target).
    decisions: dict[tuple[int, int, str], str | None] = field(default_factory=dict)
    decided: int = 0  # acknowledged decisions

    def add(self, line: str) -> bool:
        parts = line.split()
        if parts and parts[0] == "c":
            unit = (int(parts[1]), int(parts[2]), parts[3])
            self.decisions[unit] = None if parts[4] == "-" else parts[4]
            self.decided += 1
            return True
        if not parts or parts[0] != "w":
            return False
        name, kind, article, actor, target = parts[1], parts[2], *map(int, parts[3:5]), parts[5]
        if kind == "stance":
            self.stances[(name, article, actor, target)] = parts[6]
        else:
            self.evidence.add((name, article, actor, target, int(parts[6]), int(parts[7])))
        return True

    def __len__(self) -> int:
        return len(self.stances) + len(self.evidence)


def missing_in(db: str, written: Written) -> list[str]:
    """Every written label that is not in the database (read with plain sqlite3)."""
    conn = sqlite3.connect(db)
    try:
        stances = {
            (name, article, actor, target): stance
            for name, article, actor, target, stance in conn.execute(
                "SELECT a.name, s.article_id, s.actor_id, s.target, s.stance "
                "FROM stanceannotation s JOIN annotator a ON a.id = s.annotator_id"
            )
        }
        evidence = set(
            conn.execute(
                "SELECT a.name, s.article_id, s.actor_id, s.target, e.start, e.end "
                "FROM evidence e JOIN stanceannotation s ON s.id = e.annotation_id "
                "JOIN annotator a ON a.id = s.annotator_id"
            )
        )
    finally:
        conn.close()
    lost = [f"stance {k}={v}" for k, v in written.stances.items() if stances.get(k) != v]
    lost += [f"evidence {e}" for e in sorted(written.evidence - evidence)]
    return lost


def integrity(db: str) -> str:
    conn = sqlite3.connect(db)
    try:
        return "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


class Server:
    """The fork server of label_writer.py: runs jobs in child processes."""

    def __init__(self, db: str) -> None:
        self.proc, self.lines = start_writer("server", db)
        first = self.lines.next()
        if first != "ready":
            raise AssertionError(self.proc.stderr.read() if self.proc.stderr else first)

    def _send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def start(self, *jobs: str) -> None:
        """Fork one child per job, all at once."""
        self._send(";".join(jobs))

    def reap(self, pid: int) -> None:
        """Ask for one child to be reaped; its "exit" line follows."""
        self._send(f"reap {pid}")

    def wait(self) -> None:
        """Ask for the children to be reaped; their "exit" lines follow."""
        self._send("wait")

    def start_writer(self, job: str, written: Written) -> int:
        """Start one writing job; return its pid once it has started writing."""
        self.start(job)
        pid, started = 0, False
        while not (pid and started):
            line = self.next()
            assert not line.startswith("error"), line
            if line.startswith("pid "):
                pid = int(line.split()[2])
            started = started or line.startswith("started ")
            written.add(line)
        return pid

    def kill(self, pid: int, written: Written) -> int:
        """SIGKILL a child (harmless if it has finished: it stays a zombie until reaped),
        collect the rest of what it wrote, and return its wait status."""
        os.kill(pid, signal.SIGKILL)
        self.wait()
        while not (line := self.next()).startswith("exit "):
            assert not line.startswith("error"), line
            written.add(line)
        return int(line.split()[2])

    def next(self) -> str:
        line = self.lines.next()
        if line is None:
            raise AssertionError(self.proc.stderr.read() if self.proc.stderr else "server died")
        return line

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture
def server(db: str) -> Iterator[Server]:
    srv = Server(db)
    yield srv
    srv.close()
