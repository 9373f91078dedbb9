from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.nlp import MentionSpan, evaluate_entities

GOLD = Path(__file__).resolve().parents[1] / "data" / "entities_gold.jsonl"


class FixedSpans:
    """Stands in for a highlighter: returns the spans it was given, text by text."""

    def __init__(self, spans: list[list[tuple[int, int, str]]]):
        self.spans = spans

    def pipe(self, texts: Iterable[str], *, batch_size: int = 64):
        for _text, spans in zip(texts, self.spans, strict=True):
            yield [MentionSpan(s, e, label, None, "rule") for s, e, label in spans]


def write_gold(path: Path, records: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def test_known_precision_and_recall(tmp_path: Path):
    text = "Anna Beispiel traf Bert in Berlin und Paris."
    gold = [(0, 13, "PER"), (19, 23, "PER"), (27, 33, "LOC"), (38, 43, "LOC")]
    pred = [
        (0, 13, "PER"),  # exact
        (5, 13, "PER"),  # overlaps the same gold span again
        (27, 33, "ORG"),  # right span, wrong label
        (38, 42, "LOC"),  # overlap only
    ]
    path = write_gold(
        tmp_path / "gold.jsonl",
        [{"text": text, "entities": [{"start": s, "end": e, "label": lab} for s, e, lab in gold]}],
    )
    report = evaluate_entities(path, FixedSpans([pred]))
    per, loc, org, overall = (report.labels[k] for k in ("PER", "LOC", "ORG", "ALL"))
    assert (per.gold, per.predicted, per.exact) == (2, 2, 1)
    assert per.exact_precision == 0.5 and per.exact_recall == 0.5
    assert per.overlap_precision == 1.0 and per.overlap_recall == 0.5
    assert per.overlap_f1 == pytest.approx(2 / 3)
    assert (loc.exact, loc.overlap_gold, loc.overlap_predicted) == (0, 1, 1)
    assert loc.overlap_recall == 0.5 and loc.overlap_precision == 1.0
    assert (org.gold, org.predicted, org.exact_precision, org.exact_f1) == (0, 1, 0.0, 0.0)
    assert (overall.gold, overall.predicted, overall.exact) == (4, 4, 1)
    assert overall.exact_f1 == 0.25
    assert overall.overlap_precision == 0.75 and overall.overlap_recall == 0.5
    actors = report.labels["actors"]  # PER+ORG+LOC: here every span, so the same as ALL
    assert (actors.gold, actors.predicted, actors.exact) == (4, 4, 1)
    table = report.format()
    assert "PER" in table and "ALL" in table and "overlap" in table
    data = report.as_dict()
    assert data["labels"]["PER"]["overlap"]["recall"] == 0.5
    assert data["labels"]["ALL"]["exact"]["matched"] == 1
    json.dumps(data)
    assert ("PER", "Bert") in [(label, t) for _, label, t in report.missed]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("not json", "bad gold record"),
        ('{"text": "abc"}', "entities"),
        ('{"text": "abc", "entities": [{"start": 1, "end": 9, "label": "PER"}]}', "outside"),
        ('{"text": "abc", "entities": [{"start": 0, "end": 1, "label": "PERSON"}]}', "label"),
    ],
)
def test_bad_gold_file_names_file_and_line(tmp_path: Path, line, problem):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"text": "ok", "entities": []}\n\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=problem) as caught:
        evaluate_entities(path, FixedSpans([[], []]))
    assert (caught.value.path, caught.value.line) == (str(path), 3)


def test_gold_file_meets_the_targets(highlighter):
    report = evaluate_entities(GOLD, highlighter)
    assert report.overall.gold >= 60
    assert report.labels["PER"].overlap_f1 >= 0.85, report.format_table()
    assert report.overall.overlap_f1 >= 0.80, report.format_table()


def test_subtypes_dropped_mapped_or_ignored(tmp_path: Path):
    # GermEval marks "deutschen" LOCderiv and "SPD-Politiker" ORGpart; the tool marks place
    # adjectives MISC and only the name inside a compound.
    text = "Der deutschen SPD-Politiker traf Anna Beispiel."
    gold = [(4, 13, "LOCderiv"), (14, 27, "ORGpart"), (33, 46, "PER")]
    pred = [(4, 13, "MISC"), (14, 17, "ORG"), (33, 46, "PER")]
    path = write_gold(
        tmp_path / "gold.jsonl",
        [{"text": text, "entities": [{"start": s, "end": e, "label": lab} for s, e, lab in gold]}],
    )
    dropped = evaluate_entities(path, FixedSpans([pred]), subtypes="drop").overall
    assert (dropped.gold, dropped.predicted, dropped.overlap_predicted) == (1, 3, 1)
    mapped = evaluate_entities(path, FixedSpans([pred]), subtypes="map")
    assert mapped.labels["LOC"].gold == 1 and mapped.labels["ORG"].overlap_gold == 1
    assert mapped.labels["actors"].predicted == 2  # the MISC adjective is no actor
    ignored = evaluate_entities(path, FixedSpans([pred]), subtypes="ignore").overall
    assert (ignored.gold, ignored.predicted, ignored.overlap_precision) == (1, 1, 1.0)
    with pytest.raises(InputError, match="subtypes must be one of drop, map, ignore"):
        evaluate_entities(path, FixedSpans([pred]), subtypes="only")  # internal, not a choice


def test_ignore_still_counts_a_prediction_that_touches_a_scored_span(tmp_path: Path):
    text = "Das EU-Budget und Berlin."
    gold = [(4, 13, "ORGpart"), (18, 24, "LOC")]
    pred = [(4, 24, "LOC")]  # runs across the ignored compound into a real name
    path = write_gold(
        tmp_path / "gold.jsonl",
        [{"text": text, "entities": [{"start": s, "end": e, "label": lab} for s, e, lab in gold]}],
    )
    report = evaluate_entities(path, FixedSpans([pred]), subtypes="ignore").overall
    assert (report.gold, report.predicted, report.exact) == (1, 1, 0)


def test_germeval_oth_subtypes_map_to_misc(tmp_path: Path):
    path = write_gold(
        tmp_path / "gold.jsonl",
        [{"text": "Die Ecce-homo-Idee", "entities": [{"start": 4, "end": 18, "label": "OTHpart"}]}],
    )
    report = evaluate_entities(path, FixedSpans([[(4, 18, "MISC")]]), subtypes="map")
    assert report.labels["MISC"].exact == 1
