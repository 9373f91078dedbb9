"""Roles and row-level security for team mode on PostgreSQL.

Who may do what (all enforced by the server, not by this tool):
- an annotator role reads articles, actors, aliases, mentions and the annotator list; adds
  actors, aliases and hand-marked mentions (the GUI's "mark actor"), which may replace
  overlapping automatic mentions; and reads and writes only the labels, evidence, history
  and done marks of the annotators whose `db_role` is that role. It cannot change articles,
  annotators or anybody else's labels, and cannot change or delete history.
- a lead role reads and writes everything (agreement view, exports, imports, merges, push).
- the owner (the URL `server init` runs with) owns the tables and bypasses the policies.

Policies name no role for the annotators' rule: a role that maps to no annotator simply
sees no labels. Everything is (re)applied idempotently, so `init` can be run again to add
roles, and it runs in one transaction: a refusal half-way leaves the database as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import Connection, select, text, update
from sqlalchemy.exc import DBAPIError

from annotator.errors import InputError, ProjectError
from annotator.store.engine import Project, open_project
from annotator.store.models import Annotator, utcnow

SHARED = (
    "projectinfo",
    "article",
    "actor",
    "actoralias",
    "mention",
    "annotator",
    "alembic_version",
)
LABEL_TABLES = ("stanceannotation", "evidence", "labelevent", "articledone")
ALL_TABLES = SHARED + LABEL_TABLES

_MINE = "annotator_id IN (SELECT id FROM annotator WHERE db_role = current_user::text)"
OWN_ROWS = {
    "stanceannotation": _MINE,
    "labelevent": _MINE,
    "articledone": _MINE,
    "evidence": (
        "annotation_id IN (SELECT s.id FROM stanceannotation s JOIN annotator a "
        "ON a.id = s.annotator_id WHERE a.db_role = current_user::text)"
    ),
}
# What an annotator may do beyond SELECT on every table.
ANNOTATOR_WRITES = {
    "actor": "INSERT",
    "actoralias": "INSERT",
    "mention": "INSERT, DELETE",  # a hand-marked mention replaces automatic ones it overlaps
    "stanceannotation": "INSERT, UPDATE, DELETE",
    "evidence": "INSERT, DELETE",
    "labelevent": "INSERT",  # history is append-only
    "articledone": "INSERT, DELETE",
}
OWN_POLICY = "annotator_own_rows"
_ROLE_NAME = re.compile(r"^[^\s\"]{1,63}$")


@dataclass
class InitReport:
    """What `init_server` did."""

    database: str
    roles_created: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    annotators: dict[str, str] = field(default_factory=dict)  # annotator name -> role

    def summary(self) -> str:
        lines = [f"{self.database}: schema, grants and row-level security are set up"]
        if self.leads:
            lines.append("lead role(s): " + ", ".join(self.leads))
        for name, role in self.annotators.items():
            lines.append(f"annotator {name!r} writes as role {role}")
        if self.roles_created:
            lines.append(
                "new role(s) without a password: " + ", ".join(self.roles_created)
                + " (set one with: ALTER ROLE name PASSWORD '...')"
            )  # fmt: skip
        return "\n".join(lines)


def parse_assignment(value: str) -> tuple[str, str]:
    """`NAME=ROLE` (or just `NAME`, whose role then has the same name)."""
    name, _, role = value.partition("=")
    name, role = name.strip(), (role.strip() or name.strip())
    if not name:
        raise InputError(f"expected NAME=ROLE, got {value!r}")
    return name, role


def _check_role(role: str) -> str:
    if not _ROLE_NAME.match(role):
        raise InputError(f"{role!r} is not a usable role name (no spaces or quotes, 1-63 chars)")
    return role


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def _require_postgres(project: Project) -> None:
    if project.dialect != "postgresql":
        raise InputError(
            "team mode needs a PostgreSQL database: give --db postgresql://USER@HOST/DATABASE"
        )


def _reason(exc: DBAPIError) -> str:
    return str(exc.orig or exc).strip().splitlines()[0]


def init_server(
    db: str,
    *,
    leads: Iterable[str] = (),
    annotators: Mapping[str, str] | None = None,
    create_roles: bool = True,
) -> InitReport:
    """Create or upgrade the schema on `db` (the owner's URL) and set up roles and policies."""
    leads = [_check_role(r) for r in dict.fromkeys(leads)]
    annotators = {name: _check_role(role) for name, role in (annotators or {}).items()}
    with open_project(db) as project:
        _require_postgres(project)
        report = InitReport(database=project.db, leads=leads, annotators=dict(annotators))
        try:
            with project.write_engine.begin() as conn:
                _check_owner(conn, project.db)
                for role in [*leads, *annotators.values()]:
                    if _ensure_role(conn, role, create=create_roles):
                        report.roles_created.append(role)
                _apply_policies(conn)
                for role in dict.fromkeys(annotators.values()):
                    _grant_annotator(conn, role)
                for role in leads:
                    _grant_lead(conn, role)
                for name, role in annotators.items():
                    _map_annotator(conn, name, role)
        except DBAPIError as exc:
            raise ProjectError(f"setting up {project.db} failed: {_reason(exc)}") from None
    return report


def add_annotator(db: str, name: str, role: str, *, create_role: bool = True) -> InitReport:
    """Give annotator `name` its own role (created if missing) on an initialised database."""
    return init_server(db, annotators={name: role}, create_roles=create_role)


def _check_owner(conn: Connection, db: str) -> None:
    owner = conn.execute(
        text(
            "SELECT pg_get_userbyid(c.relowner) FROM pg_class c "
            "WHERE c.oid = to_regclass('stanceannotation')"
        )
    ).scalar()
    me, superuser = conn.execute(
        text("SELECT current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)")
    ).one()
    if owner != me and not superuser:
        raise ProjectError(
            f"run `annotator server init` with the URL of the tables' owner ({owner}) on {db}, "
            f"not as {me}"
        )


def _ensure_role(conn: Connection, role: str, *, create: bool) -> bool:
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    if exists:
        return False
    if not create:
        raise ProjectError(
            f"the database has no role {role}: create it first, or let init create it "
            "(without --no-create-roles)"
        )
    conn.execute(text(f"CREATE ROLE {_quote(conn, role)} LOGIN"))
    return True


def _apply_policies(conn: Connection) -> None:
    for table, rule in OWN_ROWS.items():
        conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
        conn.execute(text(f"DROP POLICY IF EXISTS {OWN_POLICY} ON {table}"))
        conn.execute(
            text(f"CREATE POLICY {OWN_POLICY} ON {table} USING ({rule}) WITH CHECK ({rule})")
        )


def _grant_schema(conn: Connection, quoted: str) -> None:
    schema = _quote(conn, conn.execute(text("SELECT current_schema()")).scalar_one())
    conn.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {quoted}"))
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}"))


