"""The whole-system chaos trial: labelling processes and every command at once, with crashes.

One trial, on one project file:
- two labelling processes open the project the way the window does at start (seeding, the
  daily backup) and label through LabellingSession, printing each save only after the call
  returned; each is killed with SIGKILL at a random moment and restarted (as a new
  annotator, so that every acknowledged save is the newest one of its cell), twice;
- meanwhile, each in its own process, every command that touches the project runs once:
  info, articles, entities, export, agreement, history, backup, import, a merge of another
  annotator's file (labels and a done mark) into the project, a merge of the project into
  a lead's file, and the lead's team work: extending the assignment plan to the new
  articles, an annotator's package, progress, a curation pre-merge (writing gold once two
  merged annotators are done) and curation status, while a curator decides units;
- afterwards: every acknowledged save is in the file and in the history, every acknowledged
  gold decision is still the curator's (no pre-merge replaced it), the file passes
  integrity_check and is still in WAL mode, every command exited 0, and undo/redo of the
  last label change works.

Used by tests/safety/test_chaos.py (3 trials, 25 with --full) and bench/soak.py (500
trials). Processes are forked from label_writer.py's server, which has everything imported
already, so a trial takes seconds, not the minutes 15 interpreter starts would.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.assignments.plan import PlanRequest
from annotator.assignments.service import plan_project
from annotator.codebook import load_codebook
from annotator.errors import InputError
from annotator.labelling import LabellingSession
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import open_project
from annotator.store.gold import ORIGIN_STRATEGY, gold_id, read_gold
from annotator.store.history import history
from annotator.store.labels import CellKey, CellState, get_cell, put_cell, set_done
from tests.safety.conftest import CELLS, Server, Written, integrity, missing_in

COMMANDS = ("info", "articles", "entities", "export", "agreement", "history", "backup",
            "import", "merge-in", "merge-out", "assign", "package", "progress", "curate",
            "curation-status")  # fmt: skip


@dataclass
class TrialResult:
    trial: int
    acknowledged: int = 0
    kills: int = 0  # SIGKILLs that hit a labeller still at work
    decisions: int = 0  # gold decisions a curator acknowledged
    lost: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.lost and not self.problems


class _Events:
    """Dispatches the server's output lines: saves, pids, command results, exits."""

    def __init__(self, server: Server, written: Written) -> None:
        self.server = server
        self.written = written
        self.pids: dict[str, int] = {}
        self.started: set[str] = set()
        self.finished: set[str] = set()
        self.cli: dict[str, int] = {}
        self.exits: dict[str, int] = {}
        self.errors: list[str] = []
        self.saves: Counter[str] = Counter()  # acknowledged saves by labeller

    def pump_until(self, done: Callable[[], bool], what: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout} s for {what}")
            self._take(self.server.next())

    def _take(self, line: str) -> None:
        if self.written.add(line):
            if line.startswith("w "):
                self.saves[line.split()[1]] += 1
            return
        word, _, rest = line.partition(" ")
        parts = rest.split()
        if word == "pid":
            self.pids[parts[0]] = int(parts[1])
        elif word == "started":
            self.started.add(parts[0])
        elif word == "finished":
            self.finished.add(parts[0])
        elif word == "cli":
            self.cli[parts[0]] = int(parts[1])
        elif word == "exit":
            self.exits[parts[0]] = int(parts[1])
        elif word == "error":
            self.errors.append(rest)


