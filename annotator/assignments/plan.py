"""Planning who codes which article: pure functions, no database (the store is in
annotator/store/assignments.py, the use case in annotator/assignments/service.py).

A plan gives every article one coder, except a share of them (`overlap`) that
`coders_per_overlap` annotators code each, for the agreement statistics. What it guarantees:

- **Balance**: each new article goes to the annotators with the fewest assignments so far,
  so in a new plan nobody has more than one article more than anybody else; extending a
  plan never widens the spread between annotators (a newcomer gets new work until they
  have caught up).
- **Pairs share work**: among the least-loaded annotators, an overlap article goes to the
  group whose pairs have shared the fewest articles so far, so the overlap is spread over
  every pair (for two coders per article: no pair shares a second article before every
  pair that can shares one); pairwise kappa then exists for every pair.
- **Determinism**: the same articles, annotators, settings and seed give the same plan.
  Random choices use `random.Random` seeded with a string derived from the seed, which
  Python hashes with SHA-512, stable across runs and machines.
- **Extension never moves work**: planning again adds the articles that have no
  assignment yet and leaves every existing assignment where it is, done or not.
  `reassign` moves only articles the annotator has not marked done.
- **Order**: each annotator's new articles are shuffled with a seed derived from (seed,
  annotator), so order effects do not line up between annotators, and the overlap
  articles are spread evenly through each queue, so agreement grows steadily with the
  work instead of arriving at the end.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from annotator.errors import InputError

DONE = "done"
IN_PROGRESS = "in progress"
NOT_STARTED = "not started"
# Above this many candidate groups per article the groups are built one member at a time
# (10 annotators in fives: 252 groups, enumerated; 30 in fives: 142,506, built greedily).
_MAX_GROUPS = 600


@dataclass(frozen=True)
class PlanRequest:
    """What the lead asks for; `overlap` is the share of articles coded several times."""

    annotators: tuple[str, ...]
    overlap: float = 0.2
    coders_per_overlap: int = 2
    seed: int = 1

    def checked(self) -> PlanRequest:
        names = tuple(dict.fromkeys(a.strip() for a in self.annotators if a.strip()))
        if not names:
            raise InputError("name at least one annotator (--annotators NAME1,NAME2)")
        if not 0.0 <= self.overlap <= 1.0 or math.isnan(self.overlap):
            raise InputError(f"the overlap is a share between 0 and 1, not {self.overlap}")
        k = self.coders_per_overlap
        if self.overlap > 0 and not 2 <= k <= len(names):
            raise InputError(
                f"{k} coders per overlap article need at least {max(k, 2)} annotators "
                f"({len(names)} given)"
                if k >= 2
                else "an overlap article needs at least 2 coders (--coders-per-overlap 2)"
            )
        return PlanRequest(names, float(self.overlap), k, int(self.seed))


@dataclass(frozen=True)
class Existing:
    """An assignment already in the project, with its annotator's progress there."""

    article_id: int
    annotator: str
    position: int
    overlap: bool
    status: str = NOT_STARTED


@dataclass(frozen=True)
class Planned:
    article_id: int
    annotator: str
    position: int
    overlap: bool


@dataclass(frozen=True)
class Move:
    """An unfinished article moving from one annotator's queue to another's."""

    article_id: int
    source: str
    target: str
    position: int
    overlap: bool
    status: str  # in the source's queue: "in progress" or "not started"


@dataclass
class Reassignment:
    moves: list[Move] = field(default_factory=list)
    already_there: list[int] = field(default_factory=list)  # the target codes them already
    done_kept: int = 0  # the source finished these: they stay hers


def _rng(seed: int, *parts: object) -> random.Random:
    return random.Random(":".join(str(p) for p in (seed, *parts)))


def overlap_count(overlap: float, total: int) -> int:
    """Overlap articles in a plan of `total` articles (half rounds up, not to even)."""
    return min(total, math.floor(overlap * total + 0.5))


