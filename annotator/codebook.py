"""The codebook: targets (with cue words) and the ordered stance scale, loaded from TOML."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.errors import CodebookError
from annotator.limits import MAX_NAME_CHARS
from annotator.paths import resource


@dataclass(frozen=True)
class Target:
    id: str
    label_de: str
    label_en: str
    definition: str
    cues: tuple[str, ...]
    key: str = ""
    short: str = ""  # a short English label for column headers
    # Stance predicates for this target only, by stance (annotator/suggest/predicates.py).
    predicates: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def short_label(self) -> str:
        return self.short or self.label_en


@dataclass(frozen=True)
class Stance:
    id: str
    label_de: str
    label_en: str
    definition: str
    key: str = ""
    color: str = "#888888"


@dataclass(frozen=True)
class Codebook:
    name: str
    targets: tuple[Target, ...]
    stances: tuple[Stance, ...]  # in scale order, e.g. against < neutral < favor
    path: str = ""

    @property
    def target_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.targets)

    @property
    def stance_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.stances)

    def target(self, target_id: str) -> Target:
        for t in self.targets:
            if t.id == target_id:
                return t
        raise CodebookError(
            f"unknown target {target_id!r} (codebook has {', '.join(self.target_ids)})"
        )

    def check_held_stances(self, held: Iterable[str | None]) -> None:
        """Refuse this codebook for labels that hold a stance it does not define: figures,
        exports and networks made with it would count that stance as nothing or stop on it."""
        for stance in held:
            if stance is not None and stance not in self.stance_ids:
                raise CodebookError(
                    f"the project holds the stance {stance!r}, which the codebook "
                    f"{self.path or self.name} does not define; use the project's codebook"
                )

    def stance(self, stance_id: str) -> Stance:
        for s in self.stances:
            if s.id == stance_id:
                return s
        raise CodebookError(
            f"unknown stance {stance_id!r} (codebook has {', '.join(self.stance_ids)})"
        )


def default_codebook_path() -> Path:
    return resource("codebook.toml")


def _line_of(text: str, needle: str, nth: int = 0) -> int | None:
    """1-based line of the nth `needle` in text, so errors can point at the right place."""
    hits = [m.start() for m in re.finditer(re.escape(needle), text)]
    if len(hits) <= nth:
        return None
    return text.count("\n", 0, hits[nth]) + 1


def _where(path: Path, line: int | None) -> str:
    return f"{path}:{line}" if line else str(path)


def _require_str(table: dict, key: str, section: str, idx: int, path: Path, text: str) -> str:
    value = table.get(key) if isinstance(table, dict) else None  # `targets = [1]`: no table
    if not isinstance(value, str) or not value.strip():
        line = _line_of(text, f"[[{section}]]", idx)
        raise CodebookError(
            f"{_where(path, line)}: [[{section}]] entry {idx + 1} needs a non-empty text '{key}'"
        )
    return value.strip()


def load_codebook(path: str | Path | None = None) -> Codebook:
    path = Path(path) if path else default_codebook_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CodebookError(f"codebook file not found: {path}") from None
    except OSError as exc:
        raise CodebookError(f"cannot read codebook {path}: {exc.strerror or exc}") from None
    try:
        # With or without a BOM (Windows editors write one), as the import reads JSONL.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise CodebookError(
            f"cannot read codebook {path}: line {line} is not valid UTF-8 text; save the file "
            "as UTF-8"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as read_text() did
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message already says "(at line N, column M)".
        raise CodebookError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:  # arrays or tables nested thousands deep
        raise CodebookError(f"{path}: invalid TOML: nested too deeply") from None
    return parse_codebook(data, path=path, text=text)


def _entry_line(text: str, section: str, idx: int) -> int | None:
    return _line_of(text, f"[[{section}]]", idx)


def _require_id(table: dict, kind: str, section: str, idx: int, path: Path, text: str) -> str:
    """An id goes into exported ids ('article|actor|target|annotator') and one-line lists."""
    value = _require_str(table, "id", section, idx, path, text)
    problem = ""
    if "|" in value:
        problem = "must not contain '|' (it separates the parts of exported ids)"
    elif any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in value):
        problem = "must be one line (no line break or other control character)"
    if problem:
        where = _where(path, _entry_line(text, section, idx))
        raise CodebookError(f"{where}: {kind} id {value!r} {problem}")
    return value


def _key(entry: dict, kind: str, eid: str, section: str, idx: int, path: Path, text: str) -> str:
    """The entry's key: one character the window binds as a shortcut (gui/desk/shortcuts.py),
    or none. 'Ctrl+Q' or '' would bind nothing, or another action."""
    if "key" not in entry:
        return ""
    value = entry["key"]
    ok = (
        isinstance(value, str)
        and len(value) == 1
        and value.isprintable()
        and not value.isspace()
        and ord(value) < 0x10000  # Qt binds no key beyond the Basic Multilingual Plane
    )
    if not ok:
        where = _where(path, _entry_line(text, section, idx))
        raise CodebookError(
            f"{where}: key 'key' of {kind} {eid!r} must be one character (a letter, digit or "
            f'sign, e.g. key = "1"), not {value!r}'
        )
    return str(value)


_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


def _color(entry: dict, sid: str, idx: int, path: Path, text: str) -> str:
    """The stance's colour goes into the window's style sheets and HTML: only #rrggbb."""
    value = entry.get("color", "#888888")
    if not (isinstance(value, str) and _COLOR.fullmatch(value)):
        where = _where(path, _entry_line(text, "stances", idx))
        raise CodebookError(
            f"{where}: key 'color' of stance {sid!r} must be a colour as #rrggbb (e.g. color = "
            f'"#27ae60"), not {str(value)[:40]!r}'
        )
    return value


