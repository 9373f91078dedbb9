"""The planner's promises, as properties (annotator/assignments/plan.py)."""

from __future__ import annotations

import math
from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.assignments.plan import (
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
    Existing,
    Planned,
    PlanRequest,
    overlap_count,
    plan,
    reassign,
)
from annotator.errors import InputError

NAMES = ("anna", "ben", "cara", "dan", "eva", "finn", "gül", "hanna", "ivo", "jana")


@st.composite
def requests(draw: st.DrawFn, max_annotators: int = 10) -> PlanRequest:
    n = draw(st.integers(1, max_annotators))
    k = draw(st.integers(2, max(2, n)))
    overlap = 0.0 if n == 1 else draw(st.sampled_from([0.0, 0.1, 0.15, 0.2, 0.5, 1.0]))
    return PlanRequest(NAMES[:n], overlap, k, draw(st.integers(0, 10_000)))


def loads(rows: list[Planned] | list[Existing], names: tuple[str, ...]) -> list[int]:
    count = Counter(r.annotator for r in rows)
    return [count[n] for n in names]


def coders(rows: list[Planned] | list[Existing]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for r in rows:
        out.setdefault(r.article_id, []).append(r.annotator)
    return out


def existing(rows: list[Planned], status: dict[tuple[int, str], str]) -> list[Existing]:
    return [
        Existing(
            r.article_id,
            r.annotator,
            r.position,
            r.overlap,
            status.get((r.article_id, r.annotator), NOT_STARTED),
        )  # fmt: skip
        for r in rows
    ]


@settings(max_examples=300, deadline=None)
@given(request=requests(), articles=st.integers(0, 150))
def test_every_article_gets_one_or_k_coders_and_everybody_within_one_article(
    request: PlanRequest, articles: int
) -> None:
    rows = plan(list(range(articles)), request)
    groups = coders(rows)
    assert sorted(groups) == list(range(articles))
    assert all(len(set(g)) == len(g) for g in groups.values())  # nobody twice on one article
    doubled = {a for a, g in groups.items() if len(g) > 1}
    k = request.coders_per_overlap if request.overlap else 1
    assert all(len(groups[a]) == k for a in doubled)
    assert len(doubled) == (overlap_count(request.overlap, articles) if k > 1 else 0)
    assert {r.article_id for r in rows if r.overlap} == doubled
    spread = loads(rows, request.annotators)
    assert max(spread) - min(spread) <= 1, spread


@settings(max_examples=300, deadline=None)
@given(request=requests(), articles=st.integers(0, 200))
def test_every_pair_shares_articles_when_the_numbers_allow(
    request: PlanRequest, articles: int
) -> None:
    """Two coders per article: every pair shares one as soon as there are as many overlap
    articles as pairs (a round-robin tournament). k coders: at most pairs / (k - 1)."""
    rows = plan(list(range(articles)), request)
    n, k = len(request.annotators), request.coders_per_overlap
    overlap = sum(1 for g in coders(rows).values() if len(g) > 1)
    shared = {p for g in coders(rows).values() for p in combinations(sorted(g), 2)}
    if n >= 2 and request.overlap and overlap >= math.ceil(math.comb(n, 2) / (k - 1)):
        assert len(shared) == math.comb(n, 2)
    if k == 2 and overlap:  # and no pair shares a second article before all share one
        pairs = Counter(p for g in coders(rows).values() for p in combinations(sorted(g), 2))
        assert (
            max(pairs.values())
            - min(pairs.get(p, 0) for p in combinations(sorted(request.annotators), 2))
            <= 1
        )


@settings(max_examples=100, deadline=None)
@given(request=requests(), articles=st.lists(st.integers(1, 10_000), unique=True, max_size=80))
def test_the_same_input_gives_the_same_plan(request: PlanRequest, articles: list[int]) -> None:
    assert plan(articles, request) == plan(list(articles), request)
    other = PlanRequest(request.annotators, request.overlap, request.coders_per_overlap,
                        request.seed + 1)  # fmt: skip
    if len(articles) > 10 and len(request.annotators) > 1:
        assert plan(articles, request) != plan(articles, other)  # the seed matters


@settings(max_examples=200, deadline=None)
@given(
    request=requests(),
    first=st.integers(0, 80),
    more=st.integers(0, 80),
    newcomers=st.integers(0, 2),
    progress=st.data(),
)
def test_extending_keeps_all_work_and_never_widens_the_spread(
    request: PlanRequest, first: int, more: int, newcomers: int, progress: st.DataObject
) -> None:
    before = plan(list(range(first)), request)
    status = {
        (r.article_id, r.annotator): progress.draw(
            st.sampled_from([DONE, IN_PROGRESS, NOT_STARTED])
        )
        for r in before
    }
    old = existing(before, status)
    team = request.annotators + tuple(f"new{i}" for i in range(newcomers))
    wider = PlanRequest(team, request.overlap, request.coders_per_overlap, request.seed)
    added = plan(list(range(first + more)), wider, old)
    assert {r.article_id for r in added} == set(range(first, first + more))  # only new ones
    positions = {(r.annotator, r.position) for r in old}
    assert not positions & {(r.annotator, r.position) for r in added}  # queues only grow
    for name in team:
        mine = sorted(r.position for r in [*old, *added] if r.annotator == name)
        assert mine == list(range(len(mine)))
    spread_before = loads(old, team)
    spread_after = loads([*old, *added], team)
    assert max(spread_after) - min(spread_after) <= max(1, max(spread_before) - min(spread_before))


@settings(max_examples=200, deadline=None)
@given(request=requests(), articles=st.integers(1, 60), data=st.data())
def test_reassign_moves_only_unfinished_articles(
    request: PlanRequest, articles: int, data: st.DataObject
) -> None:
    rows = plan(list(range(articles)), request)
    status = {
        (r.article_id, r.annotator): data.draw(st.sampled_from([DONE, IN_PROGRESS, NOT_STARTED]))
        for r in rows
    }
    old = existing(rows, status)
    source = request.annotators[0]
    target = data.draw(st.sampled_from([*request.annotators[1:], "newcomer"]))
    limit = data.draw(st.none() | st.integers(0, 10))
    result = reassign(old, source, target, seed=request.seed, limit=limit)
    moved = {m.article_id for m in result.moves}
    for m in result.moves:
        assert status[(m.article_id, source)] != DONE and m.source == source and m.target == target
    theirs = {r.article_id for r in old if r.annotator == target}
    assert not moved & theirs
    unfinished = [
        r for r in old if r.annotator == source and r.status != DONE and r.article_id not in theirs
    ]
    assert len(moved) == (len(unfinished) if limit is None else min(limit, len(unfinished)))
    assert result.done_kept == sum(1 for r in old if r.annotator == source and r.status == DONE)
    start = 1 + max((r.position for r in old if r.annotator == target), default=-1)
    assert sorted(m.position for m in result.moves) == list(range(start, start + len(moved)))
    if limit:  # the ones she would have reached last go first
        last = sorted(unfinished, key=lambda r: r.position)[-len(moved) :]
        assert moved == {r.article_id for r in last}


def test_each_annotators_queue_has_its_own_order_with_the_overlap_spread_through_it() -> None:
    request = PlanRequest(("anna", "ben"), overlap=0.2, coders_per_overlap=2, seed=7)
    rows = plan(list(range(100)), request)
    queue = {n: [r.article_id for r in sorted(rows, key=lambda r: r.position) if r.annotator == n]
             for n in request.annotators}  # fmt: skip
    shared = set(queue["anna"]) & set(queue["ben"])
    assert len(shared) == 20
    anna_order = [a for a in queue["anna"] if a in shared]
    ben_order = [a for a in queue["ben"] if a in shared]
    assert anna_order != ben_order  # order effects do not line up between annotators
    for name in request.annotators:
        places = [i for i, a in enumerate(queue[name]) if a in shared]
        assert places[0] < 10 and places[-1] >= len(queue[name]) - 10  # spread, not bunched
        assert max(b - a for a, b in zip(places, places[1:], strict=False)) <= 6


def test_earlier_work_stays_with_whoever_did_it() -> None:
    request = PlanRequest(("anna", "ben", "cara"), overlap=0.0, seed=1)
    rows = plan([1, 2, 3, 4, 5, 6], request, prior={2: ["cara"], 5: ["anna", "ben"]})
    groups = coders(rows)
    assert groups[2] == ["cara"] and sorted(groups[5]) == ["anna", "ben"]
    assert [r.overlap for r in rows if r.article_id == 5] == [True, True]


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (PlanRequest((), 0.2), "at least one annotator"),
        (PlanRequest(("anna",), 0.2, 2), "need at least 2 annotators"),
        (PlanRequest(("anna", "ben"), 0.2, 3), "3 coders per overlap article need at least 3"),
        (PlanRequest(("anna", "ben"), 1.5), "share between 0 and 1"),
        (PlanRequest(("anna", "ben"), 0.2, 1), "at least 2 coders"),
    ],
)
def test_impossible_requests_are_refused_with_a_reason(request_: PlanRequest, message: str) -> None:
    with pytest.raises(InputError, match=message):
        plan([1, 2, 3], request_)


def test_reassigning_to_oneself_is_refused() -> None:
    with pytest.raises(InputError, match="themselves"):
        reassign([], "anna", "anna")
