"""Writing networks: GraphML (networkx), CSV edge lists and matrices, the event list, figures.

Every file goes through `files.pending_file` (refuses the project and devices, written to a
temporary file and renamed when complete). CSV files are UTF-8 with a header row and the
same columns every time, so pandas and R read them without hints.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from annotator.errors import OutputError
from annotator.files import pending_file
from annotator.network.build import Network
from annotator.network.matrix import COMBINE_CODES, scale_values
from annotator.network.options import Aggregation, Mode
from annotator.network.statements import Statement

if TYPE_CHECKING:
    from matplotlib.figure import Figure

EVENT_COLUMNS = (
    "statement",
    "date",
    "actor",
    "actor_type",
    "target",
    "stance",
    "value",
    "article",
    "title",
    "annotator",
    "votes",
    "evidence",
)
WINDOW_COLUMNS = ("window", "window_start", "window_end")


def _write(path: Path, protect: Sequence[Path], fill: Callable[[Path], None]) -> Path:
    with pending_file(path, protect=protect) as pending:
        try:
            fill(pending.path)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        pending.commit()
    return pending.target


def _csv(path: Path, protect: Sequence[Path], rows: Callable[[Any], None]) -> Path:
    def fill(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            rows(csv.writer(fh, lineterminator="\n"))

    return _write(path, protect, fill)


def write_graphml(network: Network, path: Path, *, protect: Sequence[Path] = ()) -> Path:
    import networkx as nx

    from annotator.network.graph import to_graph

    graph = to_graph(network)
    return _write(path, protect, lambda tmp: nx.write_graphml(graph, tmp, encoding="utf-8"))


def _window_cells(network: Network) -> list[str]:
    w = network.window
    return ["", "", ""] if w is None else [w.label, w.start.isoformat(), w.end.isoformat()]


def write_edges(networks: Sequence[Network], path: Path, *, protect: Sequence[Path] = ()) -> Path:
    """One CSV for the whole series: a row per edge, with its window."""
    first = networks[0] if networks else None
    two_mode = first is None or first.mode is Mode.TWOMODE
    stances = first.stances if first is not None else []
    combine = first is not None and first.options.qualifier is Aggregation.COMBINE
    if two_mode:
        header = [*WINDOW_COLUMNS, "actor", "target", "weight", "statements"]
        header += [f"n_{s}" for s in stances] + (["combine"] if combine else [])
    else:
        header = [*WINDOW_COLUMNS, "actor_a", "actor_b", "weight", "shared_targets"]

    def rows(out: Any) -> None:
        out.writerow(header)
        for network in networks:
            window = _window_cells(network)
            if two_mode:
                _two_mode_rows(out, network, window, combine)
            else:
                _one_mode_rows(out, network, window)

    return _csv(path, protect, rows)


def _two_mode_rows(out: Any, network: Network, window: list[str], combine: bool) -> None:
    weights = network.matrix()
    cells = network.counts.astype(np.int64)
    for i, j in zip(*np.nonzero(cells.sum(axis=2)), strict=True):
        counts = cells[i, j].tolist()
        row = [*window, network.actors[i], network.targets[j], _num(weights[i, j]), sum(counts)]
        out.writerow(row + counts + ([COMBINE_CODES[int(weights[i, j])]] if combine else []))


def _one_mode_rows(out: Any, network: Network, window: list[str]) -> None:
    weights = network.weights
    assert not isinstance(weights, np.ndarray)
    shared = network.shared if network.shared is not None else np.zeros(len(weights.data))
    names = network.actors
    for i, j, w, s in zip(
        weights.row.tolist(),
        weights.col.tolist(),
        weights.data.tolist(),
        shared.tolist(),
        strict=True,
    ):
        out.writerow([*window, names[i], names[j], _num(w), s])


def _num(value: float) -> str:
    """Integers without ".0" (counts stay counts), other weights with full precision."""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def write_matrix(network: Network, path: Path, *, protect: Sequence[Path] = ()) -> Path:
    """DNA's CSV matrix: a header of column names, then one row per actor."""
    columns = network.targets if network.mode is Mode.TWOMODE else network.actors
    values = network.matrix()

    def rows(out: Any) -> None:
        out.writerow(["actor", *columns])
        for name, row in zip(network.actors, values.tolist(), strict=True):
            out.writerow([name, *(_num(v) for v in row)])

    return _csv(path, protect, rows)


def write_events(
    statements: Iterable[Statement],
    stances: Sequence[str],
    path: Path,
    *,
    protect: Sequence[Path] = (),
) -> Path:
    """DNA's event list: one row per statement, in article order."""
    value = dict(zip(stances, scale_values(len(stances)).tolist(), strict=True))

    def rows(out: Any) -> None:
        out.writerow(EVENT_COLUMNS)
        for n, s in enumerate(statements, start=1):
            out.writerow(
                [
                    n,
                    s.date or "",
                    s.actor,
                    s.actor_type,
                    s.target,
                    s.stance,
                    _num(value[s.stance]),
                    s.article,
                    s.title,
                    s.annotator,
                    s.votes,
                    s.evidence,
                ]
            )

    return _csv(path, protect, rows)


def write_figure(
    figure: Figure, path: Path, fmt: str = "png", *, protect: Sequence[Path] = ()
) -> Path:
    from annotator.network.figures import save

    return _write(path, protect, lambda tmp: save(figure, tmp, fmt))
