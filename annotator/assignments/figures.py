"""The progress chart, drawn with matplotlib's object API (no pyplot, no Qt): the same
Figure goes to a PNG (`annotator progress --png`, Agg canvas) and into the window's Qt
canvas (gui/progress_view.py).

Three panels: each annotator's assigned articles as a stacked bar (done, in progress, not
started) with the estimated time to finish; labels per day over the report's window; and
per pair of annotators the shared articles, planned and done by both (what pairwise kappa
can use so far).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from annotator.assignments.progress import ProgressReport, eta_text, window_start

DONE, STARTED, OPEN = "#2e8b57", "#e8a33d", "#d9d9d9"
_INK = "#333333"
_LINES = ("#1f77b4", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f")


def new_figure(width: float = 12.0, height: float = 6.0) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)  # PNG through Agg, whatever backend a program has chosen
    return figure


def save_png(figure: Figure, path: Path) -> None:
    figure.savefig(path, format="png", dpi=120, facecolor="white")


def progress_figure(report: ProgressReport, figure: Figure | None = None) -> Figure:
    """The three panels on `figure` (cleared) or on a new one."""
    people = report.annotators
    if figure is None:
        figure = new_figure(12.0, max(4.5, 2.2 + 0.45 * len(people)))
    else:
        figure.clear()
    grid = figure.add_gridspec(2, 2, width_ratios=(1.25, 1.0))
    bars = figure.add_subplot(grid[:, 0])
    daily = figure.add_subplot(grid[0, 1])
    pairs = figure.add_subplot(grid[1, 1])
    _bars(bars, report)
    _daily(daily, report)
    _pairs(pairs, report)
    return figure


def _bars(ax: Axes, report: ProgressReport) -> None:
    people = report.annotators
    if not people:
        ax.text(0.5, 0.5, "No assignment plan yet", ha="center", va="center", color=_INK)
        ax.set_axis_off()
        return
    names = [p.name for p in people][::-1]  # first annotator on top
    rows = people[::-1]
    done = [p.done for p in rows]
    started = [p.in_progress for p in rows]
    open_ = [p.not_started for p in rows]
    y = range(len(rows))
    ax.barh(y, done, color=DONE, label="done")
    ax.barh(y, started, left=done, color=STARTED, label="in progress")
    ax.barh(y, open_, left=[d + s for d, s in zip(done, started, strict=True)], color=OPEN,
            label="not started")  # fmt: skip
    widest = max((p.assigned for p in rows), default=0) or 1
    for i, p in enumerate(rows):
        rate = f"{p.labels_per_hour:.0f} labels/h · " if p.labels_per_hour else ""
        ax.text(p.assigned + widest * 0.02, i, f"{p.done}/{p.assigned}  "
                f"{rate}{eta_text(p.eta_hours, p.eta_days, p.remaining)}",
                va="center", fontsize=8, color=_INK)  # fmt: skip
    ax.set_yticks(list(y))
    ax.set_yticklabels(names)
    ax.set_xlim(0, widest * 1.75)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("assigned articles")
    total = report.assigned
    share = f"{report.done / total:.0%}" if total else "-"
    ax.set_title(f"Progress: {report.done} of {total} assignments done ({share})",
                 fontsize=10, color=_INK, loc="left")  # fmt: skip
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _daily(ax: Axes, report: ProgressReport) -> None:
    first = window_start(report.now, report.days)
    days = [(first + timedelta(days=i)).strftime("%d.%m.") for i in range(report.days)]
    drawn = False
    for i, p in enumerate(report.annotators):
        if any(p.daily_labels):
            ax.plot(range(report.days), p.daily_labels, marker="o", markersize=3,
                    color=_LINES[i % len(_LINES)], label=p.name)  # fmt: skip
            drawn = True
    ax.set_xticks(range(report.days))
    step = max(1, report.days // 7)
    ax.set_xticklabels([d if i % step == 0 else "" for i, d in enumerate(days)], fontsize=7)
    ax.set_ylabel("labels", fontsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"Labels per day, last {report.days} days", fontsize=10, color=_INK, loc="left")
    if drawn:
        ax.legend(fontsize=7, frameon=False, ncol=2)
    else:
        ax.text(0.5, 0.5, "no labels in these days", ha="center", va="center",
                transform=ax.transAxes, color=_INK, fontsize=8)  # fmt: skip
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _pairs(ax: Axes, report: ProgressReport) -> None:
    pairs = report.pairs
    ax.set_title(
        f"Shared articles per pair (agreement so far: {report.overlap_ready} article(s), "
        f"{report.units_ready} unit(s))",
        fontsize=10,
        color=_INK,
        loc="left",
    )
    if not pairs:
        ax.text(0.5, 0.5, "no articles planned for two coders", ha="center", va="center",
                transform=ax.transAxes, color=_INK, fontsize=8)  # fmt: skip
        ax.set_axis_off()
        return
    y = range(len(pairs))
    ax.barh(y, [p.planned for p in pairs], color=OPEN, label="planned")
    ax.barh(y, [p.done for p in pairs], color=DONE, label="done by both")
    ax.set_yticks(list(y))
    ax.set_yticklabels([f"{p.a} + {p.b}" for p in pairs], fontsize=7 if len(pairs) > 10 else 8)
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    # Below the axis: on the bars the grey "planned" patch would vanish into a grey bar.
    ax.legend(fontsize=7, frameon=False, loc="upper right", bbox_to_anchor=(1.0, -0.08), ncol=2)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
