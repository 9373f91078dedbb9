"""When annotators worked, from the times the store keeps through merges and team mode
alike: when each label was first made and last changed (its created_at / updated_at, which
a merge carries over from the annotator's file), when each article was marked done
(ArticleDone.done_at, also carried over), and the annotator's own history events (a merge
writes its own events at merge time, so "merge" and "import" events are left out).

- **Active time**: the annotator's changes, sorted; a pause of more than IDLE_MINUTES ends
  a sitting; each sitting counts from its first to its last change plus SITTING_START
  minutes (reading the first article before the first label).
- **The window**: the last `days` calendar days (UTC), today included.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import col

from annotator.store.engine import Project
from annotator.store.label_reads import label_times
from annotator.store.labels import SESSION_ACTIONS, Action
from annotator.store.models import ArticleDone, LabelEvent

IDLE_MINUTES = 30
SITTING_START = 1.0  # minutes
_OWN_ACTIONS = tuple(str(a) for a in SESSION_ACTIONS | {Action.UNDO, Action.REDO})


def window_start(now: datetime, days: int) -> datetime:
    """Midnight (UTC) starting the last `days` calendar days, today included."""
    first = now.astimezone(UTC).date() - timedelta(days=days - 1)
    return datetime(first.year, first.month, first.day, tzinfo=UTC)


def aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=UTC)  # the tables hold zone-less UTC


def active_hours(times: Iterable[datetime]) -> float:
    """Hours spent in sittings, from the times of one annotator's changes (see above)."""
    ordered = sorted(times)
    if not ordered:
        return 0.0
    gap = timedelta(minutes=IDLE_MINUTES)
    total = timedelta()
    start = previous = ordered[0]
    for t in ordered[1:]:
        if t - previous > gap:
            total += previous - start + timedelta(minutes=SITTING_START)
            start = t
        previous = t
    total += previous - start + timedelta(minutes=SITTING_START)
    return total.total_seconds() / 3600


def change_times(project: Project, since: datetime) -> dict[int, list[datetime]]:
    """Every time an annotator changed something since `since`, by annotator id."""
    out: dict[int, list[datetime]] = defaultdict(list)
    for who, created, updated in label_times(project, since):
        out[who] += [aware(t) for t in (created, updated) if aware(t) >= since]
    dn, ev = ArticleDone, LabelEvent
    queries = [
        sa_select(col(dn.annotator_id), col(dn.done_at)).where(col(dn.done_at) >= since),
        sa_select(col(ev.annotator_id), col(ev.at)).where(
            col(ev.at) >= since, col(ev.action).in_(_OWN_ACTIONS)
        ),
    ]
    with project.session() as s:
        for stmt in queries:
            for who, at in s.execute(stmt).all():
                out[who].append(aware(at))
    return {who: sorted(set(ts)) for who, ts in out.items()}


def first_days(project: Project) -> dict[int, date]:
    """The (UTC) day of each annotator's first own change or done mark."""
    ev, dn = LabelEvent, ArticleDone
    queries = [
        sa_select(col(ev.annotator_id), func.min(col(ev.at)))
        .where(col(ev.action).in_(_OWN_ACTIONS))
        .group_by(col(ev.annotator_id)),
        sa_select(col(dn.annotator_id), func.min(col(dn.done_at))).group_by(col(dn.annotator_id)),
    ]
    first: dict[int, date] = {}
    with project.session() as s:
        for stmt in queries:
            for who, at in s.execute(stmt).all():
                if at is not None:
                    day = aware(at).astimezone(UTC).date()
                    first[who] = min(day, first.get(who, day))
    return first
