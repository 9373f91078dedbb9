"""The article list model over many rows: lazy pages, filters, status per annotator."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from annotator.gui.desk.article_list import PAGE, ArticleListModel
from annotator.store.annotators import get_or_create_annotator
from annotator.store.labels import set_done


def _bulk_articles(project, n: int) -> None:
    now = datetime.now(UTC).isoformat()
    with project.write_engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO article (external_id, title, text, meta, text_sha256, imported_at) "
            "VALUES (?, ?, ?, '{}', ?, ?)",
            [(f"n{i:05d}", f"Artikel Nummer {i}", "x", f"h{i}", now) for i in range(n)],
        )


def test_fifty_thousand_rows_are_fetched_a_page_at_a_time(qtbot, project) -> None:
    _bulk_articles(project, 50_000)
    anna = get_or_create_annotator(project, "anna")
    model = ArticleListModel(project, anna)
    assert model.rowCount() == 50_000
    assert model._pages == {}  # nothing fetched before a row is shown
    last = model.index(49_999, 1)
    assert model.data(last, Qt.ItemDataRole.DisplayRole) == "Artikel Nummer 49999"
    assert list(model._pages) == [49_999 // PAGE]


def test_search_and_status_filters(qtbot, project) -> None:
    _bulk_articles(project, 1_000)
    anna = get_or_create_annotator(project, "anna")
    set_done(project, 5, anna)
    model = ArticleListModel(project, anna)
    model.set_filter(search="Nummer 99")
    titles = {model.data(model.index(r, 1)) for r in range(model.rowCount())}
    assert titles == {"Artikel Nummer 99", *(f"Artikel Nummer {i}" for i in range(990, 1000))}
    model.set_filter(search="", status="done")
    assert model.rowCount() == 1
    assert model.data(model.index(0, 0)) == "✓"
    model.set_filter(status="not started")
    assert model.rowCount() == 999
