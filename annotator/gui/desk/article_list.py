"""The article list: a lazy table model over the database, with search and status filter.

Only the row count is asked up front; rows are fetched a page at a time when the view
paints them, so a project with 50,000 articles opens as fast as one with five. With an
assignment plan the list is the annotator's queue in the plan's order (the other articles
hidden, or greyed after it); in a team the "Team" column shows each article's curation
state (annotator.curation.states), read with its page in one more query.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
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

from annotator.curation.states import (
    CURATED,
    IN_CURATION,
    LIST_STATES,
    READY,
    WAITING,
    ArticleState,
    article_states,
)
from annotator.gui.common import theme
from annotator.gui.common.plain import plain_tip
from annotator.store.articles import (
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUSES,
    ArticleRow,
    article_ids,
    article_rows,
    count_articles,
)
from annotator.store.engine import Project

PAGE = 200
DATE_COLUMN, SOURCE_COLUMN, TEAM_COLUMN = 2, 3, 4
_WIDTH = {0: 24, DATE_COLUMN: 70, SOURCE_COLUMN: 70, TEAM_COLUMN: 76}
TITLE_ROOM = 150  # a narrow list hides Source, then Date, before titles get narrower
_STATUS_MARK = {STATUS_DONE: "✓", STATUS_IN_PROGRESS: "…", "not started": ""}
_STATE_COLOR = {READY: "#d35400", IN_CURATION: "#8e44ad", CURATED: "#27ae60"}
# The status filter's team entries (store.gold.LIST_STATES), after the annotator's own.
_TEAM_FILTERS = {
    WAITING: "Team: waiting for coders",
    READY: "Team: ready for curation",
    IN_CURATION: "Team: in curation",
    CURATED: "Team: curated",
}
_Index = QModelIndex | QPersistentModelIndex


class ArticleListModel(QAbstractTableModel):
    COLUMNS = ("", "Title", "Date", "Source", "Team")

    def __init__(
        self,
        project: Project,
        annotator_id: int,
        parent: Any = None,
        *,
        assigned_to: int | None = None,
        others: bool = False,
    ) -> None:
        super().__init__(parent)
        self._project = project
        self._annotator_id = annotator_id
        self._search = ""
        self._status: str | None = None
        self._curation: str | None = None
        self._assigned_to = assigned_to  # whose queue the list is (None: no plan)
        self._others = others  # with a queue: the unassigned articles too, after it
        self._count = 0
        self._pages: dict[int, list[ArticleRow]] = {}
        self._states: dict[int, dict[int, ArticleState]] = {}
        self.team = False  # whether the Team column (and its tooltip line) is shown
        self.reload()

    # --------------------------------------------------------- filtering

    def set_filter(self, *, search: str | None = None, status: str | None | bool = False) -> None:
        """`status`: one of store.articles.STATUSES (the annotator's own) or of
        LIST_STATES (the team's curation state); None for every article."""
        if search is not None:
            self._search = search.strip()
        if status is not False:
            value = status or None
            self._curation = value if value in LIST_STATES else None
            self._status = None if value in LIST_STATES else value  # type: ignore[assignment]
        self.reload()

    def set_queue(self, assigned_to: int | None, others: bool) -> None:
        """Show `assigned_to`'s queue (with `others`, the rest greyed after it), or with
        None every article in import order."""
        self._assigned_to, self._others = assigned_to, others
        self.reload()

    def _filters(self) -> dict[str, Any]:
        return {
            "search": self._search,
            "status": self._status,
            "curation": self._curation,
            "assigned_to": self._assigned_to,
            "others": self._others,
        }

    @property
    def total(self) -> int:
        """Rows under the current filter."""
        return self._count

    def reload(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._states.clear()
        self._count = count_articles(self._project, self._annotator_id, **self._filters())
        self.endResetModel()

    def refresh_article(self, article_id: int) -> None:
        """Re-read the page holding this article (its status changed)."""
        for page, rows in list(self._pages.items()):
            for i, row in enumerate(rows):
                if row.id == article_id:
                    del self._pages[page]
                    self._states.pop(page, None)
                    r = page * PAGE + i
                    self.dataChanged.emit(self.index(r, 0), self.index(r, len(self.COLUMNS) - 1))
                    return

    def refresh_states(self) -> None:
        """The team's curation states changed (curated, reopened): read them again; with
        a team filter on, the rows themselves (articles enter or leave it)."""
        if self._curation is not None:
            self.reload()
            return
        self._states.clear()
        if self._count:
            last = self.index(self._count - 1, TEAM_COLUMN)
            self.dataChanged.emit(self.index(0, TEAM_COLUMN), last)

    # --------------------------------------------------------- access

    def _page(self, page: int) -> list[ArticleRow]:
        rows = self._pages.get(page)
        if rows is None:
            rows = article_rows(
                self._project, self._annotator_id, page * PAGE, PAGE, **self._filters()
            )
            if len(self._pages) > 50:  # keep memory bounded when scrolling far
                self._pages.clear()
                self._states.clear()
            self._pages[page] = rows
        return rows

    def state_at(self, row: int) -> ArticleState | None:
        """The team's curation state of the article in `row` (its page's, one query)."""
        page = row // PAGE
        states = self._states.get(page)
        if states is None:
            states = article_states(self._project, [r.id for r in self._page(page)])
            self._states[page] = states
        article = self.row_at(row)
        return None if article is None else states.get(article.id)

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
        ids = article_ids(self._project, self._annotator_id, **self._filters())
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
            if col == 3:
                return row.source or ""
            return _badge(self.state_at(index.row()))
        if role == Qt.ItemDataRole.ToolTipRole:
            state = self.state_at(index.row()) if self.team else None
            team = f" · team: {state.badge}" if state is not None else ""
            queue = " · not in your queue" if row.assigned is False else ""
            where = " · ".join(x for x in (row.date, row.source) if x)
            where = f"\n{where}" if where else ""  # the columns may be hidden (narrow list)
            return plain_tip(f"{row.title}{where}\n{row.external_id} · {row.status}{team}{queue}")
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.assigned is False:  # outside the annotator's queue: quiet
                return theme.boilerplate_color()
            if col == 0 and row.status == STATUS_DONE:
                return QColor("#27ae60")
            state = self.state_at(index.row()) if col == TEAM_COLUMN else None
            if state is not None and state.state in _STATE_COLOR:
                return QColor(_STATE_COLOR[state.state])
            return None
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.AccessibleTextRole and col == 0:
            return row.status
        return None


def _badge(state: ArticleState | None) -> str:
    """ "1/2 done", "ready", "in curation", "curated"; nothing while nobody is done (most
    articles of a big project: the column stays quiet)."""
    if state is None or (state.state == WAITING and state.done == 0):
        return ""
    return state.badge


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
        self.team = False
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        # "Sorge um weniger US-…ngere Zusammenarbeit": both ends of a headline tell more
        # than its start alone; the tooltip has the whole title.
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # No ResizeToContents: it would ask every one of 50,000 rows for its text.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TEAM_COLUMN, QHeaderView.ResizeMode.Interactive)
        for column, width in _WIDTH.items():
            header.resizeSection(column, width)
        self.table.setColumnHidden(TEAM_COLUMN, True)
        self.table.viewport().installEventFilter(self)
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
        model.team = self.team
        self.table.setModel(model)
        self.table.setColumnHidden(TEAM_COLUMN, not self.team)
        self._fit_columns()
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        model.set_filter(search=self.search.text(), status=self.status.currentData())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:  # the table's viewport: the room for columns
            self._fit_columns()
        return False

    def _fit_columns(self) -> None:
        """Titles first: where the list is narrow (a 1366-pixel window in a team), Source
        and then Date are hidden; the tooltip still has both."""
        room = self.table.viewport().width() - _WIDTH[0] - (_WIDTH[TEAM_COLUMN] if self.team else 0)
        source = room - _WIDTH[DATE_COLUMN] - _WIDTH[SOURCE_COLUMN] >= TITLE_ROOM
        date = source or room - _WIDTH[DATE_COLUMN] >= TITLE_ROOM
        self.table.setColumnHidden(SOURCE_COLUMN, not source)
        self.table.setColumnHidden(DATE_COLUMN, not date)

    def set_team(self, team: bool) -> None:
        """In a team (a plan, or several annotators): the Team column with each article's
        curation state, and the status filter's entries for those states."""
        if team == self.team:
            return
        self.team = self.model.team = team
        self.table.setColumnHidden(TEAM_COLUMN, not team)
        self._fit_columns()
        if team:
            self.status.insertSeparator(self.status.count())
            for state, text in _TEAM_FILTERS.items():
                self.status.addItem(text, state)
        else:
            if self.status.currentData() in LIST_STATES:
                self.status.setCurrentIndex(0)
            while self.status.count() > len(STATUSES) + 1:
                self.status.removeItem(self.status.count() - 1)

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
        # Signals stay on: the view repaints the rows whose selection changed from them
        # (blocked, the row left behind still looked selected). `shown_article` is set
        # first, so _on_current does not ask for the article again.
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
