"""The lead's entries in the window (issue 25 item 6): only the project's leads open the
views that show everybody's labels; the others see them greyed with the reason, and their
keys only explain. Who leads is read again when the File or View menu opens, so
`annotator lead add NAME` run elsewhere takes effect without a restart."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from annotator.gui.desk.lead_gate import LEAD_ACTIONS
from annotator.gui.lead.agreement_view import AgreementView
from annotator.gui.lead.curation_view import CurationWindow
from annotator.store.leads import LEADS_KEY, add_lead, is_lead, leads
from tests.gui.test_team_queue import open_window

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def lead_cli(project, *args: str) -> None:
    """`annotator lead ...` in another process, as a lead would run it beside the window."""
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(project.path), "lead", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def menu(win, title: str) -> QMenu:
    for top in win.menuBar().actions():
        if top.text().replace("&", "") == title:
            found = top.menu()
            assert isinstance(found, QMenu)
            return found
    raise AssertionError(title)


def open_menu(qtbot, win, title: str) -> QMenu:
    """Open a menu of the menu bar by its Alt key, as a user does, and close it again."""
    shown = menu(win, title)
    qtbot.keyClick(win, title[0].lower(), Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(shown.isVisible)
    qtbot.keyClick(shown, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not shown.isVisible())
    return shown


def activate(qtbot, win) -> None:
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)


def greyed(win) -> dict[str, bool]:
    return {key: not win.actions_[key].isEnabled() for key in LEAD_ACTIONS}


def lead_dialog() -> QMessageBox | None:
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox) and box.objectName() == "leadOnlyDialog":
        return box
    return None


def curation_windows() -> list[CurationWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, CurationWindow)]


def second_annotator(qtbot, project, codebook):
    """anna opened the project first (its lead); ben opens it after her."""
    first = open_window(qtbot, project, codebook, "anna")
    first.close()
    return open_window(qtbot, project, codebook, "ben")


def test_the_first_annotator_to_open_a_project_leads_it(qtbot, small_project, codebook) -> None:
    assert small_project.info(LEADS_KEY) is None  # nobody chosen yet
    win = open_window(qtbot, small_project, codebook, "anna")
    assert leads(small_project) == ["anna"]
    assert not any(greyed(win).values())
    curate = win.actions_["curate"]
    assert "Ctrl+Shift+C" in curate.toolTip() and curate.statusTip() == ""
    qtbot.keyClick(win.panel.grid, Qt.Key.Key_C, CTRL_SHIFT)
    qtbot.waitUntil(lambda: isinstance(win.lead._curation, CurationWindow))
    assert win.lead._curation.isVisible() and lead_dialog() is None


def test_a_second_annotator_sees_the_lead_entries_greyed_with_the_reason(
    qtbot, small_project, codebook
) -> None:
    win = second_annotator(qtbot, small_project, codebook)
    assert leads(small_project) == ["anna"] and not is_lead(small_project, "ben")
    assert all(greyed(win).values())
    for key in LEAD_ACTIONS:
        action = win.actions_[key]
        assert action.toolTip() == action.statusTip()
        assert "Only the project's leads (anna) may use this" in action.toolTip()
        assert "`annotator lead add ben`" in action.toolTip()
    # The reason shows on the greyed entries themselves.
    assert menu(win, "File").toolTipsVisible() and menu(win, "View").toolTipsVisible()
    assert all(greyed(win).values())  # opening the menus checks again: still not a lead
    open_menu(qtbot, win, "View")
    open_menu(qtbot, win, "File")
    assert all(greyed(win).values())

    # Ctrl+Shift+C (Curate) opens nothing; it says why.
    qtbot.keyClick(win.panel.grid, Qt.Key.Key_C, CTRL_SHIFT)
    qtbot.waitUntil(lambda: lead_dialog() is not None)
    box = lead_dialog()
    assert box is not None and "`annotator lead add ben`" in box.text()
    assert box.windowTitle() == "Curate: project leads only"
    assert win.lead._curation is None and curation_windows() == []
    box.close()
    # Nor can the commands be reached another way (a stale entry, a test, a script).
    win.lead.show_agreement()
    assert win.lead._agreement is None and lead_dialog() is not None
    lead_dialog().close()  # type: ignore[union-attr]
    assert win.lead.export_dialog() is None and lead_dialog() is not None
    lead_dialog().close()  # type: ignore[union-attr]
    assert leads(small_project) == ["anna"]  # nothing written by trying


def test_lead_add_from_another_process_enables_them_when_the_view_menu_opens(
    qtbot, small_project, codebook
) -> None:
    win = second_annotator(qtbot, small_project, codebook)
    assert all(greyed(win).values())
    lead_cli(small_project, "add", "ben")
    assert is_lead(small_project, "ben")
    assert all(greyed(win).values())  # the window has not looked yet
    open_menu(qtbot, win, "View")
    assert not any(greyed(win).values())
    curate = win.actions_["curate"]
    assert "Ctrl+Shift+C" in curate.toolTip() and curate.statusTip() == ""
    qtbot.keyClick(win.panel.grid, Qt.Key.Key_C, CTRL_SHIFT)
    qtbot.waitUntil(lambda: isinstance(win.lead._curation, CurationWindow))
    assert lead_dialog() is None
    # And back: the File menu checks too.
    lead_cli(small_project, "remove", "ben")
    assert not any(greyed(win).values())
    activate(qtbot, win)
    open_menu(qtbot, win, "File")
    assert all(greyed(win).values())


def test_a_lead_made_elsewhere_can_use_the_key_before_opening_a_menu(
    qtbot, small_project, codebook
) -> None:
    win = second_annotator(qtbot, small_project, codebook)
    lead_cli(small_project, "add", "ben")
    assert all(greyed(win).values())
    # The greyed entry's key asks again rather than refusing on what it knew.
    qtbot.keyClick(win.panel.grid, Qt.Key.Key_C, CTRL_SHIFT)
    qtbot.waitUntil(lambda: isinstance(win.lead._curation, CurationWindow))
    assert lead_dialog() is None and not any(greyed(win).values())


def test_a_lead_removed_elsewhere_is_refused_by_the_key_still_on(
    qtbot, small_project, codebook
) -> None:
    open_window(qtbot, small_project, codebook, "anna").close()
    add_lead(small_project, "ben")
    win = open_window(qtbot, small_project, codebook, "ben")
    assert not any(greyed(win).values())
    lead_cli(small_project, "remove", "ben")
    assert win.actions_["curate"].isEnabled()  # no menu opened since
    qtbot.keyClick(win.panel.grid, Qt.Key.Key_C, CTRL_SHIFT)
    qtbot.waitUntil(lambda: lead_dialog() is not None)
    assert win.lead._curation is None and curation_windows() == []
    assert all(greyed(win).values())  # and the entries are greyed now
    lead_dialog().close()  # type: ignore[union-attr]


def test_switching_to_a_non_lead_greys_the_entries_and_closes_the_lead_views(
    qtbot, small_project, codebook
) -> None:
    win = open_window(qtbot, small_project, codebook, "anna")
    win.actions_["agreement"].trigger()
    view = win.lead._agreement
    assert isinstance(view, AgreementView) and view.isVisible()
    win.set_annotator("ben")  # what File › Switch annotator does with the name chosen
    assert all(greyed(win).values()) and not view.isVisible()
    assert leads(small_project) == ["anna"]  # ben, second to open it, is not a lead
    win.set_annotator("anna")
    assert not any(greyed(win).values())


def test_in_team_mode_the_servers_roles_decide(qtbot, codebook) -> None:
    from annotator.server.roles import init_server
    from annotator.store.engine import open_project
    from tests.agreement.builders import new_project
    from tests.postgres.database import fresh_database

    with fresh_database() as pg:
        roles = {name: pg.role(name) for name in ("lead", "ben")}
        new_project(pg.url()).close()
        init_server(pg.url(), leads=[roles["lead"]], annotators={"ben": roles["ben"]})
        with open_project(pg.url(roles["ben"])) as project:
            win = open_window(qtbot, project, codebook, "ben")
            # Nothing is greyed or recorded: the server shows ben his own labels only.
            assert not any(greyed(win).values())
            open_menu(qtbot, win, "View")
            assert not any(greyed(win).values())
            assert project.info(LEADS_KEY) is None
            win.close()
