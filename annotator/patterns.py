"""Regex building blocks shared by the highlighter and the cue matcher (no NLP here)."""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of `words`, built as a trie so matching stays fast for
    thousands of words; at one position the longest word wins."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _emit(trie) or "(?!)"


def _emit(root: dict[str, dict]) -> str:
    """The trie as a regex, built bottom-up without recursion (a word may be long)."""
    done: dict[int, str] = {}
    stack: list[tuple[dict[str, dict], bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if not children_done:
            stack.append((node, True))
            stack.extend((child, False) for char, child in node.items() if char)
            continue
        branches = [re.escape(char) + done.pop(id(child)) for char, child in sorted(node.items())
                    if char]  # fmt: skip
        if not branches:
            done[id(node)] = ""
            continue
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Greedy optional: the longer word is tried first, the shorter one on backtracking.
        done[id(node)] = f"(?:{body})?" if "" in node else body
    return done[id(root)]