class _Loads:
    """Assignments per annotator and shared articles per pair, updated while planning."""

    def __init__(self, names: Sequence[str], existing: Sequence[Existing], seed: int) -> None:
        self.names = list(names)
        order = sorted(names)
        _rng(seed, "ties").shuffle(order)
        self.rank = {name: i for i, name in enumerate(order)}  # ties: a seeded order
        self.schedule = _round_robin(order)
        self.load = Counter({name: 0 for name in names})
        self.pairs: Counter[tuple[str, str]] = Counter()
        coders: dict[int, list[str]] = {}
        for e in existing:
            if e.annotator in self.load:
                self.load[e.annotator] += 1
                coders.setdefault(e.article_id, []).append(e.annotator)
        for group in coders.values():
            self._count_pairs(group)

    def _count_pairs(self, group: Iterable[str]) -> None:
        for pair in combinations(sorted(group), 2):
            self.pairs[pair] += 1

    def take(self, group: Sequence[str]) -> None:
        for name in group:
            self.load[name] += 1
        self._count_pairs(group)

    def shared(self, group: Iterable[str]) -> int:
        return sum(self.pairs[p] for p in combinations(sorted(group), 2))

    def group(self, size: int, pinned: Sequence[str] = ()) -> list[str]:
        """`size` coders: `pinned` first, then the least loaded, chosen among those so that
        the group's pairs have shared the fewest articles (ties: the seeded order)."""
        chosen = [p for p in pinned if p in self.load][:size] if pinned else []
        free = sorted((n for n in self.names if n not in chosen), key=self._key)
        need = size - len(chosen)
        if need <= 0:
            return chosen
        if need == 1 and not chosen:  # one coder: simply the least loaded (the common case)
            return free[:1]
        cut = self.load[free[need - 1]]  # the `need` least loaded reach this load
        sure = [n for n in free if self.load[n] < cut]  # below it: always in
        maybe = [n for n in free if self.load[n] == cut]
        extra = need - len(sure)
        base = chosen + sure
        if math.comb(len(maybe), extra) <= _MAX_GROUPS:
            best = min(
                combinations(maybe, extra),
                key=lambda more: (self.shared(base + list(more)), self._tie(base, more)),
            )
            return base + list(best)
        for _ in range(extra):  # one at a time: the fewest shared articles with the group
            pick = min(maybe, key=lambda m: (self.shared([*base, m]), self.rank[m]))
            maybe.remove(pick)
            base.append(pick)
        return base

    def _tie(self, base: Sequence[str], more: Sequence[str]) -> list[int]:
        """Among equally good groups: the pairs' places in a round-robin schedule, so that
        pairs are taken round by round as in a tournament (a greedy choice of pairs can
        run into a round whose remaining annotators have all met), then the seeded order."""
        group = sorted([*base, *more])
        return sorted(self.schedule[p] for p in combinations(group, 2)) + [
            self.rank[m] for m in more
        ]

    def _key(self, name: str) -> tuple[int, int]:
        return self.load[name], self.rank[name]


