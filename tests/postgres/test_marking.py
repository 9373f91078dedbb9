"""Shared data on the server changes only through checked paths: "mark actor" adds a mention
beside the automatic ones and never removes one, and the server checks names and spans."""

from __future__ import annotations

import pytest

from annotator.errors import ConflictError, InputError
from annotator.store.actors import add_manual_mention
from annotator.store.articles import load_article
from annotator.store.engine import open_project
from tests.agreement.builders import TEXTS, actor_id, article_id
from tests.postgres.team import refused, rows

pytestmark = pytest.mark.postgres
A1 = TEXTS["a1"]  # "Pistorius fordert mehr Geld für die Bundeswehr. Masala hält ..."


def automatic_mentions(owner_url: str) -> list[tuple]:
    """What an import's highlighter stored in a1: Pistorius and Masala, from the lexicon."""
    with open_project(owner_url) as owner:
        a1 = article_id(owner, "a1")
        found = [("Pistorius", "Boris Pistorius"), ("Masala", "Carlo Masala")]
        values = ", ".join(
            f"({a1}, {A1.index(word)}, {A1.index(word) + len(word)}, 'PER', "
            f"{actor_id(owner, actor)}, 'lexicon')"
            for word, actor in found
        )
    rows(
        owner_url,
        f'INSERT INTO mention (article_id, start, "end", label, actor_id, source) VALUES {values}',
    )
    return mentions(owner_url)


def mentions(url: str) -> list[tuple]:
    return rows(url, 'SELECT start, "end", actor_id, source FROM mention ORDER BY start, "end"')


def test_marking_an_actor_over_a_whole_article_removes_no_mention(pg, team) -> None:
    before = automatic_mentions(pg.url())
    with open_project(team["anna"]) as anna:
        start = A1.index("Geld")
        anna_mark = add_manual_mention(anna, article_id(anna, "a1"), start, start + 4,
                                       actor_name="Geldgeber")  # fmt: skip
    with open_project(team["ben"]) as ben:
        a1 = article_id(ben, "a1")
        mention, actor = add_manual_mention(ben, a1, 0, len(A1), actor_name="Alle")
        shown = load_article(ben, a1).mentions
    after = mentions(team["lead"])
    assert set(before) < set(after)  # every automatic mention is still there
    assert anna_mark[0] in {m.id for m in shown}  # and anna's hand-marked one
    assert (0, len(A1), actor, "manual") in after and len(after) == len(before) + 2
    assert mention in {m.id for m in shown}


def test_marking_exactly_another_actors_mention_is_refused(pg, team) -> None:
    before = automatic_mentions(pg.url())
    start = A1.index("Masala")
    with open_project(team["ben"]) as ben:
        a1 = article_id(ben, "a1")
        with pytest.raises(ConflictError, match="already marked as 'Carlo Masala'.*lead"):
            add_manual_mention(ben, a1, start, start + 6, actor_name="Someone Else")
        # The same actor again: nothing changes, the mention is the automatic one.
        mention, actor = add_manual_mention(ben, a1, start, start + 6, actor_name="Carlo Masala")
        assert actor == actor_id(ben, "Carlo Masala")
    assert mentions(team["lead"]) == before
    assert rows(team["lead"], "SELECT count(*) FROM actor WHERE name = 'Someone Else'") == [(0,)]


def test_the_server_checks_names_and_spans_of_a_mark(team) -> None:
    """What a raw SQL client could send to the checked function, past the tool's own checks."""
    mark = "SELECT * FROM team_mark_actor({}, {}, {}, {}, 'PER', 'person')"
    with open_project(team["ben"]) as ben:
        a1 = article_id(ben, "a1")
    for args, message in (
        ((a1, 0, 9, "repeat('x', 3936)"), "3936 characters long; names have at most 200"),
        ((a1, 0, 9, "'Zeile' || chr(10) || 'Zwei'"), "control character"),
        ((a1, 0, 9, "'   '"), "actor name is empty"),
        ((a1, 0, 10_000, "'X'"), "outside the article text"),
        ((a1, -1, 3, "'X'"), "outside the article text"),
        ((999_999, 0, 3, "'X'"), "does not exist"),
    ):
        assert message in refused(team["ben"], mark.format(*args)), args
    assert "mention label" in refused(
        team["ben"], f"SELECT * FROM team_mark_actor({a1}, 0, 9, 'X', 'BOGUS', 'person')"
    )
    assert rows(team["lead"], "SELECT count(*) FROM mention") == [(0,)]


def test_names_are_limited_for_everybody_on_the_server(team) -> None:
    """One 3,936-character alias would break every later import: not even the lead may
    store one."""
    for sql in (
        "INSERT INTO actoralias (actor_id, alias) VALUES (1, repeat('x', 3936))",
        "UPDATE actor SET name = repeat('x', 201)",
        "INSERT INTO actor (name, type, label, origin) VALUES ('a' || chr(9), 'x', 'PER', 'x')",
    ):
        assert "team_" in refused(team["lead"], sql), sql


def test_the_lead_sees_who_marked_what(team) -> None:
    with open_project(team["ben"]) as ben:
        a2 = article_id(ben, "a2")
        mention, actor = add_manual_mention(ben, a2, 4, 8, actor_name="Nato (Bündnis)", label="ORG")
    log = rows(
        team["lead"],
        'SELECT role, article_id, start, "end", mention_id, actor_id, actor_created, '
        "alias_added FROM team_mark_log",
    )
    ben_role = team["ben"].split("//")[1].split(":")[0]
    assert log == [(ben_role, a2, 4, 8, mention, actor, True, "Nato")]
    assert "permission denied" in refused(team["ben"], "SELECT * FROM team_mark_log")


def test_the_tools_own_checks_still_come_first(team) -> None:
    with open_project(team["ben"]) as ben, pytest.raises(InputError, match="at most 200"):
        add_manual_mention(ben, article_id(ben, "a1"), 0, 9, actor_name="x" * 3936)
