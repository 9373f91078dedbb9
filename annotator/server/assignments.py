"""Team mode rights on the assignment plan (docs/team.md, "Who may do what").

- An annotator's role reads only its own rows of `assignment` (row-level security, the
  same rule as for its labels: the rows of annotators whose `db_role` is that role) and
  writes none: it may not move work to or from anybody, itself included.
- A lead's role reads and writes every assignment, and saves the plan's settings through
  `team_save_plan(text)`: projectinfo stays read-only for leads (write rights on it would
  also let a lead lock it against the schema upgrade), and the function writes only the
  key "assignment_plan", checked JSON of bounded size.
- The owner does everything, as everywhere.

Installed and granted by `server init` (server/roles.py calls `install` and `grant`);
every init revokes first, so a role holds exactly these rights afterwards.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from annotator.store.assignments import PLAN_KEY, SAVE_PLAN_FUNCTION
from annotator.store.dialects import CHECK_REFUSED

TABLE = "assignment"
SAVE_PLAN = f"{SAVE_PLAN_FUNCTION}(text)"
MAX_PLAN_CHARS = 100_000
RIGHTS = {"annotator": "SELECT", "lead": "SELECT, INSERT, UPDATE, DELETE"}
OWN_POLICY = "annotator_own_rows"
_MINE = "annotator_id IN (SELECT id FROM annotator WHERE db_role = current_user::text)"

_SAVE_PLAN = """
CREATE OR REPLACE FUNCTION {function}(p_value text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM team_role r WHERE r.role = session_user AND r.kind = 'lead')
    THEN
        RAISE EXCEPTION USING ERRCODE = '{refused}',
            MESSAGE = 'only a lead role saves the assignment plan';
    END IF;
    IF p_value IS NULL OR char_length(p_value) > {limit}
            OR jsonb_typeof(p_value::jsonb) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION USING ERRCODE = '{refused}',
            MESSAGE = 'the plan settings are a JSON object of at most {limit} characters';
    END IF;
    INSERT INTO projectinfo (key, value) VALUES ('{key}', p_value)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
END $fn$
"""


def install(conn: Connection, schema: str) -> None:
    """The checked function and the policies (as the owner; `schema` quoted)."""
    conn.execute(
        text(
            _SAVE_PLAN.format(
                function=SAVE_PLAN_FUNCTION,
                schema=schema,
                refused=CHECK_REFUSED,
                limit=MAX_PLAN_CHARS,
                key=PLAN_KEY,
            )
        )
    )
    conn.execute(text(f"REVOKE ALL ON FUNCTION {SAVE_PLAN} FROM PUBLIC"))
    conn.execute(text(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY"))
    conn.execute(text(f"DROP POLICY IF EXISTS {OWN_POLICY} ON {TABLE}"))
    # For SELECT only: an annotator has no right to write assignments at all.
    conn.execute(text(f"CREATE POLICY {OWN_POLICY} ON {TABLE} FOR SELECT USING ({_MINE})"))


def _sequence(conn: Connection) -> str:
    return conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": TABLE}).scalar_one()


def grant(conn: Connection, role: str, kind: str, quoted: str) -> None:
    """Exactly `kind`'s rights on the plan for `role` (`quoted`: its quoted name)."""
    sequence = _sequence(conn)
    conn.execute(text(f"REVOKE ALL ON {TABLE} FROM {quoted}"))
    conn.execute(text(f"REVOKE ALL ON SEQUENCE {sequence} FROM {quoted}"))
    conn.execute(text(f"REVOKE ALL ON FUNCTION {SAVE_PLAN} FROM {quoted}"))
    conn.execute(text(f"GRANT {RIGHTS[kind]} ON {TABLE} TO {quoted}"))
    policy = conn.dialect.identifier_preparer.quote_identifier(f"lead {role}"[:63])
    conn.execute(text(f"DROP POLICY IF EXISTS {policy} ON {TABLE}"))
    if kind == "lead":
        conn.execute(text(f"GRANT USAGE ON SEQUENCE {sequence} TO {quoted}"))
        conn.execute(text(f"GRANT EXECUTE ON FUNCTION {SAVE_PLAN} TO {quoted}"))
        conn.execute(
            text(f"CREATE POLICY {policy} ON {TABLE} TO {quoted} USING (true) WITH CHECK (true)")
        )
