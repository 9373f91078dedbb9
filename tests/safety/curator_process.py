"""Helper process for tests/safety/test_curation_race.py: a curator deciding units the way
the curation view does (CurationSession), saying so after each decision returned.

    curator_process.py DB CURATOR SEED STOP_FILE

It decides until STOP_FILE exists (the test makes it once the lead's runs are over).

Prints one line per decision, written with os.write after the call returned (so a line in
the pipe means the decision was committed):

    d ARTICLE ACTOR TARGET STANCE      (STANCE "-" for a "no stance" decision)
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

from annotator.codebook import load_codebook
from annotator.curation import CurationSession
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import open_project
from annotator.store.label_reads import LabelFilter, read_cells
from annotator.store.labels import CellKey


def main(db: str, curator: str, seed: int, stop: Path) -> None:
    codebook = load_codebook()
    rng = random.Random(seed)
    with open_project(db, create=False) as project:
        units = sorted({(a, actor, t) for _r, a, actor, t, _who, _s in read_cells(
            project, LabelFilter(done_only=True))})  # fmt: skip
        session = CurationSession(project, codebook, get_or_create_annotator(project, curator))
        choices = [*codebook.stance_ids, None]
        while not stop.exists():
            article, actor, target = rng.choice(units)
            stance = rng.choice(choices)
            session.set_stance(CellKey(article, actor, target), stance)
            line = f"d {article} {actor} {target} {stance or '-'}\n"
            os.write(1, line.encode("utf-8"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))
