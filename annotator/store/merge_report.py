"""What a merge did, per file, in words for the lead (store/merge.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from annotator.errors import ConflictError


@dataclass
class FileMerge:
    """What merging one file did."""

    path: str
    articles_added: int = 0
    articles_matched: int = 0
    articles_not_taken: int = 0  # a coder's file, planned project: articles we lack
    text_conflicts: list[str] = field(default_factory=list)  # external ids, text differs
    actors_added: int = 0
    aliases_added: int = 0
    mentions_added: int = 0
    annotators_added: list[str] = field(default_factory=list)
    identities_recorded: list[str] = field(default_factory=list)  # first uid for a name
    unverified: list[str] = field(default_factory=list)  # matched by name only (no uid)
    labels_added: int = 0
    labels_updated: int = 0  # the other file's label was newer and replaced ours
    labels_kept: int = 0  # ours was newer (or as new) and was kept
    labels_unchanged: int = 0
    labels_skipped: int = 0  # in articles with a text conflict
    labels_cleared: int = 0  # cleared in the file after ours was set
    labels_not_taken: int = 0  # in articles not planned for the coder
    done_added: int = 0
    done_removed: int = 0  # taken back in the file after ours was set
    done_not_taken: int = 0
    future_times: int = 0  # times in the file later than now: taken as now
    latest_future: datetime | None = None
    gold_added: int = 0  # gold decisions brought in (store/merge_gold.py)
    gold_kept: int = 0  # decided differently here: ours kept
    curations_added: int = 0

    @property
    def label_conflicts(self) -> int:
        return self.labels_updated + self.labels_kept

    @property
    def changed(self) -> bool:
        added = (self.articles_added, self.actors_added, self.aliases_added, self.mentions_added)
        return any(
            (*added, self.annotators_added, self.identities_recorded)
            + (self.labels_added, self.labels_updated, self.labels_cleared)
            + (self.done_added, self.done_removed, self.gold_added, self.curations_added)
        )

    @property
    def not_taken(self) -> bool:
        return bool(self.labels_not_taken or self.done_not_taken or self.articles_not_taken)

    def summary(self) -> str:
        if not (self.changed or self.text_conflicts or self.not_taken or self.future_times):
            return f"{self.path}: nothing new"
        parts = [
            f"{self.articles_added} article(s) added ({self.articles_matched} already there)",
            f"{self.labels_added} label(s) added, {self.labels_updated} updated, "
            f"{self.labels_cleared} cleared",
            f"{self.done_added} done mark(s) added, {self.done_removed} taken back",
            f"{self.actors_added} actor(s), {self.aliases_added} alias(es) and "
            f"{self.mentions_added} mention(s) added",
        ]
        if self.gold_added or self.gold_kept or self.curations_added:
            parts.append(
                f"{self.gold_added} gold decision(s) and {self.curations_added} curation "
                f"state(s) added, {self.gold_kept} gold decision(s) kept as decided here"
            )
        if self.not_taken:
            parts.append(
                f"NOT taken, since the plan does not give them to this coder: "
                f"{self.labels_not_taken} label(s) and {self.done_not_taken} done mark(s) in "
                f"other articles, {self.articles_not_taken} article(s) this project lacks"
            )
        if self.future_times:
            latest = self.latest_future.isoformat(sep=" ", timespec="minutes") if (
                self.latest_future) else "?"  # fmt: skip
            parts.append(
                f"warning: {self.future_times} time(s) in the file lie in the future (up to "
                f"{latest} UTC) and were taken as now"
            )
        if self.annotators_added:
            parts.append("new annotator(s): " + ", ".join(self.annotators_added))
        if self.unverified:
            parts.append(
                "matched by name only (the file does not say who they are): "
                + ", ".join(self.unverified)
            )
        if self.label_conflicts:
            parts.append(
                f"{self.label_conflicts} label conflict(s): {self.labels_updated} taken from "
                f"the file (newer), {self.labels_kept} kept"
            )
        if self.text_conflicts:
            parts.append(f"NOT merged, same id but another text: {', '.join(self.text_conflicts)}")
        return f"{self.path}: " + "; ".join(parts)


@dataclass
class MergeReport:
    files: list[FileMerge] = field(default_factory=list)

    @property
    def label_conflicts(self) -> int:
        return sum(f.label_conflicts for f in self.files)

    @property
    def changed(self) -> bool:
        return any(f.changed for f in self.files)

    def summary(self) -> str:
        return "\n".join(f.summary() for f in self.files)


class IdentityConflict(ConflictError):
    """Two different people under one annotator name: `name` in file `path`."""

    def __init__(self, message: str, *, name: str, path: str) -> None:
        super().__init__(message)
        self.name = name
        self.path = path
