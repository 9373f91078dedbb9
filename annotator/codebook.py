"""The codebook: targets (with cue words) and the ordered stance scale, loaded from TOML."""

from __future__ import annotations

import re
import tomllib
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
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        line = _line_of(text, f"[[{section}]]", idx)
        raise CodebookError(
            f"{_where(path, line)}: [[{section}]] entry {idx + 1} needs a non-empty text '{key}'"
        )
    return value.strip()


def load_codebook(path: str | Path | None = None) -> Codebook:
    path = Path(path) if path else default_codebook_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CodebookError(f"codebook file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(f"cannot read codebook {path}: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message already says "(at line N, column M)".
        raise CodebookError(f"{path}: invalid TOML: {exc}") from None
    return parse_codebook(data, path=path, text=text)


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
        tid = _require_str(t, "id", "targets", i, path, text)
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
                key=str(t.get("key", "")),
                short=str(t.get("short", "")),
                predicates=_predicates(t, tid, path, text, i),
            )
        )
    stances: list[Stance] = []
    raw_stances = data.get("stances")
    if not isinstance(raw_stances, list) or len(raw_stances) < 2:
        raise CodebookError(f"{path}: the codebook needs at least two [[stances]] entries")
    for i, s in enumerate(raw_stances):
        stances.append(
            Stance(
                id=_require_str(s, "id", "stances", i, path, text),
                label_de=_require_str(s, "label_de", "stances", i, path, text),
                label_en=_require_str(s, "label_en", "stances", i, path, text),
                definition=_require_str(s, "definition", "stances", i, path, text),
                key=str(s.get("key", "")),
                color=str(s.get("color", "#888888")),
            )
        )
    for kind, ids in (("target", [t.id for t in targets]), ("stance", [s.id for s in stances])):
        dupes = {x for x in ids if ids.count(x) > 1}
        if dupes:
            raise CodebookError(f"{path}: duplicate {kind} id {sorted(dupes)[0]!r}")
    return Codebook(
        name=str(data.get("name", path.stem)),
        targets=tuple(targets),
        stances=tuple(stances),
        path=str(path),
    )
