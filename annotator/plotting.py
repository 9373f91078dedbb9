"""What every matplotlib figure of ours shares (networks, progress): a new figure drawn
through Agg, and names shown as text.

Names come from articles, packages and the team. matplotlib reads text between two '$' as
a formula: 'ina $\\foo$' stopped every picture with that name in it (ParseFatalException)
and 'a $x$ b' showed in italics. No figure of ours has a formula, so mathtext is off for
every text, tick labels and legends included (they are made when the figure is drawn, so
a setting per figure would not reach them).
"""

from __future__ import annotations

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

matplotlib.rcParams["text.parse_math"] = False


def new_figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)  # PNG through Agg, whatever backend a program has chosen
    return figure
