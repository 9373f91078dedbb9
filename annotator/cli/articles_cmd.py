"""Commands about articles: import, articles, entities, eval-entities, eval-boilerplate,
info."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from annotator import __version__
from annotator.cli import common

# The store (SQLAlchemy) loads when a command runs, not for `annotator --help`.
if TYPE_CHECKING:
    from sqlmodel import Session


def register(app: typer.Typer) -> None:
    app.command("import")(import_cmd)
    app.command("articles")(articles_cmd)
    app.command("entities")(entities_cmd)
    app.command("eval-entities")(eval_entities_cmd)
    app.command("eval-boilerplate")(eval_boilerplate_cmd)
    app.command("info")(info_cmd)
    app.command("rehighlight")(rehighlight_cmd)


def import_cmd(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(
        ..., help=".txt or .html files, folders of them, or .jsonl files."
    ),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Import the valid articles and report the rest."
    ),
    encoding: str = typer.Option(
        None, "--encoding", help="Text encoding of the files (default UTF-8), e.g. windows-1252."
    ),
    model: str = typer.Option(None, "--model", help=common.MODEL_HELP),
    no_model: bool = typer.Option(False, "--no-model", help=common.NO_MODEL_HELP),
    allow_dates: bool = typer.Option(
        False,
        "--allow-dates",
        help="Take dates before 1900 or more than a year ahead (refused as likely mistakes).",
    ),
) -> None:
    """Import articles; the actors in them are highlighted once, here."""
    from annotator.ingest.importer import import_paths

    state = common.state(ctx)
    text_encoding = common.encoding_option(encoding)  # before the project is made or opened
    with (
        state.open(create=True) as project,
        common.progress_bar("Importing") as tick,
        common.batch_job(),
    ):
        report = import_paths(
            project,
            paths,
            skip_invalid=skip_invalid,
            encoding=text_encoding,
            model=common.model_option(model, no_model),
            progress=tick,
            codebook=state.load_codebook(),
            allow_dates=allow_dates,
        )
    for reason in report.skipped:
        typer.echo(f"skipped: {reason}", err=True)  # one line each, never wrapped
    typer.echo(report.summary())


def articles_cmd(
    ctx: typer.Context,
    search: str = typer.Option("", "--search", "-s", help="Only titles/ids containing this."),
    limit: int = typer.Option(50, "--limit", "-n", help="Show at most this many (0 = all)."),
    curation: str = typer.Option(
        None,
        "--curation",
        help="Only articles waiting (fewer annotators done than needed), ready (for "
        "curation), in_curation or curated.",
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per article and line."),
) -> None:
    """List the articles with mention and label counts, who has done them and where their
    curation stands (tab-separated)."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from annotator.curation.states import annotator_states, article_states
    from annotator.store.articles import article_rows, count_articles
    from annotator.store.label_reads import LabelFilter, count_labels_by
    from annotator.store.models import Mention

    with common.state(ctx).open() as project:
        total = count_articles(project, search=search, curation=curation)
        rows = article_rows(project, None, 0, limit or total, search=search, curation=curation)
        ids = [r.id for r in rows]
        states = article_states(project, ids)
        who = annotator_states(project, ids)
        with project.session() as s:
            mentions = dict(
                s.exec(
                    select(Mention.article_id, func.count()).group_by(col(Mention.article_id))
                ).all()
            )
            labels = count_labels_by(s, LabelFilter(with_stance=True), "article")
    if as_json:
        for r in rows:
            state = states[r.id]
            line = {
                "id": r.external_id,
                "date": r.date,
                "source": r.source,
                "mentions": mentions.get(r.id, 0),
                "labels": labels.get(r.id, 0),
                "done": state.done,
                "curation": state.state,
                "annotators": who.get(r.id, {}),
                "title": r.title,
            }
            typer.echo(json.dumps(line, ensure_ascii=False))
        return
    header = ("id", "date", "source", "mentions", "labels", "done", "curation", "annotators")
    typer.echo("\t".join((*header, "title")))
    for r in rows:
        state = states[r.id]
        title = r.title if len(r.title) <= 70 else r.title[:69] + "…"
        cells = (r.external_id, r.date or "-", r.source or "-", mentions.get(r.id, 0))
        progress = f"{state.done}/{state.required}"
        badge = "-" if state.state == "waiting" else state.badge
        people = ", ".join(
            f"{name} {'✓' if status == 'done' else '…'}"
            for name, status in sorted(who.get(r.id, {}).items())
        )
        row = (*cells, labels.get(r.id, 0), progress, badge, _one_line(people) or "-")
        typer.echo("\t".join(map(str, (*row, _one_line(title)))))
    typer.echo(f"{total} article(s)" + (f", {len(rows)} shown" if len(rows) < total else ""))


def _one_line(value: str) -> str:
    # A tab or line break inside a title would shift or split the row.
    return " ".join(value.split())


