"""Least privilege: each role holds exactly the rights its work needs, nothing more.

The expected rights are written out here, not taken from annotator/server/roles.py, so a
grant that widens them (UPDATE on the history, UPDATE on actors...) fails a test.
"""

from __future__ import annotations

import pytest

from annotator.server.roles import init_server
from annotator.store.actor_merge import merge_actors
from annotator.store.actor_unmerge import undo_actor_merge
from annotator.store.actors import list_actors
from annotator.store.engine import open_project
from tests.agreement.builders import actor_id
from tests.postgres.database import TestDatabase
from tests.postgres.team import refused, rows

pytestmark = pytest.mark.postgres

SHARED = ("projectinfo", "article", "actor", "actoralias", "mention", "annotator")
SHARED += ("alembic_version", "actormerge")
LABELS = ("stanceannotation", "evidence", "labelevent", "articledone")
EDIT = ("INSERT", "UPDATE", "DELETE")

ANNOTATOR = {
    "tables": {(t, "SELECT") for t in (*SHARED, *LABELS, "team_codebook", "suggestion")}
    | {("stanceannotation", "INSERT"), ("stanceannotation", "DELETE")}
    | {("evidence", "INSERT"), ("evidence", "DELETE"), ("labelevent", "INSERT")}
    | {("articledone", "INSERT"), ("articledone", "DELETE")},
    "columns": {("stanceannotation", c, "UPDATE") for c in ("stance", "note", "updated_at")},
    "sequences": {f"{t}_id_seq" for t in ("stanceannotation", "evidence", "labelevent")},
    "functions": {"team_mark_actor", "team_lock_writer"},
}
LEAD_EDITS = ("article", "actor", "actoralias", "mention", "annotator")
LEAD_EDITS += (
    "stanceannotation",
    "evidence",
    "articledone",
    "actormerge",
    "suggestion",
    "stancemodel",
)
LEAD = {
    "tables": {
        (t, "SELECT")
        for t in (*SHARED, *LABELS, "team_codebook", "team_mark_log", "suggestion", "stancemodel")
    }
    | {(t, right) for t in LEAD_EDITS for right in EDIT}
    | {("labelevent", "INSERT")},
    "columns": set(),  # history is append-only, for leads too (merging actors included)
    "sequences": {
        f"{t}_id_seq"
        for t in (*LEAD_EDITS, "labelevent")
        if t not in ("articledone", "stancemodel")
    }
    | {"stancemodel_version_seq"},
    "functions": {"team_mark_actor", "team_lock_writer"},
}
# The assignment plan (annotator/server/assignments.py): annotators read their own queue,
# leads plan; a lead saves the plan's settings only through team_save_plan().
ANNOTATOR["tables"] |= {("assignment", "SELECT")}
LEAD["tables"] |= {("assignment", right) for right in ("SELECT", *EDIT)}
LEAD["sequences"] |= {"assignment_id_seq"}
LEAD["functions"] |= {"team_save_plan", "team_lock_gold"}  # the gold lock: leads, curators
# Curation (annotator/server/curation.py): annotators read the curation state and, once an
# article is curated and done by them, its gold provenance; leads curate.
ANNOTATOR["tables"] |= {(t, "SELECT") for t in ("goldorigin", "curation")}
LEAD["tables"] |= {(t, right) for t in ("goldorigin", "curation") for right in ("SELECT", *EDIT)}


def rights(admin: str, role: str) -> dict[str, set]:
    """Every right `role` holds in the schema: on tables, columns, sequences, functions."""
    here = "relnamespace = current_schema()::regnamespace"
    who = f"a.grantee = '{role}'::regrole"
    held = rows(
        admin,
        f"SELECT c.relname, c.relkind, a.privilege_type FROM pg_class c, "
        f"aclexplode(c.relacl) a WHERE {here} AND {who}",
    )
    columns = rows(
        admin,
        f"SELECT c.relname, t.attname, a.privilege_type FROM pg_attribute t "
        f"JOIN pg_class c ON c.oid = t.attrelid, aclexplode(t.attacl) a WHERE {here} AND {who}",
    )
    functions = rows(
        admin,
        "SELECT p.proname, a.privilege_type FROM pg_proc p, "
        "aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a "
        f"WHERE p.pronamespace = current_schema()::regnamespace AND {who}",
    )
    return {
        "tables": {(name, right) for name, kind, right in held if kind != "S"},
        "columns": set(columns),
        "sequences": {name for name, kind, right in held if kind == "S" and right == "USAGE"},
        "functions": {name for name, right in functions if right == "EXECUTE"},
        "other sequence rights": {(n, r) for n, k, r in held if k == "S" and r != "USAGE"},
    }


def test_annotators_and_leads_hold_exactly_the_rights_their_work_needs(pg: TestDatabase) -> None:
    lead, anna = pg.role("lead"), pg.role("anna")
    init_server(pg.url(), leads=[lead], annotators={"anna": anna})
    for role, expected in ((anna, ANNOTATOR), (lead, LEAD)):
        held = rights(pg.url(), role)
        # No SELECT on sequences either: it would show everybody's row counts.
        assert held.pop("other sequence rights") == set(), role
        assert held == expected, role


