"""The German NER model inside the package (resources/models/de_stance_ner): the default
highlighter at import, `--no-model`, and `annotator rehighlight` after a change of model."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.nlp.model import NO_MODEL, SHIPPED, load_model, model_location, shipped_model
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import open_project
from annotator.store.labels import CellKey, CellState, put_cell
from tests.safety.refusal import assert_refused, run_cli

# Names in no list of the lexicon and caught by no rule: only the model marks them.
TEXT = (
    "Die Sowjetunion zerfiel 1991. Der Sportwagenhersteller Porsche und die Plattform "
    "Facebook reagierten. Verteidigungsminister Boris Pistorius sprach von einer Zeitenwende."
)
MODEL_ONLY = {("Sowjetunion", "LOC"), ("Porsche", "ORG"), ("Facebook", "ORG")}


def _mentions(db: str) -> set[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT a.text, m.start, m.end, m.label FROM mention m JOIN article a"
            " ON a.id = m.article_id"
        ).fetchall()
    return {(text[start:end], label) for text, start, end, label in rows}


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "a1", "text": TEXT}, ensure_ascii=False) + "\n")
    return path


def test_the_model_ships_inside_the_package_with_its_attribution() -> None:
    path = shipped_model()
    meta = json.loads((path / "meta.json").read_text())
    assert sorted(meta["labels"]["ner"]) == ["LOC", "MISC", "ORG", "PER"]
    assert "GermEval" in (path / "ATTRIBUTION.md").read_text()
    assert "CC BY 4.0" in (path / "LICENSE").read_text() + (path / "ATTRIBUTION.md").read_text()
    # The word clusters are MIT-licensed data: their notice travels with them.
    assert "spacy-lookups-data" in (path / "ATTRIBUTION.md").read_text()
    assert "ExplosionAI" in (path / "LICENSE.spacy-lookups-data").read_text()
    assert len(load_model(str(path)).vocab.vectors) > 0  # the clusters are in the model
    assert meta["entity_start_bias"] < 0  # the precision knob is recorded (training/README.md)
    assert model_location(None) == model_location(SHIPPED) == str(path)
    assert model_location(NO_MODEL) is None
    assert load_model(str(path)) is load_model(str(path))  # loaded once per process


def test_import_uses_the_shipped_model_and_no_model_leaves_it_out(
    tmp_path: Path, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with_model, without = str(tmp_path / "m.db"), str(tmp_path / "r.db")
    assert run_cli(["--db", with_model, "import", str(article)], capsys)[0] == 0
    assert run_cli(["--db", without, "import", "--no-model", str(article)], capsys)[0] == 0
    assert _mentions(with_model) >= MODEL_ONLY
    assert not MODEL_ONLY & _mentions(without)
    # The lexicon still decides where it knows the actor.
    assert ("Boris Pistorius", "PER") in _mentions(with_model) & _mentions(without)


def test_rehighlight_adds_the_model_and_keeps_labels(
    tmp_path: Path, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "p.db")
    assert run_cli(["--db", db, "import", "--no-model", str(article)], capsys)[0] == 0
    with sqlite3.connect(db) as conn:
        article_id, actor = conn.execute(
            "SELECT article_id, actor_id FROM mention WHERE actor_id IS NOT NULL LIMIT 1"
        ).fetchone()
    with open_project(db) as project:
        anna = get_or_create_annotator(project, "anna")
        put_cell(project, anna, CellKey(article_id, actor, "nato_membership"), CellState("favor"))
    before = _mentions(db)
    code, _, out = run_cli(["--db", db, "rehighlight"], capsys)
    assert code == 0 and "1 article(s) re-highlighted" in out
    after = _mentions(db)
    assert after >= MODEL_ONLY and before <= after
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT stance FROM stanceannotation").fetchall() == [("favor",)]
    code, _, _ = run_cli(["--db", db, "rehighlight", "--no-model"], capsys)
    assert code == 0 and _mentions(db) == before


def test_a_model_that_is_not_there_is_one_line_and_changes_nothing(
    tmp_path: Path, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "p.db")
    assert run_cli(["--db", db, "import", "--no-model", str(article)], capsys)[0] == 0
    assert_refused(db, ["rehighlight", "--model", "/no/such/pipeline"], capsys, "not installed")
    other = tmp_path / "b.jsonl"
    other.write_text(json.dumps({"text": "Porsche meldete Zahlen."}) + "\n")
    assert_refused(db, ["import", "--model", "/no/such/pipeline", str(other)], capsys, "not")
