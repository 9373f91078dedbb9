"""The article list: a lazy table model over the database, with search and status filter.

Only the row count is asked up front; rows are fetched a page at a time when the view
paints them, so a project with 50,000 articles opens as fast as one with five.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.store.articles import (
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUSES,
    ArticleRow,
    article_rows,
    count_articles,
)
from annotator.store.engine import Project

PAGE = 200
_STATUS_MARK = {STATUS_DONE: "✓", STATUS_IN_PROGRESS: "…", "not started": ""}
_Index = QModelIndex | QPersistentModelIndex


class ArticleListModel(QAbstractTableModel):
    COLUMNS = ("", "Title", "Date", "Source")

    def __init__(self, project: Project, annotator_id: int, parent: Any = None) -> None:
        super().__init__(parent)
        self._project = project
        self._annotator_id = annotator_id
        self._search = ""
        self._status: str | None = None
        self._count = 0
        self._pages: dict[int, list[ArticleRow]] = {}
        self.reload()

    # --------------------------------------------------------- filtering

    def set_filter(self, *, search: str | None = None, status: str | None | bool = False) -> None:
        if search is not None:
            self._search = search.strip()
        if status is not False:
            self._status = status or None  # type: ignore[assignment]
        self.reload()

    @property
    def total(self) -> int:
        """Rows under the current filter."""
        return self._count

    def reload(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._count = count_articles(
            self._project, self._annotator_id, search=self._search, status=self._status
        )
        self.endResetModel()

    def refresh_article(self, article_id: int) -> None:
        """Re-read the page holding this article (its status changed)."""
        for page, rows in list(self._pages.items()):
            for i, row in enumerate(rows):
                if row.id == article_id:
                    del self._pages[page]
                    r = page * PAGE + i
                    self.dataChanged.emit(self.index(r, 0), self.index(r, len(self.COLUMNS) - 1))
                    return

    # --------------------------------------------------------- access

    def _page(self, page: int) -> list[ArticleRow]:
        rows = self._pages.get(page)
        if rows is None:
            rows = article_rows(
                self._project,
                self._annotator_id,
                page * PAGE,
                PAGE,
                search=self._search,
                status=self._status,
            )
            if len(self._pages) > 50:  # keep memory bounded when scrolling far
                self._pages.clear()
            self._pages[page] = rows
        return rows

    def row_at(self, row: int) -> ArticleRow | None:
        if not 0 <= row < self._count:
            return None
        rows = self._page(row // PAGE)
        i = row % PAGE
        return rows[i] if i < len(rows) else None

    def row_of(self, article_id: int) -> int | None:
        """Row of an article in the current filter (None if filtered out)."""
        for page, rows in self._pages.items():
            for i, r in enumerate(rows):
                if r.id == article_id:
                    return page * PAGE + i
        from annotator.store.articles import article_ids

        ids = article_ids(
            self._project, self._annotator_id, search=self._search, status=self._status
        )
        try:
            return ids.index(article_id)
        except ValueError:
            return None

    # --------------------------------------------------------- Qt model API

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return _STATUS_MARK[row.status]
            if col == 1:
                return row.title
            if col == 2:
                return row.date or ""
            return row.source or ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.title}\n{row.external_id} · {row.status}"
        if role == Qt.ItemDataRole.ForegroundRole and row.status == STATUS_DONE and col == 0:
            return QColor("#27ae60")
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.AccessibleTextRole and col == 0:
            return row.status
        return None


class ArticleListPanel(QWidget):
    """Search box + status filter + the lazy table. Emits the chosen article id."""

    article_chosen = Signal(int)
    leave = Signal()  # Esc in the search box, Enter in the list: back to labelling

    def __init__(self, model: ArticleListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.search = QLineEdit(placeholderText="Search titles, ids, sources  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        # Only a click or Ctrl+F: typed label keys must never land here by accident.
        self.search.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        escape = QShortcut(QKeySequence("Esc"), self.search, self.leave.emit)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.status = QComboBox()
        self.status.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.status.addItem("All articles", None)
        for s in STATUSES:
            self.status.addItem(s.capitalize(), s)
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, 24)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # No ResizeToContents: it would ask every one of 50,000 rows for its text.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 70)
        header.resizeSection(3, 70)
        self.table.verticalHeader().setDefaultSectionSize(24)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        self.search.textChanged.connect(lambda text: self.model.set_filter(search=text))
        self.status.currentIndexChanged.connect(
            lambda _i: self.model.set_filter(status=self.status.currentData())
        )
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.activated.connect(lambda _index: self.leave.emit())
        self.shown_article: int | None = None

    def set_model(self, model: ArticleListModel) -> None:
        """Show another list (another annotator's statuses)."""
        self.model = model
        self.table.setModel(model)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        # Only a real move asks for another article: focus arriving in the list (which may
        # make a first row current) never reopens the article and resets the cell.
        if row is not None and row.id != self.shown_article:
            self.article_chosen.emit(row.id)

    def focus_list(self) -> None:
        """Move the keyboard focus into the list, on the article shown."""
        if self.shown_article is not None:
            self.select_article(self.shown_article)
        self.table.setFocus()

    def select_article(self, article_id: int) -> None:
        self.shown_article = article_id
        row = self.model.row_of(article_id)
        if row is None:
            self.table.clearSelection()
            return
        index = self.model.index(row, 1)
        sm = self.table.selectionModel()
        sm.blockSignals(True)
        self.table.setCurrentIndex(index)
        sm.blockSignals(False)
        self.table.scrollTo(index)
