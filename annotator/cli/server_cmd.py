"""`annotator server ...`: team mode on a shared PostgreSQL database (see docs/team.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from annotator.cli import common
from annotator.errors import InputError

server_app = typer.Typer(
    name="server",
    help="Team mode: set up a shared PostgreSQL database and move projects onto it.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

DB_HELP = "Database URL (postgresql://USER@HOST/DB); default: the global --db or ANNOTATOR_DB."


def register(app: typer.Typer) -> None:
    app.add_typer(server_app)


def _url(ctx: typer.Context, db: str | None) -> str:
    from annotator.paths import resolve_db

    location, is_default = resolve_db(db or common.state(ctx).db)
    if is_default:
        raise InputError("give the server's URL with --db postgresql://USER@HOST/DATABASE")
    return location


@server_app.command("init")
def init_cmd(
    ctx: typer.Context,
    db: str = typer.Option(None, "--db", help=DB_HELP + " Connect as the tables' owner."),
    leads: list[str] = typer.Option(
        None, "--lead", help="Role that reads and writes everybody's labels (repeatable)."
    ),
    annotators: list[str] = typer.Option(
        None,
        "--annotator",
        help="NAME=ROLE: annotator NAME writes as database role ROLE (repeatable).",
    ),
    create_roles: bool = typer.Option(
        True, "--create-roles/--no-create-roles", help="Create missing roles (LOGIN, no password)."
    ),
    curators: list[str] = typer.Option(
        None,
        "--curator",
        help="Role that reads every label and writes only the gold standard (repeatable).",
    ),
) -> None:
    """Create (or upgrade) the schema and set up roles and row-level security. Safe to re-run."""
    from annotator.server.roles import init_server, parse_assignment

    mapping = dict(parse_assignment(a) for a in annotators or ())
    state = common.state(ctx)
    # --codebook FILE stores (or replaces) the project's codebook on the server; without it
    # the server keeps the one it has (the shipped one at the first init).
    report = init_server(
        _url(ctx, db),
        leads=leads or (),
        annotators=mapping,
        create_roles=create_roles,
        codebook=state.load_codebook() if state.codebook else None,
        curators=curators or (),
    )
    typer.echo(report.summary())


@server_app.command("add-annotator")
def add_annotator_cmd(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The annotator's name, as shown in the tool."),
    role: str = typer.Option(None, "--role", help="Database role (default: the name)."),
    db: str = typer.Option(None, "--db", help=DB_HELP + " Connect as the tables' owner."),
    create_role: bool = typer.Option(
        True, "--create-role/--no-create-role", help="Create the role if missing."
    ),
) -> None:
    """Let one more annotator write their own labels with their own database role."""
    from annotator.server.roles import add_annotator, parse_assignment

    name, role = parse_assignment(f"{name}={role or ''}")
    report = add_annotator(_url(ctx, db), name, role, create_role=create_role)
    typer.echo(report.summary())


@server_app.command("push")
def push_cmd(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(..., help="Project files to copy onto the server."),
    db: str = typer.Option(None, "--db", help=DB_HELP + " Connect as the owner or a lead."),
) -> None:
    """Copy project files onto the server; pushing the same file again changes nothing."""
    from annotator.server.push import push_projects
    from annotator.store.engine import open_project

    with open_project(_url(ctx, db)) as server, common.progress_bar("Pushing") as tick:
        report = push_projects(
            server, files, codebook=common.state(ctx).load_codebook(), progress=tick
        )
        where = server.db
    for line in report.summary().splitlines():
        typer.echo(line)
    typer.echo(f"pushed {len(report.files)} file(s) to {where}")
