"""Every menu entry has an Alt letter of its own in its menu (View had "c" three times:
Collapse boilerplate, Show codebook and Curate)."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu

from annotator.gui.desk.menus import mnemonic


def entries(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_no_menu_has_two_entries_with_one_accelerator(window) -> None:
    bar = window.menuBar()
    titles = [a.text() for a in bar.actions()]
    assert len({mnemonic(t) for t in titles}) == len(titles), titles
    menus = [a.menu() for a in bar.actions()]
    assert all(isinstance(m, QMenu) for m in menus)
    for menu in menus:
        texts = entries(menu)
        letters = [mnemonic(t) for t in texts]
        assert None not in letters, [t for t in texts if mnemonic(t) is None]
        assert len(set(letters)) == len(letters), (menu.title(), texts)


def test_the_view_menu_keeps_its_letters(window) -> None:
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    letters = {t.replace("&", ""): mnemonic(t) for t in entries(view)}
    assert letters["Collapse boilerplate"] == "o"
    assert letters["Show codebook"] == "d"
    assert letters["Curate (project lead)…"] == "c"
    assert letters["Smaller text"] == "m" and letters["Search articles"] == "s"


def test_a_mnemonic_is_read_as_qt_reads_it() -> None:
    assert mnemonic("&Curate") == "c" and mnemonic("Show co&debook") == "d"
    assert mnemonic("Save && close") is None and mnemonic("Save && &close") == "c"
