"""`annotator curate` (pre-merge the annotators' labels into the gold standard) and
`annotator curation status|set-coders`. Thin wrappers over annotator.curation; what the
strategies do is in docs/curation.md."""

from __future__ import annotations

import json

import typer

from annotator.cli import common
from annotator.errors import InputError

curation_app = typer.Typer(
    name="curation",
    help="The gold standard: where curation stands, and its settings.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    app.command("curate")(curate_cmd)
    app.add_typer(curation_app)


def _curator(name: str | None) -> str:
    """Who curates, checked; created in the project only when something is pre-merged."""
    from annotator.settings import load_settings
    from annotator.store.annotators import check_person_name

    name = name or load_settings().annotator
    if not name:
        raise InputError("say who curates: --curator NAME (recorded with every gold label)")
    return check_person_name(name)


def curate_cmd(
    ctx: typer.Context,
    strategy: str = typer.Option(
        ..., "--strategy", help="complete | incomplete | threshold (docs/curation.md)."
    ),
    min_votes: int = typer.Option(
        2, "--min-votes", help="threshold: at least this many annotators give the winning value."
    ),
    confidence: float = typer.Option(
        0.75, "--confidence", help="threshold: the winning value's least share of the votes."
    ),
    articles: list[str] = typer.Option(
        None, "--article", help="Only this article id (repeatable). Default: every ready article."
    ),
    curator: str = typer.Option(
        None, "--curator", help="Who runs the pre-merge (default: your annotator name)."
    ),
    discard: bool = typer.Option(
        False,
        "--discard-decisions",
        help="Replace the curator's decisions too (cannot be undone; needs --yes).",
    ),
    yes: bool = typer.Option(False, "--yes", help="Confirm --discard-decisions."),
    finish: bool = typer.Option(
        False,
        "--finish",
        help="Then mark curated every article whose units are all decided (pre-merged or "
        "decided by a curator).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Pre-merge the annotators' labels into the gold standard where they agree enough."""
    from annotator.curation import apply_strategy, finish_decided
    from annotator.curation.strategies import check_strategy
    from annotator.store.articles import article_id_by_external

    check_strategy(strategy, min_votes=min_votes, confidence=confidence)
    if discard and not yes:
        raise InputError(
            "--discard-decisions replaces the curator's decisions in these articles and cannot "
            "be undone; add --yes to confirm"
        )
    who = _curator(curator)
    state = common.state(ctx)
    codebook = state.load_codebook()
    with state.open() as project:
        common.check_codebook_fits(project, codebook)
        ids = None
        if articles:
            ids = []
            for external in articles:
                found = article_id_by_external(project, external)
                if found is None:
                    raise InputError(f"the project has no article {external!r}")
                ids.append(found)
        with common.progress_bar("Pre-merging") as tick:
            summary = apply_strategy(
                project, strategy, curator=who, article_ids=ids,
                min_votes=min_votes, confidence=confidence, discard_decisions=discard,
                progress=tick,
            )  # fmt: skip
        finished = None
        if finish:
            with common.progress_bar("Finishing") as tick:
                finished = finish_decided(project, curator=who, article_ids=ids, progress=tick)
    if as_json:
        figures = summary.as_dict()
        if finished is not None:
            figures["finish"] = finished.as_dict()
        typer.echo(json.dumps(figures, indent=2))
    else:
        typer.echo(summary.summary())
        if finished is not None:
            typer.echo(finished.summary())


@curation_app.command("status")
def status_cmd(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Articles waiting, ready, in curation and curated; units pre-merged, decided, open."""
    from annotator.curation import curation_status

    with common.state(ctx).open() as project:
        status = curation_status(project)
    for problem in status.problems:  # stderr: stdout stays the figures (and pure JSON)
        typer.echo(f"warning: {problem}", err=True)
    if as_json:
        typer.echo(json.dumps(status.as_dict(), indent=2))
        return
    out = common.console(120)
    n = status.coders_per_article
    table = common.table(f"Curation ({n} annotator(s) done make an article ready)")
    table.add_column("")
    table.add_column("count", justify="right")
    labels = {
        "waiting": f"articles waiting (fewer than {n} done)",
        "ready": "articles ready for curation",
        "in_curation": "articles in curation",
        "curated": "articles curated",
    }
    for state, label in labels.items():
        table.add_row(label, str(status.articles.get(state, 0)))
    table.add_row("units pre-merged (not curated yet)", str(status.units_premerged))
    table.add_row("units decided by a curator (not curated yet)", str(status.units_decided))
    table.add_row("units open (ready or in curation)", str(status.units_open))
    table.add_row("units in curated articles", str(status.units_curated))
    out.print(table)


@curation_app.command("set-coders")
def set_coders_cmd(
    ctx: typer.Context,
    n: int = typer.Argument(..., help="Annotators who must mark an article done (default 2)."),
) -> None:
    """How many annotators must mark an article done before it is ready for curation."""
    from annotator.curation import set_coders_per_article

    with common.state(ctx).open() as project:
        set_coders_per_article(project, n)
    typer.echo(f"an article is ready for curation when {n} annotator(s) marked it done")
