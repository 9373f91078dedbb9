"""Schema migrations with Alembic: stamp new projects, upgrade old ones after a backup."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, inspect, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def revision_of(version: int) -> str:
    return f"{version:04d}"


def _config(connection: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def stamp_head(connection: Connection) -> None:
    command.stamp(_config(connection), "head")


def revision_fits(connection: Connection, version: int) -> bool:
    """Whether Alembic's record agrees with the schema version the project states. An
    edited record ('zzzz', or another version's) leaves the upgrade without a known start."""
    if "alembic_version" not in inspect(connection).get_table_names():
        return True  # schema 1 files were made before Alembic tracked them
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return list(rows) == [revision_of(version)]


def upgrade(connection: Connection, from_version: int) -> None:
    """Upgrade in the caller's transaction (SQLite DDL is transactional: all or nothing)."""
    if "alembic_version" not in inspect(connection).get_table_names():
        # Schema 1 files were made before Alembic tracked them.
        command.stamp(_config(connection), revision_of(from_version))
    command.upgrade(_config(connection), "head")