class Chaos:
    """Trials on one project in `root`; `server` is a label_writer.py fork server on it."""

    def __init__(self, server: Server, db: str, root: Path, seed: int) -> None:
        self.server = server
        self.db = db
        self.root = root
        self.rng = random.Random(seed)
        self.codebook = load_codebook()
        self.lead = str(root / "lead.db")
        open_project(self.lead).close()
        # Another annotator's file, as a package gives it: the project's articles and actors
        # as they were at the start (a copy of the growing project would make each trial's
        # merge larger than any real one).
        self.other_base = root / "other-base.db"
        src = sqlite3.connect(self.db)
        try:
            dst = sqlite3.connect(self.other_base)
            src.backup(dst)
            dst.close()
        finally:
            src.close()
        with open_project(self.db) as project:  # the lead's plan, extended in every trial
            plan_project(project, PlanRequest(("anna", "ben"), overlap=0.5, seed=1))
        (root / "logs").mkdir(exist_ok=True)
        (root / "out").mkdir(exist_ok=True)
        (root / "manual-backups").mkdir(exist_ok=True)

    # ------------------------------------------------------------ inputs of one trial

    def _other_file(self, trial: int) -> Path:
        """Another annotator's project file with the same articles and a few labels."""
        path = self.root / f"other-{trial}.db"
        path.unlink(missing_ok=True)
        src = sqlite3.connect(self.other_base)
        try:
            dst = sqlite3.connect(path)
            src.backup(dst)
            dst.close()
        finally:
            src.close()
        with open_project(str(path)) as other:
            ola = get_or_create_annotator(other, f"ola-{trial}")
            for i, target in enumerate(self.codebook.target_ids):
                put_cell(other, ola, CellKey(1, 1 + i % 2, target), CellState("favor"))
            set_done(other, 1, ola)  # from the second trial on, article 1 is ready for gold
        return path

    def _articles_file(self, trial: int) -> Path:
        path = self.root / f"incoming-{trial}.jsonl"
        lines = [
            json.dumps({"id": f"t{trial}-{i}", "text": f"Olaf Scholz sagte in Runde {trial}/{i}."})
            for i in range(3)
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def _command_jobs(self, trial: int) -> list[str]:
        logs = self.root / "logs"
        out = self.root / "out"

        def cli(name: str, *args: str, db: str | None = None) -> str:
            return " ".join(
                ["cli", str(logs / f"{trial}-{name}.log"), "--db", db or self.db, *args]
            )

        return [
            cli("info", "info"),
            cli("articles", "articles"),
            cli("entities", "entities", "--json"),
            cli("export", "export", "--format", "stances", "-o", str(out / f"s-{trial}.jsonl")),
            cli("agreement", "agreement", "--json"),
            cli("history", "history", "-n", "20"),
            cli("backup", "backup", str(self.root / "manual-backups")),
            cli("import", "import", str(self._articles_file(trial))),
            # Files the lead trusts whole: another's project (outside the plan), and the
            # project itself with everybody's work and gold into the lead's own file.
            cli("merge-in", "merge", "--whole-project", str(self._other_file(trial))),
            cli("merge-out", "merge", "--whole-project", self.db, db=self.lead),
            cli("assign", "assign"),
            cli("package", "package", "--annotator", "anna", "-o", str(out / f"anna-{trial}.db")),
            cli("progress", "progress", "--json"),
            cli("curate", "curate", "--strategy", "incomplete", "--curator", "lead"),
            cli("curation-status", "curation", "status", "--json"),
        ]  # fmt: skip

    # ------------------------------------------------------------ one trial

    def trial(self, trial: int) -> TrialResult:
        result = TrialResult(trial)
        written = Written()
        events = _Events(self.server, written)
        runs = {"a": 0, "b": 0}
        # Each labeller is killed at a random moment of its work, counted in its saves (a
        # pause in seconds let most of them finish first once saves had become fast).
        moments: dict[str, int] = {}

        def start_labeller(slot: str) -> str:
            name = f"t{trial}{slot}{runs[slot]}"
            runs[slot] += 1
            first = self.rng.randrange(0, CELLS // 2)
            moments[name] = self.rng.randrange(CELLS - first)  # of 2 saves per cell
            # Not waited for: the other labeller may reach its moment while this one starts.
            self.server.start(f"window {name} {first} {CELLS - first}")
            return name

        def kill(name: str) -> None:
            events.pump_until(lambda: _has_pid(events.pids, name), f"the pid of {name}")
            tag, pid = _pid_of(events.pids, name)
            os.kill(pid, signal.SIGKILL)
            self.server.reap(pid)
            events.pump_until(lambda: tag in events.exits, f"{name} to be reaped")
            status = events.exits[tag]
            if os.WIFSIGNALED(status) and name not in events.finished:
                result.kills += 1

        def due() -> list[str]:
            """The slots to kill now: their labeller reached its moment (or ended)."""
            return [
                slot
                for slot, name in sorted(labellers.items())
                if kills_left[slot]
                and (
                    (name in events.started and events.saves[name] >= moments[name])
                    or name in events.finished
                    or any(name in e for e in events.errors)
                )
            ]

        labellers = {slot: start_labeller(slot) for slot in runs}
        jobs = self._command_jobs(trial)
        # A curator decides units while the lead's `curate` pre-merges (issue 23).
        self.server.start(*jobs, f"curator lena{trial} 40")
        kills_left = dict.fromkeys(runs, 2)  # kill and restart each labeller twice
        while any(kills_left.values()):  # while the commands run
            events.pump_until(lambda: bool(due()), "a labeller's moment to be killed")
            for slot in due():
                kill(labellers[slot])
                kills_left[slot] -= 1
                labellers[slot] = start_labeller(slot)
        events.pump_until(lambda: len(events.cli) == len(jobs), "the commands to finish", 300)
        time.sleep(self.rng.uniform(0.0, 0.3))
        for name in labellers.values():
            kill(name)
        self.server.wait()  # reaps the command children
        events.pump_until(lambda: len(events.exits) == len(events.pids), "every child")

        result.acknowledged = len(written)
        result.decisions = written.decided
        result.problems += [f"error {e}" for e in events.errors]
        for tag, code in sorted(events.cli.items()):
            if code != 0:
                log = self.root / "logs" / f"{tag.split('cli-', 1)[1]}.log"
                text = log.read_text(encoding="utf-8", errors="replace").strip()
                result.problems.append(f"{tag} exited {code}: {text[-300:]}")
        for tag, status in events.exits.items():
            if "cli" in tag and status != 0:
                result.problems.append(f"{tag}: exit status {status}")
        result.lost = missing_in(self.db, written) + self._not_in_history(written)
        result.lost += self._decisions_lost(written)
        result.problems += self._file_checks()
        if not result.lost:
            result.problems += self._undo_works(written)
        return result

    # ------------------------------------------------------------ checks

    def _not_in_history(self, written: Written) -> list[str]:
        """Every acknowledged save has its event in the history, as `annotator history`
        reads it (store.history.history)."""
        names = {key[0] for key in written.stances} | {e[0] for e in written.evidence}
        events = {}
        with open_project(self.db, create=False) as project:
            for name in names:
                try:
                    events[name] = history(project, annotator=name)
                except InputError:  # the annotator row itself was lost
                    events[name] = []
        articles, actors = _names(self.db)

        def cell_events(name: str, article: int, actor: int, target: str) -> list:
            return [e for e in events[name] if (e.article, e.actor, e.target)
                    == (articles[article], actors[actor], target)]  # fmt: skip

        lost = []
        for (name, article, actor, target), stance in written.stances.items():
            if not any(e.after_stance == stance for e in cell_events(name, article, actor, target)):
                lost.append(f"history lacks {name} {article}/{actor}/{target}={stance}")
        for name, article, actor, target, start, end in written.evidence:
            found = cell_events(name, article, actor, target)
            if not any((start, end) in e.after_evidence for e in found):
                lost.append(f"history lacks {name} evidence {article}/{actor}/{target} {start}")
        return lost

    def _decisions_lost(self, written: Written) -> list[str]:
        """Every acknowledged gold decision is still the curator's: a pre-merge running at
        the same time never replaces it."""
        lost = []
        with open_project(self.db, create=False) as project, project.session() as s:
            gold = gold_id(s)
            for unit, stance in written.decisions.items():
                held = read_gold(s, gold, CellKey(*unit)) if gold is not None else None
                origin = held.provenance.origin if held and held.provenance else None
                if held is None or origin in (None, ORIGIN_STRATEGY) or held.state.stance != stance:
                    lost.append(f"gold decision {unit}={stance} is now {origin}")
        return lost

    def _file_checks(self) -> list[str]:
        problems = []
        check = integrity(self.db)
        if check != "ok":
            problems.append(f"integrity_check: {check}")
        conn = sqlite3.connect(self.db)
        try:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        finally:
            conn.close()
        if mode != "wal":
            problems.append(f"journal_mode is {mode}, not wal")
        return problems

    def _undo_works(self, written: Written) -> list[str]:
        if not written.stances:
            return []
        name = max(written.stances)[0]
        with open_project(self.db, create=False) as project:
            session = LabellingSession(
                project, self.codebook, get_or_create_annotator(project, name)
            )
            change = session.undo()
            if change is None:
                return [f"undo: {name} has nothing to undo after the restart"]
            key = getattr(change, "key", None)
            if key is None:
                return []
            problems = []
            if get_cell(project, session.annotator_id, key) != change.before:
                problems.append(f"undo did not restore {key}")
            session.redo()
            if get_cell(project, session.annotator_id, key) != change.after:
                problems.append(f"redo did not restore {key}")
        return problems


def _has_pid(pids: dict[str, int], name: str) -> bool:
    return any(tag.endswith(f":{name}") for tag in pids)


def _pid_of(pids: dict[str, int], name: str) -> tuple[str, int]:
    for tag, pid in pids.items():
        if tag.endswith(f":{name}"):
            return tag, pid
    raise AssertionError(f"no pid for {name}")


def _names(db: str) -> tuple[dict[int, str], dict[int, str]]:
    """Article external ids and actor names by row id (the history shows names)."""
    conn = sqlite3.connect(db)
    try:
        articles = dict(conn.execute("SELECT id, external_id FROM article"))
        actors = dict(conn.execute("SELECT id, name FROM actor"))
    finally:
        conn.close()
    return articles, actors
