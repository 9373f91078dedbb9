"""View › Networks on a small project with two annotators (offscreen): the three figures."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from annotator.gui.lead.network_view import NetworkView  # noqa: E402
from annotator.network.options import Aggregation  # noqa: E402
from tests.agreement.builders import label_anna, label_ben, new_project  # noqa: E402
from tests.network.test_statements import set_dates  # noqa: E402


@pytest.fixture
def lead_project(tmp_path: Path):
    project = new_project(tmp_path / "lead.db")
    label_anna(project)
    label_ben(project)
    set_dates(project, {"a1": "2024-11-07", "a2": "2024-11", "a3": "2024-12-02"})
    yield project
    project.close()


@pytest.fixture
def view(qtbot, lead_project, codebook):
    widget = NetworkView(lead_project, codebook)
    qtbot.addWidget(widget)
    assert widget.pictures is None  # computed in a worker thread
    with qtbot.waitSignal(widget.pictures_ready, timeout=30_000):
        pass
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def texts(ax) -> list[str]:
    return sorted(t.get_text() for t in ax.texts)


def test_the_three_figures_are_drawn(view) -> None:
    # Majority: a1 Pistorius favor (2 votes), a2 NATO against, a2 Masala neutral (Ben alone);
    # two ties (a1 Masala, a3 Pistorius) are left out.
    assert "3 statement(s) by 3 actor(s)" in view.summary.text()
    assert "2 unit(s) without a majority" in view.summary.text()
    stance_map = view.map_canvas.figure.axes[0]
    rows = {t.get_text() for t in stance_map.get_yticklabels()}
    assert rows == {"Boris Pistorius", "Carlo Masala", "NATO"}
    assert texts(stance_map) == ["1", "1", "1"]
    network = view.network_canvas.figure.axes[0]
    assert texts(network) == ["Boris Pistorius", "Carlo Masala", "NATO"]
    assert "Congruence network (majority)" in network.get_title()
    timeline = view.timeline_canvas.figure.axes
    assert len(timeline) == 3 and view.actor.count() == 3
    assert timeline[0].get_title().startswith(f"Stances of {view.actor.currentText()}")
    for canvas in (view.map_canvas, view.network_canvas, view.timeline_canvas):
        image = canvas.grab().toImage()
        assert not image.isNull() and image.width() > 100  # rendered, not blank size


def test_label_source_targets_and_actor_redraw(qtbot, view) -> None:
    with qtbot.waitSignal(view.pictures_ready, timeout=30_000):
        view.source.setCurrentIndex(view.source.findData("anna"))
    assert "4 statement(s) by 3 actor(s)" in view.summary.text()
    assert view.pictures.options.annotator == "anna"
    with qtbot.waitSignal(view.pictures_ready, timeout=30_000):
        view.targets["ground_troops"].setChecked(False)
    rows = {t.get_text() for t in view.map_canvas.figure.axes[0].get_yticklabels()}
    assert rows == {"Boris Pistorius", "NATO"}
    assert [t.get_text() for t in view.map_canvas.figure.axes[0].get_xticklabels()] == [
        "NATO",
        "Spending",
    ]
    with qtbot.waitSignal(view.pictures_ready, timeout=30_000):
        view.aggregation.setCurrentIndex(view.aggregation.findData(Aggregation.SUBTRACT.value))
    assert "Subtract network" in view.network_canvas.figure.axes[0].get_title()
    view.actor.setCurrentText("Boris Pistorius")
    assert view.timeline_canvas.figure.axes[0].get_title() == "Stances of Boris Pistorius over time"
    assert len(view.timeline_canvas.figure.axes) == 2  # the two chosen targets


def test_the_last_target_stays_chosen(view) -> None:
    boxes = list(view.targets.values())
    for box in boxes[:-1]:
        box.setChecked(False)
    boxes[-1].setChecked(False)
    assert boxes[-1].isChecked()


def test_escape_closes(qtbot, view) -> None:
    from PySide6.QtCore import Qt

    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.isVisible()


def test_a_project_without_labels_says_so(qtbot, tmp_path: Path, codebook) -> None:
    project = new_project(tmp_path / "empty.db")
    widget = NetworkView(project, codebook)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.pictures_ready, timeout=30_000):
        pass
    for canvas in (widget.map_canvas, widget.network_canvas, widget.timeline_canvas):
        assert texts(canvas.figure.axes[0]) == ["No statements"]
    widget.close()
    project.close()
