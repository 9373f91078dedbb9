"""A project moves to the server (`server push`) and back (export documents, import) intact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from annotator.cli.app import main
from annotator.store.actors import add_manual_mention
from annotator.store.engine import Project, open_project
from annotator.store.models import (
    Actor,
    Annotator,
    Article,
    ArticleDone,
    Evidence,
    LabelEvent,
    Mention,
    StanceAnnotation,
    text_hash,
)
from tests.agreement.builders import article_id, label, label_anna, label_ben, new_project
from tests.conftest import add_article

pytestmark = pytest.mark.postgres
EMOJI_TEXT = "😀 Pistorius: „Wir brauchen mehr Geld für die Bundeswehr.“ Masala nickt."


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    try:
        main(list(argv))
    except SystemExit as exc:
        assert not exc.code, capsys.readouterr().err
    return capsys.readouterr().out


def make_file(path: Path) -> Path:
    """Two annotators' labels with evidence, notes and done marks; metadata, an emoji, a
    hand-marked mention."""
    project = new_project(path)
    label_anna(project)
    label_ben(project)
    with project.write() as s:
        s.add(
            Article(
                external_id="a4", title="Mit Meta", text=EMOJI_TEXT, source="dpa",
                date="2024-05-01", url="https://example.org/a4", meta={"ressort": "Politik"},
                text_sha256=text_hash(EMOJI_TEXT),
            )
        )  # fmt: skip
    start = EMOJI_TEXT.index("Masala")
    add_manual_mention(
        project, article_id(project, "a4"), start, start + 6, actor_name="Carlo Masala"
    )
    label(project, "anna", "a4", "Boris Pistorius", "defence_spending", "favor",
          evidence="Wir brauchen mehr Geld", note="Zitat 😀")  # fmt: skip
    add_article(project, "a5", "Ein Artikel ohne Labels.")
    project.close()
    return path


def snapshot(project: Project) -> dict[str, Any]:
    """Everything a user made, keyed by names and external ids (ids differ per database)."""
    with project.session() as s:
        ext = dict(s.exec(select(Article.id, Article.external_id)).all())
        actor = dict(s.exec(select(Actor.id, Actor.name)).all())
        who = dict(s.exec(select(Annotator.id, Annotator.name)).all())
        articles = {
            a.external_id: (a.title, a.text, a.source, a.date, a.url, a.meta)
            for a in s.exec(select(Article)).all()
        }
        mentions = sorted(
            (ext[m.article_id], m.start, m.end, m.label, actor.get(m.actor_id), m.source)
            for m in s.exec(select(Mention)).all()
        )
        spans: dict[int, list] = {}
        for e in s.exec(select(Evidence)).all():
            spans.setdefault(e.annotation_id, []).append((e.start, e.end))
        labels = sorted(
            (ext[r.article_id], actor[r.actor_id], r.target, who[r.annotator_id], r.stance,
             r.note, tuple(sorted(spans.get(r.id, ()))))
            for r in s.exec(select(StanceAnnotation)).all()
        )  # fmt: skip
        done = sorted(
            (ext[d.article_id], who[d.annotator_id]) for d in s.exec(select(ArticleDone)).all()
        )
    return {"articles": articles, "mentions": mentions, "labels": labels, "done": done}


def counts(project: Project) -> dict[str, int]:
    tables = (Article, Actor, Mention, Annotator, StanceAnnotation, Evidence, ArticleDone,
              LabelEvent)  # fmt: skip
    with project.session() as s:
        return {t.__name__: s.exec(select(func.count()).select_from(t)).one() for t in tables}


def test_push_then_export_and_import_back_loses_nothing(pg, tmp_path, capsys) -> None:
    source = make_file(tmp_path / "project.db")
    out = run(capsys, "server", "push", str(source), "--db", pg.url())
    assert "5 article(s) added" in out and "pushed 1 file(s)" in out
    assert "test-password" not in out  # the URL is shown without its password
    with open_project(str(source)) as original:
        expected = snapshot(original)
    assert len(expected["labels"]) == 10 and expected["done"] and expected["mentions"]
    with open_project(pg.url()) as server:
        assert snapshot(server) == expected
        first = counts(server)

    again = run(capsys, "server", "push", str(source), "--db", pg.url())
    assert "nothing new" in again
    with open_project(pg.url()) as server:
        assert counts(server) == first

    exported = tmp_path / "documents.jsonl"
    run(capsys, "--db", pg.url(), "export", "--format", "documents", "-o", str(exported))
    back = tmp_path / "back.db"
    run(capsys, "--db", str(back), "import", str(exported))
    with open_project(str(back)) as copy:
        assert snapshot(copy) == expected


def test_push_needs_a_server_and_a_project_file(tmp_path, pg, capsys) -> None:
    source = make_file(tmp_path / "project.db")
    with pytest.raises(SystemExit) as exc:
        main(["server", "push", str(source), "--db", str(tmp_path / "other.db")])
    assert exc.value.code != 0
    assert "push needs a database server" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["server", "push", str(tmp_path / "missing.db"), "--db", pg.url()])
    assert "no such file" in capsys.readouterr().err
