"""The README stays true: every shortcut and every command is documented there."""

from __future__ import annotations

from pathlib import Path

import typer.main

from annotator.cli.app import app
from annotator.gui.desk.shortcuts import all_shortcuts

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_keyboard_shortcut_is_in_the_readme(codebook) -> None:
    missing = [
        (s.action, k) for s in all_shortcuts(codebook) for k in s.keys if f"`{k}`" not in README
    ]
    assert missing == []


def test_every_command_is_in_the_readme() -> None:
    group = typer.main.get_command(app)
    missing = [name for name in group.commands if f"annotator {name}" not in README]
    assert missing == []


def test_quick_start_has_the_two_commands_ci_runs() -> None:
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    install_and_test = "python3 -m venv .venv && .venv/bin/pip install '.[test]'"
    assert install_and_test in README
    assert ".venv/bin/python -m pytest" in README and ".venv/bin/python -m pytest" in ci
    assert ".venv/bin/pip install . && .venv/bin/annotator" in README
