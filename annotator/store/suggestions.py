"""Stored stance suggestions and models, the project's suggestion settings, and what became
of suggestions (read from the history, where accepting and rejecting one is recorded).

A suggestion is never a label: it sits in its own table until an annotator accepts it, and
then the label is written by the one label writer (store/labels.py) with the action
"accept_suggestion" and the suggestion's source and confidence in the event.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Text,
    delete,
    func,
    insert,
    or_,
    select,
    type_coerce,
)

from annotator.codebook import Codebook
from annotator.store.engine import Project
from annotator.store.label_reads import LabelFilter, connected, read_cells
from annotator.store.labels import Action
from annotator.store.models import (
    Actor,
    Annotator,
    Article,
    Assignment,
    LabelEvent,
    ProjectInfo,
    StanceModel,
    Suggestion,
    sa_table,
    utcnow,
)

SETTINGS_KEY = "suggestions"  # ProjectInfo: {"enabled": bool, "on_overlap": bool}
ACCEPT, REJECT, MERGE = Action.ACCEPT.value, Action.REJECT.value, Action.MERGE.value


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
    """The project's switches; without any, suggestions are on. A value edited by hand into
    anything but true or false counts as off ('"no"' must not switch them on), and a row
    that cannot be read at all too: an agreement study is safer without them."""
    raw = project.info(SETTINGS_KEY)
    if raw is None:
        return SuggestionSettings()
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return SuggestionSettings(False, False)
    return SuggestionSettings(
        data.get("enabled", True) is True, data.get("on_overlap", True) is True
    )


def settings_row(value: SuggestionSettings) -> ProjectInfo:
    """The switches as stored (save_settings; a package carries them too)."""
    text = json.dumps({"enabled": value.enabled, "on_overlap": value.on_overlap})
    return ProjectInfo(key=SETTINGS_KEY, value=text)


def save_settings(project: Project, value: SuggestionSettings) -> None:
    with project.write() as s:
        s.merge(settings_row(value))


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
    project: Project,
    article_ids: Collection[int],
    annotator_id: int | None,
    codebook: Codebook | None = None,
) -> list[StoredSuggestion]:
    """The stored suggestions an annotator may see: for everybody, or for her; never those
    made for another annotator (a model learnt from another's labels). Rows that are not
    what the tool writes (a project file edited by hand) are left out: see _checked; with
    `codebook`, also those whose stance or target it does not have."""
    actors = sa_table(Actor)
    t, art, act = sa_table(Suggestion).c, sa_table(Article).c, actors.c
    mine: ColumnElement[bool] = t.annotator_id.is_(None)
    if annotator_id is not None:
        mine = or_(mine, t.annotator_id == annotator_id)
    # Only for an actor that exists and was not merged into another: accepting it would
    # be refused (store/labels.check_cell).
    ids = sorted(article_ids)
    # The evidence as stored (JSON text in SQLite): a row edited into bad JSON must not
    # stop the read, so it is parsed in _checked.
    stmt = select(t.article_id, t.actor_id, t.target, t.stance, t.confidence,
                  type_coerce(t.evidence, Text),
                  t.source, t.model_version, t.margin).join(
        actors, act.id == t.actor_id).where(
        t.article_id.in_(ids), mine, act.merged_into.is_(None))  # fmt: skip
    with project.engine.connect() as conn:
        rows = conn.execute(stmt).all()
        length_of = select(art.id, func.length(art.text)).where(art.id.in_(ids))
        lengths = {int(a): int(n) for a, n in conn.execute(length_of)}
    known = (set(codebook.stance_ids), set(codebook.target_ids)) if codebook else None
    return [s for row in rows if (s := _checked(row, lengths, known)) is not None]


def _number(value: Any) -> float | None:
    """A finite number, or None (a bool, a text, NaN and infinity are not)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _checked(
    row: Any, lengths: dict[int, int], known: tuple[set[str], set[str]] | None
) -> StoredSuggestion | None:
    """A stored row as the tool writes it, else None: a confidence from 0 to 1, evidence a
    list of [start, end] within the text, a known source (a model's with its version)."""
    article, actor, target, stance, confidence, evidence, source, version, margin = row
    length = lengths.get(article, 0)
    if known is not None and (stance not in known[0] or target not in known[1]):
        return None
    sure = _number(confidence)
    if sure is None or not 0.0 <= sure <= 1.0 or (margin is not None and _number(margin) is None):
        return None
    if isinstance(evidence, str):  # a driver that hands JSON over as text
        try:
            evidence = json.loads(evidence)
        except ValueError:
            return None
    if not isinstance(evidence, list):
        return None
    spans = []
    for span in evidence:
        if not (isinstance(span, list) and len(span) == 2
                and all(type(x) is int for x in span)  # noqa: E721 - no bools, no floats
                and 0 <= span[0] < span[1] <= length):  # fmt: skip
            return None
        spans.append((span[0], span[1]))
    if source == "model" and type(version) is int and version >= 1:  # noqa: E721
        label = f"model v{version}"
    elif source == "rules":
        label = "rules"
    else:
        return None
    return StoredSuggestion(int(article), int(actor), str(target), str(stance), sure,
                            tuple(spans), label, _number(margin))  # fmt: skip


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
    """Per annotator: what she did with suggestions here, and her labels that came from one."""

    annotator: str
    accepted: int = 0  # accept events in this project (not in files merged into it)
    rejected: int = 0
    labels_from_suggestions: int = 0  # her labels in cells where she accepted one (below)

    @property
    def rate(self) -> float | None:
        decided = self.accepted + self.rejected
        return self.accepted / decided if decided else None


# In a merge event's `after`: the file's label sat in a cell where its annotator had accepted
# a suggestion (store/merge_write.py), so the mark survives a package's round trip.
FROM_SUGGESTION = "from_suggestion"
Cell = tuple[int, int, int, str]  # (annotator, article, actor, target)


def accepted_cells(source: Project | Connection) -> set[Cell]:
    """Every cell where its annotator accepted a suggestion at any time: here (an accept
    event) or in a file merged in (a merge event marked FROM_SUGGESTION). On purpose the
    widest reading: a note, new evidence, an undo and a redo, or a stance changed by hand
    afterwards do not make a unit "coded without suggestions" again; she saw and took the
    suggestion. Cells of an actor merged into another count for the remaining actor."""
    ev, act = sa_table(LabelEvent).c, sa_table(Actor).c
    stmt = select(ev.annotator_id, ev.article_id, ev.actor_id, ev.target, ev.action, ev.after)
    stmt = stmt.where(ev.actor_id.is_not(None), ev.target.is_not(None),
                      ev.action.in_([ACCEPT, MERGE]))  # fmt: skip
    with connected(source) as conn:
        into = {int(a): int(b) for a, b in conn.execute(
            select(act.id, act.merged_into).where(act.merged_into.is_not(None)))}  # fmt: skip
        found: set[Cell] = set()
        for who, article, actor, target, action, after in conn.execute(stmt):
            if action == MERGE and not (isinstance(after, dict) and after.get(FROM_SUGGESTION)):
                continue
            seen = {actor}
            while actor in into and into[actor] not in seen:  # a chain of merges, no loop
                actor = into[actor]
                seen.add(actor)
            found.add((int(who), int(article), int(actor), str(target)))
    return found


def suggestion_use(project: Project) -> list[SuggestionUse]:
    """What every annotator did with suggestions, from the history and her labels."""
    ev, ann = sa_table(LabelEvent).c, sa_table(Annotator).c
    counts = select(ev.annotator_id, ev.action, func.count()).where(
        ev.action.in_([ACCEPT, REJECT])).group_by(ev.annotator_id, ev.action)  # fmt: skip
    use: dict[int, SuggestionUse] = {}
    with project.engine.connect() as conn:
        names = {int(i): str(n) for i, n in conn.execute(select(ann.id, ann.name))}

        def of(who: int) -> SuggestionUse:
            return use.setdefault(who, SuggestionUse(names.get(who, str(who))))

        for who, action, n in conn.execute(counts):
            if action == ACCEPT:
                of(int(who)).accepted += int(n)
            else:
                of(int(who)).rejected += int(n)
        accepted = accepted_cells(conn)
        for _row, article, actor, target, who, _stance in read_cells(
            conn, LabelFilter(annotators=sorted({c[0] for c in accepted}))):  # fmt: skip
            if (who, article, actor, target) in accepted:
                of(int(who)).labels_from_suggestions += 1
    return sorted(use.values(), key=lambda u: u.annotator.casefold())


def cells_from_suggestions(project: Project) -> set[tuple[int, int, str]]:
    """Units (article, actor, target) where some annotator accepted a suggestion
    (accepted_cells): agreement without suggestions leaves them out."""
    return {(article, actor, target) for _who, article, actor, target in accepted_cells(project)}


def rejected_cells(project: Project, article_id: int, annotator_id: int) -> set[tuple[int, str]]:
    """Cells (actor, target) of an article where this annotator rejected a suggestion: she
    is not asked again."""
    ev = sa_table(LabelEvent).c
    stmt = select(ev.actor_id, ev.target).where(
        ev.article_id == article_id, ev.annotator_id == annotator_id, ev.action == REJECT
    )
    with project.engine.connect() as conn:
        return {(int(a), str(t)) for a, t in conn.execute(stmt)}
