"""Score boilerplate detection, headline, source and date against a gold file.

A gold line: {"id", "title", "source", "date", "boilerplate": [{"start", "end", "kind"}]}
and optionally "text"; without it the text is the file `<id>.txt` in a folder (the shipped
seeds by default), read as the import reads it, so offsets are those the project stores.

Characters: the non-space characters inside predicted vs gold blocks (whatever the kind),
so how blocks are cut into lines does not matter. Blocks: a prediction is right if it
overlaps a gold block (precision), a gold block is found if a prediction overlaps it
(recall). The date is what the import stores: the file's date marker, else the text's.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.errors import InputError
from annotator.ingest.boilerplate import KINDS, Block, find_boilerplate, headline, source_and_date
from annotator.ingest.readers import read_text_file


@dataclass
class _Counts:
    gold: int = 0
    predicted: int = 0
    found: int = 0  # gold blocks a prediction overlaps
    kind_right: int = 0  # ... by a prediction of the same kind


@dataclass
class BoilerplateReport:
    texts: int = 0
    chars_gold: int = 0
    chars_predicted: int = 0
    chars_both: int = 0
    blocks_gold: int = 0
    blocks_found: int = 0
    blocks_predicted: int = 0
    blocks_right: int = 0  # predictions overlapping a gold block
    kinds: dict[str, _Counts] = field(default_factory=dict)
    titles: int = 0
    sources: int = 0
    dates: int = 0
    wrong: list[str] = field(default_factory=list)  # "id: what: got ..., want ..."

    @property
    def char_precision(self) -> float:
        return _ratio(self.chars_both, self.chars_predicted)

    @property
    def char_recall(self) -> float:
        return _ratio(self.chars_both, self.chars_gold)

    @property
    def char_f1(self) -> float:
        return _f1(self.char_precision, self.char_recall)

    @property
    def block_precision(self) -> float:
        return _ratio(self.blocks_right, self.blocks_predicted)

    @property
    def block_recall(self) -> float:
        return _ratio(self.blocks_found, self.blocks_gold)

    def as_dict(self) -> dict[str, Any]:
        return {
            "texts": self.texts,
            "characters": {
                "gold": self.chars_gold,
                "predicted": self.chars_predicted,
                "precision": self.char_precision,
                "recall": self.char_recall,
                "f1": self.char_f1,
            },
            "blocks": {
                "gold": self.blocks_gold,
                "predicted": self.blocks_predicted,
                "precision": self.block_precision,
                "recall": self.block_recall,
            },
            "kinds": {k: vars(c) for k, c in sorted(self.kinds.items())},
            "titles_correct": self.titles,
            "sources_correct": self.sources,
            "dates_correct": self.dates,
            "wrong": self.wrong,
        }

    def format(self) -> str:
        n = self.texts
        out = [
            f"boilerplate on {n} text(s): {self.blocks_gold} gold blocks, "
            f"{self.blocks_predicted} predicted",
            f"characters  precision {self.char_precision:.3f}  recall {self.char_recall:.3f}  "
            f"F1 {self.char_f1:.3f}",
            f"blocks      precision {self.block_precision:.3f}  recall {self.block_recall:.3f}"
            "  (overlap)",
            f"{'kind':<11} {'gold':>5} {'found':>6} {'kind ok':>8} {'predicted':>10}",
        ]
        for kind, c in sorted(self.kinds.items()):
            out.append(f"{kind:<11} {c.gold:>5} {c.found:>6} {c.kind_right:>8} {c.predicted:>10}")
        out += [
            f"titles      {self.titles}/{n} correct",
            f"sources     {self.sources}/{n} correct",
            f"dates       {self.dates}/{n} correct",
        ]
        out += [f"  wrong: {w}" for w in self.wrong]
        return "\n".join(out)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _solid(text: str, blocks: list[Block]) -> set[int]:
    return {i for a, b, _ in blocks for i in range(a, b) if not text[i].isspace()}


def _gold_blocks(obj: dict, text: str, path: Path, line: int) -> list[Block]:
    out: list[Block] = []
    for b in obj.get("boilerplate") or []:
        try:
            start, end, kind = int(b["start"]), int(b["end"]), str(b["kind"])
        except (KeyError, TypeError, ValueError):
            raise InputError(
                "each block needs start, end and kind", path=str(path), line=line
            ) from None
        if not 0 <= start < end <= len(text) or kind not in KINDS:
            raise InputError(
                f"block {start}-{end} {kind!r} is outside the text or of an unknown kind",
                path=str(path),
                line=line,
            )
        out.append((start, end, kind))
    return out


def _text_of(obj: dict, texts: Path, path: Path, line: int) -> tuple[str, str | None]:
    if isinstance(obj.get("text"), str):
        return obj["text"], None
    name = obj.get("id")
    if not isinstance(name, str) or not (texts / f"{name}.txt").is_file():
        raise InputError(
            f"no text: give the line a 'text' or put {name}.txt into {texts}",
            path=str(path),
            line=line,
        )
    record = read_text_file(texts / f"{name}.txt")
    return record.text, record.date


def evaluate_boilerplate(gold: Path, texts: Path) -> BoilerplateReport:
    report = BoilerplateReport()
    try:
        raw_lines = gold.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the gold file: {exc}", path=str(gold)) from None
    for number, raw in enumerate(raw_lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"malformed JSON: {exc.msg}", path=str(gold), line=number) from None
        except RecursionError:  # as the JSONL reader and eval-entities say it
            raise InputError(
                "malformed JSON: nested too deeply", path=str(gold), line=number
            ) from None
        if not isinstance(obj, dict):
            raise InputError("each line must be a JSON object", path=str(gold), line=number)
        text, marker_date = _text_of(obj, texts, gold, number)
        _score(report, obj, text, marker_date, _gold_blocks(obj, text, gold, number))
    if report.texts == 0:
        raise InputError("the gold file holds no texts", path=str(gold))
    return report


def _score(
    report: BoilerplateReport, obj: dict, text: str, marker_date: str | None, gold: list[Block]
) -> None:
    found = find_boilerplate(text)
    report.texts += 1
    g, p = _solid(text, gold), _solid(text, found)
    report.chars_gold += len(g)
    report.chars_predicted += len(p)
    report.chars_both += len(g & p)
    report.blocks_gold += len(gold)
    report.blocks_predicted += len(found)
    report.blocks_right += sum(any(a < d and c < b for c, d, _ in gold) for a, b, _ in found)
    for kind, n in Counter(k for _, _, k in found).items():
        report.kinds.setdefault(kind, _Counts()).predicted += n
    for a, b, kind in gold:
        counts = report.kinds.setdefault(kind, _Counts())
        counts.gold += 1
        hits = [k for c, d, k in found if c < b and a < d]
        report.blocks_found += bool(hits)
        counts.found += bool(hits)
        counts.kind_right += kind in hits
    name = obj.get("id", f"#{report.texts}")
    source, date = source_and_date(text, found)
    date = marker_date or date
    for what, got, want in (
        ("title", headline(text, found), obj.get("title")),
        ("source", source, obj.get("source")),
        ("date", date, obj.get("date")),
    ):
        if got == want:
            setattr(report, what + "s", getattr(report, what + "s") + 1)
        else:
            report.wrong.append(f"{name}: {what}: got {got!r}, want {want!r}")
