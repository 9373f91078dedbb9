"""Curation: from the annotators' disagreement to a gold standard (no Qt here).

The gold standard is the labels of one reserved annotator (kind "gold"), written through the
same label writer and history as every label (store/gold.py), each with its provenance: an
annotator's version, a pre-merge strategy, or the curator's own decision.

    from annotator.curation import CurationSession, apply_strategy
    session = CurationSession(project, codebook, curator_id)
    view = session.article(article_id)        # units, versions, gold, origin; disagreeing first
    session.accept(view.units[0].key, anna_id)   # or set_stance / add_evidence / set_note / clear
    session.finish(article_id)                # curated; session.undo() / session.redo()
    apply_strategy(project, "complete", curator_id=lena_id)   # every ready article
    finish_decided(project, curator_id=lena_id)  # curated where every unit is decided

Modules: strategies (pure pre-merge rules), units (the view's data), session (decisions,
undo), apply (pre-merge over articles), finish (curated where all is decided), states
(badges, filters, status), feedback (where gold differs from an annotator's labels).
docs/curation.md has the details.
"""

from annotator.curation.apply import ApplySummary, apply_strategy, mergeable_articles
from annotator.curation.feedback import GoldDifference, gold_differences, gold_visible
from annotator.curation.finish import FinishSummary, finish_decided
from annotator.curation.session import (
    CurationChange,
    CurationConflict,
    CurationSession,
    GoldChange,
    Premerged,
    StateChange,
)
from annotator.curation.states import (
    ArticleState,
    CurationStatus,
    annotator_states,
    article_states,
    coders_per_article,
    curation_queue,
    curation_status,
    set_coders_per_article,
)
from annotator.curation.strategies import STRATEGIES, Strategy, premerge
from annotator.curation.units import (
    ArticleCuration,
    CurationError,
    CurationUnit,
    Origin,
    Version,
    load_article_curation,
)

__all__ = [
    "STRATEGIES",
    "ApplySummary",
    "ArticleCuration",
    "ArticleState",
    "CurationChange",
    "CurationConflict",
    "CurationError",
    "CurationSession",
    "CurationStatus",
    "CurationUnit",
    "FinishSummary",
    "GoldChange",
    "GoldDifference",
    "Origin",
    "Premerged",
    "StateChange",
    "Strategy",
    "Version",
    "annotator_states",
    "apply_strategy",
    "article_states",
    "coders_per_article",
    "curation_queue",
    "curation_status",
    "finish_decided",
    "gold_differences",
    "gold_visible",
    "load_article_curation",
    "mergeable_articles",
    "premerge",
    "set_coders_per_article",
]
