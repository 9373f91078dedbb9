"""How far the coding team is: per annotator, per article, and the overlap that the
agreement statistics can already use. Read from the store; no Qt, no figures (figures.py).

With an assignment plan an annotator's articles are those planned for her; without one
every article is everyone's (as the window counts "Done 3 / 12"), every person who works
in the project is listed, and per pair the articles both marked done.

Time figures come from the times the store keeps (assignments/worktime.py says which).

- **Active time**: the annotator's sittings (worktime.active_hours).
- **The window**: the last `days` calendar days (UTC), today included.
- **Per day**: labels first made, and articles marked done, on each day of the window.
- **Labels per hour**: labels first made in the window per active hour in it, once there
  are MIN_ACTIVE_MINUTES of work (eight labels saved in a minute are no rate).
- **Estimated time to finish**: the annotator's open articles at the pace of the last
  `days` days, in labelling hours (articles done per active hour) and in calendar days
  (articles done per day since she started, within the window). Only where there is a pace
  to go by: at least MIN_DONE articles done and MIN_ACTIVE_MINUTES of work in the window
  (one article done in a minute says nothing about the next fifty).
- **Overlap available**: articles with at least two coders who marked them done, and the
  coding units in them, as the agreement defines units: (article, actor, target) that a
  coder who marked the article done gave a stance.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import combinations
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import col

from annotator.assignments.worktime import (
    active_hours,
    aware,
    change_times,
    first_days,
    window_start,
)
from annotator.store import assignments as store
from annotator.store.annotators import annotator_names
from annotator.store.articles import STATUS_DONE, STATUS_IN_PROGRESS, count_articles
from annotator.store.engine import Project
from annotator.store.label_reads import (
    LabelFilter,
    done_counts,
    done_marks,
    label_times,
    read_cells,
)
from annotator.store.label_reads import started as started_articles
from annotator.store.models import (
    Article,
    ArticleDone,
    utcnow,
)

MIN_DONE = 2  # articles done in the window before a time to finish is estimated
MIN_ACTIVE_MINUTES = 10.0


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
    daily_done: list[int] = field(default_factory=list)  # articles marked done, likewise

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
        return (
            f"{len(self.done_by)}/{len(self.planned)}" if self.planned else str(len(self.done_by))
        )


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
    planned: bool = True  # an assignment plan exists (else every article is everyone's)
    # Whose work the report shows: the plan's annotators, or without a plan every person in
    # the project. `annotators` are the plan's only (none without one), as the command
    # line's views of the plan read them.
    people: list[AnnotatorProgress] = field(default_factory=list)

    @property
    def assigned(self) -> int:
        return sum(a.assigned for a in self.annotators)

    @property
    def done(self) -> int:
        return sum(a.done for a in self.annotators)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["now"] = self.now.isoformat(timespec="seconds")
        for key in ("annotators", "people"):
            for person, item in zip(getattr(self, key), data[key], strict=True):
                item["remaining"] = person.remaining
                item["last_activity"] = (
                    person.last_activity.isoformat() if person.last_activity else None
                )
        for article, item in zip(self.articles, data["articles"], strict=True):
            item["coders_done"] = article.label
        return data


def eta_text(hours: float | None, days: float | None, remaining: int) -> str:
    """The estimated time to finish in a few words: "~3.5 h, ~4 d", "~5 min, < 1 d"."""
    if remaining <= 0:
        return "finished"
    if hours is None or days is None:
        return "no pace yet"
    work = f"~{hours:.1f} h" if hours >= 0.1 else f"~{max(1, round(hours * 60))} min"
    return f"{work}, ~{days:.0f} d" if days >= 1 else f"{work}, < 1 d"


def plan_hint(report: ProgressReport) -> str:
    """How to make a plan, with the project's own annotators (or a neutral example)."""
    names = [p.name for p in report.people if "," not in p.name][:4]
    if len(names) < 2:
        names = [*names, "NAME", "NAME"][:2] if names else ["NAME1", "NAME2"]
    return f"annotator assign --annotators {','.join(names)}"


