"""The server checks names and hand-marked text with the tool's own rules (annotator/limits.py,
installed by annotator/server/names.py), for every role and every client."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from annotator.errors import InputError, ProjectError
from annotator.limits import check_marked_text, check_name
from annotator.server.roles import init_server
from annotator.store.actors import add_manual_mention
from annotator.store.engine import open_project
from tests.agreement.builders import TEXTS, article_id
from tests.postgres.team import refused, rows
from tests.store.test_limits import FINE, INVISIBLE, NOTHING_SHOWN, TEXT

pytestmark = pytest.mark.postgres
A1 = TEXTS["a1"]  # "Pistorius fordert mehr Geld für die Bundeswehr. Masala hält ..."


def test_invisible_names_are_refused_for_everybody(team) -> None:
    for sql in (
        "INSERT INTO actor (name, type, label, origin) VALUES (E'\\u200b', 'x', 'PER', 'x')",
        "INSERT INTO actoralias (actor_id, alias) VALUES (1, E'\\u202eanna')",
        "UPDATE actor SET name = 'x' || chr(127) WHERE id = 1",
        "INSERT INTO annotator (name, kind, created_at) VALUES (E'anna\\u2028ben', 'person', "
        "now())",
        "INSERT INTO annotator (name, kind, created_at) VALUES (E'\\u3164', 'person', now())",
    ):
        assert "team_" in refused(team["lead"], sql), sql
    mark = "SELECT * FROM team_mark_actor(1, 0, 9, E'\\u200b', 'PER', 'person')"
    assert "invisible formatting character (U+200B)" in refused(team["ben"], mark)


def _outcome(check, *args: object) -> str:
    try:
        return str(check(*args))
    except InputError as exc:
        return f"refused: {exc}"


def test_the_server_applies_the_same_rules_as_the_tool(pg, team) -> None:
    names = [*INVISIBLE.values(), *NOTHING_SHOWN.values(), *FINE, " \u2028Anna\xa0", "", "x" * 201]
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", TEXT)]
    spans += [(a, a + n) for a in (0, 4, 5, 13, 17, 18) for n in (1, 2, 3, 5, 6)]
    engine = create_engine(pg.url(), poolclass=NullPool)  # the owner may call them
    try:
        with engine.connect() as conn:

            def server(sql: str, **params: object) -> str:
                try:
                    with conn.begin_nested():
                        return str(conn.execute(text(sql), params).scalar())
                except DBAPIError as exc:
                    return f"refused: {str(exc.orig).splitlines()[0]}"

            for name in names:
                tool = _outcome(check_name, name, "actor name")
                there = server("SELECT team_clean_name(:v, 'actor name')", v=name)
                assert tool.startswith("refused") == there.startswith("refused"), (name, there)
                assert tool.startswith("refused") or tool == there
            for start, end in spans:
                tool = _outcome(check_marked_text, TEXT, start, end)
                there = server("SELECT team_check_mark(:t, :s, :e)", t=TEXT, s=start, e=end)
                assert tool == there, TEXT[start:end]
    finally:
        engine.dispose()


def test_stop_words_and_pieces_of_words_are_no_marks(team) -> None:
    """ "die" as an alias made 1,470 junk mentions per 100 imported articles."""
    with open_project(team["ben"]) as ben:
        a1 = article_id(ben, "a1")
    mark = "SELECT * FROM team_mark_actor({}, {}, {}, 'Die Linke', 'ORG', 'party')"
    die, masala = A1.index("die"), A1.index("Masala")
    for (start, end), why in (
        ((die, die + 3), "'die' is a common word (a stop word)"),
        ((die - 1, die + 4), "'die' is a common word (a stop word)"),
        ((masala, masala + 5), "part of the word 'Masala'"),
        ((masala + 1, masala + 6), "part of the word 'Masala'"),
        ((masala, masala + 1), "shorter than 2 characters"),
    ):
        assert why in refused(team["ben"], mark.format(a1, start, end)), (start, end)
    assert rows(team["lead"], "SELECT count(*) FROM mention") == [(0,)]
    assert rows(team["lead"], "SELECT count(*) FROM actor WHERE name = 'Die Linke'") == [(0,)]
    # The tool refuses first, with the same words.
    with open_project(team["ben"]) as ben, pytest.raises(InputError, match="'die' is a common"):
        add_manual_mention(ben, a1, die, die + 3, actor_name="Die Linke")


def test_init_names_a_stored_name_that_breaks_the_rules(pg, team) -> None:
    """A server set up by an older version may hold one: init says which, changes nothing."""
    rows(pg.url(), "ALTER TABLE actoralias DROP CONSTRAINT team_alias_name")
    rows(pg.url(), "INSERT INTO actoralias (actor_id, alias) VALUES (1, E'\\u200b')")
    with pytest.raises(ProjectError, match="holds the actor alias '\\\\u200b'.*visible"):
        init_server(pg.url())
    rows(pg.url(), "DELETE FROM actoralias WHERE alias = E'\\u200b'")
    init_server(pg.url())
    assert "team_alias_name" in refused(
        team["lead"], "INSERT INTO actoralias (actor_id, alias) VALUES (1, E'\\u200b')"
    )
