"""The disagreement list: units on which annotators differ, with their evidence and article."""

from __future__ import annotations

import numpy as np

from annotator.agreement.coding import value_counts
from annotator.agreement.results import Disagreement
from annotator.agreement.units import CodingData
from annotator.store.articles import article_titles
from annotator.store.engine import Project
from annotator.store.label_reads import label_texts

SNIPPET_CHARS = 240


def disagreement_units(codes: np.ndarray, n_categories: int) -> np.ndarray:
    """Indices of units where at least two values were given and they are not all the same."""
    counts = value_counts(codes, n_categories)
    return np.nonzero((counts > 0).sum(axis=1) > 1)[0]


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"


def _store_details(
    project: Project, article_ids: set[int], label_ids: set[int]
) -> tuple[dict[int, tuple[str, str]], dict[int, list[str]], dict[int, str]]:
    """Titles, evidence text and notes."""
    articles = {
        aid: (ext, title) for aid, ext, title in article_titles(project) if aid in article_ids
    }
    evidence, notes = label_texts(project, label_ids)
    snippets = {lid: [_snippet(t) for t in texts] for lid, texts in evidence.items()}
    return articles, snippets, notes


def build_disagreements(
    data: CodingData, units: np.ndarray, project: Project | None = None
) -> list[Disagreement]:
    """Disagreement records for `units`; article titles and evidence come from `project`."""
    codes, label_ids = data.codes, data.label_ids
    articles: dict[int, tuple[str, str]] = {}
    evidence: dict[int, list[str]] = {}
    notes: dict[int, str] = {}
    if project is not None and len(units) and label_ids is not None:
        used = label_ids[:, units]
        articles, evidence, notes = _store_details(
            project,
            set(data.unit_article[units].tolist()),
            set(used[used >= 0].tolist()),
        )
    # Plain Python lists: indexing numpy arrays element by element is ~10x slower here.
    unit_codes = codes[:, units].T.tolist()
    ids = label_ids if label_ids is not None else np.full(codes.shape, -1, dtype=np.int64)
    unit_labels = ids[:, units].T.tolist()
    cats, names = data.categories, data.annotators
    out: list[Disagreement] = []
    for i, u in enumerate(units.tolist()):
        coded = [(names[r], cats[c], lid) for r, (c, lid) in
                 enumerate(zip(unit_codes[i], unit_labels[i], strict=True)) if c >= 0]  # fmt: skip
        article_id = int(data.unit_article[u])
        actor_id = int(data.unit_actor[u])
        external_id, title = articles.get(article_id, ("", ""))
        out.append(
            Disagreement(
                article_id=article_id,
                external_id=external_id,
                title=title,
                actor_id=actor_id,
                actor=data.actor_names.get(actor_id, str(actor_id)),
                target=data.targets[int(data.unit_target[u])],
                labels={name: cat for name, cat, _ in coded},
                evidence={name: evidence[lid] for name, _, lid in coded if lid in evidence},
                notes={name: notes[lid] for name, _, lid in coded if lid in notes},
            )
        )
    return out
