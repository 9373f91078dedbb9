"""The `annotator network` use case: read the statements, build the networks, write the files.

Output: `out` is a file when one format is written (a series of windows then gets one
file per window beside it, named after it), or a folder otherwise (the default: the
exports folder), holding network.graphml, edges.csv, matrix.csv, events.csv and the
figures. Every target is checked before any work, so a bad -o never costs a computation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from annotator.codebook import Codebook
from annotator.errors import InputError
from annotator.files import check_output
from annotator.network.build import Network, NetworkSeries, build_networks
from annotator.network.dates import date_range
from annotator.network.options import Mode, NetworkOptions, OutputFormat, check_options
from annotator.network.statements import Statements, read_statements
from annotator.paths import exports_dir
from annotator.progress import IsCancelled, Progress
from annotator.store.engine import Project

_NAME = {
    OutputFormat.GRAPHML: "network.graphml",
    OutputFormat.CSV: "edges.csv",
    OutputFormat.MATRIX: "matrix.csv",
    OutputFormat.EVENTS: "events.csv",
}
_FILE_SUFFIXES = {".graphml", ".csv", ".png", ".svg", ".xml"}


@dataclass
class NetworkReport:
    paths: list[Path] = field(default_factory=list)
    networks: int = 0
    statements: int = 0
    undated: int = 0
    unplaced: int = 0
    no_agreement: int = 0
    source: str = ""

    def summary(self) -> str:
        parts = [
            f"{self.networks} network(s) of {self.statements} statement(s) ({self.source})"
            f" written to {', '.join(str(p) for p in self.paths[:4])}"
            + (f" and {len(self.paths) - 4} more file(s)" if len(self.paths) > 4 else "")
        ]
        if self.undated:
            parts.append(f"{self.undated} statement(s) without a date left out")
        if self.unplaced:
            parts.append(f"{self.unplaced} statement(s) dated too coarsely for the range/windows")
        if self.no_agreement:
            parts.append(f"{self.no_agreement} unit(s) without agreement left out")
        return "; ".join(parts)


def _figure_name(options: NetworkOptions, timeline: str | None) -> str:
    if timeline is not None:
        return "timeline"
    return "stance-map" if options.mode is Mode.TWOMODE else "network"


def plan_outputs(
    formats: list[OutputFormat],
    out: str | Path | None,
    options: NetworkOptions,
    timeline: str | None = None,
) -> dict[OutputFormat, Path]:
    """Where each format goes (for a series: the name its windows' files derive from)."""
    formats = list(dict.fromkeys(formats))
    if not formats:
        raise InputError("name at least one --format")
    folder_given = out is not None and (Path(out).is_dir() or str(out).endswith(("/", os.sep)))
    if out is not None and not folder_given and len(formats) == 1:
        return {formats[0]: Path(out).expanduser()}
    if out is not None and not folder_given and Path(out).suffix.lower() in _FILE_SUFFIXES:
        raise InputError(f"-o {out} names a file; with several formats give a folder")
    folder = Path(out).expanduser() if out is not None else exports_dir()
    figure = _figure_name(options, timeline)
    names = _NAME | {OutputFormat.PNG: f"{figure}.png", OutputFormat.SVG: f"{figure}.svg"}
    return {f: folder / names[f] for f in formats}


def window_path(path: Path, network: Network, series: int) -> Path:
    if series <= 1 or network.window is None:
        return path
    return path.with_name(f"{path.stem}-{network.window.label}{path.suffix}")


def run_network(
    project: Project,
    codebook: Codebook,
    options: NetworkOptions,
    formats: list[OutputFormat],
    out: str | Path | None = None,
    *,
    timeline: str | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> NetworkReport:
    """Build the networks the options describe and write them in every format asked for."""
    options = check_options(options, codebook)
    date_range(options.date_from, options.date_to)  # a bad date fails before any reading
    plan = plan_outputs(formats, out, options, timeline)
    protect = [project.path] if project.path is not None else []
    for path in plan.values():
        check_output(path, protect=protect)
    statements = read_statements(project, codebook, options, progress=progress, cancelled=cancelled)
    series = build_networks(statements.items, codebook, options)
    _refuse_empty(statements, series, options, timeline)
    report = NetworkReport(
        networks=len(series.networks),
        statements=series.statements,
        undated=series.undated,
        unplaced=series.unplaced,
        no_agreement=statements.no_agreement,
        source=statements.source,
    )
    report.paths = _write(plan, series, codebook, options, timeline, protect)
    return report


def _refuse_empty(
    statements: Statements, series: NetworkSeries, options: NetworkOptions, timeline: str | None
) -> None:
    if not statements.items:
        why = (
            f"; {statements.no_agreement} unit(s) had no agreement"
            if statements.no_agreement
            else ""
        )
        raise InputError(f"no statements: no label with a stance from {options.source}{why}")
    if not series.statements:
        raise InputError(
            f"no statements in the date range ({series.undated} without a date, "
            f"{series.unplaced} dated too coarsely)"
        )
    if timeline is not None and not any(s.actor == timeline for s in series.in_range):
        known = sorted({s.actor for s in series.in_range})
        shown = ", ".join(known[:8]) + (", …" if len(known) > 8 else "")
        raise InputError(f"no statements of {timeline!r} (actors with statements: {shown})")


def _write(
    plan: dict[OutputFormat, Path],
    series: NetworkSeries,
    codebook: Codebook,
    options: NetworkOptions,
    timeline: str | None,
    protect: list[Path],
) -> list[Path]:
    from annotator.network import figures, io

    written: list[Path] = []
    count = len(series.networks)
    for fmt, path in plan.items():
        if fmt is OutputFormat.CSV:
            written.append(io.write_edges(series.networks, path, protect=protect))
        elif fmt is OutputFormat.EVENTS:
            written.append(
                io.write_events(series.in_range, codebook.stance_ids, path, protect=protect)
            )
        elif fmt in (OutputFormat.PNG, OutputFormat.SVG) and timeline is not None:
            picture = figures.timeline(series.in_range, timeline, codebook, targets=options.targets)
            written.append(io.write_figure(picture, path, fmt.value, protect=protect))
        else:
            for network in series.networks:
                target = window_path(path, network, count)
                if fmt is OutputFormat.GRAPHML:
                    written.append(io.write_graphml(network, target, protect=protect))
                elif fmt is OutputFormat.MATRIX:
                    written.append(io.write_matrix(network, target, protect=protect))
                else:
                    draw = (
                        figures.stance_map
                        if network.mode is Mode.TWOMODE
                        else figures.network_figure
                    )
                    written.append(
                        io.write_figure(draw(network, codebook), target, fmt.value, protect=protect)
                    )
    return written
