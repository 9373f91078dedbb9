"""What the server itself checks in team mode, installed by `server init` as the owner.

- `team_codebook`: the project's targets and stances. Triggers and constraints
  (server/checks.py) refuse a label, a history entry, a gold origin or a curation state the
  tool would not write, and evidence outside the article's text, whoever writes (an
  annotator with another codebook, a raw SQL client).
- `team_mark_actor(...)`: the only way an annotator changes shared data ("mark actor"). It
  runs as the owner (SECURITY DEFINER), checks the span and the names, adds the actor, the
  alias and a manual mention, never changes or removes another mention, and logs who did it
  in `team_mark_log`.
- `team_lock_writer()`: locks the calling login role's own row in `team_writer`, so one
  role's writes are serialised (store/engine.py) by a lock no other role can take, unlike an
  advisory lock.
- Names of actors, aliases and annotators, and text marked by hand, follow the rules of
  annotator/limits.py (server/names.py installs them): one overlong alias would break every
  later import, an invisible name fools people, a stop word as alias floods the highlighting.

The functions run with a fixed search_path (this schema, then pg_temp), as PostgreSQL's
advice for SECURITY DEFINER functions says, and PUBLIC may not execute them. Refusals raise
the SQLSTATEs that store/dialects.py turns into the user's error (CHECK_REFUSED and
CHECK_CONFLICT), with a message written for the user.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from annotator.codebook import Codebook, load_codebook
from annotator.errors import ProjectError
from annotator.limits import MAX_NAME_CHARS
from annotator.server import checks, names
from annotator.store.dialects import CHECK_CONFLICT, CHECK_REFUSED
from annotator.store.models import MENTION_LABELS

MARK_ACTOR = "team_mark_actor(integer, integer, integer, text, text, text)"
LOCK_WRITER = "team_lock_writer()"
FUNCTIONS = (MARK_ACTOR, LOCK_WRITER, *names.FUNCTIONS, *checks.FUNCTIONS)
TEAM_TABLES = ("team_codebook", "team_writer", "team_role", "team_mark_log", names.STOP_WORD_TABLE)

_TABLES = """
CREATE TABLE IF NOT EXISTS team_codebook (
    kind text NOT NULL CHECK (kind IN ('target', 'stance')),
    id text NOT NULL,
    position integer NOT NULL,
    PRIMARY KEY (kind, id));
CREATE TABLE IF NOT EXISTS team_writer (role text PRIMARY KEY);
CREATE TABLE IF NOT EXISTS team_role (
    role text PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('lead', 'annotator')));
CREATE TABLE IF NOT EXISTS team_mark_log (
    id serial PRIMARY KEY,
    at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    role text NOT NULL,
    article_id integer NOT NULL,
    start integer NOT NULL,
    "end" integer NOT NULL,
    mention_id integer NOT NULL,
    actor_id integer NOT NULL,
    actor_created boolean NOT NULL,
    alias_added text)
"""

# Never deletes or re-points a mention: a hand-marked span beside automatic ones is kept
# beside them; marking exactly the span of another actor's mention is refused (the lead
# decides that), marking it again for the same actor changes nothing.
_MARK_ACTOR = """
CREATE OR REPLACE FUNCTION team_mark_actor(
    p_article integer, p_start integer, p_end integer, p_name text, p_label text, p_type text)
