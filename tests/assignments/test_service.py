"""Plans in a project: written, extended without moving work, reassigned; and the queue the
window reads (store/assignments.py and the `assigned_to` filter of store/articles.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.assignments.plan import PlanRequest
from annotator.assignments.service import plan_project, reassign_project, stored_request
from annotator.errors import InputError
from annotator.store.annotators import get_or_create_annotator
from annotator.store.articles import article_ids, article_rows, count_articles
from annotator.store.assignments import (
    has_plan,
    next_in_queue,
    plan_settings,
    queue,
    queue_position,
    read_assignments,
)
from annotator.store.engine import Project, open_project
from annotator.store.labels import CellKey, CellState, put_cell, set_done
from tests.conftest import add_actor, add_article

TEAM = ("anna", "ben", "cara", "dan")


def corpus(project: Project, n: int, start: int = 0) -> list[int]:
    return [
        add_article(project, f"s{i:03d}", f"Artikel {i}: Pistorius spricht.", title=f"Titel {i}")
        for i in range(start, start + n)
    ]


@pytest.fixture
def lead(tmp_path: Path) -> Project:
    project = open_project(str(tmp_path / "lead.db"))
    corpus(project, 40)
    add_actor(project, "Boris Pistorius")
    yield project
    project.close()


def snapshot(project: Project) -> list[tuple[str, int, int, bool]]:
    return sorted(
        (r.annotator, r.article_id, r.position, r.overlap) for r in read_assignments(project)
    )


def test_a_plan_is_stored_with_its_settings_and_shown_as_queues(lead: Project) -> None:
    assert not has_plan(lead)
    result = plan_project(lead, PlanRequest(TEAM, overlap=0.2, coders_per_overlap=2, seed=1))
    assert result.written and result.articles_added == 40 and result.overlap_added == 8
    assert sorted(result.assigned.values()) == [12, 12, 12, 12]  # 40 + 8 second coders
    assert len(result.pairs) == 6  # every pair shares articles: kappa for each
    assert has_plan(lead)
    assert plan_settings(lead) | {"updated_at": None} == {
        "annotators": list(TEAM), "overlap": 0.2, "coders_per_overlap": 2, "seed": 1,
        "order": "shuffled per annotator", "updated_at": None,
    }  # fmt: skip
    assert stored_request(lead) == PlanRequest(TEAM, 0.2, 2, 1)
    anna = get_or_create_annotator(lead, "anna")
    mine = queue(lead, anna)
    assert len(mine) == 12
    assert article_ids(lead, assigned_to=anna) == mine
    assert [r.id for r in article_rows(lead, anna, 0, 100, assigned_to=anna)] == mine
    assert count_articles(lead, anna, assigned_to=anna) == 12
    everything = article_rows(lead, anna, 0, 100, assigned_to=anna, others=True)
    assert [r.id for r in everything][:12] == mine and len(everything) == 40
    assert [r.assigned for r in everything] == [True] * 12 + [False] * 28
    assert count_articles(lead, anna, assigned_to=anna, others=True) == 40
    assert article_ids(lead, assigned_to=anna, others=True) == [r.id for r in everything]
    assert {r.assigned for r in article_rows(lead, anna, 0, 100)} == {None}  # not asked
    page = article_rows(lead, anna, 4, 3, assigned_to=anna)  # the list reads page by page
    assert [r.id for r in page] == mine[4:7]


def test_the_queue_filters_combine_with_search_and_status(lead: Project) -> None:
    plan_project(lead, PlanRequest(("anna", "ben"), overlap=0.0, seed=2))
    anna = get_or_create_annotator(lead, "anna")
    mine = queue(lead, anna)
    set_done(lead, mine[0], anna)
    put_cell(lead, anna, CellKey(mine[1], 1, "ground_troops"), CellState("favor"))
    assert article_ids(lead, anna, status="done", assigned_to=anna) == [mine[0]]
    assert article_ids(lead, anna, status="in progress", assigned_to=anna) == [mine[1]]
    assert article_ids(lead, anna, status="not started", assigned_to=anna) == mine[2:]
    title = article_rows(lead, anna, 0, 1, assigned_to=anna)[0].title
    assert article_ids(lead, anna, search=title, assigned_to=anna) == [mine[0]]


def test_done_and_next_walks_the_queue(lead: Project) -> None:
    plan_project(lead, PlanRequest(("anna", "ben"), overlap=0.0, seed=3))
    anna = get_or_create_annotator(lead, "anna")
    mine = queue(lead, anna)
    assert next_in_queue(lead, anna) == mine[0]
    set_done(lead, mine[0], anna)
    assert next_in_queue(lead, anna, after=mine[0]) == mine[1]
    assert queue_position(lead, anna, mine[1]) == (2, len(mine))
    assert next_in_queue(lead, anna, after=mine[-1]) == mine[1]  # from the start again
    for article in mine:
        set_done(lead, article, anna)
    assert next_in_queue(lead, anna, after=mine[-1]) is None
    ben = get_or_create_annotator(lead, "ben")
    assert queue_position(lead, ben, mine[0]) is None  # not in ben's queue


def test_extending_the_plan_keeps_every_assignment_where_it_is(lead: Project) -> None:
    plan_project(lead, PlanRequest(TEAM, overlap=0.2, coders_per_overlap=2, seed=4))
    anna = get_or_create_annotator(lead, "anna")
    first = queue(lead, anna)
    set_done(lead, first[0], anna)
    put_cell(lead, anna, CellKey(first[1], 1, "ground_troops"), CellState("against"))
    before = snapshot(lead)
    corpus(lead, 20, start=40)
    preview = plan_project(lead, stored_request(lead), write=False)
    assert not preview.written and preview.articles_added == 20 and snapshot(lead) == before
    result = plan_project(lead, stored_request(lead))
    after = snapshot(lead)
    assert set(before) <= set(after) and len(after) == len(before) + len(result.added)
    assert result.overlap_planned == 12  # 20 % of 60
    assert queue(lead, anna)[: len(first)] == first
    statuses = {r.article_id: r.status for r in read_assignments(lead, anna)}
    assert (statuses[first[0]], statuses[first[1]]) == ("done", "in progress")
    assert plan_project(lead, stored_request(lead)).articles_added == 0  # nothing new


def test_a_new_annotator_gets_new_work_until_caught_up(lead: Project) -> None:
    plan_project(lead, PlanRequest(("anna", "ben"), overlap=0.0, seed=5))
    corpus(lead, 30, start=40)
    result = plan_project(lead, stored_request(lead, annotators=["anna", "ben", "cara"]))
    assert result.new["cara"] >= 20  # first up to the others' 20, then shared out
    assert sorted(result.assigned.values()) == [23, 23, 24]


def test_articles_can_be_chosen_by_a_search(lead: Project) -> None:
    result = plan_project(lead, PlanRequest(("anna", "ben"), overlap=0.0), articles="Titel 1")
    assert result.articles_added == 11  # Titel 1, Titel 10 ... Titel 19
    with pytest.raises(InputError, match="no article's title, id or source contains"):
        plan_project(lead, PlanRequest(("anna",), overlap=0.0), articles="nirgends")


def test_work_from_before_the_plan_stays_with_its_annotator(lead: Project) -> None:
    cara = get_or_create_annotator(lead, "cara")
    ids = article_ids(lead)
    set_done(lead, ids[5], cara)
    plan_project(lead, PlanRequest(("anna", "ben", "cara"), overlap=0.0, seed=6))
    assert ids[5] in queue(lead, cara)


def test_reassigning_moves_only_unfinished_articles(lead: Project) -> None:
    plan_project(lead, PlanRequest(TEAM, overlap=0.2, coders_per_overlap=2, seed=8))
    dan = get_or_create_annotator(lead, "dan")
    mine = queue(lead, dan)
    set_done(lead, mine[0], dan)
    key = CellKey(mine[1], 1, "ground_troops")
    put_cell(lead, dan, key, CellState("favor"))
    plan_project(lead, PlanRequest((*TEAM, "eva"), overlap=0.2, seed=8))  # eva joins
    preview = reassign_project(lead, "dan", "eva", write=False)
    assert not preview.written and queue(lead, dan) == mine
    moved = reassign_project(lead, "dan", "eva")
    assert len(moved.moved) == len(mine) - 1 and moved.done_kept == 1
    assert "dan had started" in moved.summary()
    assert queue(lead, dan) == [mine[0]]
    eva = get_or_create_annotator(lead, "eva")
    assert sorted(queue(lead, eva)) == sorted(mine[1:])
    assert plan_settings(lead)["annotators"] == [*TEAM, "eva"]
    from annotator.store.labels import get_cell

    assert get_cell(lead, dan, key).stance == "favor"  # his started labels stay his
    with pytest.raises(InputError, match="has no assigned articles"):
        reassign_project(lead, "zoe", "anna")


def test_names_a_plan_cannot_use_are_refused(lead: Project) -> None:
    with pytest.raises(InputError, match="reserved"):
        plan_project(lead, PlanRequest(("anna", "gold"), overlap=0.0))
    with pytest.raises(InputError, match="line break"):
        plan_project(lead, PlanRequest(("anna", "be\nn"), overlap=0.0))
    assert not has_plan(lead) and read_assignments(lead) == []
