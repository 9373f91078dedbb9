"""Opening the project a command or the GUI works on (the default one is filled from the seeds)."""

from __future__ import annotations

from annotator.errors import AnnotatorError
from annotator.paths import resolve_db
from annotator.progress import Progress
from annotator.store.articles import count_articles
from annotator.store.engine import Project, open_project
from annotator.store.models import ProjectInfo


def open_for_use(
    db: str | None = None,
    *,
    create: bool = True,
    model: str | None = None,
    progress: Progress | None = None,
) -> Project:
    """Open `--db`, else ANNOTATOR_DB, else the default project (seeded on first use)."""
    location, is_default = resolve_db(db)
    project = open_project(location, create=create or is_default)
    if is_default and project.info("seeded") is None:
        try:
            if count_articles(project) == 0:
                # Here, not at the top: the import brings its readers, which every command
                # would otherwise pay for when it opens a project already seeded. The
                # seeds come highlighted (ingest/seeds.py): no model runs before the window.
                from annotator.ingest.importer import import_paths
                from annotator.ingest.seeds import seed_sources

                import_paths(project, seed_sources(model), model=model, progress=progress)
            with project.write() as s:
                s.merge(ProjectInfo(key="seeded", value="seeds"))
        except AnnotatorError:
            project.close()
            raise
    return project


def open_for_labelling(
    db: str | None = None, *, model: str | None = None, progress: Progress | None = None
) -> tuple[Project, AnnotatorError | None]:
    """What the window does at start: open (and on first use seed) the project, then make
    the day's rotating backup beside it. A failed backup is returned, not raised: it is
    reported, and labelling goes on."""
    from annotator.store.backup import rotating_daily_backup

    project = open_for_use(db, model=model, progress=progress)
    try:
        rotating_daily_backup(project)
    except AnnotatorError as exc:
        return project, exc
    return project, None
