"""`annotator gui` (and `annotator` alone): open the annotation window."""

from __future__ import annotations

import typer

from annotator.cli import common


def run_gui(state: common.State) -> None:
    from annotator.gui.app import run  # Qt is imported only when the GUI is wanted

    raise typer.Exit(run(db=state.db, codebook=state.codebook_file()))


def register(app: typer.Typer) -> None:
    @app.command("gui")
    def gui(ctx: typer.Context) -> None:
        """Open the annotation window (the default when no command is given)."""
        run_gui(common.state(ctx))
