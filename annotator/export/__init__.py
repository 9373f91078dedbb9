"""Exporting labelled data: `documents` and `stances` JSONL, and spaCy DocBin (docs/export.md).

`export` and `ExportReport` are loaded on first use: they bring spaCy, which every command
line would otherwise pay for when it only needs the option choices.
"""

from typing import Any

from annotator.export.options import (
    FORMATS,
    LABEL_MODES,
    ExportFormat,
    ExportOptions,
    LabelMode,
    default_output,
)

__all__ = [
    "FORMATS",
    "LABEL_MODES",
    "ExportFormat",
    "ExportOptions",
    "ExportReport",
    "LabelMode",
    "default_output",
    "export",
]


def __getattr__(name: str) -> Any:
    if name in ("export", "ExportReport"):
        from annotator.export import run

        return getattr(run, name)
    raise AttributeError(f"module 'annotator.export' has no attribute {name!r}")
