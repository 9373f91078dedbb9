"""The `annotator` command. Each command is a thin wrapper over a core function.

Errors: the core raises AnnotatorError with a message for the user; here it becomes one
line on stderr and a non-zero exit code. Nothing else is allowed to print a traceback: an
unexpected error is reported in one line too and its traceback goes to a log file.
"""

from __future__ import annotations

import sys
import traceback

import typer

from annotator import __version__
from annotator.cli import common
from annotator.errors import AnnotatorError

app = typer.Typer(
    name="annotator",
    help="Annotate actor stances in news articles. Without a command, opens the GUI.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: str = typer.Option(
        None, "--db", help="Project file (SQLite path) or database URL. Env: ANNOTATOR_DB."
    ),
    codebook: str = typer.Option(None, "--codebook", help="Use this codebook TOML file."),
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    if version:
        typer.echo(__version__)
        raise typer.Exit()
    ctx.obj = common.State(db=db, codebook=codebook)
    if ctx.invoked_subcommand is None:
        from annotator.cli.gui_cmd import run_gui

        run_gui(ctx.obj)


def _register() -> None:
    # Imported here so `annotator --help` lists every command; each module adds its own.
    from annotator.cli import (
        agreement_cmd,
        articles_cmd,
        assign_cmd,
        curation_cmd,
        data_cmd,
        export_cmd,
        gui_cmd,
        lead_cmd,
        network_cmd,
        server_cmd,
        suggest_cmd,
    )

    for module in (
        articles_cmd,
        gui_cmd,
        agreement_cmd,
        curation_cmd,
        export_cmd,
        network_cmd,
        data_cmd,
        server_cmd,
        assign_cmd,
        suggest_cmd,
        lead_cmd,
    ):
        module.register(app)


_register()


def _fail(message: str, code: int) -> None:
    print(f"annotator: error: {message}", file=sys.stderr)
    sys.exit(code)


def _usage_message(exc: Exception) -> str:
    """One line: click's message (with its "Did you mean ...?") and where help is."""
    format_message = getattr(exc, "format_message", None)
    message = format_message() if callable(format_message) else str(exc)
    message = " ".join(message.split())
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:  # a usage error: the command line itself was wrong
        message += f" (see '{ctx.command_path} --help')"
    return message


def main(argv: list[str] | None = None) -> None:
    try:
        app(args=argv, prog_name="annotator", standalone_mode=False)
    except AnnotatorError as exc:
        _fail(str(exc).replace("\n", " "), exc.exit_code)
    except typer.Abort:
        _fail("aborted", 130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.TyperException as exc:
        # typer carries its own copy of click: its usage errors are TyperExceptions.
        _fail(_usage_message(exc), getattr(exc, "exit_code", 2))
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # noqa: BLE001 - last line of defence: never show a traceback
        _click_exit(exc)
        _unexpected(exc)


def _click_exit(exc: Exception) -> None:
    """Exit as click asks: typer releases before it carried its own copy raise click's own
    exceptions. Those releases import click themselves; ours do not, and importing it
    here would cost every command its import time, so it is looked up only when loaded."""
    click = sys.modules.get("click")
    if click is None:  # then nothing could have raised one of its exceptions
        return
    if isinstance(exc, click.exceptions.Abort):
        _fail("aborted", 130)
    if isinstance(exc, click.exceptions.Exit):
        sys.exit(exc.exit_code)
    if isinstance(exc, click.ClickException):
        _fail(_usage_message(exc), getattr(exc, "exit_code", 2))


def _unexpected(exc: Exception) -> None:
    """A bug: one line on stderr, the traceback in error.log."""
    from annotator.paths import user_data_dir
    from annotator.store.dialects import database_problem

    problem = database_problem(exc)
    if problem is not None:
        _fail(str(problem), problem.exit_code)
    log = user_data_dir() / "error.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as fh:
            traceback.print_exc(file=fh)
        where = f" (details in {log})"
    except OSError:
        where = ""
    first = (str(exc).strip().splitlines() or [""])[0]
    _fail(f"unexpected {type(exc).__name__}: {first}{where}", 1)
