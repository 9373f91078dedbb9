"""Coding units read from the store: who coded what, as a coders x units code matrix.

A coding unit is (article, actor, target). It exists when an annotator who marked the
article done gave it a stance. Every annotator who marked that article done is a coder of
the unit: their stance, or "no stance" when they left it empty (missing an actor is a
disagreement). Annotators who have not marked the article done are missing for its units,
and their labels there are left out entirely (work in progress is not yet a judgement).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from annotator.agreement.coding import MISSING
from annotator.codebook import Codebook
from annotator.errors import InputError
from annotator.store.actors import actor_names as actor_name_map
from annotator.store.annotators import annotator_names
from annotator.store.engine import Project
from annotator.store.label_reads import LabelFilter, done_marks, read_cells
from annotator.store.label_reads import done_counts as count_done

NO_STANCE = "no_stance"


@dataclass
class CodingData:
    """Everything the statistics need, detached from the store."""

    annotators: list[str]  # coders, one row of `codes` each
    categories: list[str]  # stance ids in scale order, then NO_STANCE
    targets: list[str]
    codes: np.ndarray  # coders x units, int8 category index, -1 = missing
    unit_target: np.ndarray  # units, index into `targets`
    unit_article: np.ndarray  # units, article id (0 when not from a store)
    unit_actor: np.ndarray  # units, actor id
    label_ids: np.ndarray | None = None  # coders x units, label row id or -1
    actor_names: dict[int, str] = field(default_factory=dict)
    articles_done: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def scale(self) -> list[str]:
        """The ordinal stance scale (every category but NO_STANCE)."""
        return self.categories[:-1]

    @property
    def n_units(self) -> int:
        return int(self.codes.shape[1])


def _select_annotators(
    project: Project, wanted: Sequence[str] | None
) -> tuple[list[int], list[str], dict[str, int]]:
    # The gold standard is no coder (agreement with it: agreement/gold.py).
    known = {name: aid for aid, name in annotator_names(project).items()}
    done_counts = count_done(project)
    if wanted:
        unknown = [w for w in wanted if w not in known]
        if unknown:
            raise InputError(
                f"unknown annotator {unknown[0]!r} (the project has "
                f"{', '.join(sorted(known)) or 'no annotators'})"
            )
        names = list(dict.fromkeys(wanted))
    else:
        names = sorted(n for n, aid in known.items() if done_counts.get(aid))
    ids = [known[n] for n in names]
    done = {n: done_counts.get(known[n], 0) for n in names}
    return ids, names, done


Row = tuple[int, tuple[int, int, int], str | None, int]  # coder, unit key, stance, label id


def _coded(
    label_rows: Sequence[tuple[Any, ...]],
    row_of: dict[int, int],
    target_index: dict[str, int],
    cat_index: dict[str, int],
    codebook: Codebook,
) -> tuple[list[Row], int]:
    """The labels as rows of the matrix, and how many with a stance were left out because
    their target is not in the report."""
    rows: list[Row] = []
    left_out = 0
    for label_id, article, actor, target, annotator, stance in label_rows:
        t = target_index.get(target)
        if t is None:
            left_out += stance is not None
            continue
        if stance is not None and stance not in cat_index:
            codebook.check_held_stances((stance,))
        rows.append((row_of[annotator], (article, actor, t), stance, label_id))
    return rows, left_out


def _matrix(
    rows: list[Row],
    units: dict[tuple[int, int, int], int],
    unit_article: np.ndarray,
    done_rows: Sequence[tuple[int, int]],
    row_of: dict[int, int],
    coders: int,
    cat_index: dict[str, int],
) -> tuple[np.ndarray, np.ndarray]:
    """(codes, label ids), coders x units. Everybody who finished the article starts at "no
    stance"; their labels overwrite it; the others are missing."""
    article_col = {a: i for i, a in enumerate(dict.fromkeys(unit_article.tolist()))}
    done = np.zeros((coders, len(article_col)), dtype=bool)
    for article, annotator in done_rows:
        col = article_col.get(article)
        if col is not None:
            done[row_of[annotator], col] = True
    cols = np.array([article_col[a] for a in unit_article.tolist()], dtype=np.int64)
    no_stance = cat_index[NO_STANCE]
    codes = np.where(done[:, cols], no_stance, MISSING).astype(np.int8)
    label_ids = np.full(codes.shape, -1, dtype=np.int64)
    for row, key, stance, label_id in rows:
        unit = units.get(key)
        if unit is not None:
            codes[row, unit] = no_stance if stance is None else cat_index[stance]
            label_ids[row, unit] = label_id
    return codes, label_ids


def load_coding_data(
    project: Project,
    codebook: Codebook,
    *,
    targets: Sequence[str] | None = None,
    annotators: Sequence[str] | None = None,
) -> CodingData:
    """Read labels and done marks in two queries and lay them out as a code matrix."""
    target_ids = list(dict.fromkeys(targets)) if targets else list(codebook.target_ids)
    for target_id in target_ids:
        codebook.target(target_id)  # raises a CodebookError naming the known targets
    categories = [*codebook.stance_ids, NO_STANCE]
    cat_index = {c: i for i, c in enumerate(categories)}
    ann_ids, names, done_counts = _select_annotators(project, annotators)
    row_of = {aid: i for i, aid in enumerate(ann_ids)}
    target_index = {t: i for i, t in enumerate(target_ids)}
    notes: list[str] = []

    with project.engine.connect() as conn:
        done_rows = done_marks(conn, annotators=ann_ids)
        # Only labels from annotators who finished the article count (see module docstring).
        label_rows = read_cells(conn, LabelFilter(annotators=ann_ids, done_only=True))
        actor_names = actor_name_map(conn)

    rows, left_out = _coded(label_rows, row_of, target_index, cat_index, codebook)
    if left_out:
        notes.append(f"{left_out} label(s) on targets outside this report were left out")
    # Rows come ordered, so units are numbered by article, actor id, target.
    units: dict[tuple[int, int, int], int] = {}
    for _row, key, stance, _label in rows:
        if stance is not None and key not in units:
            units[key] = len(units)
    keys = list(units)
    unit_article = np.array([k[0] for k in keys], dtype=np.int64)
    unit_actor = np.array([k[1] for k in keys], dtype=np.int64)
    unit_target = np.array([k[2] for k in keys], dtype=np.int64)
    codes, label_ids = _matrix(rows, units, unit_article, done_rows, row_of, len(names),
                               cat_index)  # fmt: skip
    return CodingData(
        annotators=names,
        categories=categories,
        targets=target_ids,
        codes=codes,
        unit_target=unit_target,
        unit_article=unit_article,
        unit_actor=unit_actor,
        label_ids=label_ids,
        actor_names=actor_names,
        articles_done=done_counts,
        notes=notes,
    )


def drop_units(data: CodingData, cells: set[tuple[int, int, str]]) -> CodingData:
    """The same data without the units (article, actor, target) in `cells`, with a note."""
    if not cells:
        return data
    keep = np.array(
        [
            (int(a), int(actor), data.targets[int(t)]) not in cells
            for a, actor, t in zip(data.unit_article, data.unit_actor, data.unit_target,
                                   strict=True)
        ],
        dtype=bool,
    )  # fmt: skip
    dropped = int((~keep).sum())
    return replace(
        data,
        codes=data.codes[:, keep],
        unit_target=data.unit_target[keep],
        unit_article=data.unit_article[keep],
        unit_actor=data.unit_actor[keep],
        label_ids=None if data.label_ids is None else data.label_ids[:, keep],
        notes=[*data.notes, f"{dropped} unit(s) left out: a coder accepted a suggestion there"],
    )
