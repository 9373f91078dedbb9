"""Exporting labelled data: `documents` and `stances` JSONL, and spaCy DocBin (docs/export.md)."""

from annotator.export.options import FORMATS, LABEL_MODES, ExportOptions, default_output
from annotator.export.run import ExportReport, export

__all__ = ["FORMATS", "LABEL_MODES", "ExportOptions", "ExportReport", "default_output", "export"]
