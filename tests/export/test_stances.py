"""The `stances` format: per annotator, aggregated, filtered, split, and loadable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from annotator.evidence import ArticleSentences
from annotator.export import ExportOptions, export
from annotator.export.source import ArticleData
from annotator.export.stances import StanceRecords, UnitKey, View, _record_id
from tests.export.corpus import TEXT_1, TEXT_2, Corpus
from tests.export.test_documents import lines, schema

PISTORIUS_MONEY = "😀 Boris Pistorius fordert höhere Verteidigungsausgaben."


def run(corpus: Corpus, tmp_path: Path, **kwargs: object) -> list[dict]:
    out = tmp_path / "stances.jsonl"
    export(corpus.project, corpus.codebook, "stances", out, ExportOptions(**kwargs))
    recs = lines(out)
    validator = schema("stances")
    for rec in recs:
        validator.validate(rec)
    return recs


def by_unit(recs: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["actor"], r["target"]): r for r in recs}


def test_one_record_per_annotator_label(corpus: Corpus, tmp_path: Path) -> None:
    recs = run(corpus, tmp_path)
    # 10 cells hold a stance; carla's evidence-only cell is no label.
    assert len(recs) == 10
    assert len({r["id"] for r in recs}) == 10
    money = [r for r in recs if r["target"] == "defence_spending"]
    assert {r["annotator"] for r in money} == {"anna", "ben", "carla"}
    first = money[0]
    assert first["text"] == PISTORIUS_MONEY and first["text_source"] == "evidence"
    assert first["context"] == TEXT_1 and first["article_id"] == "art-1"
    assert first["votes"] == 1 and first["distribution"] == {"against": 0, "neutral": 0, "favor": 1}
    assert first["aggregation"] is None and first["split"] is None


def test_text_without_evidence_is_the_cue_sentence(corpus: Corpus, tmp_path: Path) -> None:
    recs = run(corpus, tmp_path, annotator="anna")
    units = by_unit(recs)
    nato = units[("Boris Pistorius", "nato_membership")]
    assert nato["text_source"] == "cue"
    assert (
        nato["text"] == "Über den Nato-Beitritt der Ukraine äußerte sich Pistorius zurückhaltend."
    )
    trump = units[("Donald Trump", "ground_troops")]
    assert trump["text"] == "Trumps Sprecher lehnte Bodentruppen „kategorisch“ ab."


def test_majority_keeps_votes_and_distribution(corpus: Corpus, tmp_path: Path) -> None:
    recs = run(corpus, tmp_path, labels="majority")
    units = by_unit(recs)
    # The Trump unit is a tie (against/neutral): no majority, dropped.
    assert set(units) == {
        ("Boris Pistorius", "defence_spending"),
        ("Boris Pistorius", "nato_membership"),
        ("Olaf Scholz", "ground_troops"),
    }
    nato = units[("Boris Pistorius", "nato_membership")]
    assert nato["label"] == "neutral" and nato["votes"] == 3
    assert nato["distribution"] == {"against": 1, "neutral": 2, "favor": 0}
    assert nato["annotator"] is None and nato["aggregation"] == "majority"
    assert nato["id"] == "art-1|Boris Pistorius|nato_membership"


def test_unanimous_drops_or_flags_disagreement(corpus: Corpus, tmp_path: Path) -> None:
    recs = run(corpus, tmp_path, labels="unanimous")
    assert {r["label"] for r in recs} == {"favor", "against"}
    assert len(recs) == 2
    flagged = run(corpus, tmp_path, labels="unanimous", keep_disagreements=True)
    assert len(flagged) == 4
    disagreements = [r for r in flagged if not r["agreed"]]
    assert {(r["actor"], r["label"]) for r in disagreements} == {
        ("Boris Pistorius", None),
        ("Donald Trump", None),
    }


def test_min_votes(corpus: Corpus, tmp_path: Path) -> None:
    recs = run(corpus, tmp_path, labels="majority", min_votes=3)
    assert {(r["actor"], r["target"]) for r in recs} == {
        ("Boris Pistorius", "defence_spending"),
        ("Boris Pistorius", "nato_membership"),
    }


def test_targets_done_only_and_anonymise(corpus: Corpus, tmp_path: Path) -> None:
    recs = run(corpus, tmp_path, targets=("ground_troops",), done_only=True, anonymise=True)
    assert {(r["article_id"], r["actor"], r["annotator"]) for r in recs} == {
        ("art-1", "Donald Trump", "annotator-1"),
        ("art-1", "Donald Trump", "annotator-2"),
        ("art-2", "Olaf Scholz", "annotator-1"),
    }


def test_context_window(corpus: Corpus, tmp_path: Path) -> None:
    recs = run(corpus, tmp_path, annotator="anna", context="window:1")
    scholz = by_unit(recs)[("Olaf Scholz", "ground_troops")]
    assert scholz["text"] == "Bundeskanzler Olaf Scholz lehnt Bodentruppen in der Ukraine ab."
    assert scholz["context"] == TEXT_2.strip()
    money = by_unit(recs)[("Boris Pistorius", "defence_spending")]
    assert money["context"].startswith("Nato-Gipfel in Den Haag\n" + PISTORIUS_MONEY)
    assert money["context"].endswith("sagte der Minister in Düsseldorf.")


def test_split_is_by_article_and_deterministic(corpus: Corpus, tmp_path: Path) -> None:
    first = run(corpus, tmp_path, split="50/25/25", seed=7)
    again = run(corpus, tmp_path, split="50/25/25", seed=7)
    assert [r["split"] for r in first] == [r["split"] for r in again]
    parts: dict[str, set[str]] = {}
    for r in first:
        parts.setdefault(r["article_id"], set()).add(r["split"])
    assert all(len(p) == 1 for p in parts.values())


def test_split_of_an_article_does_not_depend_on_the_others() -> None:
    from annotator.export.options import parse_split

    split = parse_split("80/10/10", seed=1)
    ids = [f"article-{i}" for i in range(2000)]
    parts = [split.of(i) for i in ids]
    assert parts == [split.of(i) for i in reversed(ids)][::-1]
    share = parts.count("train") / len(parts)
    assert 0.75 < share < 0.85
    assert parse_split("80/10/10", seed=2).of("article-1") in {"train", "dev", "test"}


def test_loads_with_pandas_and_datasets(corpus: Corpus, tmp_path: Path) -> None:
    run(corpus, tmp_path, labels="majority", keep_disagreements=True, split="80/10/10")
    out = tmp_path / "stances.jsonl"
    frame = pd.read_json(out, lines=True)
    assert len(frame) == 4 and frame["label"].isna().sum() == 1
    soft = frame["distribution"].map(lambda d: d["favor"]) / frame["votes"]
    assert soft.max() == 1.0
    import datasets  # the test extra has it: missing is a failure, not a skip

    ds = datasets.load_dataset("json", data_files=str(out), split="train", cache_dir=str(tmp_path))
    assert ds.num_rows == 4
    assert set(ds.column_names) >= {"text", "context", "actor", "target", "label", "split"}
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["text"] == ds[0]["text"]


@pytest.mark.parametrize(
    "options",
    [
        ExportOptions(),
        ExportOptions(labels="unanimous", keep_disagreements=True, split="50/25/25"),
        ExportOptions(context="window:1", anonymise=True),
    ],
)
def test_fast_lines_are_the_records(corpus: Corpus, options: ExportOptions) -> None:
    from annotator.export.options import check_options
    from annotator.export.source import Selection, annotators, article_ids, iter_articles
    from annotator.export.stances import StanceRecords

    checked = check_options("stances", options, corpus.codebook, annotators(corpus.project))
    builder = StanceRecords(checked, corpus.codebook)
    selection = Selection(labelled_only=True)
    ids = article_ids(corpus.project, selection)
    for batch in iter_articles(corpus.project, ids, selection):
        for article in batch:
            part, records = builder.lines(article)
            fast = [(part, json.loads(b"".join(pieces))) for pieces in records]
            plain = [(r["split"], r) for r in reference_records(builder, article)]
            assert fast == plain


def reference_records(self: StanceRecords, article: ArticleData) -> Iterator[dict[str, Any]]:
    """The stance records built plainly, field by field: what `lines` must encode."""
    text = article.text
    split = self.checked.split.of(article.external_id) if self.checked.split else None
    doc = ArticleSentences(article, split_missing=True)
    views: dict[UnitKey, View] = {}
    for label in self.labels(article):
        key = (label.actor_id, label.target, label.evidence)
        view = views.get(key)
        if view is None:
            view = views[key] = self._view(doc, label)
        sentences, source, context = view
        annotator = label.annotator
        yield {
            "id": _record_id(article.external_id, label),
            "text": sentences,
            "text_source": source,
            "context": context,
            "actor": label.actor,
            "target": label.target,
            "label": label.label,
            "annotator": annotator,
            "aggregation": None if annotator is not None else self.options.labels,
            "votes": label.votes,
            "distribution": label.distribution,
            "agreed": label.agreed,
            "evidence": [{"start": a, "end": b, "text": text[a:b]} for a, b in label.evidence],
            "note": label.note,
            "article_id": article.external_id,
            "split": split,
        }


def test_the_export_and_the_window_choose_sentences_by_one_rule(tmp_path: Path, codebook) -> None:
    """A teaser for another story (boilerplate) names the actor with a cue word: the window
    does not offer it, and the export's text for a label without evidence leaves it out."""
    from annotator.cues import CueMatcher
    from annotator.evidence import evidence_candidates
    from annotator.store.annotators import get_or_create_annotator
    from annotator.store.articles import load_article
    from annotator.store.engine import open_project
    from annotator.store.labels import CellKey, CellState, put_cell
    from annotator.store.models import Article, Mention
    from tests.conftest import add_actor, add_article

    body = "Pistorius lobt die Bundeswehr. "
    teaser = "Weitere Meldungen: Pistorius will mehr Verteidigungsausgaben."
    text = body + teaser
    with open_project(str(tmp_path / "p.db")) as project:
        article = add_article(project, "a1", text)
        actor = add_actor(project, "Boris Pistorius")
        with project.write() as s:
            row = s.get(Article, article)
            assert row is not None
            row.segments = {"sentences": [[0, len(body) - 1], [len(body), len(text)]],
                            "boilerplate": [[len(body), len(text), "teaser"]]}  # fmt: skip
            s.add(row)
            for start in (0, len(body) + 19):
                s.add(Mention(article_id=article, start=start, end=start + 9, label="PER",
                              actor_id=actor))  # fmt: skip
        who = get_or_create_annotator(project, "anna")
        put_cell(project, who, CellKey(article, actor, "defence_spending"), CellState("favor"))
        view = load_article(project, article)
        cues = CueMatcher(codebook)
        offered = evidence_candidates(view, actor, "defence_spending", cues,
                                      hidden=view.boilerplate)  # fmt: skip
        out = tmp_path / "s.jsonl"
        export(project, codebook, "stances", out, ExportOptions())
    assert [(c.start, c.end) for c in offered] == [(0, len(body) - 1)]
    (record,) = lines(out)
    assert (record["text"], record["text_source"]) == (body.strip(), "mention")
