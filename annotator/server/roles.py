"""Roles, grants and row-level security for team mode on PostgreSQL.

Who may do what (all enforced by the server, not by this tool; docs/team.md has the table):
- an annotator role reads articles, actors, aliases, mentions, the annotator list and the
  codebook; reads and writes only the labels, evidence, history and done marks of the
  annotators whose `db_role` is that role (row-level security); changes shared data only
  through team_mark_actor() ("mark actor", server/guards.py). History is append-only.
  It holds no right that lets it lock a shared table against the others; only the label
  tables it deletes its own rows from can be locked (its DELETE right allows LOCK TABLE),
  and then the others' commands stop at the lock timeout with a clear message.
- a lead role reads and writes all data (agreement view, exports, imports, merges, push),
  but may only append to the history: merging two actors writes new events and keeps the
  merged-away actor (store/actor_merge.py), so no right to change an event is needed.
- the owner (the URL `server init` runs with) owns the tables, bypasses the policies and is
  the only one who changes the schema, the codebook and the grants.

Each init grants every known team role exactly its rights again (revoking whatever else it
held on the project's tables), so an upgrade of the tool tightens roles set up earlier.
Everything runs in one transaction: a refusal half-way leaves the database as it was, and
it waits for a lock only so long (server/sessions.py, which also gives every team role the
tool's session limits as defaults, for any client).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import Connection, select, text, update
from sqlalchemy.exc import DBAPIError

from annotator.codebook import Codebook
from annotator.errors import InputError, ProjectError
from annotator.server import assignments, guards, sessions
from annotator.server import curation as curation_rights
from annotator.store.annotators import check_person_name
from annotator.store.dialects import server_problem, sqlstate
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
    "actormerge",
)
LABEL_TABLES = ("stanceannotation", "evidence", "labelevent", "articledone")
# Stance suggestions and models (annotator/suggest/): the lead computes and stores them; an
# annotator reads the suggestions made for everybody and for her, never another's.
SUGGESTION_TABLES = ("suggestion", "stancemodel")
ALL_TABLES = SHARED + LABEL_TABLES + SUGGESTION_TABLES
SERIAL_COLUMN = {"stancemodel": "version"}  # the others' serial column is "id"
WITH_ID = tuple(t for t in ALL_TABLES if t not in ("projectinfo", "alembic_version", "articledone"))

_MINE = "annotator_id IN (SELECT id FROM annotator WHERE db_role = current_user::text)"
OWN_ROWS = {
    "stanceannotation": _MINE,
    "labelevent": _MINE,
    "articledone": _MINE,
    # Correlated, through the label's primary key: an IN over the annotator's labels was
    # planned as a scan of all of them, once per query (8 ms a cell at 10,000 labels).
    "evidence": (
        "EXISTS (SELECT 1 FROM stanceannotation s JOIN annotator a ON a.id = s.annotator_id "
        "WHERE s.id = evidence.annotation_id AND a.db_role = current_user::text)"
    ),
    "suggestion": f"annotator_id IS NULL OR {_MINE}",
}
OWN_POLICY = "annotator_own_rows"
_EDIT = "SELECT, INSERT, UPDATE, DELETE"
# Exactly what each kind of role may do, table by table; nothing else is granted. An
# annotator's UPDATE is per column: a column right does not allow LOCK TABLE, and the
# annotator and the cell of a label stay as they were made.
RIGHTS = {
    "annotator": {
        **dict.fromkeys(SHARED, "SELECT"),
        "team_codebook": "SELECT",
        "stanceannotation": "SELECT, INSERT, UPDATE (stance, note, updated_at), DELETE",
        "evidence": "SELECT, INSERT, DELETE",
        "labelevent": "SELECT, INSERT",
        "articledone": "SELECT, INSERT, DELETE",
        "suggestion": "SELECT",
    },
    "lead": {
        "projectinfo": "SELECT",
        "alembic_version": "SELECT",
        "team_codebook": "SELECT",
        "team_mark_log": "SELECT",
        **dict.fromkeys(("article", "actor", "actoralias", "mention", "annotator"), _EDIT),
        **dict.fromkeys(("stanceannotation", "evidence", "articledone"), _EDIT),
        "labelevent": "SELECT, INSERT",
        "actormerge": _EDIT,  # the record of actor merges, for undo
        **dict.fromkeys(SUGGESTION_TABLES, _EDIT),
    },
}
SEQUENCES = {  # whose ids each kind of role draws
    "annotator": ("stanceannotation", "evidence", "labelevent"),
    "lead": WITH_ID,
}
EXECUTE = (guards.MARK_ACTOR, guards.LOCK_WRITER)
_ROLE_NAME = re.compile(r"^[^\s\"]{1,63}$")


@dataclass
class InitReport:
    """What `init_server` did."""

    database: str
    roles_created: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    annotators: dict[str, str] = field(default_factory=dict)  # annotator name -> role
    curators: list[str] = field(default_factory=list)
    targets: tuple[str, ...] = ()  # the codebook the server checks labels against
    stances: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"{self.database}: schema, grants, checks and row-level security are set up"]
        lines.append(
            f"codebook: targets {', '.join(self.targets)}; stances {', '.join(self.stances)}"
        )
        if self.leads:
            lines.append("lead role(s): " + ", ".join(self.leads))
        if self.curators:
            lines.append(
                "curator role(s), writing only the gold standard: " + ", ".join(self.curators)
            )
        for name, role in self.annotators.items():
            lines.append(f"annotator {name!r} writes as role {role}")
        if self.roles_created:
            lines.append(
                "new role(s) without a password: " + ", ".join(self.roles_created)
                + " (set one with: ALTER ROLE name PASSWORD '...')"
            )  # fmt: skip
        lines.extend(f"warning: {w}" for w in self.warnings)
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
    codebook: Codebook | None = None,
    curators: Iterable[str] = (),
) -> InitReport:
    """Create or upgrade the schema on `db` (the owner's URL) and set up roles, grants,
    policies and the server's checks. `codebook` replaces the one the server checks labels
    against; None keeps it (or stores the default codebook the first time). `curators`:
    roles that read every label and write only the gold standard (server/curation.py)."""
    leads = [_check_role(r) for r in dict.fromkeys(leads)]
    annotators = {
        check_person_name(name): _check_role(role) for name, role in (annotators or {}).items()
    }
    curators = [_check_role(r) for r in dict.fromkeys(curators)]
    if set(curators) & set(leads):
        role = sorted(set(curators) & set(leads))[0]
        raise InputError(f"{role} cannot be a lead and a curator: a lead may already do everything")
    with open_project(db) as project:
        _require_postgres(project)
        report = InitReport(
            database=project.db, leads=leads, annotators=dict(annotators), curators=curators
        )
        try:
            with project.write_engine.begin() as conn:
                sessions.limit_init_wait(conn)
                roles = [*leads, *annotators.values(), *curators]
                owner = _check_owner(conn, project.db, roles)
                for role in dict.fromkeys(roles):
                    if _ensure_role(conn, role, create=create_roles):
                        report.roles_created.append(role)
                _act_as_owner(conn, owner, report)
                schema = _quote(conn, conn.execute(text("SELECT current_schema()")).scalar_one())
                guards.install(conn, schema, codebook)
                report.targets, report.stances = guards.stored_codebook(conn)
                _apply_policies(conn)
                assignments.install(conn, schema)
                report.warnings.extend(curation_rights.install(conn, schema))
                for role, kind in _team_roles(conn, owner, leads, annotators, curators).items():
                    _grant(conn, role, kind, schema)
                    warning = sessions.set_role_limits(conn, role, _quote(conn, role))
                    if warning is not None:
                        report.warnings.append(warning)
                for name, role in annotators.items():
                    _map_annotator(conn, name, role)
        except DBAPIError as exc:
            if sqlstate(exc) == "55P03":  # lock_timeout
                raise sessions.init_lock_refusal(project.engine, project.db) from None
            problem = server_problem(exc, project.db, "nothing was changed")
            if problem is not None:
                raise problem from None
            raise ProjectError(f"setting up {project.db} failed: {_reason(exc)}") from None
    return report


def add_annotator(db: str, name: str, role: str, *, create_role: bool = True) -> InitReport:
    """Give annotator `name` its own role (created if missing) on an initialised database."""
    return init_server(db, annotators={name: role}, create_roles=create_role)


def _check_owner(conn: Connection, db: str, roles: list[str]) -> str:
    """The tables' owner; refused unless we are it (or a superuser)."""
    owner = conn.execute(
        text(
            "SELECT pg_get_userbyid(c.relowner) FROM pg_class c "
            "WHERE c.oid = to_regclass('stanceannotation')"
        )
    ).scalar_one()
    me, superuser = conn.execute(
        text("SELECT current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)")
    ).one()
    if owner != me and not superuser:
        raise ProjectError(
            f"run `annotator server init` with the URL of the tables' owner ({owner}) on {db}, "
            f"not as {me}"
        )
    if owner in roles:
        raise InputError(
            f"{owner} owns the tables and may do everything: give leads and annotators "
            "login roles of their own"
        )
    return owner


def _act_as_owner(conn: Connection, owner: str, report: InitReport) -> None:
    """Create everything as the tables' owner: the checked functions run with the rights
    of whoever owns them, which must not be a superuser's."""
    me = conn.execute(text("SELECT current_user")).scalar_one()
    if me != owner:
        conn.execute(text(f"SET LOCAL ROLE {_quote(conn, owner)}"))
    if conn.execute(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = :r"), {"r": owner}
    ).scalar():
        report.warnings.append(
            f"the tables belong to {owner}, a superuser: the server's checked functions run "
            "with its rights; better give them to an owner role without superuser rights "
            "(docs/team.md)"
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


def _team_roles(
    conn: Connection,
    owner: str,
    leads: list[str],
    annotators: Mapping[str, str],
    curators: Iterable[str] = (),
) -> dict[str, str]:
    """Every role of the team (role -> "lead" or "annotator"), recorded in team_role: the
    ones given now and every one set up before, also by an older version of the tool (an
    annotator's role by annotator.db_role, a lead's by its policy)."""
    known: dict[str, str] = {}
    for (role,) in conn.execute(
        text("SELECT DISTINCT db_role FROM annotator WHERE db_role IS NOT NULL")
    ):
        known[role] = "annotator"
    for (roles,) in conn.execute(
        text(
            "SELECT roles FROM pg_policies WHERE schemaname = current_schema() "
            "AND tablename = 'stanceannotation' AND policyname LIKE 'lead %'"
        )
    ):
        known.update(dict.fromkeys(roles, "lead"))
    known.update(dict(conn.execute(text("SELECT role, kind FROM team_role")).all()))
    for role in annotators.values():
        known.setdefault(role, "annotator")
    known.update(dict.fromkeys(curators, "curator"))
    known.update(dict.fromkeys(leads, "lead"))
    existing = set(
        conn.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:r)"), {"r": list(known)}
        ).scalars()
    )
    team = {role: kind for role, kind in known.items() if role in existing and role != owner}
    for role, kind in team.items():
        conn.execute(
            text(
                "INSERT INTO team_role (role, kind) VALUES (:r, :k) "
                "ON CONFLICT (role) DO UPDATE SET kind = excluded.kind"
            ),
            {"r": role, "k": kind},
        )
        conn.execute(
            text("INSERT INTO team_writer (role) VALUES (:r) ON CONFLICT DO NOTHING"), {"r": role}
        )
    return team


