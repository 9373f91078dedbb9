"""Labelled `documents` records: checked before the import writes, stored with the article."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from annotator.codebook import load_codebook
from annotator.errors import InputError
from annotator.ingest.labelled import check_labelled, write_labelled
from annotator.ingest.readers import ArticleRecord, parse_jsonl_line
from annotator.store.engine import open_project
from annotator.store.label_reads import labels_for_article
from annotator.store.models import Actor, Annotator, Article, ArticleDone, Mention

TEXT = "😀 Boris Pistorius fordert höhere Verteidigungsausgaben. Über den Nato-Beitritt schwieg er."
CODEBOOK = load_codebook()


def at(needle: str) -> dict[str, Any]:
    start = TEXT.index(needle)
    return {"start": start, "end": start + len(needle), "text": needle}


def good() -> dict[str, Any]:
    return {
        "text": TEXT,
        "meta": {"id": "a1", "title": "Pistorius", "source": None, "date": None, "url": None},
        "spans": [
            {**at("Boris Pistorius"), "label": "PER", "actor": "Boris Pistorius"},
            {**at("Nato"), "label": "ORG", "actor": "Nato", "source": "lexicon"},
        ],
        "stances": [
            {
                "actor": "Boris Pistorius",
                "target": "defence_spending",
                "stance": "favor",
                "evidence": [at("fordert höhere Verteidigungsausgaben")],
                "annotator": "anna",
                "note": None,
            },
            {
                "actor": "Boris Pistorius",
                "target": "nato_membership",
                "stance": None,
                "evidence": [],
                "annotator": "ben",
                "note": "unklar",
            },
            {
                "actor": "Olaf Scholz",
                "target": "ground_troops",
                "stance": "against",
                "evidence": [],
                "annotator": "anna",
                "note": None,
            },
        ],
        "done_by": ["anna", "carla"],
    }


def record(obj: dict[str, Any], line: int = 7) -> ArticleRecord:
    rec = parse_jsonl_line(json.dumps(obj, ensure_ascii=False), Path("in.jsonl"), line)
    assert rec is not None and rec.labelled is not None
    return rec


def test_a_good_record_passes() -> None:
    check_labelled(record(good()), CODEBOOK)


def broken(path: str, value: Any) -> dict[str, Any]:
    obj = copy.deepcopy(good())
    keys = path.split(".")
    target: Any = obj
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last = keys[-1]
    if last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return obj


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("spans.0.end", len(TEXT) + 5, "span 2-.* lies outside the text"),
        ("spans.0.start", -1, "lies outside the text"),
        ("spans.0.start", "2", "whole-number"),
        ("spans.0.label", "PERSON", "label 'PERSON'"),
        ("spans.0.text", "Boris", "says 'Boris' but the text there is 'Boris Pistorius'"),
        ("spans.1.source", "guess", "source 'guess'"),
        ("spans.1", {**at("Boris Pistorius"), "label": "PER"}, "span 2-17 is given twice"),
        ("spans", {"start": 0}, "'spans' must be a list"),
        ("stances.0.target", "nato", "target 'nato', which the codebook does not know"),
        ("stances.0.stance", "pro", "stance 'pro'"),
        ("stances.0.annotator", "", "needs an 'annotator'"),
        ("stances.0.actor", None, "needs an 'actor'"),
        ("stances.0.evidence", [{"start": 5, "end": 500}], "evidence 5-500 lies outside"),
        ("stances.0.evidence", "all", "'evidence' must be a list"),
        ("stances.2.target", "defence_spending", "anna labelled .* twice"),
        ("stances.1.note", 3, "'note' must be a text"),
        ("done_by", ["anna", ""], "'done_by' must list annotator names"),
    ],
)
def test_bad_records_name_file_and_line(path: str, value: Any, message: str) -> None:
    obj = broken(path, value)
    if path == "stances.2.target":
        obj["stances"][2]["actor"] = "Boris Pistorius"
    with pytest.raises(InputError, match=message) as info:
        check_labelled(record(obj), CODEBOOK)
    assert info.value.path == "in.jsonl" and info.value.line == 7


def test_utf16_offsets_are_caught() -> None:
    # Another tool counting UTF-16 units puts every offset after the emoji one too far.
    obj = good()
    for sp in obj["spans"]:
        sp["start"] += 1
        sp["end"] += 1
    with pytest.raises(InputError, match="not bytes or UTF-16 units"):
        check_labelled(record(obj), CODEBOOK)


def test_write_labelled_stores_mentions_labels_and_done(tmp_path: Path) -> None:
    from annotator.ingest import highlighting

    project = open_project(str(tmp_path / "p.db"))
    rec = record(good())
    check_labelled(rec, CODEBOOK)
    with project.write() as s:
        article = Article(external_id="a1", title="t", text=TEXT, text_sha256=rec.sha256)
        s.add(article)
        s.flush()
        write_labelled(s, highlighting.ActorResolver(s), article.id, rec)
    aid = article.id
    with project.session() as s:
        mentions = s.exec(select(Mention).order_by(Mention.start)).all()
        assert [(TEXT[m.start : m.end], m.label, m.source) for m in mentions] == [
            ("Boris Pistorius", "PER", "manual"),
            ("Nato", "ORG", "lexicon"),
        ]
        scholz = s.exec(select(Actor).where(Actor.name == "Olaf Scholz")).one()
        assert (scholz.label, scholz.origin) == ("MISC", "import")
        names = set(s.exec(select(Annotator.name)).all())
        assert names == {"anna", "ben", "carla"}
        done = s.exec(select(ArticleDone.annotator_id)).all()
        assert len(done) == 2
    labels = {(x.actor, x.target, x.annotator): x.state for x in labels_for_article(project, aid)}
    money = labels[("Boris Pistorius", "defence_spending", "anna")]
    ev = at("fordert höhere Verteidigungsausgaben")
    assert money.stance == "favor" and money.evidence == ((ev["start"], ev["end"]),)
    assert labels[("Boris Pistorius", "nato_membership", "ben")].note == "unklar"
    assert labels[("Olaf Scholz", "ground_troops", "anna")].stance == "against"
    project.close()
