"""The `spacy` format: a DocBin with entities, mention and evidence span groups, stances."""

from __future__ import annotations

from pathlib import Path

from spacy.tokens import DocBin

from annotator.export import ExportOptions, export
from annotator.export.text import export_nlp
from tests.export.corpus import TEXT_1, Corpus


def load(path: Path) -> list:
    return list(DocBin().from_disk(path).get_docs(export_nlp().vocab))


def test_docbin_holds_mentions_entities_and_stances(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "corpus.spacy"
    report = export(corpus.project, corpus.codebook, "spacy", out)
    assert report.paths == [out] and report.records == 3
    docs = load(out)
    first = docs[0]
    assert first.text == TEXT_1
    mentions = [(s.text, s.label_, s.kb_id_) for s in first.spans["mentions"]]
    assert ("Trump", "PER", "Donald Trump") in mentions
    assert mentions.count(("Nato", "ORG", "Nato")) == 2
    assert [e.text for e in first.ents] == [m[0] for m in mentions]
    assert first.user_data["meta"]["id"] == "art-1"
    # msgpack gives lists back as tuples.
    assert list(first.user_data["done_by"]) == ["anna", "ben"]
    stances = first.user_data["stances"]
    assert len(stances) == 8  # cells with a stance, one per annotator
    evidence = first.spans["evidence"]
    assert {s.label_ for s in evidence} == {"defence_spending:favor"}
    assert evidence[0].text == "Boris Pistorius fordert höhere Verteidigungsausgaben"
    assert len(docs[2].user_data["stances"]) == 0 and len(docs[2].ents) == 0


def test_aggregated_docbin_with_split_writes_one_file_per_part(
    corpus: Corpus, tmp_path: Path
) -> None:
    out = tmp_path / "corpus.spacy"
    options = ExportOptions(labels="majority", split="34/33/33", seed=5)
    report = export(corpus.project, corpus.codebook, "spacy", out, options)
    assert [p.name for p in report.paths] == [
        "corpus.train.spacy",
        "corpus.dev.spacy",
        "corpus.test.spacy",
    ]
    assert not out.exists()
    seen: dict[str, str] = {}
    for path in report.paths:
        part = path.name.split(".")[1]
        for doc in load(path):
            assert doc.user_data["split"] == part
            seen[doc.user_data["meta"]["id"]] = part
            for st in doc.user_data["stances"]:
                assert st["annotator"] is None and st["votes"] >= 1
    assert sorted(seen) == ["art-1", "art-2", "art-3"]
    assert sum(report.splits.values()) == 3


def test_msgpack_plugins_are_looked_up_again_when_one_is_registered() -> None:
    """export/docbin.py keeps srsly's plug-in list between packs during a DocBin export; a
    plug-in registered meanwhile must still be used, and afterwards srsly is as it was."""
    import srsly

    from annotator.export.docbin import msgpack_plugins_cached

    before = {r: vars(r).get("get_all") for r in (srsly.msgpack_encoders, srsly.msgpack_decoders)}
    with msgpack_plugins_cached():
        assert vars(srsly.msgpack_encoders).get("get_all") is not None  # cached meanwhile
        _registered_later_is_used(srsly)
    after = {r: vars(r).get("get_all") for r in (srsly.msgpack_encoders, srsly.msgpack_decoders)}
    assert after == before  # nothing process-wide stays behind


def _registered_later_is_used(srsly) -> None:
    class Point:
        pass

    def encode_point(obj, chain=None):
        if isinstance(obj, Point):
            return {"point": True}
        return obj if chain is None else chain(obj)

    assert "annotator_test_point" not in srsly.msgpack_encoders.get_all()
    srsly.msgpack_encoders.register("annotator_test_point", func=encode_point)
    try:
        assert srsly.msgpack_loads(srsly.msgpack_dumps([Point()])) == [{"point": True}]
    finally:
        import catalogue

        del catalogue.REGISTRY[("srsly", "msgpack_encoders", "annotator_test_point")]
