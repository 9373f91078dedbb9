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
