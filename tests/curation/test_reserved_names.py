"""The gold standard's reserved name: an import may not make a person called "gold", and a
pre-merge that cannot make the gold standard changes nothing (not even the curator).

Through the real command line, on real files; the project is compared before and after.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.store.models import Annotator
from tests.curation.conftest import _labelled
from tests.safety.refusal import assert_refused, make_labelled_project

TEXT = "Olaf Scholz zögert bei der Lieferung."


def _stance(annotator: str) -> dict:
    return {"actor": "Olaf Scholz", "annotator": annotator, "target": "ground_troops",
            "stance": "favor"}  # fmt: skip


@pytest.mark.parametrize(
    ("record", "match"),
    [
        ({"stances": [_stance("gold")]}, r"g\.jsonl:2: stance 1: 'gold' is reserved"),
        ({"stances": [_stance(" gold ")]}, r"g\.jsonl:2: stance 1: 'gold' is reserved"),
        (
            {"stances": [], "done_by": ["anna", "gold"]},
            r"g\.jsonl:2: 'done_by': 'gold' is reserved",
        ),
    ],
)
def test_import_refuses_the_gold_standards_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], record: dict, match: str
) -> None:
    db = make_labelled_project(tmp_path / "project.db")
    path = tmp_path / "g.jsonl"
    lines = [{"id": "ok", "text": "Die Nato tagt heute."}, {"id": "g1", "text": TEXT, **record}]
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    line = assert_refused(db, ["import", "--no-model", str(path)], capsys, match)
    assert "--whole-project" in line


def test_a_premerge_that_cannot_make_gold_creates_no_curator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A project with a person called "gold" (from an older version) cannot curate: the
    refusal comes before the curator 'lead2' is created."""
    project = _labelled(str(tmp_path / "lead.db"))
    with project.write() as s:
        s.add(Annotator(name="gold"))
    project.close()
    assert_refused(
        str(tmp_path / "lead.db"),
        ["curate", "--strategy", "complete", "--curator", "lead2"],
        capsys,
        r"an annotator called 'gold', a name reserved",
    )
