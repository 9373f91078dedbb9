"""Stance predicates: the words with which a sentence says how someone stands on a target.

Loaded from resources/stance_predicates.toml (its header explains the patterns) and from
the codebook, which may add predicates for one target and stance (`predicates` under a
[[targets]] entry). Matching follows the cue words' rule (annotator/cues.py): a word
starts where no letter or digit is before it and may run on into the word, ignoring case.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from annotator.codebook import Codebook
from annotator.errors import CodebookError
from annotator.paths import resource

GAP = "…"  # up to MAX_GAP words of the same clause
MAX_GAP = 8
_WORD = r"[^\W_]"


@dataclass(frozen=True)
class Predicate:
    text: str
    stance: str
    weight: float
    target: str | None  # None: for every target
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    predicate: Predicate


def compile_pattern(text: str) -> re.Pattern[str]:
    """A predicate as a regular expression: words on word starts, open at their end, with
    "…" standing for up to MAX_GAP words that are no clause boundary."""
    parts: list[str] = []
    for word in text.split():
        if word == GAP:
            parts.append(rf"[^\w,;:.!?–]+(?:[^\W_]+[^\w,;:.!?–]+){{0,{MAX_GAP}}}?")
            continue
        if parts and not parts[-1].endswith("?"):
            parts.append(r"[^\w,;:.!?–]+")
        parts.append(rf"(?<!{_WORD}){re.escape(word)}{_WORD}*" if word[-1].isalnum()
                     else rf"(?<!{_WORD}){re.escape(word)}")  # fmt: skip
    return re.compile("".join(parts), re.IGNORECASE)


class Predicates:
    """Every predicate of the resource file and the codebook, ready to search sentences."""

    def __init__(self, codebook: Codebook, path: Path | None = None) -> None:
        path = path or resource("stance_predicates.toml")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise CodebookError(f"cannot read the stance predicates {path}: {exc}") from None
        stances = set(codebook.stance_ids)
        found: list[Predicate] = []
        for stance in stances:
            for group in data.get(stance, []):
                weight = float(group.get("weight", 0.6))
                found += [self._make(p, stance, weight, None) for p in group.get("patterns", [])]
        for target, by_stance in data.get("targets", {}).items():
            found += self._for_target(target, by_stance, stances, codebook)
        for t in codebook.targets:
            found += self._for_target(t.id, dict(t.predicates), stances, codebook)
        self.all = tuple(found)
        words = data.get("negations", [])
        self.negation = re.compile(
            "|".join(rf"(?<!{_WORD}){re.escape(w)}(?!{_WORD})" for w in words) or r"(?!)",
            re.IGNORECASE,
        )

    @staticmethod
    def _make(text: str, stance: str, weight: float, target: str | None) -> Predicate:
        return Predicate(text, stance, weight, target, compile_pattern(text))

    def _for_target(
        self, target: str, by_stance: dict, stances: set[str], codebook: Codebook
    ) -> list[Predicate]:
        if target not in codebook.target_ids:
            return []  # a predicate for a target this codebook does not have
        out = []
        for stance, patterns in by_stance.items():
            if stance in stances:
                out += [self._make(p, stance, 0.8, target) for p in patterns]
        return out

    def find(self, text: str, start: int, end: int) -> list[Hit]:
        """Every predicate in text[start:end], longest first where two overlap."""
        hits = [
            Hit(m.start(), m.end(), p)
            for p in self.all
            for m in p.pattern.finditer(text, start, end)
        ]
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        out: list[Hit] = []
        for h in hits:
            if not any(o.start <= h.start < o.end and o.end >= h.end for o in out):
                out.append(h)
        return out

    def negated(self, text: str, clause_start: int, at: int) -> bool:
        """A negation between the clause's start and the predicate (or inside it)."""
        return self.negation.search(text, clause_start, at) is not None
