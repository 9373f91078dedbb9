"""Pictures of a discourse network, drawn with matplotlib's object API (no pyplot, no Qt).

A figure made here has the Agg canvas (PNG) and saves as SVG too; the window shows the same
Figure objects in a Qt canvas (gui/network_view.py). Colours come from the codebook's stance
scale: against on one end, favor on the other, a light grey for "no net stance".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from annotator.codebook import Codebook
from annotator.network.dates import parse_date
from annotator.network.graph import to_graph
from annotator.network.matrix import net_stance, scale_values
from annotator.network.statements import Statement
from annotator.plotting import new_figure

if TYPE_CHECKING:
    from annotator.network.build import Network

_EMPTY = "#ffffff"  # no statement: white, apart from the grey of "no net stance"
_MIDDLE = "#d5d5d5"
_INK = "#333333"


def stance_colormap(codebook: Codebook) -> LinearSegmentedColormap:
    colors = [s.color for s in codebook.stances]
    low, high = (colors[0], colors[-1]) if colors else ("#c0392b", "#27ae60")
    return LinearSegmentedColormap.from_list("stance", [low, _MIDDLE, high])


def _reuse(figure: Figure | None, width: float, height: float) -> Figure:
    if figure is None:
        return new_figure(width, height)
    figure.clear()
    return figure


def save(figure: Figure, path: Path, fmt: str) -> None:
    figure.savefig(path, format=fmt, dpi=150, facecolor="white")


def actor_order(net: np.ndarray, present: np.ndarray) -> list[int]:
    """Rows grouped by similar stance profiles: average-linkage clustering of each actor's
    net stance per target (0 where they said nothing), leaves in optimal order."""
    n = len(net)
    if n < 3:
        return list(range(n))
    from scipy.cluster.hierarchy import leaves_list, linkage

    features = np.hstack([np.nan_to_num(net), present * 0.5])
    tree = linkage(features, method="average", metric="euclidean", optimal_ordering=True)
    return [int(i) for i in leaves_list(tree)]


def stance_map(network: Network, codebook: Codebook, figure: Figure | None = None) -> Figure:
    """Actor x target heatmap: colour = net stance, number = statements."""
    counts = network.counts
    totals = counts.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        net = np.where(totals > 0, net_stance(counts), np.nan)
    order = actor_order(net, (totals > 0).astype(np.float64))
    rows = len(order)
    figure = _reuse(figure, 2.6 + 1.2 * max(len(network.targets), 1), 1.6 + 0.3 * max(rows, 1))
    ax = figure.add_subplot()
    if rows == 0:
        ax.text(0.5, 0.5, "No statements", ha="center", va="center", color=_INK)
        ax.set_axis_off()
        return figure
    cmap = stance_colormap(codebook).with_extremes(bad=_EMPTY)
    image = ax.imshow(np.ma.masked_invalid(net[order]), cmap=cmap, vmin=-1, vmax=1, aspect="auto")
    small = rows > 40
    for r, i in enumerate(order):
        for j in range(len(network.targets)):
            if totals[i, j] and not small:
                ax.text(
                    j, r, str(int(totals[i, j])), ha="center", va="center", fontsize=8, color=_INK
                )
    ax.set_xticks(range(len(network.targets)))
    ax.set_xticklabels([network.target_labels.get(t, t) for t in network.targets])
    ax.set_yticks(range(rows))
    ax.set_yticklabels([network.actors[i] for i in order], fontsize=6 if small else 8)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    # White lines between the cells, so that neighbouring cells of one colour stay apart.
    ax.set_xticks(np.arange(len(network.targets) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(rows + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    bar = figure.colorbar(image, ax=ax, shrink=min(1.0, 6 / max(rows, 1) + 0.3), ticks=[-1, 0, 1])
    ends = [codebook.stances[0].id, "0", codebook.stances[-1].id] if codebook.stances else []
    bar.ax.set_yticklabels(ends)
    ax.set_title(
        _title("Stance map", network) + "\ncolour: net stance · number: statements",
        fontsize=9,
        color=_INK,
    )
    return figure


def _title(what: str, network: Network) -> str:
    window = f", {network.window.label}" if network.window is not None else ""
    return f"{what} ({network.options.source}{window})"


def layout(network: Network, seed: int = 1) -> dict[str, tuple[float, float]]:
    """A force-directed (Fruchterman-Reingold) layout of a one-mode network, positive
    weights pulling; the same seed gives the same picture. Actors without a tie would be
    pushed to the rim and squeeze the rest into a corner: they get a row of their own below."""
    import networkx as nx

    graph = to_graph(network)
    pulling = nx.Graph()
    pulling.add_weighted_edges_from(
        (a, b, d["weight"]) for a, b, d in graph.edges(data=True) if d["weight"] > 0
    )
    positions: dict[str, tuple[float, float]] = {}
    if len(pulling):
        # A larger k than networkx's 1/sqrt(n) leaves room for the names.
        k = 2.5 / math.sqrt(len(pulling))
        found = nx.spring_layout(pulling, weight="weight", seed=seed, k=k, iterations=200)
        positions = {n: (float(p[0]), float(p[1])) for n, p in found.items()}
    alone = [n for n in graph if n not in positions]
    for i, name in enumerate(alone):
        x = -1.0 + 2.0 * (i + 0.5) / len(alone) if len(alone) > 1 else 0.0
        positions[name] = (x, -1.35 - 0.12 * (i % 2))  # staggered: names need room
    return positions


def network_figure(
    network: Network,
    codebook: Codebook,
    figure: Figure | None = None,
    positions: dict[str, tuple[float, float]] | None = None,
) -> Figure:
    """The one-mode network: nodes coloured by net stance and sized by statements, edges
    as wide as their weight (negative weights of `subtract` dashed)."""
    figure = _reuse(figure, 8.0, 6.5)
    ax = figure.add_subplot()
    ax.set_axis_off()
    graph = to_graph(network)
    if len(graph) == 0:
        ax.text(0.5, 0.5, "No statements", ha="center", va="center", color=_INK)
        return figure
    positions = positions or layout(network)
    edges = list(graph.edges(data="weight"))
    top = max((abs(w) for *_, w in edges), default=1.0) or 1.0
    for sign, style, color in ((1, "solid", "#8c8c8c"), (-1, "dashed", "#c0392b")):
        chosen = [(a, b, w) for a, b, w in edges if w * sign > 0]
        if chosen:
            ax.add_collection(
                LineCollection(
                    [(positions[a], positions[b]) for a, b, _ in chosen],
                    linewidths=[0.4 + 3.6 * abs(w) / top for *_, w in chosen],
                    linestyles=style,
                    colors=color,
                    alpha=0.55,
                    zorder=1,
                )
            )
    names = list(graph)
    xy = np.array([positions[n] for n in names])
    statements = np.array([graph.nodes[n]["statements"] for n in names], dtype=np.float64)
    nets = [graph.nodes[n]["net_stance"] for n in names]
    dots = ax.scatter(
        xy[:, 0],
        xy[:, 1],
        s=60 + 240 * np.sqrt(statements / statements.max()),
        c=nets,
        cmap=stance_colormap(codebook),
        vmin=-1,
        vmax=1,
        edgecolors=_INK,
        linewidths=0.6,
        zorder=2,
    )
    for name, (x, y) in zip(names, xy.tolist(), strict=True):
        ax.annotate(
            name,
            (x, y),
            xytext=(0, 9),
            textcoords="offset points",
            ha="center",
            fontsize=7 if len(names) > 30 else 8,
            color=_INK,
            zorder=3,
        )
    ax.margins(0.12)
    bar = figure.colorbar(dots, ax=ax, shrink=0.5, ticks=[-1, 0, 1])
    bar.set_label("net stance", fontsize=8)
    what = f"{network.options.qualifier.value} network".capitalize()
    ax.set_title(
        _title(what, network) + "\nforce layout · edge width: weight", fontsize=9, color=_INK
    )
    return figure


def timeline(
    statements: Sequence[Statement],
    actor: str,
    codebook: Codebook,
    figure: Figure | None = None,
    targets: Sequence[str] | None = None,
) -> Figure:
    """One actor's stances per target over time. A month or a year (an article dated only
    that precisely) is drawn as a bar over its whole period, a day as a dot; the size
    grows with the number of statements."""
    import matplotlib.dates as mdates  # registers the date units for the axes

    mine = [s for s in statements if s.actor == actor]
    target_ids = list(targets) if targets else [t for t in codebook.target_ids]
    figure = _reuse(figure, 8.0, 1.3 + 1.25 * len(target_ids))
    if not mine:
        ax = figure.add_subplot()
        what = f"No statements of {actor}" if actor else "No statements"
        ax.text(0.5, 0.5, what, ha="center", va="center", color=_INK)
        ax.set_axis_off()
        return figure
    values = dict(zip(codebook.stance_ids, scale_values(len(codebook.stances)), strict=True))
    colors = {s.id: s.color for s in codebook.stances}
    dated = Counter((s.target, p, s.stance) for s in mine if (p := parse_date(s.date)) is not None)
    undated = len(mine) - sum(dated.values())
    if not dated:
        ax = figure.add_subplot()
        ax.text(
            0.5,
            0.5,
            f"No dated statements of {actor} ({undated} without a date)",
            ha="center",
            va="center",
            color=_INK,
        )
        ax.set_axis_off()
        return figure
    axes = figure.subplots(len(target_ids), 1, sharex=True, squeeze=False)[:, 0]
    labels = {t.id: t.short_label for t in codebook.targets}
    for ax, target in zip(axes, target_ids, strict=True):
        for (t, period, stance), n in sorted(dated.items()):
            if t != target:
                continue
            y = values[stance]
            mid = period.start + (period.end - period.start) / 2
            if period.end > period.start:
                ax.plot(
                    [period.start, period.end],
                    [y, y],
                    color=colors[stance],
                    linewidth=4,
                    alpha=0.5,
                    solid_capstyle="butt",
                )
            ax.scatter(
                [mid],
                [y],
                s=30 + 30 * n,
                color=colors[stance],
                edgecolors=_INK,
                linewidths=0.5,
                zorder=3,
            )
        ax.set_ylim(min(values.values(), default=-1) - 0.6, max(values.values(), default=1) + 0.6)
        ax.set_yticks(list(values.values()))
        ax.set_yticklabels(list(values), fontsize=8)
        ax.set_ylabel(labels.get(target, target), fontsize=9)
        ax.grid(axis="x", color="#e5e5e5")
    # Limits of our own: matplotlib's margins would reach before year 1 or after 9999 for
    # dates at the calendar's edges, which it cannot draw.
    first = min(period.start for _, period, _ in dated)
    last = max(period.end for _, period, _ in dated)
    pad = max(timedelta(days=1), (last - first) / 20)
    low = first - pad if first - date.min > pad else date.min
    high = last + pad if date.max - last > pad else date.max
    axes[-1].set_xlim(low, high)
    locator = mdates.AutoDateLocator()
    axes[-1].xaxis.set_major_locator(locator)
    axes[-1].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    note = f" · {undated} undated statement(s) not shown" if undated else ""
    axes[0].set_title(f"Stances of {actor} over time{note}", fontsize=9, color=_INK)
    return figure