def _check_keys(targets: list[Target], stances: list[Stance], path: Path, text: str) -> None:
    """No two entries share a key. Stance keys are bound in upper case, so 'f' is 'F'."""
    seen: dict[str, tuple[str, str]] = {}
    entries = [("target", "targets", i, t.id, t.key) for i, t in enumerate(targets)]
    entries += [("stance", "stances", i, s.id, s.key) for i, s in enumerate(stances)]
    for kind, section, idx, eid, key in entries:
        if not key:
            continue
        other = seen.setdefault(key.upper(), (kind, eid))
        if other != (kind, eid):
            where = _where(path, _entry_line(text, section, idx))
            raise CodebookError(
                f"{where}: {kind} {eid!r} has the key {key!r} of {other[0]} {other[1]!r}; "
                "each key can do one thing"
            )


def _name(data: dict, path: Path, text: str) -> str:
    value = data.get("name", path.stem)
    if not isinstance(value, str) or not value.strip():
        found = re.search(r"^[ \t]*name[ \t]*=", text, re.MULTILINE)
        line = text.count("\n", 0, found.start()) + 1 if found else None
        raise CodebookError(f"{_where(path, line)}: key 'name' must be a text, e.g. name = \"...\"")
    return value


def _predicates(
    t: dict, tid: str, path: Path, text: str, i: int
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`predicates = { favor = [...], against = [...] }`: a table of lists of texts."""
    raw = t.get("predicates", {})
    ok = isinstance(raw, dict) and all(
        isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v)
        for v in raw.values()
    )
    if not ok:
        line = _line_of(text, "predicates", i)
        raise CodebookError(
            f"{_where(path, line)}: key 'predicates' of target {tid!r} must be a table of "
            'lists of texts, e.g. predicates = { favor = ["fordert"] }'
        )
    return tuple((str(k), tuple(x.strip() for x in v)) for k, v in raw.items())


def parse_codebook(data: dict, *, path: Path, text: str = "") -> Codebook:
    targets: list[Target] = []
    raw_targets = data.get("targets")
    if not isinstance(raw_targets, list) or not raw_targets:
        raise CodebookError(f"{path}: the codebook needs at least one [[targets]] entry")
    for i, t in enumerate(raw_targets):
        tid = _require_id(t, "target", "targets", i, path, text)
        cues = t.get("cues", [])
        if not isinstance(cues, list) or not all(isinstance(c, str) and c.strip() for c in cues):
            line = _line_of(text, "cues", i)
            raise CodebookError(
                f"{_where(path, line)}: key 'cues' of target {tid!r} must be a list of texts"
            )
        for cue in cues:
            if len(cue.strip()) > MAX_NAME_CHARS:
                line = _line_of(text, cue[:40])
                raise CodebookError(
                    f"{_where(path, line)}: a cue word of target {tid!r} is {len(cue.strip()):,} "
                    f"characters long; cue words have at most {MAX_NAME_CHARS}"
                )
        targets.append(
            Target(
                id=tid,
                label_de=_require_str(t, "label_de", "targets", i, path, text),
                label_en=_require_str(t, "label_en", "targets", i, path, text),
                definition=_require_str(t, "definition", "targets", i, path, text),
                cues=tuple(c.strip() for c in cues),
                key=_key(t, "target", tid, "targets", i, path, text),
                short=str(t.get("short", "")),
                predicates=_predicates(t, tid, path, text, i),
            )
        )
    stances: list[Stance] = []
    raw_stances = data.get("stances")
    if not isinstance(raw_stances, list) or len(raw_stances) < 2:
        raise CodebookError(f"{path}: the codebook needs at least two [[stances]] entries")
    for i, s in enumerate(raw_stances):
        sid = _require_id(s, "stance", "stances", i, path, text)
        stances.append(
            Stance(
                id=sid,
                label_de=_require_str(s, "label_de", "stances", i, path, text),
                label_en=_require_str(s, "label_en", "stances", i, path, text),
                definition=_require_str(s, "definition", "stances", i, path, text),
                key=_key(s, "stance", sid, "stances", i, path, text),
                color=_color(s, sid, i, path, text),
            )
        )
    for kind, ids in (("target", [t.id for t in targets]), ("stance", [s.id for s in stances])):
        dupes = {x for x in ids if ids.count(x) > 1}
        if dupes:
            raise CodebookError(f"{path}: duplicate {kind} id {sorted(dupes)[0]!r}")
    _check_keys(targets, stances, path, text)
    return Codebook(
        name=_name(data, path, text),
        targets=tuple(targets),
        stances=tuple(stances),
        path=str(path),
    )
