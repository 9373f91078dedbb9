"""`annotator export`: labelled data as JSONL (documents, stances) or a spaCy DocBin."""

from __future__ import annotations

from pathlib import Path

import typer

from annotator.cli import common
from annotator.export.options import ExportFormat, LabelMode


def export_cmd(
    ctx: typer.Context,
    fmt: ExportFormat = typer.Option(..., "--format", "-f", help="What to write (docs/export.md)."),
    out: Path = typer.Option(
        None, "--output", "-o", help="File to write (default: the exports folder)."
    ),
    labels: LabelMode = typer.Option(
        LabelMode.ALL,
        "--labels",
        help="all = one record per annotator; majority or unanimous = one vote per unit; "
        "gold = the curated gold standard (curated articles only).",
    ),
    annotator: str = typer.Option(None, "--annotator", "-a", help="Only this annotator's labels."),
    keep_disagreements: bool = typer.Option(
        False,
        "--keep-disagreements",
        help="Aggregated units without agreement are kept with label null (default: dropped).",
    ),
    min_votes: int = typer.Option(
        1, "--min-votes", help="Aggregated units need at least this many annotators."
    ),
    done_only: bool = typer.Option(
        False, "--done-only", help="Only labels whose annotator marked the article done."
    ),
    targets: list[str] = typer.Option(
        None, "--target", "-t", help="Only this target (repeat for several)."
    ),
    split: str = typer.Option(
        None, "--split", help="Train/dev/test percentages by article, e.g. 80/10/10."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the split."),
    anonymise: bool = typer.Option(
        False, "--anonymise", help="Write annotator-1, annotator-2, ... instead of names."
    ),
    with_suggestions: bool = typer.Option(
        False,
        "--with-suggestions",
        help="stances: each unit's stored suggestion as a separate field (never as a label).",
    ),  # fmt: skip
    context: str = typer.Option(
        "article", "--context", help="stances: 'article' or 'window:N' sentences on each side."
    ),
) -> None:
    """Export labelled data for training and evaluating stance models."""
    from annotator.export import ExportOptions, export

    options = ExportOptions(
        labels=labels.value,
        annotator=annotator,
        keep_disagreements=keep_disagreements,
        min_votes=min_votes,
        done_only=done_only,
        targets=tuple(targets or ()),
        split=split,
        seed=seed,
        anonymise=anonymise,
        context=context,
        with_suggestions=with_suggestions,
    )
    state = common.state(ctx)
    codebook = state.load_codebook()
    with state.open() as project, common.progress_bar("Exporting") as tick, common.batch_job():
        common.check_codebook_fits(project, codebook)
        report = export(project, codebook, fmt.value, out, options, progress=tick)
    typer.echo(report.summary())


def register(app: typer.Typer) -> None:
    app.command("export")(export_cmd)
