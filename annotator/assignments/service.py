"""Planning a project's work and moving it: the lead's use cases over the pure planner
(plan.py) and the store (store/assignments.py). Each runs in one write transaction, so the
plan is computed from the assignments and done marks as they are at that moment."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from annotator.assignments.plan import (
    Existing,
    Move,
    Planned,
    PlanRequest,
    Reassignment,
    plan,
    reassign,
)
from annotator.errors import InputError
from annotator.store import assignments as store
from annotator.store.articles import article_ids
from annotator.store.engine import Project
from annotator.store.models import utcnow

ALL = ("", "all", "unassigned")  # article filters meaning: every article without a plan yet


@dataclass
class PlanResult:
    """A plan's new assignments and what the whole plan looks like with them."""

    request: PlanRequest
    added: list[Planned] = field(default_factory=list)
    articles_added: int = 0
    overlap_added: int = 0
    assigned: dict[str, int] = field(default_factory=dict)  # per annotator, in the whole plan
    new: dict[str, int] = field(default_factory=dict)  # per annotator, added now
    pairs: dict[tuple[str, str], int] = field(default_factory=dict)  # shared articles
    articles_planned: int = 0
    overlap_planned: int = 0
    written: bool = False
    left: list[str] = field(default_factory=list)  # in the stored team, not in this one

    def summary(self) -> str:
        r = self.request
        verb = "planned" if self.written else "would plan (nothing written)"
        lines = []
        if self.left:
            lines.append(
                f"{', '.join(self.left)} {'leave' if self.written else 'would leave'} the plan's "
                "team: their assigned articles stay theirs, new articles go only to "
                + ", ".join(r.annotators)
            )
        lines += [
            f"{verb} {self.articles_added} article(s), {self.overlap_added} of them for "
            f"{r.coders_per_overlap} coders; the plan now covers {self.articles_planned} "
            f"article(s), {self.overlap_planned} coded several times "
            f"(overlap {r.overlap:.0%}, seed {r.seed})"
        ]
        for name in r.annotators:
            lines.append(
                f"  {name}: {self.assigned.get(name, 0)} assigned (+{self.new.get(name, 0)})"
            )
        if len(r.annotators) > 1 and r.overlap > 0:
            missing = [
                f"{a}+{b}" for a, b in combinations(r.annotators, 2) if not self.pairs.get(_p(a, b))
            ]
            if missing:
                lines.append(
                    "  pairs without a shared article yet (no kappa for them): "
                    + ", ".join(missing)
                )
        return "\n".join(lines)


@dataclass
class ReassignResult:
    source: str
    target: str
    moved: list[Move] = field(default_factory=list)
    already_there: int = 0
    done_kept: int = 0
    written: bool = False

    def summary(self) -> str:
        started = sum(1 for m in self.moved if m.status != "not started")
        verb = "moved" if self.written else "would move (nothing written)"
        parts = [f"{verb} {len(self.moved)} unfinished article(s) from {self.source} to "
                 f"{self.target}"]  # fmt: skip
        if started:
            parts.append(
                f"{started} of them {self.source} had started: those labels stay "
                f"{self.source}'s and count for nothing until marked done"
            )
        if self.done_kept:
            parts.append(f"{self.done_kept} done article(s) stay with {self.source}")
        if self.already_there:
            parts.append(f"{self.already_there} skipped: {self.target} codes them already")
        return "; ".join(parts)