def test_nobody_but_the_team_may_run_the_servers_functions(pg: TestDatabase) -> None:
    init_server(pg.url())
    public = rows(
        pg.url(),
        "SELECT p.proname FROM pg_proc p, "
        "aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a "
        "WHERE p.pronamespace = current_schema()::regnamespace AND a.grantee = 0",
    )
    assert public == []
    stranger = pg.role("stranger")  # may log in and use the schema, but is no team member
    rows(pg.url(), f'GRANT USAGE ON SCHEMA "{pg.schema}" TO "{stranger}"')
    for call in ("team_mark_actor(1, 0, 4, 'X', 'PER', 'person')", "team_lock_writer()"):
        assert "permission denied for function" in refused(pg.url(stranger), f"SELECT {call}")


def test_init_again_takes_back_rights_an_earlier_setup_gave(pg: TestDatabase) -> None:
    """An upgrade: roles set up by an older version held more; init tightens them all, also
    those it is not told about again."""
    lead, ben = pg.role("lead"), pg.role("ben")
    init_server(pg.url(), leads=[lead], annotators={"ben": ben})
    rows(
        pg.url(),
        f'GRANT INSERT ON actor, actoralias TO "{ben}"; GRANT DELETE ON mention TO "{ben}"; '
        f'GRANT UPDATE ON labelevent, stanceannotation TO "{ben}"; '
        f'GRANT SELECT ON ALL SEQUENCES IN SCHEMA "{pg.schema}" TO "{ben}"; '
        f'GRANT UPDATE, DELETE, TRUNCATE ON labelevent TO "{lead}"; '
        "DROP TABLE team_role",  # an older version kept no list of the team's roles
    )
    init_server(pg.url())
    ben_now, lead_now = rights(pg.url(), ben), rights(pg.url(), lead)
    assert ben_now.pop("other sequence rights") == set()
    assert lead_now.pop("other sequence rights") == set()
    assert ben_now == ANNOTATOR
    assert lead_now == LEAD


def test_an_annotator_cannot_lock_shared_tables_or_the_history_against_others(team) -> None:
    # SHARE mode already blocks every writer; reading takes no stronger lock than ACCESS SHARE.
    for table in (*SHARED, "labelevent", "team_codebook", "team_writer"):
        for mode in ("SHARE", "ACCESS EXCLUSIVE"):
            reason = refused(team["ben"], f"LOCK TABLE {table} IN {mode} MODE")
            assert "permission denied" in reason, (table, mode)


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM mention",
        "UPDATE mention SET actor_id = NULL",
        'INSERT INTO mention (article_id, start, "end", label, source) '
        "VALUES (1, 0, 3, 'PER', 'manual')",
        "TRUNCATE mention",
        "INSERT INTO actor (name, type, label, origin) VALUES ('V', 'person', 'PER', 'manual')",
        "UPDATE actor SET name = 'Vandal'",
        "DELETE FROM actor",
        "INSERT INTO actoralias (actor_id, alias) VALUES (1, repeat('x', 3936))",
        "DELETE FROM actoralias",
        "UPDATE article SET text = 'x'",
        "DELETE FROM article",
        "UPDATE annotator SET db_role = current_user",
        "INSERT INTO annotator (name, created_at) VALUES ('mallory', now())",
        "UPDATE projectinfo SET value = '99'",
        "DELETE FROM team_codebook",
        "INSERT INTO team_codebook (kind, id, position) VALUES ('stance', 'maybe', 9)",
        "DELETE FROM team_writer",
        "SELECT * FROM team_writer FOR UPDATE",  # another role's writer lock
        "UPDATE labelevent SET after = NULL",
        "DELETE FROM labelevent",
        "UPDATE stanceannotation SET target = 'ground_troops'",
        "UPDATE stanceannotation SET article_id = 1",
    ],
)
def test_an_annotator_changes_shared_data_and_history_only_through_checked_paths(team, sql) -> None:
    before = rows(team["lead"], "SELECT count(*), max(id) FROM mention")
    assert "permission denied" in refused(team["ben"], sql)
    assert rows(team["lead"], "SELECT count(*), max(id) FROM mention") == before


def test_the_history_is_append_only_for_the_lead_too(team) -> None:
    history = "SELECT id, annotator_id, action, after::text FROM labelevent ORDER BY id"
    before = rows(team["lead"], history)
    for sql in (
        "UPDATE labelevent SET after = NULL",
        "UPDATE labelevent SET annotator_id = annotator_id",
        "UPDATE labelevent SET actor_id = actor_id",
        "DELETE FROM labelevent",
        "TRUNCATE labelevent",
    ):
        assert "permission denied" in refused(team["lead"], sql), sql
    assert rows(team["lead"], history) == before


def test_the_lead_merges_two_actors_and_undoes_it_without_touching_history(team) -> None:
    """Merging writes new events and keeps the merged-away actor: history stays as it was."""
    history = "SELECT id, actor_id, action FROM labelevent ORDER BY id"
    before = rows(team["lead"], history)
    with open_project(team["lead"]) as lead:
        moved = merge_actors(lead, actor_id(lead, "NATO"), actor_id(lead, "Boris Pistorius"))
        assert moved.labels_moved == 2  # anna's and ben's NATO labels, through their events
        assert [a.name for a in list_actors(lead)] == ["Boris Pistorius", "Carlo Masala"]
        undo_actor_merge(lead, moved.merge_id)
        assert len(list_actors(lead)) == 3
    after = rows(team["lead"], history)
    assert after[: len(before)] == before and len(after) == len(before) + 8
