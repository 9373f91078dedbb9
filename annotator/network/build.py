"""Networks from statements: the date range, the time windows, the counts and the graph.

One network per window (or one for the whole range). A network keeps its statement array
(the stance map is drawn from it) and its weights (matrix.py); graph.py makes the networkx
graph that GraphML and the drawing share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import scipy.sparse as sp

from annotator.codebook import Codebook
from annotator.network import matrix
from annotator.network.dates import Period, calendar_windows, date_range, moving_windows, parse_date
from annotator.network.options import Mode, NetworkOptions, check_options
from annotator.network.statements import Statement


@dataclass
class Network:
    options: NetworkOptions
    actors: list[str]
    targets: list[str]  # codebook ids, in codebook order
    stances: list[str]  # the codebook's scale
    counts: np.ndarray  # X: actors x targets x stances
    weights: np.ndarray | sp.coo_matrix  # two-mode: dense; one-mode: upper triangle
    shared: np.ndarray | None = None  # one-mode: targets each weighted pair shares
    window: Period | None = None
    statements: int = 0
    actor_types: dict[str, str] = field(default_factory=dict)
    target_labels: dict[str, str] = field(default_factory=dict)

    @property
    def mode(self) -> Mode:
        return self.options.mode

    def matrix(self) -> np.ndarray:
        """Rows actors; columns targets (two-mode) or actors (one-mode)."""
        if isinstance(self.weights, np.ndarray):
            return self.weights
        return matrix.one_mode_dense(self.weights)


@dataclass
class NetworkSeries:
    networks: list[Network]
    statements: int = 0  # statements in the date range (the event list)
    undated: int = 0  # left out: no date, or none that parses (only with a range or windows)
    unplaced: int = 0  # dated, but the date is coarser than the range or every window
    in_range: list[Statement] = field(default_factory=list)


def _index(names: Sequence[str]) -> dict[str, int]:
    return {name: i for i, name in enumerate(names)}


def network_of(
    statements: Sequence[Statement],
    codebook: Codebook,
    options: NetworkOptions,
    *,
    actors: Sequence[str] | None = None,
    window: Period | None = None,
) -> Network:
    """One network of these statements; `actors` fixes the rows (isolates included)."""
    targets = list(options.targets) if options.targets else list(codebook.target_ids)
    targets = [t for t in codebook.target_ids if t in set(targets)]
    stances = list(codebook.stance_ids)
    if actors is None:
        actors = sorted({s.actor for s in statements}, key=lambda a: (a.casefold(), a))
    actor_at, target_at, stance_at = _index(actors), _index(targets), _index(stances)
    x = matrix.count_array(
        np.fromiter((actor_at[s.actor] for s in statements), np.int64, len(statements)),
        np.fromiter((target_at[s.target] for s in statements), np.int64, len(statements)),
        np.fromiter((stance_at[s.stance] for s in statements), np.int64, len(statements)),
        (len(actors), len(targets), len(stances)),
    )
    shared = None
    weights: np.ndarray | sp.coo_matrix
    if options.mode is Mode.TWOMODE:
        weights = matrix.two_mode(x, options.qualifier, options.normalisation)
    else:
        weights, shared = matrix.one_mode(x, options.qualifier, options.normalisation)
    labels = {t.id: t.short_label for t in codebook.targets}
    return Network(
        options=options,
        actors=list(actors),
        targets=targets,
        stances=stances,
        counts=x,
        weights=weights,
        shared=shared,
        window=window,
        statements=len(statements),
        actor_types={s.actor: s.actor_type for s in statements},
        target_labels={t: labels[t] for t in targets},
    )


def build_networks(
    statements: Sequence[Statement], codebook: Codebook, options: NetworkOptions
) -> NetworkSeries:
    """The network of the date range, or one per time window."""
    options = check_options(options, codebook)
    wanted = set(options.targets) if options.targets else None
    if wanted is not None:
        statements = [s for s in statements if s.target in wanted]
    bounds = date_range(options.date_from, options.date_to)
    if bounds is None and not options.windowed:
        return NetworkSeries(
            [network_of(statements, codebook, options)], len(statements), in_range=list(statements)
        )
    series = NetworkSeries([])
    dated: list[tuple[Period, Statement]] = []
    for s in statements:
        period = parse_date(s.date)
        if period is None:
            series.undated += 1
        elif bounds is None or bounds.holds(period):
            dated.append((period, s))
        else:
            series.unplaced += int(_overlaps(bounds, period))
    series.in_range = [s for _, s in dated]
    series.statements = len(dated)
    if not options.windowed:
        series.networks = [network_of(series.in_range, codebook, options, window=bounds)]
        return series
    windows = _windows(options, bounds, [p for p, _ in dated])
    actors = None
    if options.isolates:
        actors = sorted({s.actor for s in series.in_range}, key=lambda a: (a.casefold(), a))
    members = _members(windows, dated)
    placed = set().union(*members) if members else set()
    series.unplaced += len(dated) - len(placed)
    for window, ids in zip(windows, members, strict=True):
        chosen = [dated[i][1] for i in sorted(ids)]
        series.networks.append(network_of(chosen, codebook, options, actors=actors, window=window))
    return series


def _overlaps(a: Period, b: Period) -> bool:
    """A date reaching into the range without lying inside it (a month across --from)."""
    return a.start <= b.end and b.start <= a.end


def _windows(options: NetworkOptions, bounds: Period | None, dates: list[Period]) -> list[Period]:
    """From the range's first day (or the first statement's) to its last (or the last
    statement's)."""
    first = bounds.start if bounds is not None and bounds.start != date.min else None
    last = bounds.end if bounds is not None and bounds.end != date.max else None
    if dates:
        first = first or min(p.start for p in dates)
        last = last or max(p.end for p in dates)
    if first is None or last is None:
        return []
    if options.window is not None:
        return calendar_windows(options.window, first, last)
    return moving_windows(options.moving_days or 1, first, last)


def _members(windows: list[Period], dated: list[tuple[Period, Statement]]) -> list[set[int]]:
    """For each window, the statements whose whole date lies inside it."""
    members: list[set[int]] = [set() for _ in windows]
    if not windows:
        return members
    starts = np.array([w.start.toordinal() for w in windows])
    ends = np.array([w.end.toordinal() for w in windows])
    for i, (period, _) in enumerate(dated):
        a, b = period.start.toordinal(), period.end.toordinal()
        # Windows are sorted and (for moving windows) overlap: those holding [a, b] are a
        # contiguous run, starting at the first that ends on or after b.
        k = int(np.searchsorted(ends, b))
        while k < len(windows) and starts[k] <= a:
            members[k].add(i)
            k += 1
    return members
