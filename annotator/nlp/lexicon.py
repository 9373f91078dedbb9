"""The actor lexicon: curated actors with their names, loaded from resources/actors.toml."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.errors import InputError
from annotator.paths import resource

ACTOR_TYPES = (
    "person",
    "country",
    "organisation",
    "party",
    "government_body",
    "armed_forces",
    "company",
    "think_tank",
    "media",
    "other",
)
LABELS = ("PER", "ORG", "LOC", "MISC")
_DEFAULT_LABEL = {"person": "PER", "country": "LOC"} | {
    t: "ORG" for t in ACTOR_TYPES if t not in ("person", "country", "other")
}
ADJECTIVE_ENDINGS = ("", "e", "en", "er", "es", "em")
# Lowercase words inside a name that start the surname ("Ursula von der Leyen").
NAME_PARTICLES = frozenset(
    ["von", "van", "der", "den", "de", "di", "da", "del", "della", "dos", "du", "la", "le"]
    + ["ten", "ter", "zu", "al", "bin", "ibn"]
)
_ENTRY_KEYS = {"name", "aliases", "adjective", "surname", "label"}


@dataclass(frozen=True)
class ActorEntry:
    """One actor and every surface form the highlighter should find for it."""

    name: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()


def load_lexicon(path: str | Path | None = None) -> list[ActorEntry]:
    """Read a lexicon file (default: the shipped resources/actors.toml)."""
    path = Path(path) if path is not None else resource("actors.toml")
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read lexicon: {exc.strerror or exc}", path=str(path)) from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
        raise InputError(f"not valid TOML: {exc}", path=str(path), line=line) from exc
    return list(_entries(data, raw, str(path)))


def _entries(data: dict[str, Any], raw: str, path: str) -> Iterable[ActorEntry]:
    for actor_type, table in data.items():
        if actor_type not in ACTOR_TYPES:
            raise InputError(
                f"unknown actor type [{actor_type}]; use one of: {', '.join(ACTOR_TYPES)}",
                path=path,
                line=_line_of(raw, f"[{actor_type}]"),
            )
        if not isinstance(table, dict) or not isinstance(table.get("actors"), list):
            raise InputError(
                f"[{actor_type}] needs a list `actors = [...]`",
                path=path,
                line=_line_of(raw, f"[{actor_type}]"),
            )
        table_label = table.get("label", _DEFAULT_LABEL.get(actor_type))
        for number, item in enumerate(table["actors"], 1):
            yield _entry(actor_type, table_label, item, number, raw, path)


def _entry(
    actor_type: str, table_label: Any, item: Any, number: int, raw: str, path: str
) -> ActorEntry:
    where = f"[{actor_type}] entry {number}"
    name = item.get("name") if isinstance(item, dict) else None
    line = _line_of(raw, f'"{name}"') if isinstance(name, str) else None

    def fail(problem: str) -> InputError:
        return InputError(f"{where}: {problem}", path=path, line=line)

    if not isinstance(item, dict):
        raise fail('must be a table like { name = "..." }')
    if not isinstance(name, str) or not name.strip():
        raise fail("needs a non-empty `name`")
    unknown = set(item) - _ENTRY_KEYS
    if unknown:
        raise fail(f"unknown key(s) {', '.join(sorted(unknown))}")
    label = item.get("label", table_label)
    if label not in LABELS:
        raise fail(f"label must be one of {', '.join(LABELS)}, not {label!r}")
    aliases = _strings(item.get("aliases", []), "aliases", fail)
    stems = _strings(item.get("adjective", []), "adjective", fail)
    surname = item.get("surname", True)
    if not isinstance(surname, bool | str):
        raise fail("`surname` must be true, false or a string")
    if actor_type != "person" and "surname" in item:
        raise fail("`surname` is only for persons")

    forms: list[str] = list(aliases)
    if actor_type == "person" and surname:
        forms.append(surname if isinstance(surname, str) else _surname(name))
    forms.extend(stem + ending for stem in stems for ending in ADJECTIVE_ENDINGS)
    unique = tuple(dict.fromkeys(f.strip() for f in forms if f.strip() and f.strip() != name))
    return ActorEntry(name=name.strip(), type=actor_type, label=label, aliases=unique)


def _strings(value: Any, key: str, fail: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(f"`{key}` must be a string or a list of strings")
    return value


def _surname(name: str) -> str:
    words = name.split()
    for i, word in enumerate(words[1:], 1):
        if word in NAME_PARTICLES:
            return " ".join(words[i:])
    return words[-1]


def _line_of(raw: str, needle: str) -> int | None:
    at = raw.find(needle)
    return raw.count("\n", 0, at) + 1 if at >= 0 else None
