"""`annotator suggest` (stance suggestions: compute and store, list, switch on and off,
what annotators did with them) and `annotator train-stance` (learn a model from the
project). Thin wrappers over annotator.suggest; docs/suggestions.md says how they work."""

from __future__ import annotations

import json

import typer

from annotator.cli import common
from annotator.errors import InputError


def register(app: typer.Typer) -> None:
    app.command("suggest")(suggest_cmd)
    app.command("train-stance")(train_cmd)


def suggest_cmd(
    ctx: typer.Context,
    articles: list[str] = typer.Option(
        None,
        "--article",
        help="Only this article id (repeatable). Default: every article not curated.",
    ),  # fmt: skip
    as_json: bool = typer.Option(
        False, "--json", help="One JSON object per suggestion and line (not a label)."
    ),
    annotator: str = typer.Option(
        None, "--annotator", help="With this annotator's own model (her suggestions only)."
    ),
    enable: bool = typer.Option(
        None,
        "--on/--off",
        help="Switch suggestions on or off for the project (an agreement study codes "
        "without); on a team server only the owner (server init's URL) may.",
    ),  # fmt: skip
    overlap: bool = typer.Option(
        None,
        "--on-overlap/--not-on-overlap",
        help="Show them on articles planned for several coders too, or not; on a team "
        "server only the owner may.",
    ),  # fmt: skip
    stats: bool = typer.Option(
        False, "--stats", help="Per annotator: labels from accepted suggestions, acceptance rate."
    ),
    uncertain: bool = typer.Option(
        False,
        "--uncertain-first",
        help="Reorder every coder's unfinished articles: those "
        "the model is least sure about first (active learning; default: the plan's order; "
        "a lead's).",
    ),  # fmt: skip
) -> None:
    """Compute and store stance suggestions (rules, and the newest usable model), on a team
    server the lead's (or the owner's) part: where none are stored, the window works out the
    rules' suggestions itself for the session. They are never labels until an annotator
    accepts one in the window."""
    from annotator.server.suggestions import compute_refusal, switch_refusal
    from annotator.store import suggestions as stored

    state = common.state(ctx)
    codebook = state.load_codebook()
    with state.open() as project:
        if enable is not None or overlap is not None:
            _refuse(switch_refusal(project))
            now = stored.settings(project)
            stored.save_settings(project, stored.SuggestionSettings(
                now.enabled if enable is None else enable,
                now.on_overlap if overlap is None else overlap))  # fmt: skip
            chosen = stored.settings(project)
            typer.echo(f"suggestions {'on' if chosen.enabled else 'off'}; on articles planned "
                       f"for several coders: {'yes' if chosen.on_overlap else 'no'}")  # fmt: skip
            return
        if stats:
            _print_stats(project, as_json)
            return
        if uncertain:
            from annotator.suggest.service import uncertain_first

            _refuse(compute_refusal(
                project, "ordering the coders' queues by the model",
                "ask a lead to run `annotator suggest --uncertain-first` (until then the "
                "queues keep the plan's order)"))  # fmt: skip
            for name, moved in uncertain_first(project, codebook).items():
                typer.echo(f"{name}: {moved} unfinished article(s) moved, least sure first")
            return
        _refuse(compute_refusal(
            project, "computing and storing stance suggestions",
            "ask a lead to run `annotator suggest`; until then the window works out the "
            "rules' suggestions itself on each article you open that has none stored (kept "
            "for your session)"))  # fmt: skip
        _suggest(project, codebook, articles, annotator, as_json)


def _refuse(problem: Exception | None) -> None:
    # Before the work: the database's own refusal would not say whose part it is.
    if problem is not None:
        raise problem


def _suggest(project, codebook, articles, annotator, as_json) -> None:  # noqa: ANN001
    from annotator.store.actors import actor_names
    from annotator.store.annotators import annotator_names
    from annotator.store.articles import article_id_by_external, load_article
    from annotator.suggest.service import compute

    ids = None
    if articles:
        ids = []
        for ext in articles:
            found = article_id_by_external(project, ext)
            if found is None:
                raise InputError(f"the project has no article {ext!r}")
            ids.append(found)
    owner = None
    if annotator:
        names = {n: i for i, n in annotator_names(project).items()}
        if annotator not in names:
            raise InputError(f"the project has no annotator {annotator!r}")
        owner = names[annotator]
    with common.progress_bar("Suggesting") as tick:
        report = compute(project, codebook, ids, annotator_id=owner, keep=as_json,
                         progress=tick)  # fmt: skip
    if not as_json:
        typer.echo(report.summary())
        return
    with project.engine.connect() as conn:
        actors = actor_names(conn)
    texts: dict[int, tuple[str, str]] = {}
    for s in report.made or []:
        if s.article_id not in texts:
            view = load_article(project, s.article_id)
            texts[s.article_id] = (view.external_id, view.text)
        ext, text = texts[s.article_id]
        typer.echo(json.dumps({
            "article": ext, "actor": actors.get(s.actor_id, str(s.actor_id)),
            "target": s.target, "stance": s.stance, "confidence": s.confidence,
            "evidence": [{"start": a, "end": b, "text": text[a:b]} for a, b in s.evidence],
            "source": s.source,
        }, ensure_ascii=False))  # fmt: skip


def _print_stats(project, as_json: bool) -> None:  # noqa: ANN001
    from annotator.store.suggestions import suggestion_use

    rows = suggestion_use(project)
    if as_json:
        for u in rows:
            typer.echo(json.dumps({"annotator": u.annotator, "accepted": u.accepted,
                                   "rejected": u.rejected, "rate": u.rate,
                                   "labels_from_suggestions": u.labels_from_suggestions},
                                  ensure_ascii=False))  # fmt: skip
        return
    typer.echo("annotator\taccepted\trejected\tacceptance\tlabels from suggestions")
    for u in rows:
        rate = "-" if u.rate is None else f"{u.rate:.0%}"
        typer.echo(f"{u.annotator}\t{u.accepted}\t{u.rejected}\t{rate}\t"
                   f"{u.labels_from_suggestions}")  # fmt: skip
    if not rows:
        typer.echo("nobody has accepted or rejected a suggestion yet")


def train_cmd(
    ctx: typer.Context,
    source: str = typer.Option(
        "gold",
        "--from",
        help="gold (the curated gold standard) or an annotator's name (her "
        "own labels: her suggestions only).",
    ),  # fmt: skip
    as_json: bool = typer.Option(False, "--json", help="The figures as JSON."),
) -> None:
    """Learn a stance model from the project, check it by cross-validation and store it as
    the next version; used for suggestions only above the quality threshold. On a team
    server a lead's (or the owner's) part."""
    from dataclasses import asdict

    from annotator.server.suggestions import compute_refusal
    from annotator.suggest.training import train_stance

    state = common.state(ctx)
    codebook = state.load_codebook()
    with state.open() as project:
        _refuse(compute_refusal(
            project, "training and storing a stance model",
            f"ask a lead to run `annotator train-stance --from {source}` (and, for a model "
            f"of your own labels, `annotator suggest --annotator {source}`, whose suggestions "
            "you alone see)"))  # fmt: skip
        with common.progress_bar("Training and checking") as tick:
            report = train_stance(project, codebook, source, progress=tick)
    if as_json:
        typer.echo(json.dumps({"version": report.version, "from": report.trained_from,
                               "labelled": report.labelled, "none": report.none,
                               **asdict(report.quality)}))  # fmt: skip
        return
    for line in report.lines():
        typer.echo(line)
