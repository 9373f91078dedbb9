"""How far the coding team is: per annotator, per article, and the overlap that the
agreement statistics can already use. Read from the store; no Qt, no figures (figures.py).

Time figures come from the times the store keeps through merges and team mode alike: when
each label was first made and last changed (its created_at / updated_at, which
a merge carries over from the annotator's file), when each article was marked done
(ArticleDone.done_at, also carried over), and the annotator's own history events (a merge
writes its own events at merge time, so "merge" and "import" events are left out).

- **Active time**: the annotator's changes, sorted; a pause of more than IDLE_MINUTES ends
  a sitting; each sitting counts from its first to its last change plus SITTING_START
  minutes (reading the first article before the first label).
- **The window**: the last `days` calendar days (UTC), today included.
- **Labels per hour**: labels first made in the window per active hour in it.
- **Estimated time to finish**: the annotator's open articles at the pace of the last
  `days` days, in labelling hours (articles done per active hour) and in calendar days
  (articles done per day).
- **Overlap available**: articles with at least two coders who marked them done, and the
  coding units in them, as the agreement defines units: (article, actor, target) that a
  coder who marked the article done gave a stance.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import combinations
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import col

from annotator.store import assignments as store
from annotator.store.articles import STATUS_DONE, STATUS_IN_PROGRESS
from annotator.store.engine import Project
from annotator.store.label_reads import LabelFilter, done_marks, label_times, read_cells
from annotator.store.labels import SESSION_ACTIONS, Action
from annotator.store.models import (
    Article,
    ArticleDone,
    LabelEvent,
    utcnow,
)

IDLE_MINUTES = 30
SITTING_START = 1.0  # minutes
_OWN_ACTIONS = tuple(str(a) for a in SESSION_ACTIONS | {Action.UNDO, Action.REDO})


@dataclass
class AnnotatorProgress:
    name: str
    assigned: int = 0
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    overlap_assigned: int = 0
    labels_recent: int = 0  # labels first made in the window
    done_recent: int = 0  # articles marked done in the window
    active_hours: float = 0.0  # in the window
    labels_per_hour: float | None = None
    eta_hours: float | None = None  # labelling hours to finish at the window's pace
    eta_days: float | None = None  # calendar days to finish at the window's pace
    last_activity: datetime | None = None
    daily_labels: list[int] = field(default_factory=list)  # per day of the window, oldest first

    @property
    def remaining(self) -> int:
        return self.assigned - self.done


@dataclass
class ArticleProgress:
    article_id: int
    external_id: str
    title: str
    overlap: bool
    planned: list[str]
    done_by: list[str]

    @property
    def label(self) -> str:
        return f"{len(self.done_by)}/{len(self.planned)}"


@dataclass
class PairProgress:
    a: str
    b: str
    planned: int  # articles both are assigned
    done: int  # of those, articles both marked done


@dataclass
class ProgressReport:
    days: int
    now: datetime
    annotators: list[AnnotatorProgress]
    articles: list[ArticleProgress]
    pairs: list[PairProgress]
    overlap_planned: int = 0  # articles planned for several coders
    overlap_ready: int = 0  # articles with at least two coders done (any article)
    units_ready: int = 0  # coding units in them
    settings: dict[str, Any] | None = None

    @property
    def assigned(self) -> int:
        return sum(a.assigned for a in self.annotators)

    @property
    def done(self) -> int:
        return sum(a.done for a in self.annotators)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["now"] = self.now.isoformat(timespec="seconds")
        for person, item in zip(self.annotators, data["annotators"], strict=True):
            item["remaining"] = person.remaining
            item["last_activity"] = (
                person.last_activity.isoformat() if person.last_activity else None
            )
        for article, item in zip(self.articles, data["articles"], strict=True):
            item["coders_done"] = article.label
        return data


def eta_text(hours: float | None, days: float | None, remaining: int) -> str:
    """The estimated time to finish in a few words: "~3.5 h, ~4 d"."""
    if remaining == 0:
        return "finished"
    if hours is None or days is None:
        return "no pace yet"
    return f"~{hours:.1f} h, ~{days:.0f} d" if days >= 1 else f"~{hours:.1f} h, < 1 d"


def window_start(now: datetime, days: int) -> datetime:
    """Midnight (UTC) starting the last `days` calendar days, today included."""
    first = now.astimezone(UTC).date() - timedelta(days=days - 1)
    return datetime(first.year, first.month, first.day, tzinfo=UTC)


def _aware(t: datetime) -> datetime:
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


def _times(project: Project, since: datetime) -> dict[int, list[datetime]]:
    """Every time an annotator changed something since `since`, by annotator id."""
    out: dict[int, list[datetime]] = defaultdict(list)
    for who, created, updated in label_times(project, since):
        out[who] += [_aware(t) for t in (created, updated) if _aware(t) >= since]
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
                out[who].append(_aware(at))
    return {who: sorted(set(ts)) for who, ts in out.items()}


def progress_report(
    project: Project, *, days: int = 7, now: datetime | None = None
) -> ProgressReport:
    """Where the plan stands (see the module docstring for the figures' definitions)."""
    days = max(1, days)
    now = _aware(now or utcnow())
    since = window_start(now, days)
    rows = store.read_assignments(project)
    settings = store.plan_settings(project)
    names = list(
        dict.fromkeys(
            [*(settings or {}).get("annotators", []), *sorted({r.annotator for r in rows})]
        )
    )
    people = {name: AnnotatorProgress(name, daily_labels=[0] * days) for name in names}
    ids = {r.annotator_id: r.annotator for r in rows}
    for r in rows:
        p = people[r.annotator]
        p.assigned += 1
        p.overlap_assigned += r.overlap
        if r.status == STATUS_DONE:
            p.done += 1
        elif r.status == STATUS_IN_PROGRESS:
            p.in_progress += 1
        else:
            p.not_started += 1
    _activity(project, people, ids, since, now, days)
    articles = _articles(project, rows)
    report = ProgressReport(days, now, list(people.values()), articles, _pairs(names, articles))
    report.settings = settings
    report.overlap_planned = sum(1 for a in articles if a.overlap)
    report.overlap_ready, report.units_ready = _ready(project)
    return report


def _activity(
    project: Project,
    people: dict[str, AnnotatorProgress],
    ids: dict[int, str],
    since: datetime,
    now: datetime,
    days: int,
) -> None:
    made = [
        (who, created)
        for who, created, _updated in label_times(project, since, with_stance=True)
        if _aware(created) >= since
    ]
    dn = ArticleDone
    with project.session() as s:
        marked = Counter(
            who
            for (who,) in s.execute(
                sa_select(col(dn.annotator_id)).where(col(dn.done_at) >= since)
            ).all()
        )
    for who, at in made:
        p = people.get(ids.get(who, ""))
        if p is None:
            continue
        p.labels_recent += 1
        day = min(days - 1, max(0, (_aware(at) - since) // timedelta(days=1)))
        p.daily_labels[day] += 1
    for who, times in _times(project, since).items():
        p = people.get(ids.get(who, ""))
        if p is None or not times:
            continue
        p.active_hours = active_hours(times)
        p.last_activity = times[-1]
    for who, name in ids.items():
        p = people[name]
        p.done_recent = marked.get(who, 0)
        if p.active_hours > 0:
            p.labels_per_hour = p.labels_recent / p.active_hours
        if p.done_recent and p.active_hours > 0:
            p.eta_hours = p.remaining / (p.done_recent / p.active_hours)
            p.eta_days = p.remaining / (p.done_recent / days)
        elif p.remaining == 0:
            p.eta_hours = p.eta_days = 0.0


def _articles(project: Project, rows: list[store.AssignmentRow]) -> list[ArticleProgress]:
    by_article: dict[int, ArticleProgress] = {}
    titles: dict[int, str] = {}
    ids = sorted({r.article_id for r in rows})
    if ids:
        with project.session() as s:
            stmt = sa_select(col(Article.id), col(Article.title)).where(col(Article.id).in_(ids))
            titles = {aid: title for aid, title in s.execute(stmt).all()}
    for r in rows:
        a = by_article.setdefault(
            r.article_id,
            ArticleProgress(
                r.article_id, r.external_id, titles.get(r.article_id, ""), False, [], []
            ),
        )
        a.overlap = a.overlap or r.overlap
        a.planned.append(r.annotator)
        if r.status == STATUS_DONE:
            a.done_by.append(r.annotator)
    return sorted(by_article.values(), key=lambda a: a.article_id)


def _pairs(names: list[str], articles: list[ArticleProgress]) -> list[PairProgress]:
    planned: Counter[tuple[str, str]] = Counter()
    done: Counter[tuple[str, str]] = Counter()
    for a in articles:
        for pair in combinations(sorted(a.planned), 2):
            planned[pair] += 1
        for pair in combinations(sorted(a.done_by), 2):
            done[pair] += 1
    return [
        PairProgress(a, b, planned[(a, b)], done[(a, b)])
        for a, b in combinations(sorted(names), 2)
        if planned[(a, b)] or done[(a, b)]
    ]


def _ready(project: Project) -> tuple[int, int]:
    """(articles with two or more coders done, coding units in them)."""
    coders: dict[int, set[int]] = defaultdict(set)
    for article, who in done_marks(project):
        coders[article].add(who)
    ready = {a for a, who in coders.items() if len(who) >= 2}
    if not ready:
        return 0, 0
    cells = read_cells(project, LabelFilter(articles=ready, with_stance=True))
    units = {(a, actor, t) for _row, a, actor, t, who, _s in cells if who in coders[a]}
    return len(ready), len(units)
