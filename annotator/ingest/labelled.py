"""Importing labelled `documents` records (the export format): mentions and stance labels.

`check_labelled` runs in pass 1 of the import and refuses a record before anything is
written; `write_labelled` runs in pass 2 inside the transaction that inserts the article,
so an article never arrives without its labels. Offsets are Python `str` indices, as in the
export; a span or evidence that carries its `text` is checked against it, which catches
offsets counted in UTF-16 units or bytes by another tool.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from annotator.codebook import Codebook
from annotator.errors import InputError
from annotator.ingest.readers import ArticleRecord
from annotator.limits import check_name
from annotator.store.annotators import check_person_name
from annotator.store.labels import Action, CellKey, CellState, write_cell, write_done
from annotator.store.models import MENTION_LABELS, MENTION_SOURCES, Annotator, Mention

if TYPE_CHECKING:
    from annotator.ingest.highlighting import ActorResolver

# Spans without a source were marked by people (Prodigy, another annotation tool): keep them
# as manual mentions so re-highlighting never removes them.
DEFAULT_SPAN_SOURCE = "manual"
# Actors named only in a stance (no mention) are created with this NER label.
DEFAULT_ACTOR_LABEL = "MISC"


@dataclass(frozen=True)
class _ActorSpan:
    """What ActorResolver.id_for reads from a span."""

    actor: str | None
    label: str
    source: str


def _fail(record: ArticleRecord, message: str) -> InputError:
    path, _, line = record.origin.rpartition(":")
    if path and line.isdigit():
        return InputError(message, path=path, line=int(line))
    return InputError(message, path=record.origin or None)


def _offsets(record: ArticleRecord, item: Any, what: str) -> tuple[int, int]:
    if not isinstance(item, dict):
        raise _fail(record, f"each {what} must be an object with 'start' and 'end'")
    start, end = item.get("start"), item.get("end")
    if type(start) is not int or type(end) is not int:
        raise _fail(record, f"{what} needs whole-number 'start' and 'end'")
    n = len(record.text)
    if not 0 <= start < end <= n:
        raise _fail(record, f"{what} {start}-{end} lies outside the text (length {n})")
    surface = item.get("text")
    if surface is not None and surface != record.text[start:end]:
        raise _fail(
            record,
            f"{what} {start}-{end} says {surface!r} but the text there is "
            f"{record.text[start:end]!r} (offsets must count Python characters, "
            "not bytes or UTF-16 units)",
        )
    return start, end


def _name(record: ArticleRecord, value: str, what: str) -> None:
    try:
        check_name(value, what)
    except InputError as exc:
        raise _fail(record, exc.detail) from None


def _person(record: ArticleRecord, value: str, what: str) -> None:
    """An annotator's name: a name, and not the gold standard's (an exported gold standard
    would become a person who blocks curation)."""
    _name(record, value, f"{what}: annotator name")
    try:
        check_person_name(value)
    except InputError as exc:
        raise _fail(
            record,
            f"{what}: {exc.detail} (a gold standard comes along with merge --whole-project)",
        ) from None


def _opt_text(record: ArticleRecord, item: dict, key: str, what: str) -> str | None:
    value = item.get(key)
    if value is not None and not isinstance(value, str):
        raise _fail(record, f"{what}: '{key}' must be a text or null")
    return value


def _list(record: ArticleRecord, key: str) -> list[Any]:
    value = (record.labelled or {}).get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(record, f"'{key}' must be a list")
    return value


def _check_spans(record: ArticleRecord) -> None:
    seen: set[tuple[int, int]] = set()
    for sp in _list(record, "spans"):
        start, end = _offsets(record, sp, "span")
        if (start, end) in seen:
            raise _fail(record, f"span {start}-{end} is given twice")
        seen.add((start, end))
        label = sp.get("label")
        if label not in MENTION_LABELS:
            raise _fail(
                record,
                f"span {start}-{end} has label {label!r} (expected {', '.join(MENTION_LABELS)})",
            )
        if _opt_text(record, sp, "actor", f"span {start}-{end}") is not None:
            _name(record, sp["actor"], f"span {start}-{end}: actor name")
        source = sp.get("source", DEFAULT_SPAN_SOURCE)
        if source not in MENTION_SOURCES:
            raise _fail(
                record,
                f"span {start}-{end} has source {source!r} (expected {', '.join(MENTION_SOURCES)})",
            )


def _check_stances(record: ArticleRecord, codebook: Codebook) -> None:
    seen: set[tuple[str, str, str]] = set()
    for i, st in enumerate(_list(record, "stances"), start=1):
        what = f"stance {i}"
        if not isinstance(st, dict):
            raise _fail(record, f"{what} must be an object")
        actor, annotator = st.get("actor"), st.get("annotator")
        if not isinstance(actor, str) or not actor.strip():
            raise _fail(record, f"{what} needs an 'actor' name")
        if not isinstance(annotator, str) or not annotator.strip():
            raise _fail(record, f"{what} needs an 'annotator' name")
        _name(record, actor, f"{what}: actor name")
        _person(record, annotator, what)
        target = st.get("target")
        if target not in codebook.target_ids:
            raise _fail(
                record,
                f"{what} has target {target!r}, which the codebook does not know "
                f"(it has {', '.join(codebook.target_ids)})",
            )
        stance = st.get("stance")
        if stance is not None and stance not in codebook.stance_ids:
            raise _fail(
                record,
                f"{what} has stance {stance!r} (expected {', '.join(codebook.stance_ids)} or null)",
            )
        _opt_text(record, st, "note", what)
        evidence = st.get("evidence", [])
        if evidence is not None and not isinstance(evidence, list):  # 0 is no empty list
            raise _fail(record, f"{what}: 'evidence' must be a list")
        for ev in evidence or []:
            _offsets(record, ev, f"{what}: evidence")
        key = (actor.strip(), target, annotator.strip())
        if key in seen:
            raise _fail(record, f"{what}: {annotator} labelled {actor} on {target} twice")
        seen.add(key)


def check_labelled(record: ArticleRecord, codebook: Codebook) -> None:
    """Validate a labelled record before anything is written (pass 1 of the import)."""
    _check_spans(record)
    _check_stances(record, codebook)
    for name in _list(record, "done_by"):
        if not isinstance(name, str) or not name.strip():
            raise _fail(record, "'done_by' must list annotator names")
        _person(record, name, "'done_by'")


class _Annotators:
    """Annotator ids by name, created inside the import's transaction when new."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.ids: dict[str, int] = {}

    def id_for(self, name: str) -> int:
        name = name.strip()
        found = self.ids.get(name)
        if found is None:
            found = self.session.exec(select(Annotator.id).where(Annotator.name == name)).first()
            if found is None:
                row = Annotator(name=name)
                self.session.add(row)
                self.session.flush()
                found = row.id
            self.ids[name] = found  # type: ignore[assignment]
        return found  # type: ignore[return-value]


