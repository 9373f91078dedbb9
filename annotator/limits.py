"""Limits on what the tool stores, checked wherever data comes in: import, merge, the window.

Names (actors, aliases, annotators, cue words) become parts of the highlighter's and the
cue matcher's patterns, so one absurd name must not be able to break every later import.
The longest real actor names are about 70 characters ("Bundesministerium für wirtschaftliche
Zusammenarbeit und Entwicklung"); a longer one is a whole selected paragraph or a damaged
file. Metadata is free-form JSON, but strict JSON (no NaN or Infinity, which no JSON reader
accepts) and nested only as deep as real metadata goes.
"""

from __future__ import annotations

import math
from typing import Any

from annotator.errors import InputError

MAX_NAME_CHARS = 200
MAX_META_DEPTH = 20


def check_name(value: Any, what: str = "name") -> str:
    """Return the name stripped, or raise InputError saying what is wrong with it."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"the {what} is empty")
    name = value.strip()
    if len(name) > MAX_NAME_CHARS:
        raise InputError(
            f"the {what} {name[:40]!r}… is {len(name):,} characters long; "
            f"names have at most {MAX_NAME_CHARS}"
        )
    if any(ch < " " for ch in name):
        raise InputError(f"the {what} {name[:40]!r} contains a line break or a control character")
    return name


def check_meta(value: Any) -> None:
    """Refuse metadata that is not strict JSON or is nested deeper than MAX_META_DEPTH.

    Walks without recursion, so any depth is refused cleanly.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_META_DEPTH:
                raise InputError(f"metadata is nested more than {MAX_META_DEPTH} levels deep")
            children = item.values() if isinstance(item, dict) else item
            if isinstance(item, dict) and not all(isinstance(k, str) for k in item):
                raise InputError("metadata keys must be texts")
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(item, float) and not math.isfinite(item):
            raise InputError(f"metadata holds {item!r}, which is not valid JSON")
        elif not (item is None or isinstance(item, str | int | float | bool)):
            raise InputError(f"metadata holds a {type(item).__name__}, which is not JSON")
