"""Where things live: shipped resources, seeds, the user's data and settings.

Settings and paths are decided here and nowhere else. Tests point ANNOTATOR_HOME at a
temporary folder so they never touch a real user's files.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "stance-annotator"
_PACKAGE_DIR = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    # In a built wheel the folders are copied into annotator/_data/; in a source checkout
    # (editable install, tests) they sit at the top of the repository.
    inside = _PACKAGE_DIR / "_data" / name
    if inside.is_dir():
        return inside
    return _PACKAGE_DIR.parent / name


def resources_dir() -> Path:
    return _shipped("resources")


def seeds_dir() -> Path:
    return _shipped("seeds")


def resource(name: str) -> Path:
    return resources_dir() / name


def user_data_dir() -> Path:
    home = os.environ.get("ANNOTATOR_HOME")
    path = Path(home) / "data" if home else Path(platformdirs.user_data_dir(APP_NAME))
    return path


def user_config_dir() -> Path:
    home = os.environ.get("ANNOTATOR_HOME")
    return Path(home) / "config" if home else Path(platformdirs.user_config_dir(APP_NAME))


def default_db_path() -> Path:
    return user_data_dir() / "project.db"


def exports_dir() -> Path:
    """Default output folder: ./exports when run from the repository, else the data dir."""
    local = Path.cwd() / "exports"
    if local.is_dir():
        return local
    return user_data_dir() / "exports"


def resolve_db(db: str | os.PathLike[str] | None) -> tuple[str, bool]:
    """Return (database path or URL, is_default). `--db` beats ANNOTATOR_DB beats the default."""
    if db:
        return str(db), False
    env = os.environ.get("ANNOTATOR_DB")
    if env:
        return env, False
    return str(default_db_path()), True
