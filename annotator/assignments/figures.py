"""The progress chart, drawn with matplotlib's object API (no pyplot, no Qt): the same
Figure goes to a PNG (`annotator progress --png`, Agg canvas) and into the window's Qt
canvas (gui/progress_view.py).

Each annotator's articles as a stacked bar (done, in progress, not started; without a plan
every article of the project) with the estimated time to finish; labels and articles done
per day over the report's window, one line per annotator told apart by colour, marker and
dash, set a little apart where they would hide each other; and per pair of annotators the
shared articles, planned and done by both (what pairwise kappa can use so far).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from annotator.assignments.progress import ProgressReport, eta_text, window_start
from annotator.plotting import new_figure

DONE, STARTED, OPEN = "#2e8b57", "#e8a33d", "#d9d9d9"
_INK = "#333333"
_LINES = ("#1f77b4", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_DASHES = ("-", "--", ":", "-.")


def line_style(i: int) -> tuple[str, str, str]:
    """Annotator i's line: colour, marker and dash, no two alike for 32 annotators (a
    reader without colour, or with a grey printout, still tells them apart)."""
    dash = _DASHES[(i + i // len(_LINES)) % len(_DASHES)]
    return _LINES[i % len(_LINES)], _MARKERS[i % len(_MARKERS)], dash


def save_png(figure: Figure, path: Path) -> None:
    figure.savefig(path, format="png", dpi=120, facecolor="white")


def progress_figure(report: ProgressReport, figure: Figure | None = None) -> Figure:
    """The panels on `figure` (cleared) or on a new one: the bars; labels and articles
    done per day; the pairs (with a plan, or where two people finished the same article)."""
    people = report.people
    if figure is None:
        figure = new_figure(12.0, max(5.5, 2.2 + 0.45 * len(people)))
    else:
        figure.clear()
    with_pairs = report.planned or bool(report.pairs)
    rows = 3 if with_pairs else 2
    grid = figure.add_gridspec(rows, 2, width_ratios=(1.25, 1.0))
    _bars(figure.add_subplot(grid[:, 0]), report)
    _daily(figure.add_subplot(grid[0, 1]), report, "daily_labels", "Labels per day")
    _daily(figure.add_subplot(grid[1, 1]), report, "daily_done", "Articles done per day")
    if with_pairs:
        _pairs(figure.add_subplot(grid[2, 1]), report)
    return figure


def _bars(ax: Axes, report: ProgressReport) -> None:
    people = report.people
    if not people:
        ax.text(0.5, 0.5, "Nobody has labelled yet", ha="center", va="center", color=_INK)
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
    total = report.assigned
    share = f"{report.done / total:.0%}" if total else "-"
    if report.planned:
        ax.set_xlabel("assigned articles")
        title = f"Progress: {report.done} of {total} assignments done ({share})"
    else:
        ax.set_xlabel("articles (no assignment plan: every article is everyone's)")
        finished = sum(p.done for p in people)
        title = f"Progress: {finished} articles done by {len(people)} annotator(s)"
    ax.set_title(title, fontsize=10, color=_INK, loc="left")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _daily(ax: Axes, report: ProgressReport, counts: str, title: str) -> None:
    """One line per annotator with something in these days (`counts`: daily_labels or
    daily_done); lines that would lie on one another are set a little apart."""
    first = window_start(report.now, report.days)
    days = [(first + timedelta(days=i)).strftime("%d.%m.") for i in range(report.days)]
    shown = [(i, p) for i, p in enumerate(report.people) if any(getattr(p, counts))]
    spread = min(0.3, 0.08 * (len(shown) - 1))  # of a day: points stay over their day
    for k, (i, p) in enumerate(shown):
        shift = spread * (k / (len(shown) - 1) - 0.5) if len(shown) > 1 else 0.0
        color, marker, dash = line_style(i)
        x = [d + shift for d in range(report.days)]
        ax.plot(x, getattr(p, counts), color=color, marker=marker, linestyle=dash,
                markersize=4, linewidth=1.2, label=p.name)  # fmt: skip
    ax.set_xticks(range(report.days))
    step = max(1, report.days // 7)
    ax.set_xticklabels([d if i % step == 0 else "" for i, d in enumerate(days)], fontsize=7)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(bottom=0)
    ax.set_title(f"{title}, last {report.days} days", fontsize=10, color=_INK, loc="left")
    if shown and counts == "daily_labels":  # one legend, beside the panels: never on a line
        ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  ncol=2 if len(shown) > 12 else 1)  # fmt: skip
    elif not shown:
        what = "labels" if counts == "daily_labels" else "articles marked done"
        ax.text(0.5, 0.5, f"no {what} in these days", ha="center", va="center",
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
    if report.planned:  # without a plan nothing is planned: only what both finished
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
