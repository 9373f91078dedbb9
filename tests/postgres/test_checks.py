"""The server refuses values the tool would not write, whoever sends them (server/checks.py):
a curator's curation state 'bogus' or gold target 'nukes' had made everyone's `articles` and
`curation status` fail, an annotator's odd history rows her own and the lead's `history`."""

from __future__ import annotations

import pytest

from annotator.errors import ProjectError
from annotator.server.roles import init_server
from annotator.store.engine import open_project
from annotator.store.history import history
from tests.cli.test_cli import run
from tests.postgres.team import refused, rows

pytestmark = pytest.mark.postgres


EVENT = (
    "INSERT INTO labelevent (at, annotator_id, article_id, actor_id, target, action, before, "
    "after) SELECT now(), id, 1, 1, 'ground_troops', '{}', '{}', '{}' FROM annotator "
    "WHERE name = 'anna'"
)


def test_a_curator_writes_only_states_and_origins_the_tool_knows(curators, capsys) -> None:
    lena = curators["lena"]
    for sql, why in (
        ("INSERT INTO curation (article_id, state, at) VALUES (1, 'bogus', now())", "team_"),
        (
            "INSERT INTO goldorigin (article_id, actor_id, target, origin, at) "
            "VALUES (1, 1, 'nukes', 'curator', now())",
            "target 'nukes' is not in the project's codebook",
        ),
        (
            "INSERT INTO goldorigin (article_id, actor_id, target, origin, at) "
            "VALUES (1, 1, 'ground_troops', 'x', now())",
            "team_gold_origin",
        ),
    ):
        assert why in refused(lena, sql), sql
    rows(lena, "INSERT INTO curation (article_id, state, at) VALUES (1, 'in_curation', now())")
    assert "team_curation_state" in refused(lena, "UPDATE curation SET state = 'bogus'")
    for args in (["articles"], ["curation", "status"]):
        code, _out, err = run(["--db", curators["anna"], *args], capsys)
        assert (code, err) == (0, ""), args


@pytest.mark.parametrize(
    ("action", "before", "after", "why"),
    [
        ("zap", "null", "null", "action 'zap' is not one the tool writes"),
        ("set", "[1, 2]", "null", "before-state is no JSON object"),
        ("set", '{"stance": 5}', "null", "stance that is no text"),
        ("set", "null", '{"stance": "maybe"}', "stance 'maybe', which is not in"),
        ("set", "null", '{"evidence": [[1]]}', "not a list of [start, end] pairs"),
        ("set", "null", '{"evidence": [[9, 2]]}', "evidence that ends before it starts"),
        ("set", "null", '{"evidence": "x"}', "evidence that is no list"),
        ("set", "null", '{"note": 7}', "note that is no text"),
        ("done", "null", '{"done": 1}', "done mark that is neither true nor false"),
        ("curate", "null", '{"curation": "bogus"}', "curation state that is not one of"),
        ("curate", "null", '{"by": [1]}', "by"),
        ("curate", "null", '{"origin": {"origin": "x"}}', "gold origin the tool cannot read"),
        (
            "curate",
            "null",
            '{"origin": {"origin": "curator", "at": "2024-02-30T10:00:00"}}',
            "impossible time",
        ),
    ],
)
def test_an_annotator_appends_only_history_the_tool_can_read(
    curators,
    action: str,
    before: str,
    after: str,
    why: str,
) -> None:
    assert why in refused(curators["anna"], EVENT.format(action, before, after))
    for who in ("anna", "lead"):
        with open_project(curators[who]) as project:
            assert all(e.problem is None for e in history(project))


def test_what_the_tool_writes_passes_the_checks(curators) -> None:
    good = (
        ("set", '{"stance": null, "evidence": [], "note": null}',
         '{"stance": "favor", "evidence": [[0, 27]], "note": "klar"}'),
        ("done", '{"done": false}', '{"done": true}'),
        ("undo", "null", "null"),
    )  # fmt: skip
    for action, before, after in good:
        rows(curators["anna"], EVENT.format(action, before, after))
    gold = (
        "INSERT INTO labelevent (at, annotator_id, article_id, actor_id, target, action, before, "
        "after) SELECT now(), id, 1, 1, 'ground_troops', 'curate', '{\"origin\": null}', "
        '\'{"stance": "favor", "evidence": [], "note": null, "by": 3, "origin": {"origin": '
        '"curator", "annotator_id": null, "strategy": null, "curator_id": 3, '
        '"at": "2024-02-03T10:00:00.123456"}}\' FROM annotator WHERE kind = \'gold\''
    )
    rows(curators["lena"], gold)


def test_init_names_a_stored_state_it_cannot_read(pg, curators) -> None:
    """A server set up by an older version may hold one: init says which, changes nothing."""
    rows(pg.url(), "ALTER TABLE curation DROP CONSTRAINT team_curation_state")
    rows(pg.url(), "INSERT INTO curation (article_id, state, at) VALUES (1, 'bogus', now())")
    with pytest.raises(ProjectError, match="holds the state 'bogus'.*DELETE FROM curation"):
        init_server(pg.url())
    rows(pg.url(), "DELETE FROM curation")
    init_server(pg.url())
    assert "team_curation_state" in refused(
        curators["lena"], "INSERT INTO curation (article_id, state, at) VALUES (1, 'x', now())"
    )