def write_labelled(
    session: Session, resolver: ActorResolver, article_id: int, record: ArticleRecord
) -> None:
    """Store the record's mentions and stance labels for a freshly inserted article."""
    if "spans" in (record.labelled or {}):
        # The record's spans are the article's mentions, an empty list included: drop what
        # the highlighter may have found for this new article in the same transaction.
        session.execute(delete(Mention).where(col(Mention.article_id) == article_id))
    spans = _list(record, "spans")
    label_of: dict[str, str] = {}
    rows = []
    for sp in spans:
        span = _ActorSpan(sp.get("actor"), sp["label"], sp.get("source", DEFAULT_SPAN_SOURCE))
        if span.actor:
            label_of.setdefault(span.actor, span.label)
        rows.append(
            {
                "article_id": article_id,
                "start": sp["start"],
                "end": sp["end"],
                "label": span.label,
                "actor_id": resolver.id_for(span),  # type: ignore[arg-type]
                "source": span.source,
            }
        )
    if rows:
        session.execute(insert(Mention), rows)
    annotators = _Annotators(session)
    for st in _list(record, "stances"):
        state = CellState(
            st.get("stance"),
            tuple((ev["start"], ev["end"]) for ev in st.get("evidence") or []),
            st.get("note") or None,
        )
        if state.is_empty:
            continue  # an empty cell is no label (the store never keeps one)
        actor = st["actor"].strip()
        actor_span = _ActorSpan(actor, label_of.get(actor, DEFAULT_ACTOR_LABEL), "import")
        key = CellKey(article_id, resolver.id_for(actor_span), st["target"])  # type: ignore[arg-type]
        # "import", not a session action: the history shows where the label came from, and
        # an annotator's undo stack does not reach back past it (see store/history.py).
        write_cell(session, annotators.id_for(st["annotator"]), key, state, Action.IMPORT)
    for name in dict.fromkeys(n.strip() for n in _list(record, "done_by")):
        write_done(session, article_id, annotators.id_for(name), True, Action.IMPORT)
    session.flush()
