"""Where articles stand: badges, per-annotator states, the list filter, the status figures,
and that the list's lookups cost one query per page, whatever its size."""

from __future__ import annotations

import pytest
from sqlalchemy import event

import annotator.curation.states as states_module
import annotator.store.label_reads as label_reads
from annotator.curation import (
    CurationSession,
    annotator_states,
    apply_strategy,
    article_states,
    coders_per_article,
    curation_queue,
    curation_status,
    set_coders_per_article,
)
from annotator.errors import InputError
from annotator.store.articles import article_ids, article_rows, count_articles
from annotator.store.labels import set_done
from tests.agreement.builders import article_id
from tests.conftest import add_article
from tests.curation.conftest import key, person


def test_badges_follow_done_marks_and_curation(team, codebook) -> None:
    a1, a2, a3 = (article_id(team, e) for e in ("a1", "a2", "a3"))
    states = article_states(team, [a1, a2, a3])
    assert [states[a].badge for a in (a1, a2, a3)] == ["ready", "ready", "1/2 done"]
    cur = CurationSession(team, codebook, person(team, "lena"))
    cur.start(a2)
    cur.accept(key(team, "a1", "Carlo Masala", "ground_troops"), person(team, "anna"))
    cur.accept(key(team, "a1", "Boris Pistorius", "defence_spending"), person(team, "anna"))
    cur.finish(a1)
    states = article_states(team, [a1, a2, a3])
    assert [states[a].badge for a in (a1, a2, a3)] == ["curated", "in curation", "1/2 done"]
    assert [states[a].state for a in (a1, a2, a3)] == ["curated", "in_curation", "waiting"]
    set_coders_per_article(team, 1)
    assert coders_per_article(team) == 1 and article_states(team, [a3])[a3].badge == "ready"
    with pytest.raises(InputError, match="1 to 1000"):
        set_coders_per_article(team, 0)


def test_the_curation_queue_lists_articles_someone_finished(team, codebook) -> None:
    a1, a2, a3 = (article_id(team, e) for e in ("a1", "a2", "a3"))
    queue = curation_queue(team)
    assert [(a, title, state.badge) for a, title, state in queue] == [
        (a1, "Pistorius will mehr Geld", "ready"),
        (a2, "Nato-Treffen", "ready"),
        (a3, "Wehretat", "1/2 done"),
    ]
    a4 = add_article(team, "a4", "Ein Text, den noch niemand gelesen hat.", title="Neu")
    assert a4 not in [a for a, _t, _s in curation_queue(team)]  # nobody finished it
    set_done(team, a4, person(team, "carl"))
    assert curation_queue(team)[-1][0] == a4 and curation_queue(team)[-1][2].badge == "1/2 done"


def test_each_annotators_state_per_article(team) -> None:
    a1, a3 = article_id(team, "a1"), article_id(team, "a3")
    person(team, "carl")  # known, but has not started anything
    assert annotator_states(team, [a1, a3]) == {
        a1: {"anna": "done", "ben": "done"},
        a3: {"anna": "done", "ben": "in progress"},
    }


def test_the_article_list_filters_by_curation_state(team, codebook) -> None:
    a1, a2, a3 = (article_id(team, e) for e in ("a1", "a2", "a3"))
    CurationSession(team, codebook, person(team, "lena")).start(a2)
    assert article_ids(team, curation="ready") == [a1]
    assert article_ids(team, curation="in_curation") == [a2]
    assert article_ids(team, curation="waiting") == [a3]
    assert article_ids(team, curation="curated") == []
    assert count_articles(team, curation="waiting") == 1
    assert [r.id for r in article_rows(team, None, 0, 10, curation="ready")] == [a1]
    with pytest.raises(InputError, match="unknown curation state 'done'"):
        count_articles(team, curation="done")


def test_a_page_of_states_costs_the_same_queries_as_one_row(team, monkeypatch) -> None:
    ids = [article_id(team, e) for e in ("a1", "a2", "a3")]
    statements: list[object] = []
    fetch = states_module.fetch_rows

    def counted(conn, stmt):
        statements.append(stmt)  # the bulk reader runs on the driver's cursor: no event
        return fetch(conn, stmt)

    def count(*args) -> None:
        statements.append(args[2])

    def queries(call, page) -> int:
        statements.clear()
        call(team, page)
        return len(statements)

    article_states(team, ids)  # connections opened, whatever that costs
    monkeypatch.setattr(states_module, "fetch_rows", counted)
    monkeypatch.setattr(label_reads, "fetch_rows", counted)
    event.listen(team.engine, "before_cursor_execute", count)
    try:
        for call in (article_states, annotator_states):
            assert queries(call, ids) == queries(call, ids[:1]), call
        assert queries(annotator_states, ids) <= 4  # names, labels, done marks: no N+1
    finally:
        event.remove(team.engine, "before_cursor_execute", count)


def test_the_status_counts_articles_and_units(team) -> None:
    apply_strategy(team, "complete", curator_id=None)
    status = curation_status(team)
    assert status.articles == {"waiting": 1, "ready": 2, "in_curation": 0, "curated": 0}
    assert (status.units_premerged, status.units_decided, status.units_open) == (2, 0, 2)
    assert status.as_dict()["coders_per_article"] == 2
