"""Discourse networks from stance labels, in the manner of the Discourse Network Analyzer
(docs/networks.md): statements (statements.py), networks per time window (build.py,
matrix.py), GraphML/CSV/event-list writers (io.py), figures (figures.py), and the command's
use case (run.py).

Importing this package loads neither networkx nor matplotlib: the command line lists the
options without paying for them; the modules that need them import them.
"""

from annotator.network.options import (
    Aggregation,
    Calendar,
    Duplicates,
    LabelSource,
    Mode,
    NetworkOptions,
    Normalisation,
)

__all__ = [
    "Aggregation",
    "Calendar",
    "Duplicates",
    "LabelSource",
    "Mode",
    "NetworkOptions",
    "Normalisation",
]