def _sequences(conn: Connection, tables: Iterable[str]) -> list[str]:
    return [
        conn.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": t, "c": SERIAL_COLUMN.get(t, "id")}
        ).scalar_one()
        for t in tables
    ]


def _grant(conn: Connection, role: str, kind: str, schema: str) -> None:
    """Exactly the rights of `kind` for `role` on the project's tables, sequences and
    functions: whatever it held before is revoked first."""
    quoted = _quote(conn, role)
    curator, kind = kind == "curator", "annotator" if kind == "curator" else kind
    # A curator has an annotator's table rights; its policies (server/curation.py) add
    # reading everything and writing the gold standard.
    conn.execute(text(f"REVOKE ALL ON {', '.join(ALL_TABLES + guards.TEAM_TABLES)} FROM {quoted}"))
    every_sequence = ", ".join(_sequences(conn, (*WITH_ID, "team_mark_log")))
    conn.execute(text(f"REVOKE ALL ON SEQUENCE {every_sequence} FROM {quoted}"))
    functions = ", ".join((*guards.FUNCTIONS, curation_rights.STAMP_TIME))
    conn.execute(text(f"REVOKE ALL ON FUNCTION {functions} FROM {quoted}"))
    conn.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {quoted}"))
    for table, rights in RIGHTS[kind].items():
        conn.execute(text(f"GRANT {rights} ON {table} TO {quoted}"))
    sequences = ", ".join(_sequences(conn, SEQUENCES[kind]))
    conn.execute(text(f"GRANT USAGE ON SEQUENCE {sequences} TO {quoted}"))
    conn.execute(text(f"GRANT EXECUTE ON FUNCTION {', '.join(EXECUTE)} TO {quoted}"))
    # A lead reads and writes every label: one policy per lead role (the annotators' rule
    # covers everybody else).
    policy = _quote(conn, f"lead {role}"[:63])
    for table in OWN_ROWS:
        conn.execute(text(f"DROP POLICY IF EXISTS {policy} ON {table}"))
        if kind == "lead":
            conn.execute(
                text(
                    f"CREATE POLICY {policy} ON {table} TO {quoted} USING (true) WITH CHECK (true)"
                )
            )
    assignments.grant(conn, role, kind, quoted)
    curation_rights.grant(conn, role, "curator" if curator else kind, quoted)


def _map_annotator(conn: Connection, name: str, role: str) -> None:
    table = Annotator.__table__  # type: ignore[attr-defined]
    found = conn.execute(select(table.c.id).where(table.c.name == name)).scalar()
    if found is None:
        conn.execute(table.insert().values(name=name, db_role=role, created_at=utcnow()))
    else:
        conn.execute(update(table).where(table.c.id == found).values(db_role=role))