def progress_report(
    project: Project, *, days: int = 7, now: datetime | None = None
) -> ProgressReport:
    """Where the team stands (see the module docstring for the figures' definitions)."""
    days = max(1, days)
    now = aware(now or utcnow())
    since = window_start(now, days)
    rows = store.read_assignments(project)
    settings = store.plan_settings(project)
    planned = bool(rows) or settings is not None
    if planned:
        people, ids = _planned_people(rows, settings, days)
        articles = _articles(project, rows)
    else:
        people, ids = _everyones_articles(project, days)
        articles = []
    _activity(project, people, ids, since, now, days)
    pairs = _pairs(list(people), articles) if planned else _done_pairs(project, ids)
    everyone = list(people.values())
    report = ProgressReport(days, now, everyone if planned else [], articles, pairs)
    report.settings, report.planned, report.people = settings, planned, everyone
    report.overlap_planned = sum(1 for a in articles if a.overlap)
    report.overlap_ready, report.units_ready = _ready(project)
    return report


def _planned_people(
    rows: list[store.AssignmentRow], settings: dict[str, Any] | None, days: int
) -> tuple[dict[str, AnnotatorProgress], dict[int, str]]:
    """Each planned annotator with her assignments' states (the plan's order)."""
    names = list(
        dict.fromkeys(
            [*(settings or {}).get("annotators", []), *sorted({r.annotator for r in rows})]
        )
    )
    people = {name: _person(name, days) for name in names}
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
    return people, {r.annotator_id: r.annotator for r in rows}


def _everyones_articles(
    project: Project, days: int
) -> tuple[dict[str, AnnotatorProgress], dict[int, str]]:
    """Without a plan: every person in the project, every article hers to code."""
    total = count_articles(project)
    ids = annotator_names(project)  # people only: the gold standard codes nothing
    done = done_counts(project)
    finished = set(done_marks(project))
    started = Counter(who for article, who in started_articles(project, LabelFilter())
                      if (article, who) not in finished)  # fmt: skip
    people: dict[str, AnnotatorProgress] = {}
    for who, name in sorted(ids.items()):
        p = people[name] = _person(name, days)
        p.assigned, p.done, p.in_progress = total, done.get(who, 0), started.get(who, 0)
        p.not_started = max(0, total - p.done - p.in_progress)
    return people, ids


def _person(name: str, days: int) -> AnnotatorProgress:
    return AnnotatorProgress(name, daily_labels=[0] * days, daily_done=[0] * days)


def _activity(
    project: Project,
    people: dict[str, AnnotatorProgress],
    ids: dict[int, str],
    since: datetime,
    now: datetime,
    days: int,
) -> None:
    """Labels and done marks per day, active hours, pace and time to finish."""
    made = [
        (who, created)
        for who, created, _updated in label_times(project, since, with_stance=True)
        if aware(created) >= since
    ]
    dn = ArticleDone
    with project.session() as s:
        marked = s.execute(
            sa_select(col(dn.annotator_id), col(dn.done_at)).where(col(dn.done_at) >= since)
        ).all()
    for counts, events in (("daily_labels", made), ("daily_done", marked)):
        for who, at in events:
            p = people.get(ids.get(who, ""))
            if p is not None:
                day = min(days - 1, max(0, (aware(at) - since) // timedelta(days=1)))
                getattr(p, counts)[day] += 1
    for who, times in change_times(project, since).items():
        p = people.get(ids.get(who, ""))
        if p is None or not times:
            continue
        p.active_hours = active_hours(times)
        p.last_activity = times[-1]
    started = first_days(project)
    for who, name in ids.items():
        p = people[name]
        p.labels_recent, p.done_recent = sum(p.daily_labels), sum(p.daily_done)
        paced = p.active_hours * 60 >= MIN_ACTIVE_MINUTES  # a burst is no rate
        if paced:
            p.labels_per_hour = p.labels_recent / p.active_hours
        if p.remaining <= 0:
            p.eta_hours = p.eta_days = 0.0
        elif paced and p.done_recent >= MIN_DONE:
            p.eta_hours = p.remaining / (p.done_recent / p.active_hours)
            # Calendar days since she started, within the window: a coder who began
            # yesterday is not as slow as her two days spread over a week would say.
            first = started.get(who, since.date())
            spent = min(days, (now.astimezone(UTC).date() - max(first, since.date())).days + 1)
            p.eta_days = p.remaining / (p.done_recent / max(1, spent))


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


def _done_pairs(project: Project, ids: dict[int, str]) -> list[PairProgress]:
    """Without a plan: per pair of people, the articles both marked done."""
    coders: dict[int, set[str]] = defaultdict(set)
    for article, who in done_marks(project, annotators=ids):
        coders[article].add(ids[who])
    both: Counter[tuple[str, str]] = Counter()
    for names in coders.values():
        both.update(combinations(sorted(names), 2))
    return [PairProgress(a, b, 0, n) for (a, b), n in sorted(both.items())]


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
