"""Where the window goes next: the annotator's queue when the lead made a plan, import order
without one. Plain Python (no Qt): the window asks it for article ids and shows them.

With a plan (store/assignments.py) and articles assigned to this annotator, the article
list is their queue in the plan's order (the other articles hidden, or greyed after it with
`Settings.show_unassigned`), "done and next" opens the next assigned article not yet done,
and the counts are of the queue. An annotator with nothing assigned (the lead, or before
the plan reaches them) sees every article, as in a project without a plan.
"""

from __future__ import annotations

from typing import TypedDict

from annotator.settings import Settings
from annotator.store.articles import (
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NOT_STARTED,
    article_ids,
    count_articles,
    count_done,
)
from annotator.store.assignments import has_plan, next_in_queue, queue_position
from annotator.store.engine import Project


class QueueFilter(TypedDict):
    """The `assigned_to` / `others` arguments of store.articles' list queries."""

    assigned_to: int | None
    others: bool


class ArticleOrder:
    def __init__(self, project: Project, annotator_id: int, settings: Settings) -> None:
        self.project = project
        self.annotator_id = annotator_id
        self.settings = settings
        self.queue_mode = False
        self.refresh()

    def refresh(self) -> None:
        """Read again whether this annotator works a queue (after a plan, a merge, an
        annotator switch)."""
        self.queue_mode = has_plan(self.project) and (
            count_articles(self.project, assigned_to=self.annotator_id) > 0
        )

    def list_filter(self) -> QueueFilter:
        """What the article list shows, in which order."""
        if not self.queue_mode:
            return {"assigned_to": None, "others": False}
        return {"assigned_to": self.annotator_id, "others": self.settings.show_unassigned}

    def first(self) -> int | None:
        """Where to start: the first unfinished article (of the queue), else the first."""
        if self.queue_mode:
            found = next_in_queue(self.project, self.annotator_id)
            return found if found is not None else self._first(self.list_filter())
        for status in (STATUS_IN_PROGRESS, STATUS_NOT_STARTED):
            ids = article_ids(self.project, self.annotator_id, status=status)
            if ids:
                return ids[0]
        return self._first(self.list_filter())

    def _first(self, queue: QueueFilter) -> int | None:
        ids = article_ids(self.project, **queue)
        return ids[0] if ids else None

    def next_unfinished(self, after: int | None) -> int | None:
        """The next article not done after `after` (in the queue's order with a plan,
        import order without), else the first one; None when everything is done."""
        if self.queue_mode:
            return next_in_queue(self.project, self.annotator_id, after)
        ids = sorted(
            article_ids(self.project, self.annotator_id, status=STATUS_IN_PROGRESS)
            + article_ids(self.project, self.annotator_id, status=STATUS_NOT_STARTED)
        )
        later = [i for i in ids if after is None or i > after]
        return (later or ids)[0] if ids else None

    def neighbour(self, current: int | None, step: int) -> int | None:
        """The article `step` places from `current` in the list's order (no search or
        status filter)."""
        ids = article_ids(self.project, **self.list_filter())
        if not ids:
            return None
        if current not in ids:
            return ids[0]
        i = ids.index(current) + step
        return ids[i] if 0 <= i < len(ids) else None

    def place(self, article_id: int) -> str:
        """ "3 of 12 in your queue" for the article's header (nothing without a queue)."""
        if not self.queue_mode:
            return ""
        found = queue_position(self.project, self.annotator_id, article_id)
        if found is None:
            return "not in your queue"
        return f"{found[0]} of {found[1]} in your queue"

    def total(self) -> int:
        """Articles to do: the queue's, or the project's."""
        mine = self.annotator_id if self.queue_mode else None
        return count_articles(self.project, assigned_to=mine)

    def done(self) -> int:
        if not self.queue_mode:
            return count_done(self.project, self.annotator_id)
        return count_articles(
            self.project, self.annotator_id, status=STATUS_DONE, assigned_to=self.annotator_id
        )