def _p(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def stored_request(
    project: Project,
    *,
    annotators: Sequence[str] | None = None,
    overlap: float | None = None,
    coders_per_overlap: int | None = None,
    seed: int | None = None,
) -> PlanRequest:
    """The request with what was not given taken from the stored plan (else defaults)."""
    stored = store.plan_settings(project) or {}
    names = annotators or stored.get("annotators") or ()
    return PlanRequest(
        annotators=tuple(str(n) for n in names),
        overlap=float(overlap if overlap is not None else stored.get("overlap", 0.2)),
        coders_per_overlap=int(
            coders_per_overlap
            if coders_per_overlap is not None
            else stored.get("coders_per_overlap", 2)
        ),
        seed=int(seed if seed is not None else stored.get("seed", 1)),
    ).checked()


def _article_selection(project: Project, articles: str) -> list[int]:
    if articles.strip().lower() in ALL:
        return article_ids(project)
    found = store.articles_containing(project, articles.strip())
    if not found:
        raise InputError(f"no article's title, id or source contains {articles!r}")
    return found


def _existing(rows: Sequence[store.AssignmentRow]) -> list[Existing]:
    return [Existing(r.article_id, r.annotator, r.position, r.overlap, r.status) for r in rows]


def _figures(result: PlanResult, rows: Sequence[Existing], added: Sequence[Planned]) -> None:
    everything: list[Existing | Planned] = [*rows, *added]
    result.assigned = dict(Counter(e.annotator for e in everything))
    result.new = dict(Counter(p.annotator for p in added))
    coders: dict[int, list[str]] = {}
    for e in everything:
        coders.setdefault(e.article_id, []).append(e.annotator)
    pairs: Counter[tuple[str, str]] = Counter()
    for group in coders.values():
        for a, b in combinations(group, 2):
            pairs[_p(a, b)] += 1
    result.pairs = dict(pairs)
    result.articles_planned = len(coders)
    result.overlap_planned = len({e.article_id for e in everything if e.overlap})
    result.articles_added = len({p.article_id for p in added})
    result.overlap_added = len({p.article_id for p in added if p.overlap})


def plan_project(
    project: Project, request: PlanRequest, *, articles: str = "", write: bool = True
) -> PlanResult:
    """Extend the project's plan to the articles `articles` selects (a search of title, id
    and source, or every unplanned article) for `request`'s annotators; with `write`
    False only compute it (the dialog's preview, `--dry-run`)."""
    request = request.checked()
    selected = _article_selection(project, articles)
    result = PlanResult(request)
    team = (store.plan_settings(project) or {}).get("annotators", [])
    result.left = [str(n) for n in team if n not in request.annotators]
    with project.write() if write else project.session() as s:
        in_file = project.path is not None
        ids = store.annotator_ids(s, request.annotators, in_file=in_file, create=write)
        rows = store.assignment_rows(s)
        existing = _existing(rows)
        names = {r.annotator_id: r.annotator for r in rows} | {v: k for k, v in ids.items()}
        prior = {
            article: {names[a] for a in who if a in names}
            for article, who in store.prior_work(s, list(names)).items()
        }
        added = plan(selected, request, existing, prior)
        _figures(result, existing, added)
        if write:
            store.insert_assignments(
                s,
                [
                    store.NewAssignment(p.article_id, ids[p.annotator], p.position, p.overlap)
                    for p in added
                ],
            )
            store.save_settings(s, _settings(request))
            result.written = True
    result.added = added
    return result


def _settings(request: PlanRequest) -> dict[str, Any]:
    return {
        "annotators": list(request.annotators),
        "overlap": request.overlap,
        "coders_per_overlap": request.coders_per_overlap,
        "seed": request.seed,
        "order": "shuffled per annotator",
        "updated_at": utcnow().isoformat(timespec="seconds"),
    }


def reassign_project(
    project: Project,
    source: str,
    target: str,
    *,
    articles: str = "",
    limit: int | None = None,
    write: bool = True,
) -> ReassignResult:
    """Move `source`'s unfinished assigned articles (those `articles` selects, at most
    `limit`) to the end of `target`'s queue; done ones stay with `source`."""
    selected = (
        None if articles.strip().lower() in ALL else set(_article_selection(project, articles))
    )
    settings = store.plan_settings(project) or {}
    seed = int(settings.get("seed", 1))
    with project.write() if write else project.session() as s:
        rows = store.assignment_rows(s)
        if not any(r.annotator == source for r in rows):
            raise InputError(f"{source!r} has no assigned articles (see `annotator assign --show`)")
        team = settings.get("annotators", [])
        if target not in team and not any(r.annotator == target for r in rows):
            # A typo here would make a new coder, whom the next plan then catches up with
            # nearly every new article.
            raise InputError(
                f"{target!r} is not in the plan's team ({', '.join(team)}): check the spelling, "
                f"or add them first (annotator assign --annotators {','.join([*team, target])})"
            )
        in_file = project.path is not None
        ids = store.annotator_ids(s, [source, target], in_file=in_file, create=write)
        moves: Reassignment = reassign(
            _existing(rows), source, target, seed=seed, articles=selected, limit=limit
        )
        result = ReassignResult(
            source, target, already_there=len(moves.already_there), done_kept=moves.done_kept
        )
        for m in moves.moves:
            if not write or store.move_assignment(
                s, m.article_id, ids[source], ids[target], m.position
            ):
                result.moved.append(m)
            else:
                result.done_kept += 1  # marked done while we planned
        if write and target not in settings.get("annotators", [target]):
            store.save_settings(s, settings | {"annotators": [*settings["annotators"], target]})
        result.written = write
    return result
