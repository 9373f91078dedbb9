"""`annotator lead add|list|remove`: who may open the lead's views (agreement, curation,
progress, networks, export, merge, assignments) in a project file. Thin wrappers over
annotator.store.leads; in team mode the server's roles decide instead."""

from __future__ import annotations

import typer

from annotator.cli import common

lead_app = typer.Typer(
    name="lead",
    help="The project's leads: who may see everybody's labels in a project file.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    app.add_typer(lead_app)


@lead_app.command("list")
def list_cmd(ctx: typer.Context) -> None:
    """The project's leads, one a line."""
    from annotator.store.leads import has_leads_chosen, leads

    with common.state(ctx).open() as project:
        chosen, names = has_leads_chosen(project), leads(project)
    if names:
        typer.echo("\n".join(names))
    elif not chosen:
        typer.echo(
            "no leads yet: the first person to open the project in the window becomes its "
            "lead (or `annotator lead add NAME`)"
        )
    else:
        typer.echo("no leads: `annotator lead add NAME` makes one")


@lead_app.command("add")
def add_cmd(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The annotator name of the new lead."),
) -> None:
    """Make NAME a lead of the project (an annotator of that name is made if new)."""
    from annotator.store.leads import add_lead

    with common.state(ctx).open() as project:
        names = add_lead(project, name)
    typer.echo(f"leads: {', '.join(names)}")


@lead_app.command("remove")
def remove_cmd(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The lead who is one no longer."),
) -> None:
    """NAME is a lead no longer (the last lead stays until another is added)."""
    from annotator.store.leads import remove_lead

    with common.state(ctx).open() as project:
        names = remove_lead(project, name)
    typer.echo(f"leads: {', '.join(names)}")
