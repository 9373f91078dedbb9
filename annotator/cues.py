"""Finding the codebook's cue words in a text (plain string matching, no NLP)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.codebook import Codebook


@dataclass(frozen=True)
class CueHit:
    start: int
    end: int
    target: str


class CueFinder:
    """One compiled regex for all cues; longest cue wins, matches start at a word start."""

    def __init__(self, codebook: Codebook) -> None:
        by_cue: dict[str, str] = {}
        for target in codebook.targets:
            for cue in target.cues:
                by_cue.setdefault(cue.casefold(), target.id)
        self._target = by_cue
        alternatives = sorted(by_cue, key=len, reverse=True)
        if alternatives:
            body = "|".join(re.escape(c) for c in alternatives)
            # Cues may be the head of a compound ("Bodentruppen-Einsatz") or be inflected
            # ("Verteidigungsausgaben"), so only the start is anchored at a word boundary.
            self._regex: re.Pattern[str] | None = re.compile(rf"(?<!\w)(?:{body})", re.IGNORECASE)
        else:
            self._regex = None

    def find(self, text: str) -> list[CueHit]:
        if self._regex is None:
            return []
        hits = []
        for m in self._regex.finditer(text):
            target = self._target.get(m.group(0).casefold())
            if target is not None:
                hits.append(CueHit(m.start(), m.end(), target))
        return hits
