"""What a discourse network is built from and how: the choices of `annotator network` and the
window's Networks view, checked before any work (docs/networks.md has every formula).

The names follow the Discourse Network Analyzer (DNA) and its R package's `dna_network`
where the concept is the same: targets are DNA's concepts, the stance is its qualifier.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from annotator.codebook import Codebook
from annotator.errors import InputError


class LabelSource(StrEnum):
    """Whose stances make the statements (one annotator is given by name instead)."""

    MAJORITY = "majority"
    UNANIMOUS = "unanimous"
    GOLD = "gold"


class Mode(StrEnum):
    TWOMODE = "twomode"  # actor x target (DNA: affiliation network)
    ONEMODE = "onemode"  # actor x actor through shared targets


class Aggregation(StrEnum):
    """DNA's qualifierAggregation."""

    IGNORE = "ignore"  # both modes: stance left out
    COMBINE = "combine"  # two-mode: favor / against / mixed / neutral codes
    SUBTRACT = "subtract"  # two-mode: favor - against; one-mode: congruence - conflict
    CONGRUENCE = "congruence"  # one-mode
    CONFLICT = "conflict"  # one-mode


class Normalisation(StrEnum):
    NO = "no"
    ACTIVITY = "activity"  # two-mode: divided by the actor's statements
    PROMINENCE = "prominence"  # two-mode: divided by the target's statements
    AVERAGE = "average"  # one-mode: divided by the mean activity of the two actors
    JACCARD = "jaccard"  # one-mode
    COSINE = "cosine"  # one-mode (DNA's definition: product of the two activities)


class Duplicates(StrEnum):
    """DNA's `duplicates`: `article` is its "document"."""

    ARTICLE = "article"  # a label counts once in its article
    INCLUDE = "include"  # every evidence quote of a label is a statement


class Calendar(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class OutputFormat(StrEnum):
    GRAPHML = "graphml"  # one file per network
    CSV = "csv"  # edge list, one file for the series
    MATRIX = "matrix"  # one file per network
    EVENTS = "events"  # one row per statement
    PNG = "png"  # stance map (two-mode) or network drawing (one-mode); or a timeline
    SVG = "svg"


_ALLOWED = {
    Mode.TWOMODE: (
        (Aggregation.IGNORE, Aggregation.COMBINE, Aggregation.SUBTRACT),
        (Normalisation.NO, Normalisation.ACTIVITY, Normalisation.PROMINENCE),
    ),
    Mode.ONEMODE: (
        (Aggregation.IGNORE, Aggregation.CONGRUENCE, Aggregation.CONFLICT, Aggregation.SUBTRACT),
        (Normalisation.NO, Normalisation.AVERAGE, Normalisation.JACCARD, Normalisation.COSINE),
    ),
}
DEFAULT_AGGREGATION = {Mode.TWOMODE: Aggregation.SUBTRACT, Mode.ONEMODE: Aggregation.CONGRUENCE}


@dataclass(frozen=True)
class NetworkOptions:
    """Defaults: majority labels, a two-mode network of net stance (favor - against)."""

    mode: Mode = Mode.TWOMODE
    aggregation: Aggregation | None = None  # None: subtract (two-mode), congruence (one-mode)
    normalisation: Normalisation = Normalisation.NO
    labels: LabelSource | None = None  # None: majority (unless an annotator is named)
    annotator: str | None = None  # one annotator's labels instead of an aggregation
    targets: tuple[str, ...] = ()  # empty: every target of the codebook
    done_only: bool = False
    duplicates: Duplicates = Duplicates.ARTICLE
    date_from: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD, inclusive
    date_to: str | None = None
    window: Calendar | None = None
    moving_days: int | None = None  # a moving window of N days, moved by one day
    isolates: bool = False  # every actor (and target) of the whole range in every window

    @property
    def qualifier(self) -> Aggregation:
        return self.aggregation or DEFAULT_AGGREGATION[self.mode]

    @property
    def source(self) -> str:
        """Whose labels, as named in files: an annotator, or the aggregation."""
        return self.annotator or (self.labels or LabelSource.MAJORITY).value

    @property
    def windowed(self) -> bool:
        return self.window is not None or self.moving_days is not None


def check_options(options: NetworkOptions, codebook: Codebook) -> NetworkOptions:
    """Refuse a combination that has no meaning, with a message naming the choices."""
    mode = Mode(options.mode)
    aggregations, normalisations = _ALLOWED[mode]
    if options.qualifier not in aggregations:
        raise InputError(
            f"aggregation {options.qualifier.value!r} is not for {mode.value} networks "
            f"(choose {', '.join(a.value for a in aggregations)})"
        )
    if options.normalisation not in normalisations:
        raise InputError(
            f"normalisation {options.normalisation.value!r} is not for {mode.value} networks "
            f"(choose {', '.join(n.value for n in normalisations)})"
        )
    if options.qualifier is Aggregation.COMBINE and options.normalisation is not Normalisation.NO:
        # DNA only warns; its codes are categories, and dividing a category is meaningless.
        raise InputError("combine gives stance codes, not counts: use --normalisation no")
    if options.annotator is not None and options.labels is not None:
        raise InputError("choose one annotator or an aggregation of labels, not both")
    if options.window is not None and options.moving_days is not None:
        raise InputError("choose calendar windows or a moving window, not both")
    if options.moving_days is not None and options.moving_days < 1:
        raise InputError("a moving window needs at least 1 day")
    unknown = [t for t in options.targets if t not in codebook.target_ids]
    if unknown:
        raise InputError(
            f"unknown target {unknown[0]!r} (the codebook has {', '.join(codebook.target_ids)})"
        )
    return options
