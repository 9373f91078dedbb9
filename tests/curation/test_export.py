"""Exports of the gold standard (--labels gold): curated articles only, one record per unit
with its provenance, schema-valid; and the gold annotator never among the annotators'
labels. Also the gold discourse network."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import DocBin

from annotator.curation import CurationSession
from annotator.errors import AnnotatorError
from annotator.export import ExportOptions, export
from annotator.export.text import export_nlp
from annotator.network.options import LabelSource, NetworkOptions
from annotator.network.statements import read_statements
from tests.agreement.builders import article_id
from tests.curation.conftest import key, person
from tests.export.test_documents import lines, schema

GOLD = ExportOptions(labels="gold")


@pytest.fixture
def curated(labelled, codebook):
    """a1 curated (Pistorius favor by complete agreement, Masala against: ben's version);
    a2 pre-merged and in curation, not curated: its gold is not final, so never exported."""
    cur = CurationSession(labelled, codebook, person(labelled, "lena"))
    cur.premerge(article_id(labelled, "a1"), "complete")
    cur.premerge(article_id(labelled, "a2"), "complete")
    cur.start(article_id(labelled, "a2"))
    cur.accept(key(labelled, "a1", "Carlo Masala", "ground_troops"), person(labelled, "ben"))
    cur.finish(article_id(labelled, "a1"))
    return labelled


def test_stances_of_the_gold_standard(curated, codebook, tmp_path: Path) -> None:
    out = tmp_path / "gold.jsonl"
    report = export(curated, codebook, "stances", out, GOLD)
    records = lines(out)
    validator = schema("stances")
    for record in records:
        validator.validate(record)
    assert report.records == 2
    units = {(r["article_id"], r["actor"], r["target"]): r for r in records}
    assert set(units) == {
        ("a1", "Boris Pistorius", "defence_spending"),
        ("a1", "Carlo Masala", "ground_troops"),
    }
    masala = units[("a1", "Carlo Masala", "ground_troops")]
    assert (masala["label"], masala["annotator"], masala["aggregation"]) == (
        "against",
        None,
        "gold",
    )
    assert masala["id"] == "a1|Carlo Masala|ground_troops"
    assert masala["gold_origin"]["origin"] == "annotator"
    assert (masala["gold_origin"]["annotator"], masala["gold_origin"]["curator"]) == ("ben", "lena")
    assert masala["evidence"][0]["text"] == "Bodentruppen"  # ben's evidence came with it
    pistorius = units[("a1", "Boris Pistorius", "defence_spending")]
    assert pistorius["gold_origin"] | {"at": None} == {
        "origin": "strategy", "annotator": None, "strategy": "complete", "curator": "lena",
        "at": None,
    }  # fmt: skip
    assert pistorius["gold_origin"]["at"].endswith("+00:00")


def test_documents_and_spacy_of_the_gold_standard(curated, codebook, tmp_path: Path) -> None:
    out = tmp_path / "gold-docs.jsonl"
    export(curated, codebook, "documents", out, GOLD)
    (record,) = lines(out)
    schema("documents").validate(record)
    assert record["meta"]["id"] == "a1"
    assert {s["annotator"] for s in record["stances"]} == {"gold"}
    assert {s["gold_origin"]["origin"] for s in record["stances"]} == {"annotator", "strategy"}
    assert record["done_by"] == ["anna", "ben"]
    spacy_out = tmp_path / "gold.spacy"
    export(curated, codebook, "spacy", spacy_out, GOLD)
    (doc,) = DocBin().from_bytes(spacy_out.read_bytes()).get_docs(export_nlp().vocab)
    assert {s["gold_origin"]["origin"] for s in doc.user_data["stances"]} == {
        "annotator", "strategy"}  # fmt: skip


def test_the_annotators_exports_never_hold_gold(curated, codebook, tmp_path: Path) -> None:
    out = tmp_path / "all.jsonl"
    export(curated, codebook, "documents", out)
    for record in lines(out):
        schema("documents").validate(record)
        assert {s["annotator"] for s in record["stances"]} <= {"anna", "ben"}
        assert all("gold_origin" not in s for s in record["stances"])
    majority = tmp_path / "majority.jsonl"
    export(curated, codebook, "stances", majority, ExportOptions(labels="majority"))
    assert all(r["votes"] <= 2 and "gold_origin" not in r for r in lines(majority))
    with pytest.raises(AnnotatorError, match="unknown annotator 'gold'"):
        export(curated, codebook, "stances", tmp_path / "x.jsonl", ExportOptions(annotator="gold"))
    with pytest.raises(AnnotatorError, match="one annotator or the gold standard"):
        export(curated, codebook, "stances", tmp_path / "x.jsonl",
               ExportOptions(labels="gold", annotator="anna"))  # fmt: skip


def test_anonymised_gold_keeps_its_name_and_hides_the_people(curated, codebook, tmp_path) -> None:
    out = tmp_path / "anon.jsonl"
    export(curated, codebook, "documents", out, ExportOptions(labels="gold", anonymise=True))
    (record,) = lines(out)
    origins = [s["gold_origin"] for s in record["stances"]]
    assert {s["annotator"] for s in record["stances"]} == {"gold"}
    names = {o["annotator"] for o in origins} | {o["curator"] for o in origins}
    assert not names & {"anna", "ben", "lena"}
    assert set(record["done_by"]) == {"annotator-1", "annotator-2"}


def test_gold_statements_for_the_discourse_network(curated, codebook) -> None:
    result = read_statements(curated, codebook, NetworkOptions(labels=LabelSource.GOLD))
    assert sorted((s.article, s.actor, s.stance, s.annotator) for s in result.items) == [
        ("a1", "Boris Pistorius", "favor", "gold"),
        ("a1", "Carlo Masala", "against", "gold"),
    ]
