"""Render the README screenshots offscreen from the seeds project with a few labels.

    python docs/screenshots/render.py [NAME ...]   # e.g. curation: only curation.png

Writes docs/screenshots/*.png (or only those named). The labels are set through the same
keys an annotator uses; the curation view is driven with the curator's keys.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = Path(__file__).resolve().parent

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.codebook import load_codebook  # noqa: E402
from annotator.ingest.importer import import_paths  # noqa: E402
from annotator.paths import seeds_dir  # noqa: E402
from annotator.settings import Settings  # noqa: E402
from annotator.store.articles import article_id_by_external  # noqa: E402
from annotator.store.engine import open_project  # noqa: E402

SEED = "000_bdcb18cc22753435"
ONLY = set(sys.argv[1:])  # names of the screenshots to write; empty: all


def save(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if not ONLY or name in ONLY:
        widget.grab().save(str(OUT / f"{name}.png"))


def key(widget, k, mod=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    QTest.keyClick(widget, k, mod)
    QApplication.processEvents()


def lead_view(window, project, codebook) -> None:  # type: ignore[no-untyped-def]
    """Two annotators' labels on the seeds (as after a merge) and the agreement view."""
    from annotator.store.annotators import get_or_create_annotator
    from annotator.store.labels import CellKey, CellState, put_cell, set_done

    rng = __import__("random").Random(3)
    anna, ben = (get_or_create_annotator(project, n) for n in ("anna", "ben"))
    stances = ("favor", "against", "neutral")
    for article_id in range(1, 6):
        window.open_article(article_id)
        for row in window.panel.model.rows[:6]:
            for target in codebook.target_ids:
                if rng.random() < 0.45:
                    first = rng.choice(stances)
                    second = first if rng.random() < 0.75 else rng.choice(stances)
                    key = CellKey(article_id, row.actor_id, target)
                    put_cell(project, anna, key, CellState(first))
                    put_cell(project, ben, key, CellState(second))
        set_done(project, article_id, anna)
        set_done(project, article_id, ben)
    window.lead.show_agreement()
    view = window.lead._agreement
    while view.report is None:
        QApplication.processEvents()
    view.resize(1200, 760)
    QApplication.processEvents()
    save(view, "agreement")
    view.tabs.setCurrentIndex(1)
    QApplication.processEvents()
    save(view, "agreement_annotators")
    # The disagreements at a laptop's size, the first one opened with Enter.
    view.resize(1100, 660)
    view.tabs.setCurrentIndex(2)
    table = view.disagreement_view
    table.setFocus()
    table.setCurrentIndex(view.disagreements.index(0, 0))
    QTest.keyClick(table, Qt.Key.Key_Return)  # (`key` is a cell key in this function)
    QApplication.processEvents()
    save(view, "agreement_disagreements")


# Two disagreements with evidence on each side, and one agreed unit (the README's picture).
CURATION_LABELS = {
    ("Donald Trump", "nato_membership"): (
        ("against", "NATO-Verbündete damit rechnen, dass der Schutz der USA bald geringer "
         "ausfällt - oder ganz wegbricht", "Schutz könnte ganz wegfallen"),
        ("neutral", "Mit dem Sieg von Donald Trump bei der US-Wahl", "nur eine Erwartung"),
    ),
    ("Sébastien Lecornu", "defence_spending"): (
        ("favor", "Sébastien Lecornu (l.) und Boris Pistorius wollen die europäische "
         "Verteidigungsfähigkeit stärken.", None),
        ("neutral", None, None),
    ),
    ("Boris Pistorius", "defence_spending"): (
        ("favor", "Uns muss eine faire Lastenteilung innerhalb der NATO gelingen", None),
        ("favor", "unsere Verteidigung zu einem größeren Anteil als bisher selbst zu "
         "übernehmen", None),
    ),
}  # fmt: skip


def curation_view(window, project) -> None:  # type: ignore[no-untyped-def]
    """anna's and ben's versions of the seed article; the lead accepts anna's on the first
    disagreement (key 1) and goes back to it (K): the text marks both versions and gold."""
    from annotator.store.annotators import get_or_create_annotator
    from annotator.store.labels import CellKey, CellState, put_cell

    article_id = article_id_by_external(project, SEED)
    window.open_article(article_id)
    text = window.article.text
    actors = {r.name: r.actor_id for r in window.panel.model.rows}
    people = [get_or_create_annotator(project, n) for n in ("anna", "ben")]
    for (actor, target), versions in CURATION_LABELS.items():
        for who, (stance, quote, note) in zip(people, versions, strict=True):
            spans = ((text.index(quote), text.index(quote) + len(quote)),) if quote else ()
            put_cell(project, who, CellKey(article_id, actors[actor], target),
                     CellState(stance, spans, note))  # fmt: skip
    window.lead.show_curation()
    view = window.lead._curation
    view.resize(1500, 820)
    view.reload_articles(select=article_id)
    QApplication.processEvents()
    key(view.units, Qt.Key.Key_1)  # anna's version on the first disagreement
    key(view.units, Qt.Key.Key_K)  # back to it: both versions and gold marked in the text
    QApplication.processEvents()
    save(view, "curation")
    view.close()


def main() -> None:
    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    from annotator.gui.desk.main_window import MainWindow

    tmp = Path(tempfile.mkdtemp())
    os.environ["ANNOTATOR_HOME"] = str(tmp / "home")
    project = open_project(str(tmp / "seeds.db"))
    import_paths(project, [seeds_dir()])
    codebook = load_codebook()
    window = MainWindow(project, codebook, "demo", Settings(annotator="demo", font_size=12))
    window.resize(1500, 900)
    window.show()
    window.open_article(article_id_by_external(project, SEED))
    QApplication.processEvents()

    # Pistorius: favor on defence spending, with the quote as evidence - keyboard only.
    grid = window.panel.grid
    names = [r.name for r in window.panel.model.rows]
    grid.setFocus()
    for _ in range(names.index("Boris Pistorius")):
        key(grid, Qt.Key.Key_J)
    key(grid, Qt.Key.Key_3)
    key(grid, Qt.Key.Key_F)
    text = window.article.text
    quote = "Uns muss eine faire Lastenteilung innerhalb der NATO gelingen"
    start = text.index(quote)
    window.text.select_span(start, start + len(quote))
    key(window.text, Qt.Key.Key_E)
    quote2 = "unsere Verteidigung zu einem größeren Anteil als bisher selbst zu übernehmen"
    start2 = text.index(quote2)
    window.text.select_span(start2, start2 + len(quote2))
    key(window.text, Qt.Key.Key_E)
    window.text.show_evidence(list(window.panel.current_state().evidence), focus=(start, start))
    # Sébastien Lecornu: neutral on defence spending.
    window.panel.select_actor(
        next(r.actor_id for r in window.panel.model.rows if r.name == "Sébastien Lecornu")
    )
    key(grid, Qt.Key.Key_N)
    window.panel.select_actor(
        next(r.actor_id for r in window.panel.model.rows if r.name == "Boris Pistorius")
    )
    QApplication.processEvents()
    save(window, "main_window")

    window.tabs.setCurrentIndex(1)
    QApplication.processEvents()
    save(window, "codebook")
    window.tabs.setCurrentIndex(0)

    window.commands.show_shortcuts()
    QApplication.processEvents()
    save(window.commands._dialog, "shortcuts")
    window.commands._dialog.close()
    lead_view(window, project, codebook)
    curation_view(window, project)
    print(f"wrote {', '.join(p.name for p in sorted(OUT.glob('*.png')))} to {OUT}")
    window.close()
    project.close()


if __name__ == "__main__":
    main()
