"""Rows the tool did not write (a curation state 'bogus', a gold origin 'x', history events
of odd shapes) do not break the readers: `articles`, `curation status` and `history` say
what they cannot read instead of failing with "unexpected KeyError" for everybody. (The
team server refuses such rows: tests/postgres/test_checks.py.)"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from annotator.curation.states import article_states, curation_status
from annotator.labelling import undo_stack_from_history
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import Project
from annotator.store.history import OtherEvent, annotator_events, history
from tests.agreement.builders import article_id, label_anna, label_ben, new_project
from tests.cli.test_cli import run

BAD_EVENTS = {  # action, before, after
    "unknown action": ("zap", None, None),
    "before is a list": ("set", [1, 2], None),
    "stance is a number": ("set", None, {"stance": 5, "evidence": [], "note": None}),
    "evidence of one number": ("set", None, {"stance": "favor", "evidence": [[1]]}),
    "evidence of text": ("set", None, {"evidence": "x"}),
    "by is a list": ("curate", None, {"curation": "curated", "by": [1]}),
    "done is a number": ("done", {"done": 0}, {"done": 1}),
    "curation unknown": ("curate", {"curation": None}, {"curation": "bogus", "by": 1}),
    "origin unknown": ("curate", None, {"stance": "favor", "origin": {"origin": "x"}}),
    "origin time impossible": (
        "curate",
        None,
        {"origin": {"origin": "curator", "at": "2024-02-30"}},
    ),
}


@pytest.fixture
def labelled(project: Project) -> Project:
    """anna's and ben's labels (new_project's articles and actors, in the test's project)."""
    new_project(project.url or project.db).close()
    label_anna(project)
    label_ben(project)
    return project


def _insert_event(project: Project, action: str, before: object, after: object) -> None:
    anna = get_or_create_annotator(project, "anna")
    with project.write_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO labelevent (at, annotator_id, article_id, actor_id, target, action, "
                "before, after) VALUES ('2024-01-01', :who, :article, 1, 'ground_troops', "
                ":action, :before, :after)"
            ),
            {
                "who": anna,
                "article": article_id(project, "a1"),
                "action": action,
                "before": json.dumps(before),
                "after": json.dumps(after),
            },  # fmt: skip
        )


@pytest.mark.parametrize(("action", "before", "after"), BAD_EVENTS.values(), ids=BAD_EVENTS)
def test_a_history_row_the_tool_cannot_read_is_shown_as_such(
    labelled: Project, action: str, before: object, after: object, capsys
) -> None:
    _insert_event(labelled, action, before, after)
    entries = history(labelled)
    bad = [e for e in entries if e.problem is not None]
    assert len(bad) == 1 and bad[0].problem.startswith("unreadable history entry: ")
    assert len(entries) == len(history(labelled, annotator="ben")) + len(
        history(labelled, annotator="anna")
    )
    anna = get_or_create_annotator(labelled, "anna")
    assert isinstance(annotator_events(labelled, anna)[-1], OtherEvent)
    assert undo_stack_from_history(labelled, anna) == ([], [])  # a barrier, like an import
    db = labelled.url or labelled.db
    for args in (["history"], ["history", "-a", "anna", "--json"]):
        code, out, err = run(["--db", db, *args], capsys)
        assert code == 0, err
        assert "unreadable history entry" in out


def test_unknown_curation_states_and_origins_are_said_not_crashed_on(
    labelled: Project, capsys
) -> None:
    a1, a2 = article_id(labelled, "a1"), article_id(labelled, "a2")
    with labelled.write_engine.begin() as conn:
        conn.execute(
            text("INSERT INTO curation (article_id, state, at) VALUES (:a, 'bogus', '2024-01-01')"),
            {"a": a1},
        )
        conn.execute(
            text(
                "INSERT INTO goldorigin (article_id, actor_id, target, origin, at) "
                "VALUES (:a, 1, 'nukes', 'x', '2024-01-01')"
            ),
            {"a": a2},
        )
    state = article_states(labelled, [a1])[a1]
    assert (state.state, state.badge) == ("in_curation", "in curation (unknown state 'bogus')")
    status = curation_status(labelled)
    assert status.articles["in_curation"] == 1
    assert [p.split(" has ")[0] for p in status.problems] == [
        "article a1",
        "a gold label of article a2",
    ]
    db = labelled.url or labelled.db
    code, out, err = run(["--db", db, "articles"], capsys)
    assert code == 0, err
    assert "unknown state 'bogus'" in out
    code, out, err = run(["--db", db, "curation", "status", "--json"], capsys)
    assert code == 0 and json.loads(out)["articles"]["in_curation"] == 1
    assert "warning: article a1 has the curation state 'bogus'" in err