def _grant_annotator(conn: Connection, role: str) -> None:
    quoted = _quote(conn, role)
    _grant_schema(conn, quoted)
    conn.execute(text(f"GRANT SELECT ON {', '.join(ALL_TABLES)} TO {quoted}"))
    for table, rights in ANNOTATOR_WRITES.items():
        conn.execute(text(f"GRANT {rights} ON {table} TO {quoted}"))


def _grant_lead(conn: Connection, role: str) -> None:
    quoted = _quote(conn, role)
    _grant_schema(conn, quoted)
    conn.execute(
        text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(ALL_TABLES)} TO {quoted}")
    )
    # One policy per lead role (the annotators' rule already covers everybody else).
    policy = _quote(conn, f"lead {role}"[:63])
    for table in OWN_ROWS:
        conn.execute(text(f"DROP POLICY IF EXISTS {policy} ON {table}"))
        conn.execute(
            text(f"CREATE POLICY {policy} ON {table} TO {quoted} USING (true) WITH CHECK (true)")
        )


def _map_annotator(conn: Connection, name: str, role: str) -> None:
    table = Annotator.__table__  # type: ignore[attr-defined]
    found = conn.execute(select(table.c.id).where(table.c.name == name)).scalar()
    if found is None:
        conn.execute(table.insert().values(name=name, db_role=role, created_at=utcnow()))
    else:
        conn.execute(update(table).where(table.c.id == found).values(db_role=role))
