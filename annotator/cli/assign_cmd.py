"""`annotator assign` (plan who codes what), `annotator package` (project files for offline
coders) and `annotator progress` (how far the team is). Thin wrappers over
annotator.assignments; the rules are in docs/team-work.md. matplotlib loads only for
`progress --png`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from annotator.cli import common
from annotator.errors import InputError

if TYPE_CHECKING:
    from annotator.assignments.progress import ProgressReport
    from annotator.store.engine import Project


# The pace window of `progress`: a century is all anyone means by "everything"; far more
# starts the window before the year 1, which no date can express.
MAX_DAYS = 36_500


def register(app: typer.Typer) -> None:
    app.command("assign")(assign_cmd)
    app.command("package")(package_cmd)
    app.command("progress")(progress_cmd)


def _names(value: str | None) -> list[str] | None:
    if value is None:
        return None
    names = [n.strip() for n in value.split(",") if n.strip()]
    if not names:
        raise InputError("--annotators: give names separated by commas (NAME1,NAME2)")
    return names


def assign_cmd(
    ctx: typer.Context,
    annotators: str = typer.Option(
        None,
        "--annotators",
        "-a",
        help="Comma-separated annotator names. Default: those of the stored plan.",
    ),
    overlap: float = typer.Option(
        None,
        "--overlap",
        help="Share of articles coded by several annotators, 0-1 (default: the stored "
        "plan's, else 0.2).",
    ),
    coders: int = typer.Option(
        None,
        "--coders-per-overlap",
        help="Annotators per overlap article (default: the stored plan's, else 2).",
    ),
    seed: int = typer.Option(
        None, "--seed", help="Random seed of the plan (default: the stored plan's, else 1)."
    ),
    articles: str = typer.Option(
        "",
        "--articles",
        metavar="FILTER",
        help="Which articles: 'unassigned' (default: every article without an assignment) "
        "or text that the title, id or source contains, taken literally (case ignored; % "
        "and _ are plain characters, no wildcards).",
    ),
    show: bool = typer.Option(False, "--show", help="Print the plan as a table."),
    as_json: bool = typer.Option(False, "--json", help="With --show: the plan as JSON."),
    source: str = typer.Option(
        None, "--reassign", metavar="FROM", help="Move FROM's unfinished articles (see --to)."
    ),
    target: str = typer.Option(None, "--to", metavar="TO", help="With --reassign: who gets them."),
    limit: int = typer.Option(
        None, "--limit", help="With --reassign: move at most N (those FROM would reach last)."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would change; write nothing."),
) -> None:
    """Plan who codes which article, with planned overlap for agreement."""
    from annotator.assignments.service import plan_project, reassign_project, stored_request

    state = common.state(ctx)
    with state.open() as project:
        if show:
            return _show(project, as_json)
        if source or target:
            if not (source and target):
                raise InputError("--reassign FROM needs --to TO (and --to needs --reassign)")
            moved = reassign_project(
                project, source, target, articles=articles, limit=limit, write=not dry_run
            )
            typer.echo(moved.summary())
            return None
        request = stored_request(
            project,
            annotators=_names(annotators),
            overlap=overlap,
            coders_per_overlap=coders,
            seed=seed,
        )
        result = plan_project(project, request, articles=articles, write=not dry_run)
    typer.echo(result.summary())
    return None


def _show(project: Project, as_json: bool) -> None:
    from annotator.assignments.progress import plan_hint, progress_report

    report = progress_report(project)
    if as_json:
        data = report.as_dict()
        typer.echo(json.dumps({k: data[k] for k in ("settings", "annotators", "articles", "pairs")},
                              ensure_ascii=False, indent=2))  # fmt: skip
        return
    if not report.annotators:
        typer.echo(f"no assignment plan yet: {plan_hint(report)}")
        return
    settings = report.settings or {}
    out = common.console(140)
    if settings:
        out.print(
            f"Plan: overlap {settings.get('overlap', 0):.0%} with "
            f"{settings.get('coders_per_overlap')} coders per overlap article, seed "
            f"{settings.get('seed')}; {len(report.articles)} article(s) planned, "
            f"{report.overlap_planned} of them for several coders."
        )
    table = common.table("Assignments")
    table.add_column("annotator")
    for name in ("assigned", "overlap", "done", "in progress", "not started"):
        table.add_column(name, justify="right")
    for p in report.annotators:
        table.add_row(p.name, str(p.assigned), str(p.overlap_assigned), str(p.done),
                      str(p.in_progress), str(p.not_started))  # fmt: skip
    out.print(table)
    if report.pairs:
        pairs = common.table("Shared articles per pair")
        for name in ("annotator", "other", "planned", "done by both"):
            pairs.add_column(
                name, justify="right" if name in ("planned", "done by both") else "left"
            )
        for pair in report.pairs:
            pairs.add_row(pair.a, pair.b, str(pair.planned), str(pair.done))
        out.print(pairs)


def package_cmd(
    ctx: typer.Context,
    annotator: str = typer.Option(None, "--annotator", "-a", help="Whose package to write."),
    everyone: bool = typer.Option(
        False, "--all", help="A package for every annotator with assignments (-o is a folder)."
    ),
    output: str = typer.Option(
        ...,
        "--output",
        "-o",
        help="The package file (NAME.db in it when it is a folder or ends in /); with --all "
        "the folder.",
    ),
) -> None:
    """Write project files with exactly one annotator's articles, for offline coding."""
    from annotator.assignments.package import file_name, write_package, write_packages

    out = Path(output)
    # Path() drops a trailing slash, which says "a folder" as clearly as an existing one.
    folder = out.is_dir() or output.endswith(("/", os.sep))

    if bool(annotator) == everyone:
        raise InputError("give either --annotator NAME or --all")
    state = common.state(ctx)
    codebook = state.load_codebook()
    with state.open() as project:
        if everyone:
            reports = write_packages(project, out, codebook)
        else:
            target = out / file_name(annotator, set()) if folder else out
            reports = [write_package(project, annotator, target, codebook)]
    for report in reports:
        typer.echo(report.summary())
    typer.echo(f"{len(reports)} package(s) written; bring them back with: annotator merge FILE...")


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def progress_cmd(
    ctx: typer.Context,
    days: int = typer.Option(
        7,
        "--days",
        help=f"The pace over this many days (labels per hour; 1 to {MAX_DAYS:,}).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    png: Path = typer.Option(None, "--png", help="Also draw the progress chart to this PNG."),
) -> None:
    """How far each annotator is, their pace, and the overlap ready for agreement."""
    from annotator.assignments.progress import eta_text, plan_hint, progress_report
    from annotator.files import pending_file

    if days < 1:
        raise InputError("--days must be 1 or more")
    if days > MAX_DAYS:
        raise InputError(f"--days must be at most {MAX_DAYS:,} (a century), not {days:,}")
    state = common.state(ctx)
    with state.open() as project:
        report = progress_report(project, days=days)
        protect = [project.path] if project.path is not None else []
    if png is not None:
        from annotator.assignments.figures import progress_figure, save_png

        with pending_file(png, protect=protect) as pending:
            save_png(progress_figure(report), pending.path)
            pending.commit()
    if as_json:
        typer.echo(json.dumps(_progress_json(report), ensure_ascii=False, indent=2))
        if png is not None:
            typer.echo(f"chart written to {png}", err=True)  # stdout stays pure JSON
        return
    # Without a plan everyone who works in the project is shown, every article hers to code
    # (as View › Progress does): "articles", not "assigned".
    people = report.annotators if report.planned else report.people
    if not people:
        typer.echo(f"no assignment plan yet, and nobody has labelled: {plan_hint(report)}")
        return
    table = common.table(f"Progress (pace: last {days} days)")
    table.add_column("annotator")
    share = "assigned" if report.planned else "articles"
    for name in (share, "done", "in progress", "not started", "labels/h", "active h"):
        table.add_column(name, justify="right")
    table.add_column("to finish")
    for p in people:
        table.add_row(p.name, str(p.assigned), str(p.done), str(p.in_progress),
                      str(p.not_started), _hours(p.labels_per_hour), _hours(p.active_hours),
                      eta_text(p.eta_hours, p.eta_days, p.remaining))  # fmt: skip
    out = common.console(140)
    out.print(table)
    agreement = (
        f"for agreement: {report.overlap_ready} article(s) done by two or more coders, "
        f"{report.units_ready} coding unit(s)"
    )
    if report.planned:
        complete = sum(1 for a in report.articles if a.planned and len(a.done_by) == len(a.planned))
        out.print(
            f"{complete} of {len(report.articles)} planned article(s) done by all their "
            f"coders; {agreement} (overlap planned: {report.overlap_planned})."
        )
    else:
        out.print(f"No assignment plan yet: every article counts for everyone; {agreement}.")
        typer.echo(f"A plan: {plan_hint(report)}")  # unwrapped, to copy as it is
    if png is not None:
        typer.echo(f"chart written to {png}")


def _progress_json(report: ProgressReport) -> dict[str, Any]:
    """The report's figures; without a plan a person's count is "articles" (every article
    is hers to code), as in the table, not "assigned"."""
    data = report.as_dict()
    if not report.planned:
        data["people"] = [
            {("articles" if key == "assigned" else key): value for key, value in person.items()}
            for person in data["people"]
        ]
    return data
