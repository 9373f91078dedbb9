"""Commands that keep the data safe and traceable: history, backup."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from annotator.cli import common

if TYPE_CHECKING:  # the store (SQLAlchemy) loads when a command runs
    from annotator.store.history import HistoryEntry


def register(app: typer.Typer) -> None:
    app.command("history")(history_cmd)
    app.command("backup")(backup_cmd)


def _spans(evidence: tuple[tuple[int, int], ...]) -> str:
    return ", ".join(f"{a}-{b}" for a, b in evidence)


def describe(entry: HistoryEntry) -> str:
    """What changed, in a few words: `favor → against`, `+evidence 10-42`, `done`."""
    if entry.problem is not None:  # a row the tool did not write: said, not guessed at
        return entry.problem
    if entry.after_done is not None:
        return "marked done" if entry.after_done else "marked not done"
    if entry.after_curation is not None:
        state = f"article {entry.before_curation or 'not in curation'} → {entry.after_curation}"
        return state + (f" (by {entry.by})" if entry.by else "")
    parts = []
    if entry.before_stance != entry.after_stance:
        parts.append(f"{entry.before_stance or '–'} → {entry.after_stance or '–'}")
    added = tuple(e for e in entry.after_evidence if e not in entry.before_evidence)
    removed = tuple(e for e in entry.before_evidence if e not in entry.after_evidence)
    if added:
        parts.append(f"+evidence {_spans(added)}")
    if removed:
        parts.append(f"-evidence {_spans(removed)}")
    if entry.before_note != entry.after_note:
        parts.append(f"note: {entry.after_note!r}" if entry.after_note else "note removed")
    if entry.by or entry.origin:  # a gold label: where it came from and who decided
        parts.append(", ".join(x for x in (entry.origin and f"from {entry.origin}",
                                           entry.by and f"by {entry.by}") if x))  # fmt: skip
    return "; ".join(parts) or "no change"


def _table(entries: list[HistoryEntry]) -> list[str]:
    header = ("time", "annotator", "article", "actor", "target", "action", "change")
    rows = [
        (
            e.time.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            e.annotator,
            e.article,
            e.actor or "-",
            e.target or "-",
            e.action,
            describe(e),
        )
        for e in entries
    ]
    # The last column is not padded: it is free text and may be long.
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    return [
        "  ".join([*(c.ljust(w) for c, w in zip(r, widths, strict=False)), r[-1]]).rstrip()
        for r in [header, *rows]
    ]


def history_cmd(
    ctx: typer.Context,
    annotator: str = typer.Option(None, "--annotator", "-a", help="Only this annotator's changes."),
    article: str = typer.Option(None, "--article", help="Only changes in this article (its id)."),
    limit: int = typer.Option(50, "--limit", "-n", help="Show the newest N changes (0 = all)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """Show who changed which label when, newest first."""
    from annotator.store.history import history

    with common.state(ctx).open() as project:
        entries = history(project, annotator=annotator, article=article, limit=limit or None)
    if as_json:
        for e in entries:
            typer.echo(json.dumps(e.as_json(), ensure_ascii=False))
        return
    if not entries:
        typer.echo("no label changes yet")
        return
    for line in _table(entries):
        typer.echo(line)


def backup_cmd(
    ctx: typer.Context,
    dest: Path = typer.Argument(
        None,
        help="Backup file or folder (default: next to the project, NAME.backup-DATE-TIME).",
        show_default=False,
    ),
) -> None:
    """Write a consistent copy of the project (safe while others keep labelling)."""
    from annotator.store.backup import backup_project

    with common.state(ctx).open() as project:
        path = backup_project(project, dest)
    typer.echo(f"backup written to {path}")
