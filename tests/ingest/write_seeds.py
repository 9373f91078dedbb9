"""Writes resources/seeds.jsonl, the seeds imported with the shipped model and exported as
`documents` (annotator/ingest/seeds.py): `python -m tests.ingest.write_seeds [DEST]`."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from annotator.codebook import load_codebook
from annotator.export import export
from annotator.ingest.importer import import_paths
from annotator.ingest.seeds import HIGHLIGHTED
from annotator.paths import resource, seeds_dir
from annotator.store.engine import open_project


def write_highlighted_seeds(dest: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp, open_project(str(Path(tmp) / "s.db")) as p:
        import_paths(p, [seeds_dir()])
        export(p, load_codebook(), "documents", dest)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else resource(HIGHLIGHTED)
    write_highlighted_seeds(target)
    print(f"wrote {target}")
