"""The export use case: check the options, stream the articles, write the file(s) atomically.

Safe to call from a worker thread: it opens its own database connections, reports through
`progress(done, total)` and stops at the next batch when `cancelled()` returns True (then
raises Cancelled and leaves no file behind).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import DocBin

from annotator.codebook import Codebook
from annotator.errors import Cancelled, OutputError
from annotator.export import docbin
from annotator.export.documents import document_line
from annotator.export.options import (
    Checked,
    ExportOptions,
    LabelMode,
    check_options,
    default_output,
)
from annotator.export.output import jsonl_file
from annotator.export.source import (
    ArticleData,
    Selection,
    annotators,
    article_ids,
    iter_articles,
)
from annotator.export.stances import StanceRecords
from annotator.files import check_output, pending_file
from annotator.progress import IsCancelled, Progress
from annotator.store.engine import Project


@dataclass
class ExportReport:
    format: str
    paths: list[Path] = field(default_factory=list)
    articles: int = 0
    records: int = 0
    dropped: int = 0  # aggregated units left out (no agreement, too few votes)
    flagged: int = 0  # aggregated units kept without agreement (label null)
    splits: dict[str, int] = field(default_factory=dict)  # records per split part

    def summary(self) -> str:
        unit = "article(s)" if self.format != "stances" else "record(s)"
        n = self.articles if self.format != "stances" else self.records
        parts = [f"{n} {unit} exported to {', '.join(str(p) for p in self.paths)}"]
        if self.splits:
            parts.append(" / ".join(f"{k} {v}" for k, v in sorted(self.splits.items())))
        if self.dropped:
            parts.append(f"{self.dropped} unit(s) without agreement dropped")
        if self.flagged:
            parts.append(f"{self.flagged} unit(s) without agreement flagged")
        return "; ".join(parts)


def _selection(fmt: str, checked: Checked) -> Selection:
    if checked.options.gold:
        return Selection(targets=checked.targets, labelled_only=fmt == "stances", gold=True)
    return Selection(
        annotator_ids=None if checked.annotator_id is None else frozenset({checked.annotator_id}),
        targets=checked.targets,
        done_only=checked.options.done_only,
        labelled_only=fmt == "stances",
    )


def export(
    project: Project,
    codebook: Codebook,
    fmt: str,
    out_path: str | Path | None,
    options: ExportOptions | None = None,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    batch_size: int = 200,
) -> ExportReport:
    """Export the project's labelled data; see docs/export.md for the formats."""
    options = options or ExportOptions()
    names = annotators(project, include_gold=options.labels == LabelMode.GOLD)
    checked = check_options(fmt, options, codebook, names)
    path = Path(out_path).expanduser() if out_path else default_output(fmt)
    return _export(project, codebook, fmt, path, checked, progress, cancelled, batch_size)


def _export(
    project: Project,
    codebook: Codebook,
    fmt: str,
    path: Path,
    checked: Checked,
    progress: Progress | None,
    cancelled: IsCancelled | None,
    batch_size: int,
) -> ExportReport:
    selection = _selection(fmt, checked)
    protect = [project.path] if project.path is not None else []
    ids = article_ids(project, selection)
    report = ExportReport(format=fmt)
    total = len(ids)
    if progress:
        progress(0, total)
    batches = iter_articles(project, ids, selection, batch_size=batch_size)

    def tick(articles: int) -> None:
        report.articles += articles
        if progress:
            progress(report.articles, total)

    def check_cancel() -> None:
        if cancelled and cancelled():
            raise Cancelled(
                f"export cancelled after {report.articles} of {total} articles; no file was written"
            )

    builder = StanceRecords(checked, codebook, project if checked.options.with_suggestions
                            else None)  # fmt: skip
    if fmt == "spacy":
        with docbin.msgpack_plugins_cached():
            _write_spacy(path, checked, protect, batches, builder, report, tick, check_cancel)
    else:
        _write_jsonl(fmt, path, checked, protect, batches, builder, report, tick, check_cancel)
    report.dropped, report.flagged = builder.counts.dropped, builder.counts.flagged
    return report


def _write_spacy(
    path: Path,
    checked: Checked,
    protect: list[Path],
    batches: Iterator[list[ArticleData]],
    builder: StanceRecords,
    report: ExportReport,
    tick: Callable[[int], None],
    check_cancel: Callable[[], None],
) -> None:
    bins = _docbins(path, checked)
    for p, _ in bins.values():
        check_output(p, protect=protect)  # before the work, not after
    for batch in batches:
        check_cancel()
        for article in batch:
            doc = docbin.article_doc(article, checked, builder)
            bins[doc.user_data["split"] or ""][1].add(doc)
        tick(len(batch))
    check_cancel()
    _write_docbins(bins, protect)
    report.records = sum(len(b) for _, b in bins.values())
    report.paths = [p for p, _ in bins.values()]
    if checked.split is not None:
        report.splits = {name: len(b) for name, (_, b) in bins.items()}


def _write_jsonl(
    fmt: str,
    path: Path,
    checked: Checked,
    protect: list[Path],
    batches: Iterator[list[ArticleData]],
    builder: StanceRecords,
    report: ExportReport,
    tick: Callable[[int], None],
    check_cancel: Callable[[], None],
) -> None:
    counts: Counter[str | None] = Counter()
    with jsonl_file(path, protect=protect) as out:
        for batch in batches:
            check_cancel()
            for article in batch:
                if fmt == "stances":
                    part, records = builder.lines(article)
                    out.write_records(records)
                    counts[part] += len(records)
                else:
                    part, line = document_line(article, checked)
                    out.write_line(line)
                    counts[part] += 1
            tick(len(batch))
        check_cancel()
        report.records = out.count
    report.paths = [path]
    if checked.split is not None:
        report.splits = {k: v for k, v in counts.items() if k is not None}


def _docbins(path: Path, checked: Checked) -> dict[str, tuple[Path, DocBin]]:
    if checked.split is None:
        return {"": (path, docbin.new_docbin())}
    return {name: (p, docbin.new_docbin()) for name, p in docbin.split_paths(path).items()}


def _write_docbins(bins: dict[str, tuple[Path, DocBin]], protect: list[Path]) -> None:
    """Write every part to a temporary file first, then rename them all."""
    with ExitStack() as stack:
        temps = [
            (stack.enter_context(pending_file(p, protect=protect)), b) for p, b in bins.values()
        ]
        for pending, b in temps:
            try:
                pending.path.write_bytes(b.to_bytes())
            except OSError as exc:
                raise OutputError(f"cannot write {pending.target}: {exc.strerror}") from None
        for pending, _ in temps:
            pending.commit()
