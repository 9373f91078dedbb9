"""The window's menu bar: every entry an action carrying the keys of desk/shortcuts.py."""

from __future__ import annotations

import re
from functools import partial

from PySide6.QtWidgets import QMenu

from annotator.gui.desk import lead_gate
from annotator.gui.desk.cell_actions import CellActions
from annotator.gui.desk.commands import WindowCommands
from annotator.gui.desk.host import Desk
from annotator.gui.desk.lead_commands import LeadCommands
from annotator.gui.desk.suggest_lead import SuggestLead
from annotator.gui.desk.suggestions import Suggestions, build_suggest_menu

_MNEMONIC = re.compile(r"(?<!&)(?:&&)*&([^&\s])")


def build_menus(
    w: Desk, cell: CellActions, c: WindowCommands, lead: LeadCommands,
    suggestions: Suggestions, suggest_lead: SuggestLead,
) -> None:  # fmt: skip
    """Menus of window `w`: labelling keys act on the current `cell`; the slower actions
    are `c`'s and the lead's (desk/commands.py, desk/lead_commands.py); the Suggest menu
    is desk/suggestions.py's and desk/suggest_lead.py's."""
    file = _file_and_edit(w, cell, c, lead)
    _label_and_go(w, cell)
    view = _view(w, c, lead)
    suggest = build_suggest_menu(w, suggestions, suggest_lead)
    lead_gate.install(w, (file, view, suggest))  # the lead's entries: greyed for the others
    help_ = w.menuBar().addMenu("&Help")
    w.actions_.add("help", "&Keyboard shortcuts", c.show_shortcuts, menu=help_)
    w.actions_.add("about", "&About", c.about, menu=help_)
    for top in w.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            give_accelerators(menu)


def mnemonic(text: str) -> str | None:
    """The Alt letter of a menu entry ("&Curate" -> "c"); "&&" is a plain ampersand."""
    found = _MNEMONIC.search(text)
    return found.group(1).lower() if found else None


def give_accelerators(menu: QMenu) -> None:
    """Every entry its own Alt letter in its menu: those chosen above stay; the rest (the
    codebook's stances and targets among them) get the first free letter, a word's first
    letter preferred."""
    actions = [a for a in menu.actions() if not a.isSeparator() and a.text()]
    used = {m for a in actions if (m := mnemonic(a.text()))}
    for action in actions:
        text = action.text()
        if mnemonic(text):
            continue
        starts = [i for i, ch in enumerate(text) if ch.isalnum() and not text[i - 1 : i].isalnum()]
        for i in [*starts, *range(len(text))]:
            if text[i].isalnum() and text[i].lower() not in used:
                used.add(text[i].lower())
                action.setText(f"{text[:i]}&{text[i:]}")
                break


def _file_and_edit(w: Desk, cell: CellActions, c: WindowCommands, lead: LeadCommands) -> QMenu:
    a = w.actions_
    file = w.menuBar().addMenu("&File")
    a.add("import", "&Import articles…", c.import_articles, menu=file)
    a.add("import_folder", "Import a &folder…", lambda: c.import_articles(folder=True), menu=file)
    a.add("export", "&Export labelled data…", lead.export_dialog, menu=file)
    a.add("merge", "&Merge other project files…", lead.merge_dialog, menu=file)
    a.add("assign", "&Assign articles (project lead)…", lead.assign_dialog, menu=file)
    file.addSeparator()
    a.add("switch_annotator", "&Switch annotator…", c.switch_annotator, menu=file)
    file.addSeparator()
    a.add("quit", "&Quit", w.close, menu=file)

    edit = w.menuBar().addMenu("&Edit")
    a.add("undo", "&Undo", cell.undo, menu=edit)
    a.add("redo", "&Redo", cell.redo, menu=edit)
    edit.addSeparator()
    a.add("add_actor", "&Add actor from selection…", c.add_actor, menu=edit)
    a.add("merge_actors", "&Merge actors…", c.merge_actors_dialog, menu=edit)
    a.add("rehighlight", "Re-&highlight all articles", c.rehighlight_all, menu=edit)
    return file


