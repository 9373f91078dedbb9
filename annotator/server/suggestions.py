"""Whose part stance suggestions are in team mode, asked of the server before a command
starts: the database would refuse anyway, but with "permission denied for table
stancemodel", or with the general word about an annotator's role, which says nothing of who
may do it (docs/suggestions.md).

- Switching suggestions on and off writes the project's settings (`projectinfo`), which
  only the owner may change (a known limit: leads only read it, roles.py).
- Computing and storing suggestions, and ordering the queues by the model: a lead's (or the
  owner's). An annotator's window works out the rules' suggestions itself where none are
  stored, and keeps them for the session.

The server's own check on what an annotator records of suggestions is in checks.py.
"""

from __future__ import annotations

from sqlalchemy import text

from annotator.errors import ProjectError
from annotator.store.engine import Project

_MAY = "SELECT has_table_privilege(current_user, :table, :right)"


def _may(project: Project, *rights: tuple[str, str]) -> bool:
    """Whether this login holds every (table, right); outside PostgreSQL there are no roles."""
    if project.dialect != "postgresql":
        return True
    with project.engine.connect() as conn:
        return all(
            conn.execute(text(_MAY), {"table": table, "right": right}).scalar()
            for table, right in rights
        )


def switch_refusal(project: Project) -> ProjectError | None:
    """Why this login may not switch suggestions on or off, or None."""
    if _may(project, ("projectinfo", "INSERT"), ("projectinfo", "UPDATE")):
        return None
    with project.engine.connect() as conn:
        owner = conn.execute(
            text(
                "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'projectinfo'::regclass"
            )
        ).scalar()
    return ProjectError(
        "on a team server switching stance suggestions on or off changes the project's "
        f"settings, which only the owner may change: run the command with the owner's URL "
        f"(role {owner}, the one `annotator server init` runs with)"
    )


def compute_refusal(project: Project, what: str, instead: str) -> ProjectError | None:
    """Why this login may not compute and store suggestions or models, or None; `what`:
    the job, `instead`: what the user can do, as the message says them."""
    rights = (("stancemodel", "SELECT"), ("stancemodel", "INSERT"), ("suggestion", "INSERT"))
    if _may(project, *rights):
        return None
    return ProjectError(f"on a team server {what} is a lead's (or the owner's) part: {instead}")
