"""User settings (annotator name, font size, model...), kept in one small JSON file.

Written atomically (temp file + rename) so a crash never leaves a half-written file.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from annotator.paths import user_config_dir


@dataclass
class Settings:
    annotator: str | None = None
    font_size: int = 13
    model: str | None = None
    codebook: str | None = None
    # With an assignment plan: the articles outside the annotator's queue, greyed after it.
    show_unassigned: bool = False
    # Where each window was and how big (Qt's saveGeometry, base64), by window name ("main",
    # "curation", ...), and the widths of its columns (a splitter's sizes), as the user left
    # them: a laptop's 1366 x 768 and a desk's two screens need different layouts.
    windows: dict[str, str] = field(default_factory=dict)
    splitters: dict[str, list[int]] = field(default_factory=dict)


def settings_path() -> Path:
    return user_config_dir() / "settings.json"


def load_settings() -> Settings:
    path = settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in raw.items() if k in known and _usable(k, v)})


def _usable(name: str, value: Any) -> bool:
    """A hand-edited or damaged file must not stop the window: a layout of the wrong shape
    is dropped (the defaults apply)."""
    if name == "windows":
        return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    if name == "splitters":
        return isinstance(value, dict) and all(
            isinstance(v, list) and all(isinstance(n, int) and n >= 0 for n in v)
            for v in value.values()
        )
    return True


def save_settings(settings: Settings) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(settings), fh, ensure_ascii=False, indent=2)
    os.replace(tmp, path)
