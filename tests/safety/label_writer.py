"""Helper process for the safety tests: writes labels the way the GUI does and says so.

Every label goes through LabellingSession (the GUI's code path). After each call returns,
one line goes to stdout with os.write (unbuffered, one syscall, so a line is either in the
pipe whole or not at all):

    w <annotator> stance <article> <actor> <target> <stance>
    w <annotator> evidence <article> <actor> <target> <start> <end>

A test that has seen the line knows the call returned, so the label must be in the database.

    label_writer.py write DB ANNOTATOR FIRST COUNT [--loop]
        label COUNT cells from cell FIRST of the grid; --loop goes round again until killed.
    label_writer.py server DB
        a fork server: imports everything once, then reads lines of jobs separated by ";"
        and forks one child per job, all at once, printing "pid TAG PID" for each (TAG is
        "<job number>:<annotator or import>"). Jobs:
            write ANNOTATOR FIRST COUNT [loop]      as above
            same-cell ANNOTATOR stance|evidence N    N changes to the grid's first cell
            import FILE                              import_paths, batches of 10
            window ANNOTATOR FIRST COUNT             as write, but the project is opened the
                                                     way the window opens it at start
                                                     (project.open_for_labelling: seeding,
                                                     the daily backup)
            curator NAME COUNT                       COUNT gold decisions as a curator in the
                                                     curation view, printing "c ..." lines
            cli LOG ARG...                           `annotator ARG...` (the real command
                                                     line), its output going to file LOG;
                                                     prints "cli TAG EXIT_CODE"
        Each child prints "forked TAG TIME" first and "finished NAME TIME" when done. On a
        line "wait" the server waits for all children, printing "exit TAG STATUS" for each;
        "reap PID" waits for that child only.

Python plus SQLAlchemy take 1.5-2 s to start on these machines, so the tests fork children
from one server instead of starting dozens of interpreters. Each child opens its own
connections after the fork; the server never opens the database.
"""

from __future__ import annotations

import os
import sys
import time

from sqlalchemy import func
from sqlmodel import select

from annotator.codebook import Codebook, load_codebook
from annotator.labelling import LabellingSession
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import Project, open_project
from annotator.store.labels import CellKey
from annotator.store.models import Actor, Article

# The grid is built from the first articles and actors only, so writers started before and
# after an import that adds more still agree on it.
ARTICLES = 5
ACTORS = 4


def say(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))


def cell_grid(project: Project, codebook: Codebook) -> tuple[list[CellKey], dict[int, int]]:
    """The (article, actor, target) cells writers label, in a fixed order; text lengths."""
    with project.session() as s:
        articles = dict(
            s.exec(
                select(Article.id, func.length(Article.text)).order_by(Article.id).limit(ARTICLES)
            ).all()
        )
        actors = list(s.exec(select(Actor.id).order_by(Actor.id).limit(ACTORS)).all())
    cells = [
        CellKey(article, actor, target)
        for article in articles
        for actor in actors
        for target in codebook.target_ids
    ]
    return cells, articles


def write_labels(
    db: str, name: str, first: int, count: int, *, loop: bool = False, window: bool = False
) -> None:
    codebook = load_codebook()
    if window:
        from annotator.project import open_for_labelling

        project, _backup_error = open_for_labelling(db)
    else:
        project = open_project(db, create=False)
    cells, lengths = cell_grid(project, codebook)
    session = LabellingSession(project, codebook, get_or_create_annotator(project, name))
    stances = codebook.stance_ids
    say(f"started {name}")
    round_ = 0
    while True:
        for i, key in enumerate(cells[first : first + count]):
            where = f"{key.article_id} {key.actor_id} {key.target}"
            stance = stances[(i + round_) % len(stances)]
            session.set_stance(key, stance)
            say(f"w {name} stance {where} {stance}")
            start = (i + round_) % (lengths[key.article_id] - 1)
            session.add_evidence(key, start, start + 1)
            say(f"w {name} evidence {where} {start} {start + 1}")
        if not loop:
            break
        round_ += 1
    project.close()
    say(f"finished {name} {time.time()}")