def entities_cmd(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="One JSON object per article and line."),
    article: str = typer.Option(None, "--article", help="Only this article id."),
) -> None:
    """Show the highlighted entity mentions of every article."""
    from annotator.store.articles import article_rows, count_articles, load_article

    with common.state(ctx).open() as project:
        rows = article_rows(project, None, 0, count_articles(project))
        for r in rows:
            if article and r.external_id != article:
                continue
            view = load_article(project, r.id)
            text = view.text
            spans: list[dict[str, Any]] = [
                {"start": m.start, "end": m.end, "label": m.label, "actor": m.actor}
                for m in view.mentions
            ]
            if as_json:
                line = {"id": r.external_id, "text": text, "spans": spans}
                typer.echo(json.dumps(line, ensure_ascii=False))
            else:
                typer.echo(f"# {r.external_id}: {r.title}")
                for sp in spans:
                    surface = text[sp["start"] : sp["end"]]
                    typer.echo(f"  {sp['label']:<4} {surface!r:<40} -> {sp['actor'] or '?'}")


def eval_entities_cmd(
    gold: Path = typer.Argument(
        ..., help='JSONL lines {"text":..., "entities":[{start,end,label}]}'
    ),
    model: str = typer.Option(None, "--model", help=common.MODEL_HELP),
    no_model: bool = typer.Option(False, "--no-model", help=common.NO_MODEL_HELP),
    subtypes: str = typer.Option(
        "drop",
        "--subtypes",
        help="GermEval subtypes (LOCderiv, ORGpart): drop (a prediction there is spurious), "
        "map (to the base label) or ignore (not scored).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Precision, recall and F1 of the highlighter (lexicon, rules, model) on a gold file."""
    from annotator.nlp.evaluate import evaluate_entities
    from annotator.nlp.pipeline import load_highlighter

    highlighter = load_highlighter(model=common.model_option(model, no_model))
    report = evaluate_entities(gold, highlighter, subtypes=subtypes)
    typer.echo(json.dumps(report.as_dict(), indent=2) if as_json else report.format())


def eval_boilerplate_cmd(
    gold: Path = typer.Argument(
        ...,
        help='JSONL lines {"id", "title", "source", "date", "boilerplate": '
        '[{start, end, kind}]}, with "text" or a file <id>.txt in --texts.',
    ),
    texts: Path = typer.Option(
        None, "--texts", help="Folder of the <id>.txt files (default: the shipped seeds)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Precision and recall of boilerplate detection; headlines, sources, dates found."""
    from annotator.files import check_input
    from annotator.ingest.boilerplate_eval import evaluate_boilerplate
    from annotator.paths import seeds_dir

    report = evaluate_boilerplate(check_input(gold), texts or seeds_dir())
    typer.echo(json.dumps(report.as_dict(), indent=2) if as_json else report.format())


def _actors_in_articles(s: Session) -> int:
    """Distinct actors with a mention or a label in the project's articles."""
    from sqlalchemy import func, union
    from sqlmodel import col, select

    from annotator.store.label_reads import labelled_actors
    from annotator.store.models import Mention

    used = union(
        select(Mention.actor_id).where(col(Mention.actor_id).is_not(None)), labelled_actors()
    ).subquery()
    return int(s.exec(select(func.count()).select_from(used)).one())


def info_cmd(ctx: typer.Context) -> None:
    """Where the project is, what it holds, and which codebook is used."""
    from sqlalchemy import func
    from sqlmodel import select

    from annotator.store.annotators import GOLD_KIND
    from annotator.store.articles import count_articles
    from annotator.store.label_reads import GOLD, LabelFilter, count_labels
    from annotator.store.models import Actor, Annotator, Mention

    state = common.state(ctx)
    codebook = state.load_codebook()
    with state.open() as project:
        with project.session() as s:
            n_known = s.exec(select(func.count()).select_from(Actor)).one()
            n_used = _actors_in_articles(s)
            n_mentions = s.exec(select(func.count()).select_from(Mention)).one()
            n_labels = count_labels(s, LabelFilter(with_stance=True))
            annotators = s.exec(
                select(Annotator.name).where(Annotator.kind != GOLD_KIND).order_by(Annotator.name)
            ).all()
            n_gold = count_labels(s, LabelFilter(who=GOLD, with_stance=True))
        typer.echo(f"stance-annotator {__version__}")
        typer.echo(f"project:    {project.db}")
        typer.echo(f"articles:   {count_articles(project)}")
        typer.echo(f"mentions:   {n_mentions}")
        # The actor table holds the whole lexicon; what matters is who the articles name.
        typer.echo(f"actors:     {n_used} in the articles ({n_known} known: lexicon and added)")
        typer.echo(f"labels:     {n_labels}")
        typer.echo(f"annotators: {', '.join(annotators) or '-'}")
        if n_gold:
            typer.echo(f"gold:       {n_gold} curated label(s)")
    typer.echo(f"codebook:   {codebook.name} ({codebook.path})")
    typer.echo("targets:    " + ", ".join(f"{t.id} ({t.label_en})" for t in codebook.targets))
    typer.echo("stances:    " + " < ".join(s.id for s in codebook.stances))


def rehighlight_cmd(
    ctx: typer.Context,
    model: str = typer.Option(None, "--model", help=common.MODEL_HELP),
    no_model: bool = typer.Option(False, "--no-model", help=common.NO_MODEL_HELP),
) -> None:
    """Highlight every article again (after a new model or lexicon): automatic mentions are
    replaced; hand-marked mentions, actors and all labels are kept."""
    from annotator.ingest.highlighting import rehighlight

    with common.state(ctx).open() as project, common.progress_bar("Re-highlighting") as tick:
        report = rehighlight(project, model=common.model_option(model, no_model), progress=tick)
    typer.echo(f"{report.articles} article(s) re-highlighted, {report.mentions} mention(s)")
