"""Merging a project file that holds a gold standard (store/merge_gold.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from annotator.curation import CurationSession, load_article_curation
from annotator.errors import InputError
from annotator.store.engine import open_project
from annotator.store.gold import CURATED, gold_annotator_id
from annotator.store.merge import IdentityConflict, merge_projects
from annotator.store.models import Annotator
from tests.agreement.builders import article_id, label_anna, label_ben, new_project
from tests.curation.conftest import key, person


@pytest.fixture
def curated_file(tmp_path: Path, codebook) -> Path:
    """anna's and ben's labels, a1 curated (Masala: ben's version; Pistorius pre-merged)
    and a "no stance" decision in a2."""
    path = tmp_path / "curated.db"
    with new_project(path) as project:
        label_anna(project)
        label_ben(project)
        cur = CurationSession(project, codebook, person(project, "lena"))
        cur.premerge(article_id(project, "a1"), "complete")
        cur.accept(key(project, "a1", "Carlo Masala", "ground_troops"), person(project, "ben"))
        cur.finish(article_id(project, "a1"))
        cur.set_stance(key(project, "a2", "Carlo Masala", "ground_troops"), None)
    return path


def units(project, ext: str) -> dict[str, tuple]:
    view = load_article_curation(project, article_id(project, ext))
    return {
        u.actor: (u.gold.stance, u.origin and (u.origin.kind, u.origin.annotator, u.origin.curator))
        for u in view.units
        if u.decided
    }


def test_gold_decisions_and_curation_come_along_with_their_provenance(
    curated_file: Path, tmp_path: Path, codebook
) -> None:
    with new_project(tmp_path / "lead.db", texts={}) as lead:
        report = merge_projects(lead, [curated_file], codebook=codebook, whole_project=True)
        (result,) = report.files
        assert (result.gold_added, result.curations_added, result.gold_kept) == (3, 2, 0)
        assert "3 gold decision(s) and 2 curation state(s) added" in result.summary()
        assert units(lead, "a1") == {
            "Carlo Masala": ("against", ("annotator", "ben", "lena")),
            "Boris Pistorius": ("favor", ("strategy", None, "lena")),
        }
        assert units(lead, "a2") == {"Carlo Masala": (None, ("curator", None, "lena"))}
        assert load_article_curation(lead, article_id(lead, "a1")).state == CURATED
        with lead.session() as s:
            kinds = {a.name: a.kind for a in s.exec(select(Annotator)).all()}
        assert kinds == {"anna": "person", "ben": "person", "lena": "person", "gold": "gold"}
        again = merge_projects(lead, [curated_file], codebook=codebook, whole_project=True)
        again = again.files[0]
        assert (again.gold_added, again.curations_added, again.gold_kept) == (0, 0, 0)
        assert not again.changed


def test_a_unit_decided_here_keeps_its_decision(
    curated_file: Path, tmp_path: Path, codebook
) -> None:
    with new_project(tmp_path / "lead.db") as lead:
        CurationSession(lead, codebook, person(lead, "otto")).set_stance(
            key(lead, "a1", "Carlo Masala", "ground_troops"), "neutral"
        )
        result = merge_projects(lead, [curated_file], codebook=codebook, whole_project=True)
        result = result.files[0]
        assert (result.gold_added, result.gold_kept) == (2, 1)
        assert units(lead, "a1")["Carlo Masala"] == ("neutral", ("curator", None, "otto"))
        # otto's decision put a1 in curation here: that state is kept too, not "curated"
        assert load_article_curation(lead, article_id(lead, "a1")).state == "in_curation"


def test_a_coders_file_never_brings_gold_or_curation(
    curated_file: Path, tmp_path: Path, codebook
) -> None:
    """A hand-edited package cannot forge gold: a coder's file holds one person's work."""
    with new_project(tmp_path / "lead.db") as lead:
        before = units(lead, "a1")
        with pytest.raises(InputError, match="gold-standard decisions or curation states"):
            merge_projects(lead, [curated_file], codebook=codebook)
        assert units(lead, "a1") == before and gold_annotator_id(lead) is None


def _person_called_gold(tmp_path: Path) -> Path:
    """A file from before curation whose annotator chose the name "gold"."""
    path = tmp_path / "old.db"
    with new_project(path) as project:
        label_anna(project)
    conn = sqlite3.connect(path)
    try:
        conn.execute("UPDATE annotator SET name = 'gold' WHERE name = 'anna'")
        conn.commit()
    finally:
        conn.close()
    return path


def test_a_person_called_gold_is_refused_with_a_rename_hint(tmp_path: Path, codebook) -> None:
    old = _person_called_gold(tmp_path)
    with open_project(str(tmp_path / "lead.db")) as lead:
        with pytest.raises(IdentityConflict, match="--rename gold=gold-2"):
            merge_projects(lead, [old], codebook=codebook)
        merge_projects(lead, [old], codebook=codebook, renames={"gold": "gold-2"})
        assert gold_annotator_id(lead) is None  # a person's labels never become gold
        with lead.session() as s:
            names = set(s.exec(select(Annotator.name)).all())
        assert names == {"gold-2"}
        with pytest.raises(Exception, match="reserved for the curated gold standard"):
            merge_projects(lead, [old], codebook=codebook, renames={"anna": "gold"})
