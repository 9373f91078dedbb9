"""What the labelling keys do to the current cell: stance, evidence (the selected text or
the sentence on offer), note, done, undo and redo.

Every change goes through the window's LabellingSession, written at once; the window
redraws from the session's changes (main_window._on_change), never from here. A helper the
window owns, like desk/commands.py.
"""

from __future__ import annotations

from annotator.cues import CueMatcher
from annotator.evidence import ArticleSentences, Candidate, Rank, evidence_candidates
from annotator.gui.common.errors import guarded
from annotator.gui.desk.host import Desk
from annotator.gui.desk.suggestions import Suggestions
from annotator.labelling import ActorMergeChange
from annotator.store.labels import is_done

# Why a sentence is on offer, where it is not plain (evidence.py ranks them).
_OFFER_NOTE = {
    Rank.SUGGESTED: " (the suggestion's evidence)",
    Rank.CUE: " (with a cue word)",
    Rank.REFERENCE: " (a cue word, after the name)",
    Rank.HEADING: " (a heading)",
}


class CellActions:
    def __init__(self, window: Desk) -> None:
        self.w = window
        self._cues = CueMatcher(window.codebook)
        # The evidence sentences on offer for the current cell, and which one is shown.
        self.candidates: list[Candidate] = []
        self._index = 0
        self._resume_at = 0
        self._doc: ArticleSentences | None = None
        self.suggestions: Suggestions | None = None  # set by the window
        self.keep_view = False  # while the window fills the grid: mark, do not scroll

    # ------------------------------------------------------------ stance and note

    @guarded
    def set_stance(self, stance: str) -> None:
        key = self.w.current_key()
        if key is None:
            return
        if self.suggestions is not None:
            self.suggestions.before_stance(stance)
        if stance:
            self.w.session.set_stance(key, stance)
        else:
            self.w.session.clear(key)

    @guarded
    def save_note(self, note: str) -> None:
        key = self.w.current_key()
        if key is not None:
            self.w.session.set_note(key, note)
            self.w.panel.grid.setFocus()

    # ------------------------------------------------------------ evidence

    @guarded
    def attach_evidence(self) -> None:
        """E: the selected text, or else the sentence on offer (one key for evidence)."""
        key = self.w.current_key()
        if key is None:
            return
        span = self.w.text.selected_span()
        if span is None and self.candidates:
            candidate = self.candidates[self._index]
            span = (candidate.start, candidate.end)
            # The next offer is the sentence after the one just taken, not the first again.
            self._resume_at = self._index
        if span is None:
            self.w.statusBar().showMessage(
                "No sentence to offer here: select the evidence in the text (F6 moves there, "
                "S selects a sentence).",
                6000,
            )
            return
        self.w.session.add_evidence(key, *span)
        self.w.text.clear_selection()

    @guarded
    def remove_last_evidence(self) -> None:
        key = self.w.current_key()
        state = self.w.panel.current_state()
        if key is not None and state.evidence:
            self.w.session.remove_evidence(key, *state.evidence[-1])

    @guarded
    def remove_evidence(self, start: int, end: int) -> None:
        key = self.w.current_key()
        if key is not None:
            self.w.session.remove_evidence(key, start, end)

    def show_evidence(self, start: int, end: int) -> None:
        """One of the cell's evidence spans, scrolled into view."""
        evidence = list(self.w.panel.current_state().evidence)
        self.w.text.show_evidence(evidence, focus=(start, end))

    def select_sentence(self) -> None:
        if not self.w.text.select_sentence_at(self.w.text.cursor_offset()):
            self.w.statusBar().showMessage("No sentence here.", 3000)

    def step_candidate(self, step: int) -> None:
        """Space / Shift+Space: offer the next / previous candidate sentence."""
        if not self.candidates:
            self.w.statusBar().showMessage("No sentence to offer for this cell.", 3000)
            return
        self._index = (self._index + step) % len(self.candidates)
        self._show_candidate()

    def cell_changed(self) -> None:
        """Another cell, or the cell's state changed: its details and what is on offer."""
        self.w.panel.show_cell_details()
        self._offer_candidates()

    def _offer_candidates(self) -> None:
        """The evidence sentences worth offering for the current cell (evidence.py)."""
        self.candidates, self._index = [], 0
        resume, self._resume_at = self._resume_at, 0
        cur = self.w.panel.current()
        if cur is not None and self.w.article_id is not None:
            self.candidates = evidence_candidates(
                self._sentences(),
                cur[0],
                cur[1],
                self._cues,
                attached=self.w.panel.current_state().evidence,
            )
            suggested = self.w.panel.current_suggestion()
            if suggested is not None:  # its evidence first: marked, and E attaches it
                spans = [c for c in suggested.evidence
                         if not any(c[0] < b and a < c[1] for a, b in
                                    self.w.panel.current_state().evidence)]  # fmt: skip
                self.candidates = [Candidate(a, b, True, Rank.SUGGESTED) for a, b in spans] + [
                    c for c in self.candidates if (c.start, c.end) not in spans
                ]
            if self.candidates:
                self._index = min(resume, len(self.candidates) - 1)
        self._show_candidate()

    def _sentences(self) -> ArticleSentences:
        """The open article's sentences, worked out once per article and boilerplate
        setting: every cell change asks them again."""
        article = self.w.article
        hidden = () if self.w.show_all else article.boilerplate
        doc = self._doc
        if doc is None or doc.article is not article or doc.hidden != list(hidden):
            doc = self._doc = ArticleSentences(article, hidden)
        return doc

    def _show_candidate(self) -> None:
        evidence = list(self.w.panel.current_state().evidence)
        if not self.candidates:
            self.w.panel.show_candidate(None)
            self.w.text.show_evidence(evidence)
            return
        c = self.candidates[self._index]
        self.w.panel.show_candidate(
            f"Offered: sentence {self._index + 1} of {len(self.candidates)}"
            + _OFFER_NOTE.get(c.rank, "")
            + " · Space next · E attach"
        )
        self.w.text.show_evidence(evidence, candidate=(c.start, c.end), reveal=not self.keep_view)

    # ------------------------------------------------------------ done, undo

    @guarded
    def mark_done_and_next(self) -> None:
        if self.w.article_id is None:
            return
        self.w.session.set_done(self.w.article_id, True)
        self.w.next_unfinished()

    @guarded
    def toggle_done(self) -> None:
        if (article := self.w.article_id) is None:
            return
        done = is_done(self.w.project, article, self.w.annotator_id)
        self.w.session.set_done(article, not done)

    @guarded
    def undo(self) -> None:
        # A merge of actors whose labels changed since refuses (ConflictError): the error
        # dialog says so, like every failure here (@guarded).
        change = self.w.session.undo()
        if change is None:
            self.w.statusBar().showMessage("Nothing to undo.", 3000)
        elif isinstance(change, ActorMergeChange):
            self.w.statusBar().showMessage("The merge of the two actors is undone.", 8000)

    @guarded
    def redo(self) -> None:
        change = self.w.session.redo()
        if change is None:
            self.w.statusBar().showMessage("Nothing to redo.", 3000)
        elif isinstance(change, ActorMergeChange):
            self.w.statusBar().showMessage("The two actors are merged again.", 8000)