RETURNS TABLE (marked_mention integer, marked_actor integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
DECLARE
    v_text text;
    v_surface text;
    v_actor integer;
    v_created boolean := false;
    v_alias text;
    v_mention integer;
    v_holder integer;
BEGIN
    p_name := team_clean_name(p_name, 'actor name');
    p_type := team_clean_name(p_type, 'actor type');
    IF p_label IS NULL OR p_label NOT IN ({labels}) THEN
        RAISE EXCEPTION USING ERRCODE = '{refused}',
            MESSAGE = 'a mention label is one of {label_words}';
    END IF;
    SELECT a.text INTO v_text FROM article a WHERE a.id = p_article;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '{refused}',
            MESSAGE = 'article ' || coalesce(p_article::text, 'NULL') || ' does not exist';
    END IF;
    IF p_start IS NULL OR p_end IS NULL OR p_start < 0 OR p_end <= p_start
            OR p_end > char_length(v_text) THEN
        RAISE EXCEPTION USING ERRCODE = '{refused}', MESSAGE = 'span '
            || coalesce(p_start::text, '?') || '-' || coalesce(p_end::text, '?')
            || ' lies outside the article text';
    END IF;
    -- Whole words, no stop word: the rule of annotator.limits.check_marked_text.
    v_surface := team_check_mark(v_text, p_start, p_end);
    SELECT a.id INTO v_actor FROM actor a WHERE a.name = p_name;
    IF NOT FOUND THEN
        INSERT INTO actor (name, type, label, origin) VALUES (p_name, p_type, p_label, 'manual')
        ON CONFLICT (name) DO NOTHING RETURNING id INTO v_actor;
        v_created := v_actor IS NOT NULL;
        IF NOT v_created THEN
            SELECT a.id INTO v_actor FROM actor a WHERE a.name = p_name;
        END IF;
    END IF;
    SELECT m.id, m.actor_id INTO v_mention, v_holder FROM mention m
    WHERE m.article_id = p_article AND m.start = p_start AND m."end" = p_end;
    IF FOUND AND v_holder IS DISTINCT FROM v_actor THEN
        RAISE EXCEPTION USING ERRCODE = '{conflict}', MESSAGE = 'this text is already marked as '
            || coalesce((SELECT quote_literal(a.name) FROM actor a WHERE a.id = v_holder),
                        'an entity without actor')
            || '; mark more or less of the text, or ask the project lead to change the mention';
    END IF;
    IF v_surface <> p_name THEN
        INSERT INTO actoralias (actor_id, alias) VALUES (v_actor, v_surface)
        ON CONFLICT (actor_id, alias) DO NOTHING RETURNING alias INTO v_alias;
    END IF;
    IF v_mention IS NULL THEN
        INSERT INTO mention (article_id, start, "end", label, actor_id, source)
        VALUES (p_article, p_start, p_end, p_label, v_actor, 'manual') RETURNING id INTO v_mention;
    END IF;
    INSERT INTO team_mark_log
        (role, article_id, start, "end", mention_id, actor_id, actor_created, alias_added)
    VALUES (session_user, p_article, p_start, p_end, v_mention, v_actor, v_created, v_alias);
    RETURN QUERY SELECT v_mention, v_actor;
END $fn$
"""

# session_user: inside a SECURITY DEFINER function current_user is the owner.
_LOCK_WRITER = """
CREATE OR REPLACE FUNCTION team_lock_writer() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
BEGIN
    PERFORM 1 FROM team_writer w WHERE w.role = session_user FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO team_writer (role) VALUES (session_user) ON CONFLICT DO NOTHING;
        PERFORM 1 FROM team_writer w WHERE w.role = session_user FOR UPDATE;
    END IF;
END $fn$
"""


def install(conn: Connection, schema: str, codebook: Codebook | None) -> None:
    """Create or update the team tables, the checks and the functions in `schema` (quoted).
    `codebook`: replaces the stored one; None keeps it (the default codebook at first)."""
    conn.execute(text(_TABLES))
    store_codebook(conn, codebook)
    names.install(conn, schema)
    codes = {"refused": CHECK_REFUSED, "conflict": CHECK_CONFLICT, "n": MAX_NAME_CHARS}
    labels = ", ".join(f"'{label}'" for label in MENTION_LABELS)
    for sql in (
        _MARK_ACTOR.format(
            schema=schema, labels=labels, label_words=", ".join(MENTION_LABELS), **codes
        ),
        _LOCK_WRITER.format(schema=schema),
    ):
        conn.execute(text(sql))
    checks.install(conn, schema)
    for function in FUNCTIONS:
        conn.execute(text(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC"))


def store_codebook(conn: Connection, codebook: Codebook | None) -> None:
    """Store the codebook the server checks labels against, unless one is stored and none
    is given. Refused if labels on the server use targets or stances it does not have."""
    if codebook is None:
        if conn.execute(text("SELECT 1 FROM team_codebook LIMIT 1")).first():
            return
        codebook = load_codebook()
    for kind, ids, column in (
        ("target", codebook.target_ids, "target"),
        ("stance", codebook.stance_ids, "stance"),
    ):
        used = conn.execute(
            text(
                f"SELECT DISTINCT {column} FROM stanceannotation "
                f"WHERE {column} IS NOT NULL AND NOT ({column} = ANY(:ids)) ORDER BY 1 LIMIT 5"
            ),
            {"ids": list(ids)},
        ).scalars()
        unknown = ", ".join(repr(value[:40]) for value in used)
        if unknown:
            raise ProjectError(
                f"labels on the server use the {kind}(s) {unknown}, which the codebook "
                f"{codebook.name!r} does not have: set up the server with the codebook the "
                "labels were made with"
            )
    conn.execute(text("DELETE FROM team_codebook"))
    conn.execute(
        text("INSERT INTO team_codebook (kind, id, position) VALUES (:kind, :id, :position)"),
        [{"kind": "target", "id": t, "position": i} for i, t in enumerate(codebook.target_ids)]
        + [{"kind": "stance", "id": s, "position": i} for i, s in enumerate(codebook.stance_ids)],
    )


def stored_codebook(conn: Connection) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(targets, stances) the server checks labels against, in codebook order."""
    rows = conn.execute(text("SELECT kind, id FROM team_codebook ORDER BY kind, position")).all()
    return (
        tuple(i for kind, i in rows if kind == "target"),
        tuple(i for kind, i in rows if kind == "stance"),
    )
