"""A package is one coder's work: merging takes her labels, evidence, notes and done marks
in the articles planned for her, and nothing else (issue 23, items 2, 3 and 8). Each test
hand-edits a real package the way a user with an SQLite browser could."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.assignments.package import write_package
from annotator.assignments.plan import PlanRequest
from annotator.assignments.service import plan_project
from annotator.errors import InputError
from annotator.store.annotators import get_or_create_annotator
from annotator.store.assignments import queue
from annotator.store.engine import Project, open_project
from annotator.store.gold import gold_annotator_id
from annotator.store.label_reads import LabelFilter, read_labels
from annotator.store.labels import CellKey, CellState, get_cell, put_cell, set_done
from annotator.store.merge import IdentityConflict, merge_projects
from tests.agreement.builders import actor_id, new_project
from tests.conftest import add_article

EXTRA = {f"p{i}": f"Artikel {i}: Pistorius und Masala beraten." for i in range(8)}


@pytest.fixture
def lead(tmp_path: Path, codebook) -> Project:
    project = new_project(tmp_path / "lead.db")
    for ext, text in EXTRA.items():
        add_article(project, ext, text, title=ext)
    plan_project(project, PlanRequest(("anna", "ben"), overlap=0.0, seed=3))
    yield project
    project.close()


def _package(lead: Project, name: str, tmp_path: Path, codebook) -> Path:
    path = tmp_path / f"{name}.db"
    write_package(lead, name, path, codebook)
    return path


def _work(
    path: Path, name: str, stance: str = "favor", queued: str | None = None
) -> tuple[int, int]:
    """The coder labels her first queued article (of `queued`'s queue) and marks it done;
    (article, actor) ids."""
    with open_project(str(path)) as p:
        me = get_or_create_annotator(p, name)
        article = queue(p, get_or_create_annotator(p, queued or name))[0]
        actor = actor_id(p, "Carlo Masala")
        put_cell(p, me, CellKey(article, actor, "ground_troops"), CellState(stance))
        set_done(p, article, me)
    return article, actor


def _sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def _labels(project: Project) -> list[tuple[str, str | None]]:
    return sorted(
        (lab.annotator, lab.stance)
        for lab in read_labels(project, LabelFilter(who="everyone"), names=True)
    )


def test_a_package_with_injected_gold_and_curation_is_refused(lead, tmp_path, codebook) -> None:
    pkg = _package(lead, "anna", tmp_path, codebook)
    article, actor = _work(pkg, "anna")
    _sql(
        pkg,
        "INSERT INTO annotator (name, kind, created_at) VALUES ('gold', 'gold', '2026-01-01')",
        "INSERT INTO stanceannotation (article_id, actor_id, target, stance, annotator_id, "
        f"created_at, updated_at) SELECT {article}, {actor}, 'ground_troops', 'favor', id, "
        "'2026-01-01', '2026-01-01' FROM annotator WHERE kind = 'gold'",
        f"INSERT INTO curation (article_id, state, at) VALUES ({article}, 'curated', '2026-01-01')",
    )
    with pytest.raises(InputError, match="gold-standard decisions or curation states"):
        merge_projects(lead, [pkg], codebook=codebook)
    assert gold_annotator_id(lead) is None and _labels(lead) == []


def test_a_package_with_a_second_annotator_is_refused_naming_both(lead, tmp_path, codebook) -> None:
    pkg = _package(lead, "anna", tmp_path, codebook)
    _work(pkg, "anna")
    _work(pkg, "ben", queued="anna")  # ben "labels" in anna's package
    with pytest.raises(InputError, match=r"work of 2 annotators \('anna', 'ben'\)"):
        merge_projects(lead, [pkg], codebook=codebook)
    assert _labels(lead) == []


def test_a_package_without_an_identity_is_refused(lead, tmp_path, codebook) -> None:
    """A NULL uid used to be matched by name: a forged "ben" overwrote ben's label."""
    pkg = _package(lead, "ben", tmp_path, codebook)
    _work(pkg, "ben", "against")
    _sql(pkg, "UPDATE annotator SET uid = NULL",
         "UPDATE stanceannotation SET updated_at = '2099-01-01 00:00:00'")  # fmt: skip
    with pytest.raises(InputError, match="does not say who 'ben' is"):
        merge_projects(lead, [pkg], codebook=codebook)
    assert _labels(lead) == []


def test_anothers_identity_on_a_row_is_refused(lead, tmp_path, codebook) -> None:
    """ben's uid on anna's row merged all of anna's labels as ben's."""
    ben = _package(lead, "ben", tmp_path, codebook)
    anna = _package(lead, "anna", tmp_path, codebook)
    _work(anna, "anna")
    conn = sqlite3.connect(ben)
    ben_uid = conn.execute("SELECT uid FROM annotator WHERE name = 'ben'").fetchone()[0]
    conn.close()
    _sql(anna, f"UPDATE annotator SET uid = '{ben_uid}' WHERE name = 'anna'")
    with pytest.raises(IdentityConflict, match="'anna' .* carries the identity of 'ben'"):
        merge_projects(lead, [anna], codebook=codebook)
    assert _labels(lead) == []


def test_times_from_the_future_are_taken_as_now_with_a_warning(lead, tmp_path, codebook) -> None:
    """A label dated 2099 made ben's later real edit merge as "nothing new"."""
    pkg = _package(lead, "ben", tmp_path, codebook)
    article, actor = _work(pkg, "ben", "against")
    _sql(pkg, "UPDATE stanceannotation SET updated_at = '2099-01-01 00:00:00'")
    (result,) = merge_projects(lead, [pkg], codebook=codebook).files
    assert result.future_times == 1 and "lie in the future (up to 2099-01-01" in result.summary()
    with open_project(str(pkg)) as p:  # ben's real edit, later
        put_cell(p, get_or_create_annotator(p, "ben"),
                 CellKey(article, actor, "ground_troops"), CellState("neutral"))  # fmt: skip
    merge_projects(lead, [pkg], codebook=codebook)
    assert _labels(lead) == [("ben", "neutral")]


def test_a_cleared_label_and_a_taken_back_done_mark_reach_the_lead(
    lead, tmp_path, codebook
) -> None:
    pkg = _package(lead, "anna", tmp_path, codebook)
    article, actor = _work(pkg, "anna")
    merge_projects(lead, [pkg], codebook=codebook)
    anna = get_or_create_annotator(lead, "anna")
    assert _labels(lead) == [("anna", "favor")]
    with open_project(str(pkg)) as p:  # she changes her mind in her package
        me = get_or_create_annotator(p, "anna")
        put_cell(p, me, CellKey(article, actor, "ground_troops"), CellState())
        set_done(p, article, me, False)
    (result,) = merge_projects(lead, [pkg], codebook=codebook).files
    assert (result.labels_cleared, result.done_removed) == (1, 1)
    assert "1 cleared" in result.summary() and "1 taken back" in result.summary()
    assert _labels(lead) == []
    assert get_cell(lead, anna, CellKey(article, actor, "ground_troops")) == CellState()
    again = merge_projects(lead, [pkg], codebook=codebook).files[0]
    assert not again.changed and again.summary().endswith("nothing new")


def test_a_later_label_at_the_lead_is_not_cleared_by_an_older_clearing(
    lead, tmp_path, codebook
) -> None:
    pkg = _package(lead, "anna", tmp_path, codebook)
    article, actor = _work(pkg, "anna")
    with open_project(str(pkg)) as p:
        put_cell(p, get_or_create_annotator(p, "anna"), CellKey(article, actor, "ground_troops"),
                 CellState())  # fmt: skip
    anna = get_or_create_annotator(lead, "anna")
    put_cell(lead, anna, CellKey(article, actor, "ground_troops"), CellState("neutral"))
    merge_projects(lead, [pkg], codebook=codebook)
    assert _labels(lead) == [("anna", "neutral")]


def test_work_outside_her_plan_is_not_taken_and_said(lead, tmp_path, codebook) -> None:
    pkg = _package(lead, "anna", tmp_path, codebook)
    ben_article = queue(lead, get_or_create_annotator(lead, "ben"))[0]
    with open_project(str(pkg)) as p:  # an article of ben's added to her package by hand
        text = "Artikel: Pistorius und Masala beraten."
        other = add_article(p, "x-extra", text, title="x")
        me = get_or_create_annotator(p, "anna")
        put_cell(p, me, CellKey(other, actor_id(p, "NATO"), "nato_membership"),
                 CellState("favor"))  # fmt: skip
    _sql(pkg, f"UPDATE article SET external_id = (SELECT 'x' || {ben_article}) WHERE "
         "external_id = 'x-extra'")  # fmt: skip
    (result,) = merge_projects(lead, [pkg], codebook=codebook).files
    assert result.articles_not_taken == 1 and result.articles_added == 0
    assert "NOT taken" in result.summary()
    assert _labels(lead) == []


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("UPDATE stanceannotation SET updated_at = 'next tuesday'", "damaged time 'next tuesday'"),
        ("UPDATE articledone SET done_at = '2026-13-45'", "done mark has the damaged time"),
        ("UPDATE evidence SET start = 'x'", "evidence x-"),
        ("UPDATE labelevent SET after = '[1, 2]'", "history event .* is damaged"),
    ],
)
def test_a_package_with_damaged_values_is_one_clear_refusal(
    lead, tmp_path, codebook, sql, message
) -> None:
    """A tampered package's bad time or offset was "unexpected ValueError/TypeError"."""
    pkg = _package(lead, "anna", tmp_path, codebook)
    article, actor = _work(pkg, "anna")
    with open_project(str(pkg)) as p:
        me = get_or_create_annotator(p, "anna")
        put_cell(p, me, CellKey(article, actor, "ground_troops"), CellState("favor", ((0, 7),)))
    _sql(pkg, sql)
    with pytest.raises(InputError, match=message):
        merge_projects(lead, [pkg], codebook=codebook)
    assert _labels(lead) == []
