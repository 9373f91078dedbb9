"""What every command shares: the global options, opening the project, progress bars."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

# Every command, and `annotator --help`, imports this module: the store (SQLAlchemy),
# rich's progress bar and the codebook load only when a command uses them.
if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    from annotator.codebook import Codebook
    from annotator.store.engine import Project


@dataclass
class State:
    db: str | None = None
    codebook: str | None = None

    def open(self, *, create: bool = False) -> Project:
        """The project to work on. Only commands that fill a project (import, merge) create
        one at a path that holds none: a mistyped --db is an error, not a new empty project.
        The default project is always created (and seeded) on first use."""
        from annotator.project import open_for_use

        with progress_bar("Importing the seed articles") as tick:
            return open_for_use(self.db, create=create, progress=tick)

    def load_codebook(self) -> Codebook:
        from annotator.codebook import load_codebook

        return load_codebook(self.codebook_file())

    def codebook_file(self) -> str | None:
        """--codebook, refused here if it is a pipe or a device, which the codebook reader
        would wait on forever (it cannot use files.py: both are foundations)."""
        from annotator.files import check_input

        return None if self.codebook is None else str(check_input(self.codebook))


def check_codebook_fits(project: Project, codebook: Codebook) -> None:
    """Refuse a codebook that lacks a stance the project's labels hold on its targets, as
    `agreement` does while it reads them: curate, export and network would otherwise write
    gold labels, records and networks that count that stance as nothing (or stop on it)."""
    from annotator.store.label_reads import EVERYONE, LabelFilter, read_cells

    flt = LabelFilter(who=EVERYONE, targets=codebook.target_ids, with_stance=True)
    codebook.check_held_stances({row[5] for row in read_cells(project, flt)})


@contextmanager
def batch_job() -> Iterator[None]:
    """The body of a batch command (import, export): a process that does one job and ends
    may keep the garbage collector off its long-lived objects (annotator/heap.py)."""
    from annotator.heap import frozen_heap

    with frozen_heap():
        yield


def model_option(model: str | None, no_model: bool) -> str | None:
    """--model / --no-model as the core takes them (None: the shipped model)."""
    from annotator.errors import InputError
    from annotator.nlp.model import NO_MODEL

    if no_model and model:
        raise InputError("--model and --no-model exclude each other")
    return NO_MODEL if no_model else model


# Codecs that decode bytes but are no encoding of a text file: hostnames (idna, punycode)
# and one that refuses everything. They fail with a bare UnicodeError the readers do not
# expect; the codecs that turn bytes into bytes (hex, rot13, zlib...) say so themselves.
_NOT_FOR_FILES = {"idna", "punycode", "undefined"}


def encoding_option(encoding: str | None) -> str | None:
    """--encoding as the readers take it: a known encoding of text files, or None."""
    import codecs

    from annotator.errors import InputError

    if encoding is None:
        return None
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise InputError(
            f"unknown encoding {encoding!r} (e.g. utf-8, windows-1252, latin-1)"
        ) from None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_FOR_FILES:
        raise InputError(
            f"--encoding {encoding}: not a text encoding of files (e.g. utf-8, windows-1252, "
            "latin-1)"
        )
    return encoding


MODEL_HELP = "Use this installed spaCy pipeline (name or path) instead of the shipped model."
NO_MODEL_HELP = "Highlight with the lexicon and the rules only (no statistical model)."


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, State) else State()


def console(width: int) -> Console:
    """A rich console on stdout: the terminal's width, else `width` (a file or a pipe).
    Without markup: the tables show names from articles, packages and the team, and rich
    would read "[...]" in them as markup ("a[/]" stopped a command with a MarkupError)."""
    from rich.console import Console

    return Console(highlight=False, markup=False, width=None if sys.stdout.isatty() else width)


def table(title: str) -> Table:
    """A rich table in the commands' one style: the title on the left, a bold header."""
    from rich.table import Table

    return Table(title=title, title_justify="left", header_style="bold")


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """Yield a `progress(done, total)` callback drawing a bar on stderr (only on a terminal).

    The bar appears at the first call, so a command that has nothing long to do (opening an
    already seeded project, say) shows nothing.
    """
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    bar: Progress | None = None
    task = None

    def tick(done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            bar.start()
            task = bar.add_task(description, total=total)
        bar.update(task, completed=done, total=total)  # type: ignore[arg-type]

    try:
        yield tick
    finally:
        if bar is not None:
            bar.stop()
