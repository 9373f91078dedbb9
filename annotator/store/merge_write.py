"""Writing one checked snapshot into the lead's project (store/merge.py has the rules).

Each step maps the other file's ids to this project's for the next: annotators, actors,
articles, mentions, labels, done marks, what the file's history says was cleared, and (for
a whole project only) the gold standard. Labels and done marks are written through the one
label writer (store/labels.py) with the action "merge".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlmodel import Session

from annotator.dates import check_date, check_date_written
from annotator.errors import InputError
from annotator.limits import ARTICLE_FIELDS, MAX_ARTICLE_CHARS, check_field, check_marked_text
from annotator.store import models as m
from annotator.store.actors import actor_ids
from annotator.store.bulk import inserted_id
from annotator.store.label_reads import Label, LabelFilter, done_marks, read_labels
from annotator.store.labels import Action, CellKey, CellState, StoredCell, write_cell, write_done
from annotator.store.merge_gold import gold_annotator, merge_gold
from annotator.store.merge_people import map_annotators, refusal
from annotator.store.merge_report import FileMerge
from annotator.store.models import sa_table as _t
from annotator.store.suggestions import FROM_SUGGESTION, accepted_cells

# A clock a few minutes fast is a laptop; a label from 2099 is a forgery or a broken clock.
FUTURE_SLACK = timedelta(minutes=10)


def utc(at: datetime) -> datetime:
    """Times as the store hands them over (aware, UTC); a zone-less one is UTC already."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def _without_id(row: Any) -> dict[str, Any]:
    return {k: v for k, v in row._mapping.items() if k != "id"}