def _label_and_go(w: Desk, cell: CellActions) -> None:
    a = w.actions_
    label = w.menuBar().addMenu("&Label")
    for s in reversed(w.codebook.stances):
        a.add(f"stance:{s.id}", f"Set '{s.label_en}'", partial(cell.set_stance, s.id), menu=label)
    a.add("clear", "&Clear cell", lambda: cell.set_stance(""), menu=label)
    label.addSeparator()
    a.add("attach", "Attach selection (or the offered sentence) as &evidence", cell.attach_evidence,
          menu=label)  # fmt: skip
    a.add("next_candidate", "Offer the next evidence sentence", lambda: cell.step_candidate(1),
          menu=label)  # fmt: skip
    a.add("prev_candidate", "Offer the previous evidence sentence", lambda: cell.step_candidate(-1),
          menu=label)  # fmt: skip
    a.add("select_sentence", "Select the sentence at the cursor", cell.select_sentence, menu=label)
    a.add("remove_evidence", "Remove last evidence", cell.remove_last_evidence, menu=label)
    a.add("note", "Edit &note", w.focus_note, menu=label)
    label.addSeparator()
    for col, t in enumerate(w.codebook.targets):
        a.add(f"target:{t.id}", f"Column: {t.label_en}", partial(w.panel.step, 0, col), menu=label)
    a.add("row_down", "Next actor", lambda: w.panel.step(1), menu=label)
    a.add("row_up", "Previous actor", lambda: w.panel.step(-1), menu=label)
    a.add("col_right", "Next target", lambda: w.move_column(1), menu=label)
    a.add("col_left", "Previous target", lambda: w.move_column(-1), menu=label)

    go = w.menuBar().addMenu("&Go")
    a.add("done_next", "Mark &done and next unfinished", cell.mark_done_and_next, menu=go)
    a.add("toggle_done", "Mark / unmark done", cell.toggle_done, menu=go)
    a.add("next_unfinished", "Next &unfinished", w.next_unfinished, menu=go)
    a.add("next_article", "&Next article", w.next_article, menu=go)
    a.add("prev_article", "&Previous article", w.prev_article, menu=go)


def _view(w: Desk, c: WindowCommands, lead: LeadCommands) -> QMenu:
    a = w.actions_
    view = w.menuBar().addMenu("&View")
    a.add("font_bigger", "&Larger text", lambda: w.change_font(1), menu=view)
    a.add("font_smaller", "S&maller text", lambda: w.change_font(-1), menu=view)
    a.add("focus_cycle", "Move &focus", w.cycle_focus, menu=view)
    a.add("search", "&Search articles", w.focus_search, menu=view)
    view.addSeparator()
    a.add("show_all_actors", "Show actors from &boilerplate", w.toggle_show_all, menu=view)
    a.add("collapse_boilerplate", "C&ollapse boilerplate", w.toggle_collapse, menu=view)
    a["show_all_actors"].setCheckable(True)
    a["collapse_boilerplate"].setCheckable(True)
    # With an assignment plan: the articles outside my queue, greyed after it (a setting).
    a.add("show_unassigned", "Show &unassigned articles", w.toggle_unassigned, menu=view)
    a["show_unassigned"].setCheckable(True)
    a["show_unassigned"].setChecked(w.settings.show_unassigned)
    view.addSeparator()
    a.add("codebook", "Show co&debook", lambda: w.tabs.setCurrentIndex(1), menu=view)
    # Only for a curated article this annotator marked done (blind annotation stays blind).
    a.add("compare_gold", "Compare with &gold…", c.compare_with_gold, menu=view)
    a["compare_gold"].setEnabled(False)
    w.text.article_shown.connect(c.update_gold_action)
    view.aboutToShow.connect(c.update_gold_action)
    view.addSeparator()
    a.add("agreement", "&Agreement (project lead)…", lead.show_agreement, menu=view)
    a.add("networks", "&Networks (project lead)…", lead.show_networks, menu=view)
    a.add("curate", "&Curate (project lead)…", lead.show_curation, menu=view)
    a.add("progress", "&Progress (project lead)…", lead.show_progress, menu=view)
    return view
