"""A small project built through the store (no NLP), and the real main window on it."""

from __future__ import annotations

import pytest

from annotator.settings import Settings
from annotator.store.models import Mention
from tests.conftest import add_actor, add_article

# An emoji before the first entity: Qt positions and Python indices differ after it.
TEXT_1 = (
    "🇩🇪 Verteidigungsminister Boris Pistorius fordert höhere Verteidigungsausgaben. "
    "„Zwei Prozent reichen nicht“, sagte Pistorius in Berlin.\n\n"
    "Der Militärexperte Carlo Masala hält Bodentruppen in der Ukraine für denkbar."
)
TEXT_2 = "Die Nato berät in Brüssel. Frankreich lehnt einen schnellen Nato-Beitritt ab."
TEXT_3 = "Ein drittes Stück: auch in Berlin wird beraten."


def _mention(
    project, article_id: int, text: str, surface: str, actor_id: int, nth: int = 0
) -> None:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    with project.write() as s:
        s.add(
            Mention(
                article_id=article_id,
                start=start,
                end=start + len(surface),
                label="PER",
                actor_id=actor_id,
                source="lexicon",
            )
        )


@pytest.fixture
def small_project(project):
    a1 = add_article(project, "art-1", TEXT_1, title="Pistorius will mehr Geld")
    a2 = add_article(project, "art-2", TEXT_2, title="Nato-Treffen in Brüssel")
    add_article(project, "art-3", TEXT_3, title="Ohne Akteure")
    pistorius = add_actor(project, "Boris Pistorius")
    masala = add_actor(project, "Carlo Masala")
    nato = add_actor(project, "NATO", label="ORG")
    _mention(project, a1, TEXT_1, "Boris Pistorius", pistorius)
    _mention(project, a1, TEXT_1, "Pistorius", pistorius, nth=1)
    _mention(project, a1, TEXT_1, "Carlo Masala", masala)
    _mention(project, a2, TEXT_2, "Nato", nato)
    # Sentences and boilerplate, as an import stores them (the window reads, never splits).
    from annotator.ingest.segments import fill_segments

    fill_segments(project)
    return project


@pytest.fixture
def window(qtbot, small_project, codebook):
    from annotator.gui.desk.main_window import MainWindow

    win = MainWindow(small_project, codebook, "anna", Settings(annotator="anna"))
    qtbot.addWidget(win)
    with qtbot.waitActive(win):  # window-wide shortcuts need the active window
        win.show()
        win.activateWindow()
    return win
