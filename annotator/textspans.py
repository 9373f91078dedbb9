"""Offsets between Python `str` indices (the store) and UTF-16 code units (Qt).

A character outside the Basic Multilingual Plane (an emoji, say) is one Python index but two
UTF-16 units, so every position after it shifts by one in Qt. Articles without such
characters (nearly all) take the fast path where both are the same.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Map:
    def __init__(self, text: str) -> None:
        self.length = len(text)
        # Python indices of astral characters, in order.
        # A regex finds them in C: a comprehension over a 200 KB article took 35 ms.
        self._astral = [m.start() for m in _ASTRAL.finditer(text)] if not text.isascii() else []
        # The UTF-16 position of each astral character's first unit.
        self._astral_q = [i + k for k, i in enumerate(self._astral)]

    @property
    def identity(self) -> bool:
        return not self._astral

    def to_qt(self, index: int) -> int:
        """Python index -> UTF-16 position."""
        if not self._astral:
            return index
        return index + bisect_left(self._astral, index)

    def to_py(self, pos: int) -> int:
        """UTF-16 position -> Python index (a position inside a surrogate pair rounds down)."""
        if not self._astral:
            return pos
        k = bisect_right(self._astral_q, pos - 1)
        # k astral characters start before `pos`; a pos that splits a pair maps to its char.
        if k and self._astral_q[k - 1] == pos - 1:
            return self._astral[k - 1]
        return pos - k
