"""Stored stance suggestions and models, the project's suggestion settings, and what became
of suggestions (read from the history, where accepting and rejecting one is recorded).

A suggestion is never a label: it sits in its own table until an annotator accepts it, and
then the label is written by the one label writer (store/labels.py) with the action
"accept_suggestion" and the suggestion's source and confidence in the event.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, insert, or_, select

from annotator.store.engine import Project
from annotator.store.models import (
    Annotator,
    Assignment,
    LabelEvent,
    ProjectInfo,
    StanceModel,
    Suggestion,
    sa_table,
    utcnow,
)

SETTINGS_KEY = "suggestions"  # ProjectInfo: {"enabled": bool, "on_overlap": bool}
ACCEPT, REJECT = "accept_suggestion", "reject_suggestion"  # store.labels.Action values


@dataclass(frozen=True)
class StoredSuggestion:
    article_id: int
    actor_id: int
    target: str
    stance: str
    confidence: float
    evidence: tuple[tuple[int, int], ...]
    source: str  # "rules" or "model vN"
    margin: float | None = None


@dataclass(frozen=True)
class SuggestionSettings:
    enabled: bool = True
    on_overlap: bool = True  # also on articles planned for several coders (agreement)


def settings(project: Project) -> SuggestionSettings:
    raw = project.info(SETTINGS_KEY)
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    return SuggestionSettings(bool(data.get("enabled", True)), bool(data.get("on_overlap", True)))


def save_settings(project: Project, value: SuggestionSettings) -> None:
    text = json.dumps({"enabled": value.enabled, "on_overlap": value.on_overlap})
    with project.write() as s:
        s.merge(ProjectInfo(key=SETTINGS_KEY, value=text))


def shown_on(project: Project, article_id: int, annotator_id: int | None) -> bool:
    """Whether suggestions may be shown on this article: switched on for the project, and
    not on an article planned for several coders when the lead keeps those without."""
    chosen = settings(project)
    if not chosen.enabled:
        return False
    if chosen.on_overlap:
        return True
    a = sa_table(Assignment).c
    stmt = select(a.id).where(a.article_id == article_id, a.overlap.is_(True)).limit(1)
    with project.engine.connect() as conn:
        return conn.execute(stmt).first() is None


def replace_suggestions(
    project: Project,
    article_ids: Sequence[int],
    found: Sequence[StoredSuggestion],
    *,
    annotator_id: int | None = None,
) -> int:
    """Store `found` as the suggestions of these articles (for `annotator_id`, or for
    everybody), replacing earlier ones; returns how many were stored."""
    table = sa_table(Suggestion)
    now = utcnow()
    rows = [
        {
            "article_id": f.article_id,
            "actor_id": f.actor_id,
            "target": f.target,
            "stance": f.stance,
            "confidence": f.confidence,
            "margin": f.margin,
            "evidence": [list(e) for e in f.evidence],
            "source": "model" if f.source.startswith("model") else "rules",
            "model_version": int(f.source.split("v")[-1]) if f.source.startswith("model") else None,
            "annotator_id": annotator_id,
            "created_at": now,
        }  # fmt: skip
        for f in found
    ]
    with project.write() as s:
        for start in range(0, len(article_ids), 500):
            chunk = list(article_ids[start : start + 500])
            owner = (table.c.annotator_id.is_(None) if annotator_id is None
                     else table.c.annotator_id == annotator_id)  # fmt: skip
            s.execute(delete(table).where(table.c.article_id.in_(chunk), owner))
        if rows:
            s.execute(insert(table), rows)
    return len(rows)


def stored_for(
    project: Project, article_ids: Collection[int], annotator_id: int | None
) -> list[StoredSuggestion]:
    """The stored suggestions an annotator may see: for everybody, or for her; never those
    made for another annotator (a model learnt from another's labels)."""
    t = sa_table(Suggestion).c
    mine: ColumnElement[bool] = t.annotator_id.is_(None)
    if annotator_id is not None:
        mine = or_(mine, t.annotator_id == annotator_id)
    stmt = select(t.article_id, t.actor_id, t.target, t.stance, t.confidence, t.evidence,
                  t.source, t.model_version, t.margin).where(
        t.article_id.in_(sorted(article_ids)), mine)  # fmt: skip
    with project.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    out = []
    for article, actor, target, stance, confidence, evidence, source, version, margin in rows:
        spans = evidence if isinstance(evidence, list) else json.loads(evidence or "[]")
        label = f"model v{version}" if source == "model" else "rules"
        out.append(StoredSuggestion(article, actor, target, stance, float(confidence),
                                    tuple((int(a), int(b)) for a, b in spans), label,
                                    margin))  # fmt: skip
    return out


# ------------------------------------------------------------------ models


def save_model(
    project: Project,
    numbers: dict[str, Any],
    quality: dict[str, Any],
    *,
    trained_from: str,
    annotator_id: int | None,
    units: int,
    usable: bool,
) -> int:
    """Store a model as the next version; returns the version."""
    table = sa_table(StanceModel)
    with project.write() as s:
        result = s.execute(insert(table).values(
            created_at=utcnow(), trained_from=trained_from, annotator_id=annotator_id,
            units=units, usable=usable, quality=quality, numbers=numbers))  # fmt: skip
        return int(result.inserted_primary_key[0])  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ModelInfo:
    version: int
    trained_from: str
    annotator_id: int | None
    units: int
    usable: bool
    quality: dict[str, Any]


def latest_model(
    project: Project, annotator_id: int | None, *, with_numbers: bool = False
) -> tuple[ModelInfo, dict[str, Any] | None] | None:
    """The newest usable model for everybody (learnt from gold, annotator_id None) or for
    one annotator (learnt from her own labels), with its numbers if asked."""
    t = sa_table(StanceModel).c
    owner = t.annotator_id.is_(None) if annotator_id is None else t.annotator_id == annotator_id
    cols = [t.version, t.trained_from, t.annotator_id, t.units, t.usable, t.quality]
    if with_numbers:
        cols.append(t.numbers)
    stmt = select(*cols).where(owner, t.usable.is_(True)).order_by(t.version.desc()).limit(1)
    with project.engine.connect() as conn:
        row = conn.execute(stmt).first()
    if row is None:
        return None
    info = ModelInfo(int(row[0]), str(row[1]), row[2], int(row[3]), bool(row[4]), dict(row[5]))
    return info, (dict(row[6]) if with_numbers else None)


# ------------------------------------------------------------------ what became of them


@dataclass
class SuggestionUse:
    """Per annotator: labels that came from accepted suggestions, and the acceptance rate."""

    annotator: str
    accepted: int = 0
    rejected: int = 0
    labels_from_suggestions: int = 0  # cells whose last change was an accepted suggestion

    @property
    def rate(self) -> float | None:
        decided = self.accepted + self.rejected
        return self.accepted / decided if decided else None


def suggestion_use(project: Project) -> list[SuggestionUse]:
    """What every annotator did with suggestions, from the history."""
    ev, ann = sa_table(LabelEvent).c, sa_table(Annotator).c
    stmt = select(ev.annotator_id, ev.article_id, ev.actor_id, ev.target, ev.action).where(
        ev.actor_id.is_not(None)).order_by(ev.id)  # fmt: skip
    use: dict[int, SuggestionUse] = {}
    last: dict[tuple[int, int, int, str], str] = {}
    with project.engine.connect() as conn:
        names = {int(i): str(n) for i, n in conn.execute(select(ann.id, ann.name))}
        for who, article, actor, target, action in conn.execute(stmt):
            if action == ACCEPT:
                use.setdefault(who, SuggestionUse(names.get(who, str(who)))).accepted += 1
            elif action == REJECT:
                use.setdefault(who, SuggestionUse(names.get(who, str(who)))).rejected += 1
                continue  # a rejection changes no label
            last[(who, article, actor, target)] = action
    for (who, *_cell), action in last.items():
        if action == ACCEPT:
            use[who].labels_from_suggestions += 1
    return sorted(use.values(), key=lambda u: u.annotator.casefold())


def cells_from_suggestions(project: Project) -> set[tuple[int, int, str]]:
    """Units (article, actor, target) where some annotator's label came from an accepted
    suggestion (agreement without suggestions leaves them out)."""
    ev = sa_table(LabelEvent).c
    stmt = select(ev.annotator_id, ev.article_id, ev.actor_id, ev.target, ev.action).where(
        ev.actor_id.is_not(None), ev.action.not_in([REJECT])).order_by(ev.id)  # fmt: skip
    last: dict[tuple[int, int, int, str], str] = {}
    with project.engine.connect() as conn:
        for who, article, actor, target, action in conn.execute(stmt):
            last[(who, article, actor, target)] = action
    return {(a, actor, t) for (_w, a, actor, t), action in last.items() if action == ACCEPT}


def rejected_cells(project: Project, article_id: int, annotator_id: int) -> set[tuple[int, str]]:
    """Cells (actor, target) of an article where this annotator rejected a suggestion: she
    is not asked again."""
    ev = sa_table(LabelEvent).c
    stmt = select(ev.actor_id, ev.target).where(
        ev.article_id == article_id, ev.annotator_id == annotator_id, ev.action == REJECT
    )
    with project.engine.connect() as conn:
        return {(int(a), str(t)) for a, t in conn.execute(stmt)}
