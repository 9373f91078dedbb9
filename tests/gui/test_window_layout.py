"""The window on a 1366 x 768 laptop (every target column and stance button on screen), and
its size and column widths remembered from one start to the next."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.ingest.importer import import_paths
from annotator.paths import seeds_dir
from annotator.settings import load_settings
from annotator.store.annotators import get_or_create_annotator
from annotator.store.articles import article_titles, load_article
from annotator.store.engine import open_project
from annotator.store.labels import CellKey, CellState, put_cell, set_done
from tests.gui.laptop import HEIGHT, WIDTH, measure


def seeds_project(path: Path, coders: tuple[str, ...]) -> Path:
    """The five seed articles; each of `coders` labels and finishes the first two."""
    with open_project(str(path)) as project:
        import_paths(project, [seeds_dir()], model="none")
        for name in coders:
            who = get_or_create_annotator(project, name)
            for article_id, _ext, _title in article_titles(project)[:2]:
                actor = next(m.actor_id for m in load_article(project, article_id).mentions
                             if m.actor_id)  # fmt: skip
                key = CellKey(article_id, actor, "defence_spending")
                put_cell(project, who, key, CellState("favor"))
                set_done(project, article_id, who)
    return path


@pytest.fixture(params=[("anna",), ("anna", "ben")], ids=["alone", "team"])
def laptop(request, tmp_path: Path) -> Iterator[dict]:
    yield measure("desk", seeds_project(tmp_path / "p.db", request.param), tmp_path)


def test_on_a_laptop_every_target_and_stance_button_is_on_screen(laptop: dict) -> None:
    x, y, width, height = laptop["window"]
    assert x + width <= WIDTH and y + height <= HEIGHT, laptop["window"]
    for target in laptop["targets"]:
        assert target["right"] <= laptop["grid_viewport"], target
        assert target["width"] >= target["text_width"] + 8, target  # "Spending [3]" whole
    for text, (bx, by, bw, bh, needs) in laptop["buttons"].items():
        assert bx >= 0 and bx + bw <= width and by + bh <= height, text
        assert bw >= needs, (text, bw, needs)  # the label is not cut
    assert laptop["title_column"] >= 150  # titles stay readable beside the Team column
    assert laptop["team"] == (len(laptop["columns"]) == 3 and laptop["team"])


def test_size_place_and_column_widths_are_remembered(tmp_path: Path) -> None:
    """Resized, moved and a column dragged on the laptop; closed; opened again as it was
    (the settings file in this test's own home folder)."""
    report = measure("remember", seeds_project(tmp_path / "p.db", ("anna",)), tmp_path)
    before, dragged = report["before"], report["dragged"]
    assert dragged[0] == before[0] + 60 and dragged[2] == before[2]
    assert report["again"] == report["closed"] and report["closed"][2:] == [1180, 700]
    assert report["again_columns"] == dragged
    settings = load_settings()
    assert settings.splitters["main"] == dragged and settings.windows["main"]


def test_columns_not_dragged_follow_the_window(qtbot, window, small_project, codebook) -> None:
    """Closing without dragging remembers the window, not the widths: the next start fits
    the columns to the window again (also when the list gets its Team column later)."""
    from annotator.gui.desk.main_window import MainWindow

    window.close()
    settings = load_settings()
    assert "main" in settings.windows and "main" not in settings.splitters
    again = MainWindow(small_project, codebook, "anna", settings)
    qtbot.addWidget(again)
    assert not again.splitter.own


def test_a_damaged_layout_in_the_settings_is_ignored(tmp_path: Path) -> None:
    from annotator.settings import settings_path

    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"annotator": "anna", "windows": {"main": 3}, "splitters": [1, 2]}')
    settings = load_settings()
    assert settings.annotator == "anna" and settings.windows == {} and settings.splitters == {}


def team_with_disagreements(path: Path) -> Path:
    """The seeds; four coders label the first three articles' first actors, often
    differently, and finish them."""
    coders = ("anna", "ben", "cara", "dan")
    stances = ("favor", "against", "neutral")
    with open_project(str(path)) as project:
        import_paths(project, [seeds_dir()], model="none")
        for n, name in enumerate(coders):
            who = get_or_create_annotator(project, name)
            for article_id, _ext, _title in article_titles(project)[:3]:
                actors = list(dict.fromkeys(
                    m.actor_id for m in load_article(project, article_id).mentions if m.actor_id
                ))[:4]  # fmt: skip
                for a, actor in enumerate(actors):
                    for t, target in enumerate(TARGETS):
                        stance = stances[(a + t + (n if (a + t) % 2 else 0)) % 3]
                        put_cell(project, who, CellKey(article_id, actor, target),
                                 CellState(stance))  # fmt: skip
                set_done(project, article_id, who)
    return path


TARGETS = ("nato_membership", "ground_troops", "defence_spending")


def test_on_a_laptop_the_disagreements_fit_without_scrolling(tmp_path: Path) -> None:
    """View › Agreement, Disagreements, four coders: actor, target and every coder's label
    are on screen without scrolling sideways; the title gives way and is whole in its
    tooltip (it was the first column: about 30 scroll clicks to the labels)."""
    report = measure("agreement", team_with_disagreements(tmp_path / "p.db"), tmp_path)
    x, y, width, height = report["window"]
    assert x + width <= WIDTH and y + height <= HEIGHT
    assert report["rows"] >= 10
    assert report["headers"] == ["Actor", "Target", "anna", "ben", "cara", "dan", "Article"]
    assert not report["scrollbar"]
    for (left, size), head in zip(report["sections"], report["headers"], strict=True):
        assert left + size <= report["viewport"], head
    assert report["sections"][-1][1] >= 60  # some of the title is left to read
    title = report["first_row"][-1]
    assert report["title_tip"].splitlines()[0] == title
