"""Every keyboard shortcut, in one table: the window, the help dialog and the README use it.

Stance keys (F/A/N) and target keys (1/2/3) come from the codebook; the ones here are fixed.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.codebook import Codebook


@dataclass(frozen=True)
class Shortcut:
    action: str
    keys: tuple[str, ...]
    text: str


FIXED: tuple[Shortcut, ...] = (
    Shortcut("clear", ("Del", "Backspace", "X"), "Clear the current cell"),
    Shortcut(
        "attach",
        ("E",),
        "Attach the selected text, or else the sentence on offer, as evidence to the current cell",
    ),
    Shortcut("next_candidate", ("Space",), "Offer the next evidence sentence for the current cell"),
    Shortcut("prev_candidate", ("Shift+Space",), "Offer the previous evidence sentence"),
    Shortcut("select_sentence", ("S",), "Select the whole sentence at the text cursor"),
    Shortcut("remove_evidence", ("Shift+E",), "Remove the current cell's last evidence"),
    Shortcut("note", ("F2",), "Edit the current cell's note (Enter saves, Esc returns)"),
    Shortcut(
        "accept_suggestion",
        ("Return", "Enter"),
        "Accept the stance suggested in the current cell, with its evidence (grid or text)",
    ),
    Shortcut(
        "reject_suggestion",
        ("R",),
        "Reject the suggestion in the current cell (F/A/N overwrite it with your own)",
    ),
    Shortcut("row_down", ("J", "Alt+Down"), "Next actor (row)"),
    Shortcut("row_up", ("K", "Alt+Up"), "Previous actor (row)"),
    Shortcut("col_right", ("L", "Alt+Right"), "Next target (column)"),
    Shortcut("col_left", ("H", "Alt+Left"), "Previous target (column)"),
    Shortcut(
        "done_next",
        ("Ctrl+Return", "Ctrl+Enter"),
        "Mark the article done and go to the next unfinished one",
    ),
    Shortcut("toggle_done", ("Ctrl+D",), "Mark / unmark the article done"),
    Shortcut("next_unfinished", ("Ctrl+J",), "Go to the next unfinished article"),
    Shortcut("next_article", ("Ctrl+PgDown", "]"), "Next article"),
    Shortcut("prev_article", ("Ctrl+PgUp", "["), "Previous article"),
    Shortcut("undo", ("Ctrl+Z",), "Undo the last label change"),
    Shortcut("redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo"),
    Shortcut("focus_cycle", ("F6",), "Move the keyboard focus: article text / stance grid / list"),
    Shortcut("add_actor", ("Ctrl+M",), "Add an actor from the selected text"),
    Shortcut("merge_actors", ("Ctrl+Shift+M",), "Merge two actors"),
    Shortcut("search", ("Ctrl+F",), "Search the article list"),
    Shortcut("curate", ("Ctrl+Shift+C",), "Curate: from the annotators' versions to gold (lead)"),
    Shortcut(
        "compare_gold",
        ("Ctrl+Shift+G",),
        "Compare with gold: where the curated gold differs from your labels",
    ),
    Shortcut(
        "show_all_actors",
        ("Ctrl+B",),
        "Show actors (and offered sentences) from boilerplate too, or hide them again",
    ),
    Shortcut(
        "collapse_boilerplate", ("Ctrl+Shift+B",), "Collapse the boilerplate lines, or show them"
    ),
    Shortcut("font_bigger", ("Ctrl++", "Ctrl+="), "Larger reading font"),
    Shortcut("font_smaller", ("Ctrl+-",), "Smaller reading font"),
    Shortcut("import", ("Ctrl+I",), "Import articles"),
    Shortcut("help", ("F1",), "This list of shortcuts"),
    Shortcut("quit", ("Ctrl+Q",), "Quit (everything is already saved)"),
)


def all_shortcuts(codebook: Codebook) -> list[Shortcut]:
    """Codebook keys first (set a stance, pick a target), then the fixed ones."""
    out = [
        Shortcut(f"stance:{s.id}", (s.key.upper(),), f"Set the current cell to '{s.label_en}'")
        for s in codebook.stances
        if s.key
    ]
    out += [
        Shortcut(f"target:{t.id}", (t.key,), f"Go to the column '{t.label_en}'")
        for t in codebook.targets
        if t.key
    ]
    return out + list(FIXED)
