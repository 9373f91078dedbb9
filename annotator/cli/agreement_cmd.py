"""`annotator agreement` (how reliably stances are coded) and `annotator merge` (bring
annotators' project files together). Thin wrappers over annotator.agreement and
annotator.store.merge; what the figures mean is in docs/agreement.md."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

import typer

from annotator.cli import common
from annotator.errors import InputError, OutputError
from annotator.files import pending_file

if TYPE_CHECKING:  # the statistics (numpy, krippendorff) and rich load when a command runs
    from rich.console import Console
    from rich.table import Table

    from annotator.agreement import AgreementReport, ScopeFigures
    from annotator.codebook import Codebook


# Bootstrap resamples: far more than a stable 95% interval needs (a few thousand), yet each
# one holds a row of draws, and 10^11 of them asked for 745 GiB. Here, not in
# agreement/bootstrap.py: `annotator --help` must not load numpy to show it.
MAX_RESAMPLES = 100_000


def register(app: typer.Typer) -> None:
    app.command("agreement")(agreement_cmd)
    app.command("merge")(merge_cmd)


def _num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _ci(interval: tuple[float, float] | None) -> str:
    return "" if interval is None else f" [{interval[0]:.2f}, {interval[1]:.2f}]"


def _scopes_table(report: AgreementReport) -> Table:
    table = common.table("Agreement per scope")
    for name in ("scope", "units", "coders"):
        table.add_column(name, justify="left" if name == "scope" else "right")
    for name in ("alpha nominal [95% CI]", "alpha ordinal (units)", "Fleiss kappa"):
        table.add_column(name, justify="right")
    table.add_column("% agreement", justify="right")
    table.add_column("Gwet AC1", justify="right")
    for s in report.scopes:
        table.add_row(
            s.scope,
            str(s.units),
            str(s.coders),
            _num(s.alpha_nominal) + _ci(s.alpha_nominal_ci),
            f"{_num(s.alpha_ordinal)} ({s.ordinal_units})",
            _num(s.fleiss_kappa),
            _pct(s.percent_agreement),
            _num(s.gwet_ac1) + (" !" if s.dominant else ""),
        )
    return table


def _pairs_table(scope: ScopeFigures) -> Table:
    table = common.table(f"Annotator pairs ({scope.scope})")
    for name in ("annotator", "other"):
        table.add_column(name)
    for name in ("units", "% agreement", "Cohen kappa", "linear kappa (units)", "Gwet AC1"):
        table.add_column(name, justify="right")
    for p in scope.pairs:
        table.add_row(
            p.annotator_a,
            p.annotator_b,
            str(p.units),
            _pct(p.percent_agreement),
            _num(p.cohen_kappa),
            f"{_num(p.cohen_kappa_linear)} ({p.ordinal_units})",
            _num(p.gwet_ac1),
        )
    return table


def _annotators_table(report: AgreementReport) -> Table:
    table = common.table("Annotators")
    table.add_column("annotator")
    for name in ("articles done", "units", "agrees with others", "mean Cohen kappa"):
        table.add_column(name, justify="right")
    for a in report.per_annotator:
        table.add_row(
            a.name, str(a.articles_done), str(a.units), _pct(a.agreement), _num(a.mean_kappa)
        )
    return table


def _confusion_tables(report: AgreementReport) -> list[Table]:
    tables = []
    for p in report.overall.pairs:
        table = common.table(f"{p.annotator_a} (rows) x {p.annotator_b} (columns)")
        table.add_column("")
        for c in report.categories:
            table.add_column(c, justify="right")
        for c, row in zip(report.categories, p.confusion, strict=True):
            table.add_row(c, *(str(n) for n in row))
        tables.append(table)
    return tables


def _disagreements_table(report: AgreementReport, limit: int) -> Table:
    shown = report.disagreements[:limit] if limit else report.disagreements
    table = common.table(f"Disagreements ({len(report.disagreements)}, showing {len(shown)})")
    for name in ("article", "actor", "target", *report.annotators):
        table.add_column(name, overflow="fold")
    for d in shown:
        labels = [d.labels.get(name, "") for name in report.annotators]
        table.add_row(d.external_id or str(d.article_id), d.actor, d.target, *labels)
    return table


def print_report(report: AgreementReport, out: Console, *, limit: int, confusion: bool) -> None:
    coders = ", ".join(report.annotators) or "none"
    out.print(
        f"Annotators: {coders}. Units: (article, actor, target) coded by at least two "
        f"annotators who marked the article done. CI: {report.bootstrap} bootstrap "
        f"resamples of units (seed {report.seed})."
    )
    out.print(_scopes_table(report))
    for note in report.notes:
        out.print(f"note: {note}")
    for s in report.scopes:
        for note in s.notes:
            out.print(f"note ({s.scope}): {note}")
    if report.overall.pairs:
        out.print(_pairs_table(report.overall))
    out.print(_annotators_table(report))
    if confusion:
        for table in _confusion_tables(report):
            out.print(table)
    if report.disagreements:
        out.print(_disagreements_table(report, limit))


def write_csv(report: AgreementReport, fh: IO[str]) -> None:
    rows = report.rows()
    writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: "" if v is None else v for k, v in r.items()} for r in rows)


def agreement_cmd(
    ctx: typer.Context,
    target: list[str] = typer.Option(
        None, "--target", "-t", help="Only this target (repeat for several). Default: all."
    ),
    annotators: list[str] = typer.Option(
        None,
        "--annotator",
        "-a",
        help="Only this annotator (repeat, or give a comma list). Default: all who marked an "
        "article done.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the whole report as JSON."),
    csv_out: str = typer.Option(
        None, "--csv", help="Write the figures as CSV to this file ('-' = standard output)."
    ),
    bootstrap: int = typer.Option(
        1000,
        "--bootstrap",
        help=f"Bootstrap resamples for the alpha CI (0 = no CI; at most {MAX_RESAMPLES:,}).",
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed of the bootstrap (0 or more)."),
    limit: int = typer.Option(
        20, "--disagreements", "-n", help="Show at most N disagreements (0 = all)."
    ),
    confusion: bool = typer.Option(
        False, "--confusion", help="Also print a confusion matrix for every annotator pair."
    ),
    against_gold: bool = typer.Option(
        False,
        "--against-gold",
        help="Each annotator against the curated gold standard instead: accuracy, Cohen's "
        "kappa, confusion matrix (curated articles they marked done).",
    ),
    without_suggestions: bool = typer.Option(
        False,
        "--without-suggestions",
        help="Only units no coder labelled by accepting a "
        "stance suggestion: the coders' agreement, not the assistant's.",
    ),  # fmt: skip
) -> None:
    """How reliably stances are coded: alpha, kappa, agreement, disagreements."""
    from annotator.agreement import agreement_report

    if as_json and csv_out == "-":
        raise InputError("--json and --csv - both write to standard output; choose one")
    if bootstrap < 0:
        raise InputError("--bootstrap must be 0 or more")
    if bootstrap > MAX_RESAMPLES:
        raise InputError(f"--bootstrap must be at most {MAX_RESAMPLES:,}, not {bootstrap:,}")
    if seed < 0:
        raise InputError(f"--seed must be 0 or more, not {seed:,}")  # numpy takes no other
    names = [n.strip() for item in annotators or () for n in item.split(",") if n.strip()] or None
    state = common.state(ctx)
    codebook = state.load_codebook()
    if against_gold:
        if csv_out:
            raise InputError("--csv is not available with --against-gold; use --json")
        _against_gold(state, codebook, target or None, names, as_json=as_json, confusion=confusion)
        return
    with state.open() as project:
        report = agreement_report(
            project, codebook, targets=target or None, annotators=names,
            bootstrap=bootstrap, seed=seed, without_suggestions=without_suggestions,
        )  # fmt: skip
        protect = [project.path] if project.path is not None else []
    if csv_out == "-":
        write_csv(report, sys.stdout)
        return
    if csv_out:
        with pending_file(csv_out, protect=protect) as pending:
            try:
                with pending.path.open("w", encoding="utf-8", newline="") as fh:
                    write_csv(report, fh)
            except OSError as exc:
                raise OutputError(f"cannot write {csv_out}: {exc.strerror}") from None
            pending.commit()
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    out = common.console(140)
    print_report(report, out, limit=limit, confusion=confusion)
    if csv_out:
        typer.echo(f"figures written to {csv_out}", err=True)


def _against_gold(
    state: common.State,
    codebook: Codebook,
    targets: list[str] | None,
    names: list[str] | None,
    *,
    as_json: bool,
    confusion: bool,
) -> None:
    from annotator.agreement import gold_report

    with state.open() as project:
        report = gold_report(project, codebook, targets=targets, annotators=names)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    out = common.console(140)
    out.print(
        f"Against the gold standard: {report.curated_articles} curated article(s), "
        f"{report.units} unit(s). Each annotator on the curated articles they marked done."
    )
    table = common.table("Annotators against gold")
    table.add_column("annotator")
    for name in ("articles", "units", "accuracy", "Cohen kappa"):
        table.add_column(name, justify="right")
    for a in report.annotators:
        table.add_row(a.name, str(a.articles), str(a.units), _pct(a.accuracy), _num(a.cohen_kappa))
    out.print(table)
    for note in report.notes:
        out.print(f"note: {note}")
    if confusion:
        for a in report.annotators:
            matrix = common.table(f"{a.name} (rows) x gold (columns)")
            matrix.add_column("")
            for c in report.categories:
                matrix.add_column(c, justify="right")
            for c, row in zip(report.categories, a.confusion, strict=True):
                matrix.add_row(c, *(str(n) for n in row))
            out.print(matrix)


def merge_cmd(
    ctx: typer.Context,
    others: list[Path] = typer.Argument(
        ..., help="Other annotators' project files (opened read-only, never changed)."
    ),
    rename: list[str] = typer.Option(
        None,
        "--rename",
        help="NAME=NEW: the files' annotator NAME gets the name NEW here (repeatable); for "
        "two people who chose the same name.",
    ),
    whole_project: bool = typer.Option(
        False,
        "--whole-project",
        help="Merge projects you trust whole: every annotator, the gold standard and the "
        "curation states (without it each file must be one coder's work: a package).",
    ),
) -> None:
    """Merge coders' project files (packages) into this project: each file's one annotator
    keeps her labels, done marks and what she cleared; nothing else is taken."""
    from annotator.store.merge import merge_projects

    renames = {}
    for item in rename or ():
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise InputError(f"--rename {item!r}: write it as NAME=NEW")
        renames[old.strip()] = new.strip()
    state = common.state(ctx)
    codebook = state.load_codebook()
    with state.open(create=True) as project, common.progress_bar("Merging") as tick:
        report = merge_projects(project, others, codebook=codebook, renames=renames,
                                whole_project=whole_project, progress=tick)  # fmt: skip
        where = project.db
    for line in report.summary().splitlines():
        typer.echo(line)
    for f in report.files:
        if f.text_conflicts:
            typer.echo(
                f"warning: {f.path}: {len(f.text_conflicts)} article(s) have the same id as "
                "one in the project but another text and were not merged",
                err=True,
            )
    typer.echo(f"merged {len(report.files)} file(s) into {where}")
