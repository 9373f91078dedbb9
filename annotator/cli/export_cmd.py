"""Commands of a later issue (placeholder so the app can register it)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    return None