class FileWriter:
    """Copies one other file (`src`, a checked snapshot) into the target session `s`."""

    def __init__(
        self,
        s: Session,
        src: Connection,
        result: FileMerge,
        renames: Mapping[str, str],
        *,
        whole_project: bool,
    ) -> None:
        self.s, self.src, self.result, self.renames = s, src, result, renames
        self.whole = whole_project
        self.now = utc(m.utcnow())
        self.annotators: dict[int, int] = {}  # other file's id -> our id, likewise below
        self.actors: dict[int, int] = {}
        self.articles: dict[int, int] = {}
        self.new_articles: set[int] = set()  # other ids of articles we did not have
        self.conflicted: set[int] = set()  # other ids of articles whose text differs
        self.src_gold = gold_annotator(src)  # the other file's gold annotator, if any
        # A coder's file in a planned project: (our article, our annotator) pairs she may
        # bring work for; None: no restriction.
        self.allowed: set[tuple[int, int]] | None = None

    def run(self) -> None:
        for step in (self._annotators, self._actors, self._articles, self._plan, self._mentions,
                     self._labels, self._done, self._cleared):  # fmt: skip
            step()
        if self.whole:
            gold = merge_gold(self.s, self.src, annotators=self.annotators, actors=self.actors,
                              articles=self.articles, conflicted=self.conflicted)  # fmt: skip
            self.result.gold_added += gold.added
            self.result.gold_kept += gold.kept
            self.result.curations_added += gold.curations_added

    # ------------------------------------------------------------ time

    def _time(self, at: datetime) -> datetime:
        """A time from the file, clamped to now when it lies in the future (and counted)."""
        at = utc(at)
        if at > self.now + FUTURE_SLACK:
            self.result.future_times += 1
            self.result.latest_future = max(self.result.latest_future or at, at)
            return self.now
        return at

    # ------------------------------------------------------------ annotators

    def _refuse(self, message: str) -> InputError:
        return refusal(self.result.path, message)

    def _annotators(self) -> None:
        self.annotators = map_annotators(
            self.s, self.src, self.result, self.renames, whole_project=self.whole,
            src_gold=self.src_gold,
        )  # fmt: skip

    # ------------------------------------------------------------ actors, articles

    def _actors(self) -> None:
        c, al = _t(m.Actor).c, _t(m.ActorAlias).c
        ours = actor_ids(self.s)  # a merged-away actor's name leads to the actor it became
        rows = self.src.execute(select(c.id, c.name, c.type, c.label, c.origin, c.merged_into))
        merged: dict[int, int] = {}
        for row in rows:
            if row.merged_into is not None and row.name not in ours:
                merged[row.id] = row.merged_into  # mapped below, through what it became
                continue
            if row.name not in ours:
                self._searched(row.name, f"the actor name {row.name!r}")
                values = {k: getattr(row, k) for k in ("name", "type", "label", "origin")}
                ours[row.name] = int(inserted_id(self.s.execute(insert(m.Actor).values(**values))))
                self.result.actors_added += 1
            self.actors[row.id] = ours[row.name]
        for oid in merged:
            final, seen = oid, set()
            while final in merged and final not in seen:
                seen.add(final)
                final = merged[final]
            if final in self.actors:
                self.actors[oid] = self.actors[final]
        names = {aid: name for name, aid in ours.items()}
        known: set[Sequence[Any]] = set(self.s.execute(select(al.actor_id, al.alias)).all())
        new = []
        for oid, alias in self.src.execute(select(al.actor_id, al.alias)):
            if oid not in self.actors:
                continue
            key = (self.actors[oid], alias)
            if alias != names.get(key[0]) and key not in known:
                self._searched(alias, f"the alias {alias!r} of the actor {names.get(key[0])!r}")
                known.add(key)
                new.append({"actor_id": key[0], "alias": alias})
        if new:
            self.s.execute(insert(m.ActorAlias), new)
        self.result.aliases_added += len(new)

    def _searched(self, name: str, what: str) -> None:
        """A name this merge adds is looked for in every later import and re-highlighting,
        so it passes the rule for text marked by hand in the window: an alias 'die' had
        made every 'die' a mention of its actor."""
        try:
            check_marked_text(name, 0, len(name))
        except InputError as exc:
            raise self._refuse(f"{what} is no name to highlight: {exc.detail}") from None

    def _articles(self) -> None:
        c = _t(m.Article).c
        by_ext: dict[str, tuple[int, str]] = {}
        by_sha: dict[str, int] = {}
        for aid, ext, sha in self.s.execute(select(c.id, c.external_id, c.text_sha256)):
            by_ext[ext] = (aid, sha)
            by_sha.setdefault(sha, aid)
        for oid, ext, sha in self.src.execute(select(c.id, c.external_id, c.text_sha256)):
            mine = by_ext.get(ext)
            if mine is not None and mine[1] != sha:
                self.conflicted.add(oid)
                self.result.text_conflicts.append(ext)
            elif mine is not None or sha in by_sha:
                self.articles[oid] = mine[0] if mine is not None else by_sha[sha]
                self.result.articles_matched += 1
            else:
                self.new_articles.add(oid)
                by_sha[sha] = -1  # the same text twice in one file is one article
        self.result.text_conflicts.sort()
        if not self.new_articles:
            return
        if not self.whole and self._planned():  # nobody is assigned an article we lack
            self.result.articles_not_taken = len(self.new_articles)
            self.new_articles = set()
            return
        for row in self.src.execute(select(_t(m.Article))):
            if row.id in self.new_articles:
                self._importable(row)
                self.articles[row.id] = int(
                    inserted_id(self.s.execute(insert(m.Article).values(**_without_id(row))))
                )
                self.result.articles_added += 1

    def _importable(self, row: Any) -> None:
        """An article this merge adds passes the import's checks (a file edited by hand
        had brought a 3-million-character text, a date 0001-01-01 and an id with a line
        break and an escape code): its text's length always; its fields and a plausible
        date unless the whole project is trusted (--whole-project, like --allow-dates)."""
        what = f"the new article {str(row.external_id)[:40]!r}"
        if len(row.text or "") > MAX_ARTICLE_CHARS:
            raise self._refuse(f"{what} has {len(row.text):,} characters; the limit is "
                               f"{MAX_ARTICLE_CHARS:,}")  # fmt: skip
        if self.whole:
            return
        try:
            for key, name, longest, formatting in ARTICLE_FIELDS:
                value = row.external_id if key == "id" else getattr(row, key, None)
                if key == "id" or value:
                    check_field(str(value), name, longest, formatting=formatting)
            check_date_written(row.date)
            check_date(row.date)
        except InputError as exc:
            raise self._refuse(f"{what}: {exc.detail}") from None

    def _planned(self) -> bool:
        return self.s.execute(select(_t(m.Assignment).c.id).limit(1)).first() is not None

    def _plan(self) -> None:
        """A coder's work counts in a planned project only in the articles planned for her."""
        if self.whole or not self.annotators or not self._planned():
            return
        a = _t(m.Assignment).c
        ours = list(self.annotators.values())
        rows = self.s.execute(select(a.article_id, a.annotator_id).where(a.annotator_id.in_(ours)))
        self.allowed = {(int(x), int(y)) for x, y in rows}

    def _takes(self, article: int, annotator: int) -> bool:
        return self.allowed is None or (article, annotator) in self.allowed

    def _mentions(self) -> None:
        c = _t(m.Mention).c
        rows = self.src.execute(select(_t(m.Mention)).order_by(c.article_id, c.start))
        fresh = self.new_articles
        coder = set(self.annotators.values())
        wanted = [r for r in rows if r.article_id in fresh or (
            r.source == "manual" and r.article_id in self.articles
            and (self.allowed is None
                 or any(self._takes(self.articles[r.article_id], a) for a in coder)))]  # fmt: skip
        known = {self.articles[r.article_id] for r in wanted if r.article_id not in fresh}
        spans: dict[int, list[tuple[int, int]]] = {}
        if known:
            stmt = select(c.article_id, c.start, c.end).where(c.article_id.in_(sorted(known)))
            for aid, start, end in self.s.execute(stmt):
                spans.setdefault(aid, []).append((start, end))
        new = []
        for r in wanted:
            article = self.articles[r.article_id]
            # A hand-marked mention joins a known article only where nothing overlaps it
            # (which also makes a second merge add nothing).
            if any(a < r.end and r.start < b for a, b in spans.get(article, ())):
                continue
            spans.setdefault(article, []).append((r.start, r.end))
            actor = None if r.actor_id is None else self.actors.get(r.actor_id)
            new.append(_without_id(r) | {"article_id": article, "actor_id": actor})
        if new:
            self.s.execute(insert(m.Mention), new)
        self.result.mentions_added += len(new)

    # ------------------------------------------------------------ labels and done marks

    def _ours(self) -> dict[tuple[int, int, str, int], Label]:
        flt = LabelFilter(annotators=sorted(set(self.annotators.values())))
        return {(lab.article_id, lab.actor_id, lab.target, lab.annotator_id): lab
                for lab in read_labels(self.s, flt, times=True)}  # fmt: skip

    def _labels(self) -> None:
        if not self.annotators:
            return
        ours = self._ours()
        written: set[tuple[int, int, str, int]] = set()
        theirs = read_labels(self.src, LabelFilter(annotators=sorted(self.annotators)), times=True)
        # Cells where she accepted a suggestion in the file: their merge event says so, so
        # agreement without suggestions leaves them out here too (store/suggestions.py).
        accepted = accepted_cells(self.src)
        marked: tuple[dict[str, Any], dict[str, Any]] = ({}, {FROM_SUGGESTION: True})
        # Newest first: where two of the file's labels land on one cell (their actors were
        # merged here), the newer is the one that counts.
        theirs.sort(key=lambda lab: utc(lab.updated_at or self.now), reverse=True)
        for label in theirs:
            if label.article_id in self.conflicted:
                self.result.labels_skipped += 1
                continue
            annotator = self.annotators[label.annotator_id]
            article, actor = self.articles.get(label.article_id), self.actors[label.actor_id]
            if article is None or not self._takes(article, annotator):
                self.result.labels_not_taken += 1
                continue
            key = (article, actor, label.target, annotator)
            mine = ours.get(key)
            updated = self._time(label.updated_at or self.now)
            if mine is not None and mine.state == label.state:
                self.result.labels_unchanged += 1
                continue
            if mine is not None and updated <= utc(mine.updated_at or self.now):
                self.result.labels_kept += 1
                continue
            # A "merge" event, not a session action: undo stacks stop there. A cell written
            # in this merge already is read again (its new row id) rather than passed in.
            current = None if key in written else StoredCell(
                mine.row_id, mine.state) if mine else StoredCell(None, CellState())  # fmt: skip
            cell = (label.annotator_id, label.article_id, label.actor_id, label.target)
            write_cell(self.s, annotator, CellKey(article, actor, label.target), label.state,
                       Action.MERGE, current=current, at=self.now, updated_at=updated,
                       created_at=self._time(label.created_at or self.now),
                       extra=marked if cell in accepted else None)  # fmt: skip
            if mine is None:
                self.result.labels_added += 1
            else:
                self.result.labels_updated += 1
            written.add(key)
            ours[key] = Label(0, article, actor, label.target, annotator, label.state,
                              updated_at=updated)  # fmt: skip

    def _done(self) -> None:
        if not self.annotators:
            return
        ours = set(done_marks(self.s, annotators=sorted(set(self.annotators.values()))))
        d = _t(m.ArticleDone).c
        for article, annotator, done_at in self.src.execute(
            select(d.article_id, d.annotator_id, d.done_at).where(
                d.annotator_id.in_(sorted(self.annotators)))):  # fmt: skip
            if article in self.conflicted:
                continue
            ours_article = self.articles.get(article)
            key = (ours_article or 0, self.annotators[annotator])
            if ours_article is None or not self._takes(*key):
                self.result.done_not_taken += 1
                continue
            if key not in ours:
                ours.add(key)
                write_done(self.s, key[0], key[1], True, Action.MERGE, at=self.now,
                           done_at=self._time(done_at))  # fmt: skip
                self.result.done_added += 1

    def _cleared(self) -> None:
        """What the file's history says was cleared there after we last had it: a label
        emptied or a done mark taken back later than ours was set (issue 23: such a change
        used to read as "nothing new" and never reached the lead)."""
        if not self.annotators:
            return
        ev = _t(m.LabelEvent).c
        last_cell: dict[tuple[int, int, str, int], tuple[datetime, dict]] = {}
        last_done: dict[tuple[int, int], tuple[datetime, dict]] = {}
        for who, article, actor, target, at, after in self.src.execute(
            select(ev.annotator_id, ev.article_id, ev.actor_id, ev.target, ev.at, ev.after)
            .where(ev.annotator_id.in_(sorted(self.annotators))).order_by(ev.id)):  # fmt: skip
            if actor is not None and target is not None:
                last_cell[(article, actor, target, who)] = (at, after or {})
            elif isinstance(after, dict) and "done" in after:
                last_done[(article, who)] = (at, after)
        theirs = {(lab.article_id, lab.actor_id, lab.target, lab.annotator_id) for lab in
                  read_labels(self.src, LabelFilter(annotators=sorted(self.annotators)),
                              evidence=False)}  # fmt: skip
        ours = self._ours()
        for (article, actor, target, who), (at, after) in last_cell.items():
            if (article, actor, target, who) in theirs or not CellState.from_json(after).is_empty:
                continue
            key = self._mapped(article, actor, who)
            mine = ours.get((*key[:2], target, key[2])) if key else None
            if key is None or mine is None:
                continue
            if self._time(at) > utc(mine.updated_at or self.now):
                write_cell(self.s, key[2], CellKey(key[0], key[1], target), CellState(),
                           Action.MERGE, current=StoredCell(mine.row_id, mine.state),
                           at=self.now)  # fmt: skip
                self.result.labels_cleared += 1
        self._undone(last_done)

    def _undone(self, last_done: dict[tuple[int, int], tuple[datetime, dict]]) -> None:
        d = _t(m.ArticleDone).c
        rows = self.src.execute(select(d.article_id, d.annotator_id))
        theirs = {(int(a), int(w)) for a, w in rows}
        for (article, who), (at, after) in last_done.items():
            if after.get("done") or (article, who) in theirs or article not in self.articles:
                continue
            mine_key = (self.articles[article], self.annotators[who])
            if not self._takes(*mine_key):
                continue
            done_at = self.s.execute(
                select(d.done_at).where(d.article_id == mine_key[0], d.annotator_id == mine_key[1])
            ).scalar()
            if done_at is not None and self._time(at) > utc(done_at):
                write_done(self.s, mine_key[0], mine_key[1], False, Action.MERGE, at=self.now)
                self.result.done_removed += 1

    def _mapped(self, article: int, actor: int, who: int) -> tuple[int, int, int] | None:
        if article in self.conflicted or article not in self.articles or actor not in self.actors:
            return None
        key = (self.articles[article], self.actors[actor], self.annotators[who])
        return key if self._takes(key[0], key[2]) else None
