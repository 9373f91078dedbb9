"""The import use case: validate everything first, then highlight and store in batches.

Pass 1 reads every file and checks every record (encoding, JSON, empty text, fields within
the limits, dates, id clashes with the project and within the input) without writing
anything, so bad input leaves the project exactly as it was. Pass 2 reads the accepted
records again (memory stays flat in the number of articles), runs the highlighter and finds
the segments (sentences, boilerplate) of a batch, and writes the batch in one short
transaction, so labelling in another window is never blocked for long. A cancel between
batches keeps the complete articles already written; re-importing skips them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlmodel import Session, col, select

from annotator.codebook import Codebook, load_codebook
from annotator.dates import check_date, check_date_written
from annotator.errors import Cancelled, ConflictError, InputError
from annotator.files import project_files
from annotator.ingest.highlighting import (
    MENTION_COLUMNS,
    ActorResolver,
    mention_rows,
    model_processes,
    project_highlighter,
)
from annotator.ingest.labelled import check_labelled, write_labelled
from annotator.ingest.readers import ArticleRecord, expand_paths, read_path
from annotator.ingest.segments import compute_segments
from annotator.progress import IsCancelled, Progress
from annotator.store.bulk import insert_many
from annotator.store.engine import Project
from annotator.store.models import Article, Mention, sa_table, utcnow


@dataclass
class ImportReport:
    added: int = 0
    unchanged: int = 0
    mentions: int = 0
    skipped: list[str] = field(default_factory=list)  # "file:line: reason"
    added_ids: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # "file: what was not kept"

    def summary(self) -> str:
        parts = [f"{self.added} article(s) imported", f"{self.unchanged} already in the project"]
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        text = ", ".join(parts) + f"; {self.mentions} entity mentions highlighted"
        if self.warnings:
            more = f" (and {len(self.warnings) - 1} more)" if len(self.warnings) > 1 else ""
            text += f"; warning: {self.warnings[0]}{more}"
        return text


@dataclass
class _Plan:
    # file -> {record index: (external id, text hash)} of the records to import
    keys: dict[str, dict[int, tuple[str, str]]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.keys.values())


def _existing(project: Project) -> tuple[dict[str, str], set[str]]:
    with project.session() as s:
        rows = s.exec(select(Article.external_id, Article.text_sha256)).all()
    by_id = {ext: sha for ext, sha in rows}
    return by_id, set(by_id.values())


def _records(path: Path, encoding: str | None) -> Iterator[tuple[int, ArticleRecord]]:
    yield from enumerate(read_path(path, encoding))


def _article_row(rec: ArticleRecord, segments: dict[str, Any]) -> dict:
    return {
        "external_id": rec.external_id,
        "title": rec.title,
        "text": rec.text,
        "source": rec.source,
        "date": rec.date,
        "url": rec.url,
        "meta": rec.meta,
        "text_sha256": rec.sha256,
        "imported_at": utcnow(),
        "segments": segments,
    }


def _still_new(
    s: Session, batch: list[ArticleRecord], report: ImportReport, *, skip_invalid: bool
) -> list[ArticleRecord]:
    """The batch's records whose article is not in the project yet (checked in the write
    transaction); the same id with another text is a conflict, as in pass 1."""
    if s.get_bind().dialect.name == "postgresql":
        # Two imports at once (two leads' roles): the second waits here for the first's
        # commit instead of inserting the same text twice. Readers are not blocked.
        s.execute(text("LOCK TABLE article IN SHARE ROW EXCLUSIVE MODE"))
    ids = [r.external_id for r in batch]
    hashes = [r.sha256 for r in batch]
    by_id = dict(
        s.exec(
            select(Article.external_id, Article.text_sha256).where(
                col(Article.external_id).in_(ids)
            )
        ).all()
    )
    known = set(
        s.exec(select(Article.text_sha256).where(col(Article.text_sha256).in_(hashes))).all()
    )
    fresh = []
    for rec in batch:
        sha = rec.sha256
        stored = by_id.get(rec.external_id)
        if stored is not None and stored != sha:
            problem = ConflictError(
                f"{rec.origin}: article id {rec.external_id!r} was imported meanwhile with a "
                f"different text; {_another_id(rec)}"
            )
            if not skip_invalid:
                raise problem
            report.skipped.append(str(problem))
        elif stored is not None or sha in known:
            report.unchanged += 1
        else:
            known.add(sha)
            fresh.append(rec)
    return fresh


def _another_id(rec: ArticleRecord) -> str:
    if rec.id_from_url:
        return (
            "the id is the page's canonical URL: is this a newer version of a page already "
            "imported? (the stored text never changes)"
        )
    return "give it another id"


def plan_import(
    project: Project,
    files: Sequence[Path],
    *,
    skip_invalid: bool,
    encoding: str | None,
    report: ImportReport,
    check_record: Callable[[ArticleRecord], None] | None = None,
) -> _Plan:
    by_id, hashes = _existing(project)
    seen: dict[str, tuple[str, str]] = {}  # external id -> (sha, origin) within this input
    plan = _Plan()
    for path in files:
        try:
            for index, rec in _records(path, encoding):
                sha = rec.sha256
                try:
                    if rec.refused is not None:  # a JSONL line: skipped alone
                        raise rec.refused
                    if check_record is not None:
                        check_record(rec)
                    # An id names one text within the input, also where that text is
                    # already in the project under another id.
                    if rec.external_id in seen:
                        first_sha, first_origin = seen[rec.external_id]
                        if first_sha == sha:
                            report.unchanged += 1
                            continue
                        raise ConflictError(
                            f"{rec.origin}: article id {rec.external_id!r} is used twice in the "
                            f"input with different texts (first at {first_origin})"
                        )
                    seen[rec.external_id] = (sha, rec.origin)
                    if rec.external_id in by_id:
                        if by_id[rec.external_id] == sha:
                            report.unchanged += 1
                            continue
                        raise ConflictError(
                            f"{rec.origin}: article id {rec.external_id!r} is already in the "
                            f"project with a different text; {_another_id(rec)}"
                        )
                    if sha in hashes:
                        report.unchanged += 1
                        continue
                    hashes.add(sha)
                    plan.keys.setdefault(str(path), {})[index] = (rec.external_id, sha)
                except (ConflictError, InputError) as exc:
                    if not skip_invalid:
                        raise
                    report.skipped.append(str(exc))
        except InputError as exc:
            # A file-level problem (encoding, binary, malformed line): the whole file is
            # refused, so no half of a JSONL file is imported.
            if not skip_invalid:
                raise
            report.skipped.append(str(exc))
            plan.keys.pop(str(path), None)
    return plan


def import_paths(
    project: Project,
    paths: Sequence[str | Path],
    *,
    skip_invalid: bool = False,
    encoding: str | None = None,
    model: str | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    batch_size: int = 200,
    codebook: Codebook | None = None,
    allow_dates: bool = False,
) -> ImportReport:
    """Import articles from files and folders. Raises before writing anything on bad input.

    JSONL lines in the exported `documents` format bring their mentions and stance labels
    along (checked against the codebook first). A date before 1900 or more than a year
    ahead is refused unless `allow_dates` (dates.py).
    """
    files = _article_files(project, paths)
    report = ImportReport()
    check = _record_check(codebook or load_codebook(), allow_dates=allow_dates)
    plan = plan_import(project, files, skip_invalid=skip_invalid, encoding=encoding,
                       report=report, check_record=check)  # fmt: skip
    if plan.total == 0:
        return report
    writer = _BatchWriter(project, report, lambda: project_highlighter(project, model=model),
                          skip_invalid=skip_invalid)  # fmt: skip
    if progress:
        progress(0, plan.total)
    batch: list[ArticleRecord] = []
    for rec in _planned(files, plan, encoding, report):
        check(rec)
        report.warnings.extend(f"{rec.origin}: {w}" for w in rec.warnings)
        if cancelled and cancelled():
            raise Cancelled(
                f"import cancelled: {report.added} of {plan.total} articles were imported"
            )
        batch.append(rec)
        if len(batch) >= batch_size:
            writer.write(batch, progress, plan.total)
            batch = []
    if batch:
        writer.write(batch, progress, plan.total)
    return report


def _article_files(project: Project, paths: Sequence[str | Path]) -> list[Path]:
    files = expand_paths([Path(p) for p in paths])
    if project.path is not None:
        # Reading the project's own files with open() would drop SQLite's locks on them
        # (annotator/file_guard.py); they are no articles anyway.
        own = project_files(project.path)
        for f in files:
            if any(o.exists() and f.samefile(o) for o in own):
                raise InputError("this is the project file itself, not articles", path=str(f))
    return files


def _record_check(codebook: Codebook, *, allow_dates: bool) -> Callable[[ArticleRecord], None]:
    def check(rec: ArticleRecord) -> None:
        check_date_written(rec.date, origin=rec.origin)  # no such day: not even allowed
        if not allow_dates:
            check_date(rec.date, origin=rec.origin)
        if rec.labelled is not None:
            check_labelled(rec, codebook)

    return check


def _planned(
    files: Sequence[Path], plan: _Plan, encoding: str | None, report: ImportReport
) -> Iterator[ArticleRecord]:
    """Pass 2: the records pass 1 accepted, read again (memory stays flat)."""
    for path in files:
        wanted = plan.keys.get(str(path))
        if not wanted:
            continue
        for index, rec in _records(path, encoding):
            if index not in wanted:
                continue
            # The file is read twice: what is written must be what pass 1 checked.
            if wanted[index] != (rec.external_id, rec.sha256):
                raise InputError(
                    f"the file changed while it was being imported ({report.added} "
                    "article(s) were imported before the change): import it again",
                    path=str(path),
                )
            yield rec


class _BatchWriter:
    """Highlights a batch of records and writes it in one short transaction."""

    def __init__(
        self,
        project: Project,
        report: ImportReport,
        highlighter: Callable[[], Any],
        *,
        skip_invalid: bool,
    ) -> None:
        self.project, self.report = project, report
        # Made at the first batch that needs it: records that bring their own mentions (a
        # `documents` file, the shipped seeds) load no model at all.
        self._make_highlighter = highlighter
        self._highlighter: Any = None
        self.skip_invalid = skip_invalid
        self.done = 0

    def _spans(self, batch: list[ArticleRecord]) -> dict[int, Any]:
        """Mentions found by the highlighter, by id(record); records from a `documents`
        export that bring their own spans keep them."""
        use = [r for r in batch if r.labelled is None or "spans" not in r.labelled]
        if not use:
            return {}
        if self._highlighter is None:
            self._highlighter = self._make_highlighter()
        highlighter = self._highlighter
        found = highlighter.pipe([r.text for r in use], n_process=model_processes(len(use)))
        return dict(zip(map(id, use), found, strict=True))

    def write(self, batch: list[ArticleRecord], progress: Progress | None, total: int) -> None:
        spans_by_rec = self._spans(batch)
        # Sentences and boilerplate, found here once so the window never runs NLP; outside
        # the write transaction, like the highlighting, to keep it short.
        segments = {id(r): compute_segments(r.text, r.boilerplate) for r in batch}
        report = self.report
        with self.project.write() as s:
            # Decided again inside the write transaction: another import may have stored
            # some of these articles since pass 1 (writes are serialised, so this is final).
            fresh = _still_new(s, batch, report, skip_invalid=self.skip_invalid)
            resolver = ActorResolver(s)
            ids = _insert_articles(s, fresh, segments)
            mentions: list[tuple] = []
            for rec, article_id in zip(fresh, ids, strict=True):
                spans = spans_by_rec.get(id(rec))
                if spans is not None:
                    mentions.extend(mention_rows(resolver, article_id, spans))
                if rec.labelled is not None:
                    write_labelled(s, resolver, article_id, rec)
                report.added += 1
                report.added_ids.append(rec.external_id)
            insert_many(s, sa_table(Mention), MENTION_COLUMNS, mentions)
            report.mentions += len(mentions)
        self.done += len(batch)
        if progress:
            progress(self.done, total)


def _insert_articles(s: Session, fresh: list[ArticleRecord], segments: dict[int, Any]) -> list[int]:
    """One multi-row INSERT ... RETURNING for the batch's articles, ids in input order."""
    if not fresh:
        return []
    table = sa_table(Article)
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    rows = [_article_row(rec, segments[id(rec)]) for rec in fresh]
    return list(s.connection().execute(stmt, rows).scalars().all())


__all__ = ["ImportReport", "import_paths"]
