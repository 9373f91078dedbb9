"""Moving a project file onto the server: `annotator server push project.db`.

A push is a merge (store.merge) into the server's database: articles match by id and text,
actors by name, annotators by name, the newer label wins, done marks come along, and one
transaction per file means a failed push leaves the server as it was. Pushing the same
file twice changes nothing, so a push can simply be repeated after an interruption.

The file's label history stays in the file: on the server each pushed label and done mark
starts its history with one "merge" entry (as a merge records it), so undo in a labelling
session stops there.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from annotator.codebook import Codebook
from annotator.errors import InputError
from annotator.progress import Progress
from annotator.store.engine import Project
from annotator.store.merge import MergeReport, merge_projects


def push_projects(
    server: Project,
    files: Sequence[str | Path],
    *,
    codebook: Codebook | None = None,
    progress: Progress | None = None,
) -> MergeReport:
    """Copy everything in the project files into `server` (a PostgreSQL project)."""
    if server.path is not None:
        raise InputError(
            "push needs a database server as --db (postgresql://USER@HOST/DATABASE); "
            "to combine project files, use `annotator merge`"
        )
    return merge_projects(server, files, codebook=codebook, whole_project=True, progress=progress)