def same_cell(db: str, name: str, kind: str, count: int) -> None:
    """Change only the first cell COUNT times: its stance, or add evidence spans, or both.

    Two of these for the same annotator are two windows working on one label.
    """
    codebook = load_codebook()
    project = open_project(db, create=False)
    cells, lengths = cell_grid(project, codebook)
    key = cells[0]
    where = f"{key.article_id} {key.actor_id} {key.target}"
    session = LabellingSession(project, codebook, get_or_create_annotator(project, name))
    say(f"started {name}")
    for i in range(count):
        if kind == "stance":
            stance = codebook.stance_ids[i % len(codebook.stance_ids)]
            session.set_stance(key, stance)
            say(f"w {name} stance {where} {stance}")
        else:
            start = i % (lengths[key.article_id] - 1)
            session.add_evidence(key, start, start + 1)
            say(f"w {name} evidence {where} {start} {start + 1}")
    project.close()


def curate_units(db: str, name: str, count: int) -> None:
    """A curator deciding COUNT units of the articles ready for curation, as the curation
    view does (CurationSession), saying each decision after it returned:

        c ARTICLE ACTOR TARGET STANCE      (STANCE "-" for a "no stance" decision)
    """
    from annotator.curation import CurationSession
    from annotator.store.label_reads import LabelFilter, read_cells

    codebook = load_codebook()
    with open_project(db, create=False) as project:
        units = sorted({cell[1:4] for cell in read_cells(project, LabelFilter(done_only=True))})
        session = CurationSession(project, codebook, get_or_create_annotator(project, name))
        say(f"started {name}")
        choices = [*codebook.stance_ids, None]
        for i in range(count if units else 0):
            article, actor, target = units[(i * 7) % len(units)]
            stance = choices[i % len(choices)]
            session.set_stance(CellKey(article, actor, target), stance)
            say(f"c {article} {actor} {target} {stance or '-'}")
    say(f"finished {name} {time.time()}")


def import_articles(db: str, source: str) -> None:
    """Import a JSONL file as the GUI does, in batches of 10: many short transactions."""
    from annotator.ingest.importer import import_paths

    with open_project(db, create=False) as project:
        report = import_paths(project, [source], batch_size=10)
    say(f"imported {report.added}")
    say(f"finished import {time.time()}")


def run_cli(tag: str, log: str, args: list[str]) -> None:
    """The real `annotator` command in this (forked) process, its output into `log`."""
    from annotator.cli.app import main

    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    saved = os.dup(1)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    code = 0
    try:
        main(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved, 1)
    say(f"cli {tag} {code}")


def _run_job(db: str, words: list[str], tag: str = "") -> None:
    if words[0] == "write":
        write_labels(db, words[1], int(words[2]), int(words[3]), loop="loop" in words)
    elif words[0] == "window":
        write_labels(db, words[1], int(words[2]), int(words[3]), window=True)
    elif words[0] == "cli":
        run_cli(tag, words[1], words[2:])
    elif words[0] == "same-cell":
        same_cell(db, words[1], words[2], int(words[3]))
    elif words[0] == "import":
        import_articles(db, words[1])
    elif words[0] == "curator":
        curate_units(db, words[1], int(words[2]))
    else:
        raise ValueError(f"unknown job {words!r}")


def server(db: str) -> None:
    say("ready")
    children: dict[int, str] = {}
    for line in sys.stdin:
        if line.startswith("reap "):
            pid = int(line.split()[1])
            _, status = os.waitpid(pid, 0)
            say(f"exit {children.pop(pid)} {status}")
            continue
        if line.strip() == "wait":
            # Children are reaped only when asked: until then a finished child stays a
            # zombie, so its pid cannot be reused and a late SIGKILL hits nothing else.
            while children:
                pid, status = os.wait()
                say(f"exit {children.pop(pid)} {status}")
            continue
        if "import " in line or "cli " in line:
            # Import spaCy, the highlighter and the commands here, once, so a child starts
            # its work as soon as the label writers do.
            import annotator.cli.app  # noqa: F401
            import annotator.ingest.importer  # noqa: F401
        for number, job in enumerate(line.split(";")):
            words = job.split()
            who = words[1] if words[0] in ("write", "window", "curator") else words[0]
            if words[0] == "cli":  # named after its log file, which names the command
                who = f"cli-{os.path.splitext(os.path.basename(words[1]))[0]}"
            tag = f"{number}:{who}"
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                say(f"forked {tag} {time.time()}")
                code = 0
                try:
                    _run_job(db, words, tag)
                except BaseException as exc:  # noqa: BLE001 - reported to the test instead
                    say(f"error {tag} {type(exc).__name__}: {exc}")
                    code = 1
                os._exit(code)
            children[pid] = tag
            say(f"pid {tag} {pid}")


def main(argv: list[str]) -> int:
    if argv[0] == "server":
        server(argv[1])
    else:
        db, name, first, count = argv[1:5]
        write_labels(db, name, int(first), int(count), loop="--loop" in argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
