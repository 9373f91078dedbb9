"""View › Networks: the discourse network of the labels, in three pictures: the actor x
target stance map, the one-mode network in a force layout, and one actor's timeline.

The statements are read and the networks built off the GUI thread (gui/common/tasks.py);
the figures come from the Qt-free annotator.network.figures and are shown in matplotlib's Qt
canvas. Like the agreement view it shows every annotator's labels, so it is for leads.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.codebook import Codebook
from annotator.gui.common.geometry import fit_to_screen
from annotator.gui.common.plain import plain_label
from annotator.gui.common.tasks import Changes, Follow, Recompute
from annotator.network import figures
from annotator.network.build import Network, network_of
from annotator.network.options import Aggregation, Mode, NetworkOptions, Normalisation
from annotator.network.statements import Statement, read_statements
from annotator.store.annotators import annotator_names
from annotator.store.engine import Project

_ONE_MODE = (Aggregation.CONGRUENCE, Aggregation.SUBTRACT, Aggregation.CONFLICT)
_NORMALISE = (Normalisation.AVERAGE, Normalisation.NO, Normalisation.JACCARD, Normalisation.COSINE)


@dataclass
class Pictures:
    """What the three tabs draw, computed in the background."""

    options: NetworkOptions
    statements: list[Statement]
    stance_map: Network
    network: Network
    positions: dict[str, tuple[float, float]]
    actors: list[str] = field(default_factory=list)  # most statements first
    no_agreement: int = 0


def compute(
    project: Project, codebook: Codebook, options: NetworkOptions, progress: Any, cancelled: Any
) -> Pictures:
    """Statements, the two-mode and one-mode networks and the layout (no Qt here)."""
    read = read_statements(project, codebook, options, progress=progress, cancelled=cancelled)
    items = read.items
    two = network_of(
        items,
        codebook,
        replace(options, mode=Mode.TWOMODE, aggregation=None, normalisation=Normalisation.NO),
    )
    one = network_of(items, codebook, options)
    totals = dict(zip(two.actors, two.counts.sum(axis=(1, 2)).tolist(), strict=True))
    actors = sorted(totals, key=lambda a: (-totals[a], a.casefold()))
    return Pictures(options, items, two, one, figures.layout(one), actors, read.no_agreement)


def _canvas() -> FigureCanvasQTAgg:
    canvas = FigureCanvasQTAgg(Figure(layout="constrained"))
    canvas.setMinimumSize(320, 240)
    return canvas


def _combo(items: list[tuple[str, Any]]) -> QComboBox:
    combo = QComboBox()
    for text, data in items:
        combo.addItem(text, data)
    return combo


class NetworkView(QWidget):
    """Who takes which stance on which target, and who agrees with whom."""

    pictures_ready = Signal(object)  # Pictures, once drawn

    def __init__(self, project: Project, codebook: Codebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Discourse networks")
        self.setWindowFlag(Qt.WindowType.Window)  # its own window, even with a parent
        for keys in ("Esc", "Ctrl+W"):
            close = QShortcut(QKeySequence(keys), self, self.close)
            close.setContext(Qt.ShortcutContext.WindowShortcut)
        self.project, self.codebook = project, codebook
        self.pictures: Pictures | None = None
        # Stopped and waited for when the view closes (gui/common/tasks.py).
        self.computation = Recompute(
            self,
            "Computing the networks",
            lambda: partial(compute, self.project, self.codebook, self.options()),
            self._finished,
        )
        # Labels change beside it (the window, a merge): recomputed once they pause.
        self.follow = Follow(self, Changes.LABELS | Changes.ARTICLES, self.refresh)

        names = sorted(annotator_names(project).values(), key=str.casefold)
        self.source = _combo([("Majority of annotators", None), *((n, n) for n in names)])
        self.targets = {t.id: QCheckBox(t.short_label) for t in codebook.targets}
        self.aggregation = _combo([(a.value.capitalize(), a.value) for a in _ONE_MODE])
        self.normalisation = _combo([(f"normalised: {n.value}", n.value) for n in _NORMALISE])
        self.actor = QComboBox()
        self.summary = plain_label("Computing the networks…")
        self.summary.setWordWrap(True)
        self.recompute = QPushButton("Recompute")
        self.map_canvas, self.network_canvas, self.timeline_canvas = (_canvas() for _ in range(3))

        for box in self.targets.values():
            box.setChecked(True)
            box.toggled.connect(partial(self._target_toggled, box))
        for combo in (self.source, self.aggregation, self.normalisation):
            combo.currentIndexChanged.connect(self.refresh)
        self.actor.currentIndexChanged.connect(self._draw_timeline)
        self.recompute.clicked.connect(self.refresh)

        top = QHBoxLayout()
        top.addWidget(QLabel("Labels:"))
        top.addWidget(self.source)
        top.addSpacing(12)
        top.addWidget(QLabel("Targets:"))
        for box in self.targets.values():
            top.addWidget(box)
        top.addStretch(1)
        top.addWidget(self.recompute)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.map_canvas, "Stance map")
        self.tabs.addTab(
            self._page(self.network_canvas, self.aggregation, self.normalisation), "Network"
        )
        self.tabs.addTab(self._page(self.timeline_canvas, QLabel("Actor:"), self.actor), "Timeline")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        fit_to_screen(self, 1100, 760)
        self.refresh()

    @staticmethod
    def _page(canvas: QWidget, *controls: QWidget) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        row = QHBoxLayout()
        for control in controls:
            row.addWidget(control)
        row.addStretch(1)
        box.addLayout(row)
        box.addWidget(canvas, 1)
        return page

    def _target_toggled(self, box: QCheckBox, checked: bool) -> None:
        if not checked and not any(b.isChecked() for b in self.targets.values()):
            box.setChecked(True)  # a network needs at least one target
            return
        self.refresh()

    def options(self) -> NetworkOptions:
        chosen = tuple(t for t, box in self.targets.items() if box.isChecked())
        return NetworkOptions(
            mode=Mode.ONEMODE,
            # Qt hands enum data back as plain strings
            aggregation=Aggregation(self.aggregation.currentData()),
            normalisation=Normalisation(self.normalisation.currentData()),
            annotator=self.source.currentData(),
            targets=() if len(chosen) == len(self.targets) else chosen,
        )

    def refresh(self) -> None:
        """Recompute in the background; a change while it runs is computed after it."""
        self.summary.setText("Computing the networks…")
        self.recompute.setEnabled(False)
        self.computation.request()

    def _finished(self, pictures: Pictures | None) -> None:
        self.recompute.setEnabled(True)
        if pictures is None:
            return self.summary.setText("The networks could not be computed.")
        self.show_pictures(pictures)

    def show_pictures(self, pictures: Pictures) -> None:
        self.pictures = pictures
        actors = len(pictures.actors)
        edges = pictures.network.weights.nnz  # type: ignore[union-attr]
        note = (
            f" · {pictures.no_agreement} unit(s) without a majority left out"
            if pictures.no_agreement
            else ""
        )
        self.summary.setText(
            f"{len(pictures.statements)} statement(s) by {actors} actor(s) · "
            f"{edges} tie(s) in the {pictures.options.qualifier.value} network{note}"
        )
        figures.stance_map(pictures.stance_map, self.codebook, self.map_canvas.figure)
        figures.network_figure(
            pictures.network, self.codebook, self.network_canvas.figure, pictures.positions
        )
        current = self.actor.currentText()
        self.actor.blockSignals(True)
        self.actor.clear()
        self.actor.addItems(pictures.actors)
        self.actor.setCurrentIndex(max(self.actor.findText(current), 0))
        self.actor.blockSignals(False)
        for canvas in (self.map_canvas, self.network_canvas):
            canvas.draw()  # now: a deferred draw may meet a closed window
        self._draw_timeline()
        self.pictures_ready.emit(pictures)

    def _draw_timeline(self) -> None:
        if self.pictures is None:
            return
        targets = self.options().targets or None
        figures.timeline(
            self.pictures.statements,
            self.actor.currentText(),
            self.codebook,
            self.timeline_canvas.figure,
            targets=targets,
        )
        self.timeline_canvas.draw()  # now: a deferred draw may meet a closed window