def _round_robin(names: Sequence[str]) -> dict[tuple[str, str], int]:
    """Every pair's place in a round-robin tournament (the circle method): in each round
    everybody meets one other (one sits out when the number is odd), and every pair meets
    once in n - 1 (or n) rounds."""
    players: list[str | None] = list(names) + ([None] if len(names) % 2 else [])
    n = len(players)
    place: dict[tuple[str, str], int] = {}
    for _ in range(n - 1):
        for i in range(n // 2):
            a, b = players[i], players[n - 1 - i]
            if a is not None and b is not None:
                place[(min(a, b), max(a, b))] = len(place)
        players = [players[0], players[-1], *players[1:-1]]
    return place


def _spread(overlap: list[int], single: list[int]) -> list[int]:
    """Overlap articles evenly among the single ones (both lists keep their order)."""
    total = len(overlap) + len(single)
    out: list[int] = []
    o = s = 0
    for i in range(total):
        if (i + 1) * len(overlap) // total > i * len(overlap) // total:
            out.append(overlap[o])
            o += 1
        else:
            out.append(single[s])
            s += 1
    return out


def _queue_positions(
    new: Mapping[str, list[tuple[int, bool]]], existing: Sequence[Existing], seed: int
) -> list[Planned]:
    last: dict[str, int] = {}
    for e in existing:
        last[e.annotator] = max(last.get(e.annotator, -1), e.position)
    planned: list[Planned] = []
    for name, items in new.items():
        start = last.get(name, -1) + 1
        rng = _rng(seed, "order", name, start)
        double = [a for a, is_overlap in items if is_overlap]
        single = [a for a, is_overlap in items if not is_overlap]
        rng.shuffle(double)
        rng.shuffle(single)
        flags = dict(items)
        for i, article in enumerate(_spread(double, single)):
            planned.append(Planned(article, name, start + i, flags[article]))
    return planned


def plan(
    article_ids: Sequence[int],
    request: PlanRequest,
    existing: Sequence[Existing] = (),
    prior: Mapping[int, Collection[str]] | None = None,
) -> list[Planned]:
    """The new assignments that extend `existing` to cover `article_ids` (in a stable
    order, e.g. import order). `prior`: annotators who already labelled an article that has
    no assignment yet; they keep it (their work is not moved either)."""
    request = request.checked()
    names = request.annotators
    planned_ids = {e.article_id for e in existing}
    new = [a for a in dict.fromkeys(article_ids) if a not in planned_ids]
    if not new:
        return []
    existing_overlap = len({e.article_id for e in existing if e.overlap})
    wanted = overlap_count(request.overlap, len(planned_ids) + len(new))
    n_overlap = max(0, min(len(new), wanted - existing_overlap))
    order = list(new)
    _rng(request.seed, "overlap", len(planned_ids)).shuffle(order)
    chosen = set(order[:n_overlap]) if request.overlap > 0 else set()
    loads = _Loads(names, existing, request.seed)
    prior = prior or {}
    queues: dict[str, list[tuple[int, bool]]] = {name: [] for name in names}
    # Overlap articles first: with singles still to come, the balance is easy to restore.
    for article in sorted(order, key=lambda a: a not in chosen):
        pinned = [p for p in dict.fromkeys(prior.get(article, ())) if p in queues]
        double = article in chosen or len(pinned) > 1
        size = max(request.coders_per_overlap, len(pinned)) if article in chosen else 1
        group = loads.group(max(size, len(pinned)), pinned)
        loads.take(group)
        for name in group:
            queues[name].append((article, double))
    return _queue_positions({n: q for n, q in queues.items() if q}, existing, request.seed)


def reassign(
    existing: Sequence[Existing],
    source: str,
    target: str,
    *,
    seed: int = 1,
    articles: Collection[int] | None = None,
    limit: int | None = None,
) -> Reassignment:
    """Move `source`'s unfinished articles (those in `articles`, at most the `limit` she
    would reach last) to the end of `target`'s queue. Done articles stay: they are her work."""
    if source == target:
        raise InputError(f"{source} would hand the articles to themselves; name another annotator")
    if limit is not None and limit < 0:
        raise InputError("--limit is the number of articles to move: 0 or more")
    result = Reassignment()
    mine = sorted(
        (
            e
            for e in existing
            if e.annotator == source and (articles is None or e.article_id in articles)
        ),
        key=lambda e: e.position,
    )
    theirs = {e.article_id for e in existing if e.annotator == target}
    movable = []
    for e in mine:
        if e.status == DONE:
            result.done_kept += 1
        elif e.article_id in theirs:
            result.already_there.append(e.article_id)
        else:
            movable.append(e)
    if limit is not None:
        movable = movable[max(0, len(movable) - limit) :] if limit else []
    start = 1 + max((e.position for e in existing if e.annotator == target), default=-1)
    _rng(seed, "reassign", target, start).shuffle(movable)
    result.moves = [
        Move(e.article_id, source, target, start + i, e.overlap, e.status)
        for i, e in enumerate(movable)
    ]
    return result
