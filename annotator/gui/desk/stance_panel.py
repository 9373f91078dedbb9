"""The stance panel: actors x targets grid, and the current cell's evidence and note.

The panel only displays; the main window turns its signals into LabellingSession calls and
pushes the new cell states back in.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.codebook import Codebook
from annotator.gui.common.plain import plain_label
from annotator.gui.desk.stance_grid import CellDelegate, StanceGridModel, suggestion_text
from annotator.labelling import ActorRow
from annotator.store.labels import CellState
from annotator.store.suggestions import StoredSuggestion

_Index = QModelIndex | QPersistentModelIndex
_QUOTES = frozenset("\"'„“”«»‚‘’›‹")


class StancePanel(QWidget):
    stance_clicked = Signal(str)  # stance id, "" = clear
    attach_clicked = Signal()
    evidence_activated = Signal(int, int)
    evidence_remove = Signal(int, int)
    note_edited = Signal(str)
    current_changed = Signal()

    def __init__(self, codebook: Codebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.codebook = codebook
        self.model = StanceGridModel(codebook, self)
        self.grid = QTableView()
        self.grid.setObjectName("stanceGrid")
        self.grid.setModel(self.model)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.grid.horizontalHeader().setMinimumSectionSize(60)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.grid.verticalHeader().setDefaultSectionSize(28)
        # A long actor name is cut in its middle ("Ukraine-Ko…gruppe  (1)", the count
        # kept) rather than pushing the target columns out of a narrow panel.
        self.grid.verticalHeader().setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.grid.installEventFilter(self)
        self.grid.setWordWrap(False)
        self.grid.setItemDelegate(CellDelegate(self.grid))

        self.cell_title = plain_label("Choose a cell")
        self.cell_title.setObjectName("cellTitle")
        title_font = self.cell_title.font()
        title_font.setBold(True)
        self.cell_title.setFont(title_font)
        self.cell_title.setWordWrap(True)
        self.suggestion = plain_label("")
        self.suggestion.setObjectName("suggestionLabel")
        self.suggestion.setWordWrap(True)
        self.suggestion.setVisible(False)

        buttons = QHBoxLayout()
        self.stance_buttons: dict[str, QPushButton] = {}
        for stance in reversed(codebook.stances):  # favor first reads naturally
            button = QPushButton(f"{stance.label_en}  [{stance.key.upper()}]")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, sid=stance.id: self.stance_clicked.emit(sid))
            self.stance_buttons[stance.id] = button
            buttons.addWidget(button)
        clear = QPushButton("Clear  [Del]")
        clear.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        clear.clicked.connect(lambda: self.stance_clicked.emit(""))
        buttons.addWidget(clear)

        self.evidence = QListWidget()
        self.evidence.setObjectName("evidenceList")
        self.evidence.setWordWrap(True)
        self.evidence.setAlternatingRowColors(True)
        self.evidence.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.evidence.itemActivated.connect(self._on_evidence)
        self.evidence.itemClicked.connect(self._on_evidence)
        self.candidate = plain_label("")
        self.candidate.setObjectName("candidateLabel")
        self.candidate.setWordWrap(True)
        attach = QPushButton("Attach selection or offered sentence  [E]")
        attach.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        attach.clicked.connect(self.attach_clicked.emit)
        remove = QPushButton("Remove evidence")
        remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        remove.clicked.connect(self._remove_current_evidence)
        evidence_buttons = QHBoxLayout()
        evidence_buttons.addWidget(attach, 1)
        evidence_buttons.addWidget(remove)

        self.note = QLineEdit(placeholderText="Note for this cell (F2), Enter saves")
        self.note.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.note.setObjectName("noteEdit")
        self.note.returnPressed.connect(lambda: self.note_edited.emit(self.note.text()))
        escape = QShortcut(QKeySequence("Esc"), self.note, self._leave_note)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.grid, 3)
        layout.addWidget(self.cell_title)
        layout.addWidget(self.suggestion)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("Evidence"))
        layout.addWidget(self.evidence, 2)
        layout.addWidget(self.candidate)
        layout.addLayout(evidence_buttons)
        layout.addWidget(self.note)
        self.grid.selectionModel().currentChanged.connect(self._current_moved)
        self._text = ""
        self._quiet = False  # while set_content puts the current cell back

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.grid and event.type() == QEvent.Type.Resize:
            self._fit_actor_names()
        return False

    def _fit_actor_names(self) -> None:
        """The actor names get what the target columns leave: each target's header (its
        name and key) stays whole, at a 1366-pixel window's width too."""
        targets = self.grid.horizontalHeader()
        # The columns stretch to equal widths: each as wide as the widest header needs.
        needed = targets.count() * max(
            (targets.sectionSizeHint(c) for c in range(targets.count())), default=0
        )
        frame = 2 * self.grid.frameWidth() + self.grid.verticalScrollBar().sizeHint().width()
        self.grid.verticalHeader().setMaximumWidth(max(110, self.grid.width() - frame - needed))

    # ------------------------------------------------------------ content

    def _current_moved(self) -> None:
        if not self._quiet:
            self.current_changed.emit()

    def set_content(
        self, rows: list[ActorRow], cells: dict[tuple[int, str], CellState], text: str
    ) -> None:
        """New rows and cells (another article): the first cell is current. current_changed
        is not emitted for it; the window works out the new cell's offers once, after."""
        self._text = text
        self.model.set_content(rows, cells)
        self._quiet = True
        try:
            if rows:
                self.grid.setCurrentIndex(self.model.index(0, 0))
        finally:
            self._quiet = False
        self.show_cell_details()

    def current(self) -> tuple[int, str] | None:
        index = self.grid.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.rows[index.row()].actor_id, self.codebook.targets[index.column()].id

    def step(self, d_row: int = 0, column: int | None = None) -> None:
        """Move the current cell by `d_row` actors and/or to target `column`."""
        index = self.grid.currentIndex()
        if not self.model.rows:
            return
        row = index.row() if index.isValid() else 0
        col = index.column() if index.isValid() else 0
        row = max(0, min(len(self.model.rows) - 1, row + d_row))
        if column is not None:
            col = max(0, min(len(self.codebook.targets) - 1, column))
        self.grid.setCurrentIndex(self.model.index(row, col))

    def select_actor(self, actor_id: int) -> bool:
        """The actor's row becomes current (the column stays); whether the cell changed
        (then current_changed was emitted)."""
        for r, row in enumerate(self.model.rows):
            if row.actor_id == actor_id:
                col = max(self.grid.currentIndex().column(), 0)
                before = self.grid.currentIndex()
                self.grid.setCurrentIndex(self.model.index(r, col))
                return self.grid.currentIndex() != before
        return False

    def update_cell(self, actor_id: int, target: str, state: CellState) -> None:
        self.model.set_cell(actor_id, target, state)
        if self.current() == (actor_id, target):
            self.show_cell_details()

    def current_suggestion(self) -> StoredSuggestion | None:
        return self.model.suggestion_at(self.grid.currentIndex())

    def current_state(self) -> CellState:
        index = self.grid.currentIndex()
        return self.model.state_at(index) if index.isValid() else CellState()

    def show_cell_details(self) -> None:
        cur = self.current()
        self.evidence.clear()
        if cur is None:
            self.suggestion.setVisible(False)
            self.cell_title.setText("No actors highlighted in this article: add one with Ctrl+M")
            self.note.setText("")
            for button in self.stance_buttons.values():
                button.setChecked(False)
            return
        actor_id, target_id = cur
        row = next(r for r in self.model.rows if r.actor_id == actor_id)
        target = self.codebook.target(target_id)
        self.cell_title.setText(f"{row.name}  ·  {target.label_en}")
        state = self.current_state()
        suggested = self.current_suggestion()
        self.suggestion.setText(suggestion_text(suggested) if suggested else "")
        self.suggestion.setVisible(suggested is not None)
        for sid, button in self.stance_buttons.items():
            button.setChecked(state.stance == sid)
        for a, b in state.evidence:
            snippet = " ".join(self._text[a:b].split())
            if len(snippet) > 220:
                snippet = snippet[:217] + "…"
            if not (snippet[:1] in _QUOTES or snippet[-1:] in _QUOTES):
                snippet = f"„{snippet}“"  # quoted once: a quote in the text stays the only one
            item = QListWidgetItem(snippet)
            item.setData(Qt.ItemDataRole.UserRole, (a, b))
            item.setToolTip(f"characters {a}–{b}; click to show, Delete to remove")
            self.evidence.addItem(item)
        self.note.setText(state.note or "")

    # ------------------------------------------------------------ evidence

    def show_candidate(self, text: str | None) -> None:
        self.candidate.setText(text or "No sentence to offer: select text, or S for a sentence")

    def _leave_note(self) -> None:
        self.note.setText(self.current_state().note or "")  # Esc discards the edit
        self.grid.setFocus()

    def _on_evidence(self, item: QListWidgetItem) -> None:
        a, b = item.data(Qt.ItemDataRole.UserRole)
        self.evidence_activated.emit(a, b)

    def _remove_current_evidence(self) -> None:
        item = self.evidence.currentItem() or (
            self.evidence.item(self.evidence.count() - 1) if self.evidence.count() else None
        )
        if item is not None:
            a, b = item.data(Qt.ItemDataRole.UserRole)
            self.evidence_remove.emit(a, b)

    def keyPressEvent(self, e) -> None:  # noqa: N802
        if self.evidence.hasFocus() and e.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._remove_current_evidence()
            return
        super().keyPressEvent(e)
