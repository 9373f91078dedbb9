"""The lead's entries open only to the project's leads (store/leads.py).

In a project file the entries that show or change everybody's work are greyed for anyone
who is not a lead, with the reason as their tooltip and status tip. Who leads can change in
another process (`annotator lead add NAME`), so the entries are checked again whenever the
File or View menu opens, and the lead's commands check once more before they run: a
shortcut pressed before the menu was opened again never goes past the rule.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import QMenu

from annotator.gui.common.errors import show_error
from annotator.gui.common.plain import message_box
from annotator.gui.desk.host import Desk
from annotator.store.leads import lead_only_reason

# The entries that show everybody's labels or change the team's work.
LEAD_ACTIONS = (
    "agreement", "curate", "progress", "networks", "export", "merge", "assign",
    # The Suggest menu's (desk/suggest_lead.py): the project's suggestions and switches.
    "suggest_all", "train_gold", "suggest_on", "suggest_overlap", "suggest_use",
)  # fmt: skip
_NORMAL_TIP = "leadNormalTip"  # the entry's own tooltip, kept while the reason shows


def install(w: Desk, menus: Iterable[QMenu]) -> None:
    """Gate the lead's entries of window `w`, checked again as each of `menus` opens."""
    for menu in menus:
        menu.setToolTipsVisible(True)  # the reason shows on the greyed entry
        menu.aboutToShow.connect(lambda: _menu_opens(w))
    for key in LEAD_ACTIONS:
        action = w.actions_[key]
        action.setProperty(_NORMAL_TIP, action.toolTip())
        if action.shortcuts():
            _stand_in(w, key, action)
    update_lead_actions(w)


def _menu_opens(w: Desk) -> None:
    try:
        update_lead_actions(w)
    except Exception as exc:  # noqa: BLE001 - the one error dialog, not a lost traceback
        show_error(w.window(), exc)


def _stand_in(w: Desk, key: str, action: QAction) -> None:
    """A greyed entry's keys do nothing in Qt: a shortcut with the same keys, on only while
    the entry is greyed, says why (or runs the entry if she has become a lead meanwhile)."""
    shortcut = QShortcut(w.window())
    shortcut.setObjectName(f"leadStandIn_{key}")
    shortcut.setKeys(action.shortcuts())
    shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
    shortcut.setEnabled(not action.isEnabled())
    # Never both on for one key: Qt would call that ambiguous and run neither.
    action.enabledChanged.connect(lambda enabled: shortcut.setEnabled(not enabled))
    shortcut.activated.connect(lambda: _pressed(w, key))


def _pressed(w: Desk, key: str) -> None:
    if not refused(w, key):
        w.actions_[key].trigger()  # a lead since the entry was greyed: it is on again


def update_lead_actions(w: Desk) -> str | None:
    """Enable or grey the lead's entries for the window's annotator now; returns the
    reason they are greyed (None: she is a lead, or the team server decides)."""
    reason = lead_only_reason(w.project, w.annotator)
    for key in LEAD_ACTIONS:
        action = w.actions_[key]
        action.setEnabled(reason is None)
        normal = action.property(_NORMAL_TIP)
        action.setToolTip(reason or (normal if isinstance(normal, str) else ""))
        action.setStatusTip(reason or "")
    return reason


def refused(w: Desk, key: str) -> bool:
    """Whether the lead's command `key` may not run for the window's annotator; if so, the
    reason is shown. Called first by every lead's command (desk/lead_commands.py)."""
    reason = update_lead_actions(w)
    if reason is None:
        return False
    entry = w.actions_[key].text().replace("&", "").rstrip("…").replace(" (project lead)", "")
    # A dialog, not the status bar: the reason is long, and she pressed a key on purpose.
    message_box(w.window(), f"{entry}: project leads only", reason, name="leadOnlyDialog")
    return True
