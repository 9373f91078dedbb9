"""Team mode rights for curation (docs/team.md, "Who may do what").

- A curator role (`server init --curator ROLE`) reads every label, evidence span, done mark
  and history entry, and writes only the gold standard: the gold annotator's labels,
  evidence and history, the gold provenance (`goldorigin`) and the articles' curation
  state (`curation`). It has an annotator's table rights (so it can also label as an
  annotator mapped to it) plus the policies below; row-level security keeps its writes to
  gold rows. It changes no annotator's label, article or actor.
- An annotator's role never writes gold: its rows are those of annotators mapped to it,
  and the gold annotator is mapped to nobody (`server init` refuses the name "gold" for an
  annotator). It reads gold labels, evidence and provenance only of curated articles that
  one of its annotators had marked done when they were curated (what the window shows as
  "where gold differs"), and every article's curation state (a badge, not a label).
  "Had marked done when curated", not "has marked done": an annotator inserts and deletes
  her own done marks, so a mark made now would let her read any curated article's gold and
  then take the mark back. The server sets the time of an annotator's or a curator's done
  mark and curation state itself (`team_stamp_time`, whatever time the client sends), so
  the order of the two cannot be forged. The assignment plan would not do instead: it says
  who should code an article, not who finished it (and without a plan nobody saw gold).
- A lead reads and writes everything, gold included (trusted, as for labels).

The gold annotator is created here, by the owner, since no team role may add annotators.
Installed and granted by `server init` (server/roles.py calls `install` and `grant`);
every init revokes first, so a role holds exactly these rights afterwards.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from annotator.store.annotators import GOLD_KIND, GOLD_NAME

KINDS = ("lead", "annotator", "curator")
TABLES = ("goldorigin", "curation")
RIGHTS = {
    "annotator": "SELECT",
    "curator": "SELECT, INSERT, UPDATE, DELETE",
    "lead": "SELECT, INSERT, UPDATE, DELETE",
}

_GOLD = f"annotator_id IN (SELECT id FROM annotator WHERE kind = '{GOLD_KIND}')"
_GOLD_EVIDENCE = (  # correlated, as roles.OWN_ROWS's evidence rule
    "EXISTS (SELECT 1 FROM stanceannotation s JOIN annotator a ON a.id = s.annotator_id "
    f"WHERE s.id = evidence.annotation_id AND a.kind = '{GOLD_KIND}')"
)
# Gold is shown to an annotator only where it is final and they had finished their own
# work before: an article curated after an annotator mapped to the role marked it done.
_FINISHED = (
    "article_id IN (SELECT c.article_id FROM curation c JOIN articledone d "
    "ON d.article_id = c.article_id JOIN annotator a ON a.id = d.annotator_id "
    "WHERE c.state = 'curated' AND a.db_role = current_user::text AND d.done_at <= c.at)"
)
GOLD_READ_POLICY = "gold_when_finished"
READ_FINISHED = {  # table -> which of its rows everybody may read (SELECT only)
    "stanceannotation": f"{_GOLD} AND {_FINISHED}",
    # Through the label: row-level security on stanceannotation already applies there.
    "evidence": _GOLD_EVIDENCE,
    "goldorigin": _FINISHED,
}
# What a curator writes, table by table (its reading covers every row of these tables).
CURATOR_WRITES = {
    "stanceannotation": ("INSERT", "UPDATE", "DELETE"),
    "evidence": ("INSERT", "DELETE"),
    "labelevent": ("INSERT",),
    "articledone": (),
}
# Leads keep the times they write (a push brings each file's own); for everybody else of
# the team the server's clock decides. session_user: inside SECURITY DEFINER current_user is
# the owner, and the function reads team_role, which team roles may not.
STAMP_TIME = "team_stamp_time()"
_STAMP_TIME = """
CREATE OR REPLACE FUNCTION team_stamp_time() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
BEGIN
    IF EXISTS (SELECT 1 FROM team_role r WHERE r.role = session_user AND r.kind <> 'lead') THEN
        IF TG_TABLE_NAME = 'articledone' THEN
            NEW.done_at := now() AT TIME ZONE 'UTC';
        ELSE
            NEW.at := now() AT TIME ZONE 'UTC';
        END IF;
    END IF;
    RETURN NEW;
END $fn$
"""
# The gold lock (store/dialects.Postgres.lock_gold): every transaction that writes gold
# takes it first, so a pre-merge never replaces a decision made after it read the unit.
# A row only leads and curators may lock: an annotator cannot hold up curation with it.
LOCK_GOLD = "team_lock_gold()"
_LOCK_GOLD = """
CREATE TABLE IF NOT EXISTS team_gold_lock (id integer PRIMARY KEY CHECK (id = 1));
INSERT INTO team_gold_lock (id) VALUES (1) ON CONFLICT DO NOTHING;
CREATE OR REPLACE FUNCTION team_lock_gold() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
BEGIN
    PERFORM 1 FROM team_gold_lock WHERE id = 1 FOR UPDATE;
