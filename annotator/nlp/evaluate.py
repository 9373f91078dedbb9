"""Score the highlighter against a gold file of hand-labelled entities.

Exact match: same start, end and label. Overlap match: same label and at least one shared
character; precision counts predictions that overlap some gold span, recall counts gold
spans that some prediction overlaps.

GermEval 2014 marks words derived from names ("deutschen": LOCderiv) and compounds holding
a name ("SPD-Politiker": ORGpart) as subtypes. The tool has its own convention there (the
name inside a compound, place adjectives as MISC), so subtypes can be dropped (a prediction
there counts as spurious), mapped to the base label, or ignored (neither the gold subtype
nor a prediction that touches it and no other gold span is scored).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from annotator.errors import InputError
from annotator.files import check_input
from annotator.nlp.lexicon import LABELS

Span = tuple[int, int, str]


class _Highlights(Protocol):
    def pipe(self, texts: Iterable[str], *, batch_size: int = ...) -> Iterable[list[Any]]: ...


@dataclass(frozen=True)
class LabelScores:
    label: str
    gold: int
    predicted: int
    exact: int
    overlap_gold: int  # gold spans overlapped by a prediction
    overlap_predicted: int  # predictions overlapping a gold span

    @property
    def exact_precision(self) -> float:
        return _ratio(self.exact, self.predicted)

    @property
    def exact_recall(self) -> float:
        return _ratio(self.exact, self.gold)

    @property
    def exact_f1(self) -> float:
        return _f1(self.exact_precision, self.exact_recall)

    @property
    def overlap_precision(self) -> float:
        return _ratio(self.overlap_predicted, self.predicted)

    @property
    def overlap_recall(self) -> float:
        return _ratio(self.overlap_gold, self.gold)

    @property
    def overlap_f1(self) -> float:
        return _f1(self.overlap_precision, self.overlap_recall)

    def as_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "exact": {
                "matched": self.exact,
                "precision": self.exact_precision,
                "recall": self.exact_recall,
                "f1": self.exact_f1,
            },
            "overlap": {
                "matched_gold": self.overlap_gold,
                "matched_predicted": self.overlap_predicted,
                "precision": self.overlap_precision,
                "recall": self.overlap_recall,
                "f1": self.overlap_f1,
            },
        }


@dataclass(frozen=True)
class EvalReport:
    path: str
    texts: int
    labels: dict[str, LabelScores]  # per label, plus "actors" (PER+ORG+LOC) and "ALL"
    missed: list[tuple[int, str, str]] = field(default_factory=list)  # (line, label, text)
    spurious: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def overall(self) -> LabelScores:
        return self.labels["ALL"]

    def as_dict(self) -> dict[str, Any]:
        """The figures as plain data (for --json output)."""
        labels = {label: scores.as_dict() for label, scores in self.labels.items()}
        return {"path": self.path, "texts": self.texts, "labels": labels}

    def format(self) -> str:
        return self.format_table()

    def format_table(self) -> str:
        """A plain-text table, one row per label and one for all labels."""
        head = (
            f"{'label':<6}{'gold':>6}{'pred':>6}  {'exact P':>8}{'R':>7}{'F1':>7}"
            f"  {'overlap P':>10}{'R':>7}{'F1':>7}"
        )
        rows = [f"{self.path}: {self.texts} texts", head, "-" * len(head)]
        for s in self.labels.values():
            rows.append(
                f"{s.label:<6}{s.gold:>6}{s.predicted:>6}  {s.exact_precision:>8.3f}"
                f"{s.exact_recall:>7.3f}{s.exact_f1:>7.3f}  {s.overlap_precision:>10.3f}"
                f"{s.overlap_recall:>7.3f}{s.overlap_f1:>7.3f}"
            )
        return "\n".join(rows)


SUBTYPE_SUFFIXES = ("deriv", "part")  # GermEval 2014's "LOCderiv", "ORGpart", ...
SUBTYPE_CHOICES = ("drop", "map", "ignore")
# The labels an actor can have: the tool keeps no MISC from a model (GermEval's MISC is
# languages, wars, currencies, products, titles of works), so "actors" is what the grid sees.
ACTOR_LABELS = ("PER", "ORG", "LOC")
ACTORS = "actors"


def evaluate_entities(
    gold_path: str | Path, highlighter: _Highlights, *, subtypes: str = "drop"
) -> EvalReport:
    """Run `highlighter` over the texts of a JSONL gold file and score its spans.

    Gold labels with a GermEval subtype ("LOCderiv": a word derived from a name; "ORGpart":
    a name inside a longer word) are dropped (the tool marks the name, not the derived word
    or the compound) or, with subtypes="map", counted as their base label.
    """
    lines, texts, golds = read_gold(gold_path, subtypes=subtypes)
    predicted = [[(m.start, m.end, m.label) for m in spans] for spans in highlighter.pipe(texts)]
    if subtypes == "ignore":
        _, _, regions = _read_gold(gold_path, "only")
        predicted = [
            [p for p in pred if not _unscored(p, gold, region)]
            for pred, gold, region in zip(predicted, golds, regions, strict=True)
        ]
    return score(str(gold_path), lines, texts, golds, predicted)


def _unscored(span: Span, gold: list[Span], regions: list[Span]) -> bool:
    """A prediction touching an ignored subtype span and no scored gold span."""
    touches = any(span[0] < r[1] and r[0] < span[1] for r in regions)
    return touches and not any(span[0] < g[1] and g[0] < span[1] for g in gold)


def read_gold(
    path: str | Path, *, subtypes: str = "drop"
) -> tuple[list[int], list[str], list[list[Span]]]:
    """Line numbers, texts and gold spans; a broken record raises InputError at its line."""
    if subtypes not in SUBTYPE_CHOICES:
        raise InputError(f"subtypes must be one of {', '.join(SUBTYPE_CHOICES)}")
    return _read_gold(path, subtypes)


def _read_gold(path: str | Path, subtypes: str) -> tuple[list[int], list[str], list[list[Span]]]:
    """read_gold, plus the private mode "only": the subtype spans alone."""
    try:
        data = check_input(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read gold file: {exc.strerror or exc}", path=str(path)) from exc
    try:
        raw = data.decode("utf-8-sig")  # with or without a BOM, as the import reads JSONL
    except UnicodeDecodeError as exc:
        bad = data.count(b"\n", 0, exc.start) + 1
        raise InputError("not valid UTF-8 text", path=str(path), line=bad) from None
    lines: list[int] = []
    texts: list[str] = []
    golds: list[list[Span]] = []
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            text, spans = _record(json.loads(line), subtypes)
        except (ValueError, TypeError, KeyError) as exc:
            raise InputError(f"bad gold record: {exc}", path=str(path), line=number) from exc
        except RecursionError:
            raise InputError(
                "bad gold record: nested too deeply", path=str(path), line=number
            ) from None
        lines.append(number)
        texts.append(text)
        golds.append(spans)
    return lines, texts, golds


def _record(record: Any, subtypes: str = "drop") -> tuple[str, list[Span]]:
    text = record["text"]
    if not isinstance(text, str):
        raise TypeError("'text' must be a string")
    spans = []
    for entity in record["entities"]:
        start, end, label = entity["start"], entity["end"], entity["label"]
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise ValueError(f"span {start}-{end} is outside the text")
        subtype = isinstance(label, str) and label.endswith(SUBTYPE_SUFFIXES)
        if subtype:
            if subtypes in ("drop", "ignore"):
                continue
            label = label.removesuffix("deriv").removesuffix("part")
            label = "MISC" if label == "OTH" else label  # GermEval writes OTHderiv, OTHpart
        elif subtypes == "only":  # the subtype spans alone: the regions "ignore" leaves out
            continue
        if label not in LABELS:
            raise ValueError(f"label {label!r} is not one of {', '.join(LABELS)}")
        spans.append((start, end, label))
    return text, spans


def score(
    path: str,
    lines: list[int],
    texts: list[str],
    golds: list[list[Span]],
    predicted: list[list[Span]],
) -> EvalReport:
    counts = {label: [0, 0, 0, 0, 0] for label in (*LABELS, ACTORS, "ALL")}
    missed: list[tuple[int, str, str]] = []
    spurious: list[tuple[int, str, str]] = []
    for line, text, gold, pred in zip(lines, texts, golds, predicted, strict=True):
        gold_set, pred_set = set(gold), set(pred)
        for span in gold:
            hit = any(_overlaps(span, p) for p in pred)
            for key in _keys(span[2]):
                counts[key][0] += 1
                counts[key][2] += span in pred_set
                counts[key][3] += hit
            if span not in pred_set:
                missed.append((line, span[2], text[span[0] : span[1]]))
        for span in pred:
            hit = any(_overlaps(span, g) for g in gold)
            for key in _keys(span[2]):
                counts[key][1] += 1
                counts[key][4] += hit
            if span not in gold_set:
                spurious.append((line, span[2], text[span[0] : span[1]]))
    labels = {
        label: LabelScores(label, c[0], c[1], c[2], c[3], c[4])
        for label, c in counts.items()
        if c[0] or c[1] or label in (ACTORS, "ALL")
    }
    return EvalReport(path, len(texts), labels, missed, spurious)


def _keys(label: str) -> tuple[str, ...]:
    return (label, ACTORS, "ALL") if label in ACTOR_LABELS else (label, "ALL")


def _overlaps(a: Span, b: Span) -> bool:
    return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
