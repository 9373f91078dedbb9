"""Export options: what the CLI and the GUI pass in, checked before anything is written."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from annotator.codebook import Codebook
from annotator.errors import InputError
from annotator.paths import exports_dir


class ExportFormat(StrEnum):
    DOCUMENTS = "documents"
    STANCES = "stances"
    SPACY = "spacy"


class LabelMode(StrEnum):
    """Whose labels: every annotator's (one record each), one vote per unit, or the
    curated gold standard (curated articles only, with each label's provenance)."""

    ALL = "all"
    MAJORITY = "majority"
    UNANIMOUS = "unanimous"
    GOLD = "gold"


FORMATS = tuple(f.value for f in ExportFormat)
LABEL_MODES = tuple(m.value for m in LabelMode)
SPLIT_NAMES = ("train", "dev", "test")
_SUFFIX = {"documents": ".jsonl", "stances": ".jsonl", "spacy": ".spacy"}
_CONTEXT = re.compile(r"\A(?:article|window:(\d{1,3}))\Z")


@dataclass(frozen=True)
class Split:
    """Deterministic train/dev/test assignment of whole articles.

    An article's part depends only on the seed and its id (a hash), not on the other
    articles, so it never moves to another part when the corpus grows: a test article stays
    a test article in every later export with the same seed. The price is that a small
    corpus only approximately follows the percentages.
    """

    percents: tuple[int, int, int]
    seed: int = 0

    def of(self, external_id: str) -> str:
        digest = hashlib.sha256(f"{self.seed}\x00{external_id}".encode()).digest()
        point = int.from_bytes(digest[:8], "big") * 100 / 2**64
        train, dev, _ = self.percents
        if point < train:
            return "train"
        return "dev" if point < train + dev else "test"


def parse_split(text: str, seed: int = 0) -> Split:
    """'80/10/10' -> Split; three whole percentages (train/dev/test) that add up to 100."""
    parts = text.strip().split("/")
    if len(parts) != 3 or not all(p.strip().isdigit() for p in parts):
        raise InputError(
            f"bad split {text!r}: give three whole percentages for train/dev/test, e.g. 80/10/10"
        )
    percents = (int(parts[0]), int(parts[1]), int(parts[2]))
    if sum(percents) != 100:
        raise InputError(f"bad split {text!r}: the three parts must add up to 100")
    return Split(percents, seed)


def parse_context(text: str) -> int | None:
    """'article' -> None (the whole article); 'window:N' -> N sentences on each side."""
    m = _CONTEXT.match(text.strip())
    if not m:
        raise InputError(
            f"bad context {text!r}: use 'article' or 'window:N' (N sentences on each side)"
        )
    return int(m.group(1)) if m.group(1) is not None else None


@dataclass(frozen=True)
class ExportOptions:
    """What to export. Defaults: every annotator's labels, every article, every target."""

    labels: str = "all"  # all / majority / unanimous / gold
    annotator: str | None = None  # only this annotator's labels (labels="all" only)
    keep_disagreements: bool = False  # aggregated units without agreement: kept with label null
    min_votes: int = 1  # aggregated units labelled by fewer annotators are dropped
    done_only: bool = False  # only labels whose annotator marked the article done
    targets: tuple[str, ...] = ()  # empty: all targets of the codebook
    split: str | None = None  # "80/10/10"
    seed: int = 0
    anonymise: bool = False  # annotators become annotator-1, annotator-2, ... (by join order)
    context: str = "article"  # stances: "article" or "window:N"
    # stances: each record's unit with the suggestion stored for everybody (suggest/), as a
    # separate field: a suggestion is never a label.
    with_suggestions: bool = False

    @property
    def aggregated(self) -> bool:
        """One label per unit by vote (majority or unanimous)."""
        return self.labels in (LabelMode.MAJORITY, LabelMode.UNANIMOUS)

    @property
    def gold(self) -> bool:
        return self.labels == LabelMode.GOLD


@dataclass(frozen=True)
class Checked:
    """Options after validation, in the form the writers use."""

    options: ExportOptions
    split: Split | None
    window: int | None
    targets: frozenset[str] | None
    annotator_id: int | None
    names: dict[int, str] = field(default_factory=dict)  # annotator id -> exported name


def check_options(
    fmt: str, options: ExportOptions, codebook: Codebook, annotators: dict[int, str]
) -> Checked:
    """Validate everything up front so a bad option never leaves a file behind."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r} (choose {', '.join(FORMATS)})")
    if options.labels not in LABEL_MODES:
        raise InputError(
            f"unknown label choice {options.labels!r} (choose {', '.join(LABEL_MODES)})"
        )
    if fmt == "documents" and options.aggregated:
        raise InputError(
            "the documents format keeps each annotator's labels (it is also the import "
            "format); use --format stances or spacy for aggregated labels"
        )
    if options.annotator is not None and (options.aggregated or options.gold):
        what = "the gold standard" if options.gold else "an aggregation"
        raise InputError(f"choose one annotator or {what}, not both")
    if options.min_votes < 1:
        raise InputError("the minimum number of votes must be at least 1")
    split = parse_split(options.split, options.seed) if options.split else None
    window = parse_context(options.context)
    unknown = [t for t in options.targets if t not in codebook.target_ids]
    if unknown:
        raise InputError(
            f"unknown target {unknown[0]!r} (the codebook has {', '.join(codebook.target_ids)})"
        )
    annotator_id = None
    if options.annotator is not None:
        by_name = {name: aid for aid, name in annotators.items()}
        annotator_id = by_name.get(options.annotator.strip())
        if annotator_id is None:
            known = ", ".join(sorted(by_name)) or "none yet"
            raise InputError(f"unknown annotator {options.annotator!r} (the project has: {known})")
    if options.anonymise:
        # Here, not at the top: the command line reads the choices above for every
        # command's --help, and the store brings SQLAlchemy.
        from annotator.store.annotators import GOLD_NAME

        # The gold standard is nobody's to hide: it keeps its name.
        people = sorted(aid for aid, name in annotators.items() if name != GOLD_NAME)
        names = {aid: f"annotator-{n}" for n, aid in enumerate(people, start=1)}
        names |= {aid: name for aid, name in annotators.items() if name == GOLD_NAME}
    else:
        names = dict(annotators)
    return Checked(
        options=options,
        split=split,
        window=window,
        targets=frozenset(options.targets) if options.targets else None,
        annotator_id=annotator_id,
        names=names,
    )


def default_output(fmt: str) -> Path:
    """Where an export goes when no file is named: the exports folder, one file per format."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r} (choose {', '.join(FORMATS)})")
    name = "corpus" if fmt == "spacy" else fmt
    return exports_dir() / f"{name}{_SUFFIX[fmt]}"