END $fn$
"""
STAMPED = {  # table -> when its time is stamped
    "articledone": "BEFORE INSERT OR UPDATE",
    "curation": "BEFORE INSERT OR UPDATE",
}
_WRITE_RULE = {
    "stanceannotation": _GOLD,
    "evidence": _GOLD_EVIDENCE,
    "labelevent": _GOLD,
}


def install(conn: Connection, schema: str) -> list[str]:
    """Kinds, the gold annotator, the shared policies and the time stamps (as the owner;
    `schema` quoted); warnings."""
    kinds = ", ".join(f"'{k}'" for k in KINDS)
    conn.execute(text("ALTER TABLE team_role DROP CONSTRAINT IF EXISTS team_role_kind_check"))
    conn.execute(
        text(f"ALTER TABLE team_role ADD CONSTRAINT team_role_kind_check CHECK (kind IN ({kinds}))")
    )
    warnings = []
    holder = conn.execute(
        text("SELECT kind FROM annotator WHERE name = :n"), {"n": GOLD_NAME}
    ).scalar()
    if holder is None:
        conn.execute(
            text(
                "INSERT INTO annotator (name, kind, created_at) "
                "VALUES (:n, :k, now() AT TIME ZONE 'UTC')"
            ),
            {"n": GOLD_NAME, "k": GOLD_KIND},
        )
    elif holder != GOLD_KIND:
        warnings.append(
            f"an annotator is called {GOLD_NAME!r}, the name of the gold standard: curation "
            "cannot start until they have another name (docs/curation.md)"
        )
    conn.execute(text(_STAMP_TIME.format(schema=schema)))
    conn.execute(text(f"REVOKE ALL ON FUNCTION {STAMP_TIME} FROM PUBLIC"))
    conn.execute(text(_LOCK_GOLD.format(schema=schema)))
    conn.execute(text(f"REVOKE ALL ON FUNCTION {LOCK_GOLD} FROM PUBLIC"))
    for table, when in STAMPED.items():
        conn.execute(text(f"DROP TRIGGER IF EXISTS team_stamp_time ON {table}"))
        conn.execute(
            text(
                f"CREATE TRIGGER team_stamp_time {when} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {STAMP_TIME}"
            )
        )
    conn.execute(text("ALTER TABLE goldorigin ENABLE ROW LEVEL SECURITY"))
    for table, rule in READ_FINISHED.items():
        conn.execute(text(f"DROP POLICY IF EXISTS {GOLD_READ_POLICY} ON {table}"))
        conn.execute(text(f"CREATE POLICY {GOLD_READ_POLICY} ON {table} FOR SELECT USING ({rule})"))
    return warnings


def _policy(conn: Connection, what: str, role: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(f"{what} {role}"[:63])


def grant(conn: Connection, role: str, kind: str, quoted: str) -> None:
    """Exactly `kind`'s curation rights for `role` (`quoted`: its quoted name); a curator's
    table rights on the label tables are an annotator's, granted by roles.py."""
    conn.execute(text(f"REVOKE ALL ON {', '.join(TABLES)} FROM {quoted}"))
    conn.execute(text(f"GRANT {RIGHTS[kind]} ON {', '.join(TABLES)} TO {quoted}"))
    conn.execute(text(f"REVOKE ALL ON FUNCTION {LOCK_GOLD} FROM {quoted}"))
    if kind in ("lead", "curator"):
        conn.execute(text(f"GRANT EXECUTE ON FUNCTION {LOCK_GOLD} TO {quoted}"))
    everything = _policy(conn, "curation", role)
    conn.execute(text(f"DROP POLICY IF EXISTS {everything} ON goldorigin"))
    if kind in ("lead", "curator"):
        conn.execute(
            text(
                f"CREATE POLICY {everything} ON goldorigin TO {quoted} USING (true) "
                "WITH CHECK (true)"
            )
        )
    for table, commands in CURATOR_WRITES.items():
        reads = _policy(conn, "curator reads", role)
        conn.execute(text(f"DROP POLICY IF EXISTS {reads} ON {table}"))
        if kind == "curator":
            conn.execute(
                text(f"CREATE POLICY {reads} ON {table} FOR SELECT TO {quoted} USING (true)")
            )
        for command in ("INSERT", "UPDATE", "DELETE"):
            writes = _policy(conn, f"curator {command.lower()}", role)
            conn.execute(text(f"DROP POLICY IF EXISTS {writes} ON {table}"))
            if kind != "curator" or command not in commands:
                continue
            rule = _WRITE_RULE[table]
            clauses = {
                "INSERT": f"WITH CHECK ({rule})",
                "UPDATE": f"USING ({rule}) WITH CHECK ({rule})",
                "DELETE": f"USING ({rule})",
            }
            conn.execute(
                text(
                    f"CREATE POLICY {writes} ON {table} FOR {command} TO {quoted} "
                    f"{clauses[command]}"
                )
            )
