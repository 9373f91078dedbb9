"""`annotator network`: discourse networks (DNA's two-mode and one-mode networks, event
lists) from the stance labels. A thin wrapper over annotator.network.run; the semantics
are in docs/networks.md. networkx, scipy and matplotlib load only when the command runs."""

from __future__ import annotations

from pathlib import Path

import typer

from annotator.cli import common
from annotator.network.options import (
    Aggregation,
    Calendar,
    Duplicates,
    LabelSource,
    Mode,
    NetworkOptions,
    Normalisation,
    OutputFormat,
)


def network_cmd(
    ctx: typer.Context,
    formats: list[OutputFormat] = typer.Option(
        ...,
        "--format",
        "-f",
        help="csv = edge list, matrix = CSV matrix, events = one row per statement; png/svg "
        "= stance map (twomode) or network drawing (onemode). Repeat for several: they then "
        "go into the -o folder.",
    ),
    out: Path = typer.Option(
        None,
        "--output",
        "-o",
        help="File (one format) or folder (several). Default: the exports folder.",
    ),
    mode: Mode = typer.Option(Mode.TWOMODE, "--mode", help="actor x target, or actor x actor."),
    aggregation: Aggregation = typer.Option(
        None,
        "--aggregation",
        "-q",
        help="Stance (DNA's qualifier) aggregation. twomode: ignore, combine, subtract "
        "(default); onemode: ignore, congruence (default), conflict, subtract.",
    ),
    normalisation: Normalisation = typer.Option(
        Normalisation.NO,
        "--normalisation",
        "-n",
        help="twomode: no, activity, prominence; onemode: no, average, jaccard, cosine.",
    ),
    labels: LabelSource = typer.Option(
        None, "--labels", help="Aggregated labels (default majority); gold comes with curation."
    ),
    annotator: str = typer.Option(None, "--annotator", "-a", help="Only this annotator's labels."),
    targets: list[str] = typer.Option(
        None, "--target", "-t", help="Only this target (repeat for several)."
    ),
    done_only: bool = typer.Option(
        False, "--done-only", help="Only labels whose annotator marked the article done."
    ),
    duplicates: Duplicates = typer.Option(
        Duplicates.ARTICLE,
        "--duplicates",
        help="article: a label counts once; include: every evidence quote counts.",
    ),
    date_from: str = typer.Option(None, "--from", help="First day (YYYY-MM-DD, YYYY-MM, YYYY)."),
    date_to: str = typer.Option(None, "--to", help="Last day (--to 2024-11: through November)."),
    window: Calendar = typer.Option(None, "--window", help="One network per calendar period."),
    moving: int = typer.Option(
        None,
        "--moving-window",
        metavar="DAYS",
        help="One network per window of DAYS days, moved by a day.",
    ),
    isolates: bool = typer.Option(
        False, "--isolates", help="Every actor of the range in every window's network."
    ),
    timeline: str = typer.Option(
        None,
        "--timeline",
        metavar="ACTOR",
        help="png/svg: this actor's stances over time instead of the network figure.",
    ),
) -> None:
    """Discourse networks (DNA style): GraphML, CSV, event list and figures."""
    from annotator.network.run import run_network

    options = NetworkOptions(
        mode=mode,
        aggregation=aggregation,
        normalisation=normalisation,
        labels=labels,
        annotator=annotator,
        targets=tuple(targets or ()),
        done_only=done_only,
        duplicates=duplicates,
        date_from=date_from,
        date_to=date_to,
        window=window,
        moving_days=moving,
        isolates=isolates,
    )
    state = common.state(ctx)
    codebook = state.load_codebook()
    with state.open() as project, common.progress_bar("Reading labels") as tick:
        common.check_codebook_fits(project, codebook)
        report = run_network(
            project, codebook, options, list(formats), out, timeline=timeline, progress=tick
        )
    typer.echo(report.summary())


def register(app: typer.Typer) -> None:
    app.command("network")(network_cmd)
