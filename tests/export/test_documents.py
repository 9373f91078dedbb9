"""The `documents` format: spans, tokens, labels, schema, and loading with pandas/datasets."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
from spacy.tokens import Doc

from annotator.export import ExportOptions, export
from annotator.export.text import export_nlp
from annotator.paths import resource
from tests.export.corpus import TEXT_1, Corpus


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def schema(name: str) -> jsonschema.Draft202012Validator:
    data = json.loads(resource(f"schemas/{name}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(data)


@pytest.fixture
def documents(corpus: Corpus, tmp_path: Path) -> Path:
    out = tmp_path / "documents.jsonl"
    report = export(corpus.project, corpus.codebook, "documents", out)
    assert report.articles == 3 and report.paths == [out]
    return out


def test_every_span_is_its_mention_and_lines_up_with_the_tokens(documents: Path) -> None:
    for rec in lines(documents):
        text = rec["text"]
        tokens = rec["tokens"]
        assert "".join(t["text"] + (" " if t["ws"] else "") for t in tokens) == text
        doc = Doc(
            export_nlp().vocab, words=[t["text"] for t in tokens], spaces=[t["ws"] for t in tokens]
        )
        for sp in rec["spans"]:
            assert text[sp["start"] : sp["end"]] == sp["text"]
            span = doc.char_span(sp["start"], sp["end"])
            assert span is not None and span.text == sp["text"]
            assert (span.start, span.end - 1) == (sp["token_start"], sp["token_end"])


def test_compound_genitive_and_emoji_mentions(documents: Path) -> None:
    first = lines(documents)[0]
    by_text = {(sp["start"], sp["text"]): sp for sp in first["spans"]}
    beitritt = TEXT_1.index("Nato-Beitritt")
    assert by_text[(beitritt, "Nato")]["actor"] == "Nato"
    assert by_text[(TEXT_1.index("Trumps"), "Trump")]["actor"] == "Donald Trump"
    # The emoji is one character in the stored offsets (not two UTF-16 units).
    pistorius = by_text[(TEXT_1.index("Boris"), "Boris Pistorius")]
    assert TEXT_1[pistorius["start"] - 2] == "😀"
    token_texts = [t["text"] for t in first["tokens"]]
    assert "😀" in token_texts and "-Beitritt" in token_texts


def test_labels_meta_and_done(documents: Path) -> None:
    first, second, third = lines(documents)
    assert first["meta"] == {
        "id": "art-1",
        "title": "Nato-Gipfel in Den Haag",
        "source": "Tagesschau",
        "date": "2024-11-07",
        "url": "https://example.org/art-1",
        "file": "a1.txt",
    }
    assert first["done_by"] == ["anna", "ben"]
    cells = {(s["actor"], s["target"], s["annotator"]): s for s in first["stances"]}
    assert len(cells) == 9
    assert cells[("Boris Pistorius", "nato_membership", "ben")]["note"] == "vage"
    evidence_only = cells[("Donald Trump", "ground_troops", "carla")]
    assert evidence_only["stance"] is None and evidence_only["note"] == "?"
    money = cells[("Boris Pistorius", "defence_spending", "anna")]["evidence"][0]
    assert money["text"] == TEXT_1[money["start"] : money["end"]]
    assert second["done_by"] == ["anna"] and len(second["stances"]) == 2
    assert third["stances"] == [] and third["spans"] == [] and third["meta"]["source"] is None


def test_matches_the_json_schema(documents: Path) -> None:
    validator = schema("documents")
    for rec in lines(documents):
        validator.validate(rec)


def test_german_characters_are_written_as_such(documents: Path) -> None:
    raw = documents.read_bytes().decode("utf-8")
    assert "Düsseldorf" in raw and "😀" in raw and "„kategorisch“" in raw
    assert "\\u" not in raw


def test_loads_with_pandas(documents: Path) -> None:
    frame = pd.read_json(documents, lines=True)
    assert len(frame) == 3
    assert list(frame["meta"].map(lambda m: m["id"])) == ["art-1", "art-2", "art-3"]
    assert frame["text"][0] == TEXT_1


def test_loads_with_datasets(documents: Path, tmp_path: Path) -> None:
    import datasets  # the test extra has it: missing is a failure, not a skip

    ds = datasets.load_dataset(
        "json", data_files=str(documents), split="train", cache_dir=str(tmp_path / "hf")
    )
    assert ds.num_rows == 3
    assert ds[0]["text"] == TEXT_1
    assert ds[0]["spans"][1]["actor"] == "Boris Pistorius"


def test_one_annotator_anonymised_with_split(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "ben.jsonl"
    options = ExportOptions(annotator="ben", anonymise=True, split="50/25/25", seed=3)
    export(corpus.project, corpus.codebook, "documents", out, options)
    recs = lines(out)
    assert {s["annotator"] for r in recs for s in r["stances"]} == {"annotator-2"}
    assert recs[0]["done_by"] == ["annotator-2"] and recs[1]["done_by"] == []
    assert {r["split"] for r in recs} <= {"train", "dev", "test"}
    assert '"ben"' not in out.read_text(encoding="utf-8")
    for rec in recs:
        schema("documents").validate(rec)


def test_done_only_and_targets(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "done.jsonl"
    options = ExportOptions(done_only=True, targets=("ground_troops",))
    export(corpus.project, corpus.codebook, "documents", out, options)
    recs = lines(out)
    assert [r["meta"]["id"] for r in recs] == ["art-1", "art-2"]
    # carla never marked art-1 done: her cells are left out, and so is every other target.
    assert {(s["annotator"], s["target"]) for s in recs[0]["stances"]} == {
        ("anna", "ground_troops"),
        ("ben", "ground_troops"),
    }
    assert [s["annotator"] for s in recs[1]["stances"]] == ["anna"]


def test_tokens_written_out_directly_are_plain_json() -> None:
    """documents.tokens_json builds the JSON by hand: quotes, backslashes, control
    characters, emoji and umlauts must come out as json would write them."""
    from annotator.export.documents import tokens_json
    from annotator.export.text import tokenize

    text = 'Er sagte: "Nein\\\\Ja" \x07 😀 Müller\tÜber „Nato“ {x} ok.'
    tokens = tokenize(text)
    parsed = json.loads(tokens_json(text, tokens))
    assert parsed == [
        {"text": text[a:b], "start": a, "end": b, "id": i, "ws": ws}
        for i, (a, b, ws) in enumerate(tokens)
    ]
    assert any('"' in t["text"] or "\\" in t["text"] for t in parsed)
