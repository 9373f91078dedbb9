"""Merging annotators' project files into the lead's project."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from annotator.agreement import agreement_report
from annotator.errors import InputError, ProjectError
from annotator.store.actors import add_manual_mention
from annotator.store.engine import Project, open_project
from annotator.store.label_reads import labels_for_article
from annotator.store.merge import merge_projects
from annotator.store.models import (
    Actor,
    ActorAlias,
    Annotator,
    Article,
    ArticleDone,
    Evidence,
    LabelEvent,
    Mention,
    StanceAnnotation,
)
from tests.agreement.builders import (
    TEXTS,
    actor_id,
    article_id,
    label,
    label_anna,
    label_ben,
    new_project,
)

TABLES = (Article, Actor, ActorAlias, Mention, Annotator, ArticleDone, StanceAnnotation,
          Evidence, LabelEvent)  # fmt: skip


def counts(project: Project) -> dict[str, int]:
    with project.session() as s:
        return {t.__name__: s.exec(select(func.count()).select_from(t)).one() for t in TABLES}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("annotators")
    for name, fill in (("anna", label_anna), ("ben", label_ben)):
        project = new_project(folder / f"{name}.db")
        fill(project)
        project.close()
    return folder / "anna.db", folder / "ben.db"


@pytest.fixture
def files(tmp_path: Path, originals: tuple[Path, Path]) -> tuple[Path, Path]:
    """anna.db and ben.db: each annotator's own project with the same articles, closed."""
    return tuple(Path(shutil.copy(f, tmp_path / f.name)) for f in originals)


@pytest.fixture
def two_annotators(tmp_path: Path) -> Project:
    project = new_project(tmp_path / "shared.db")
    label_anna(project)
    label_ben(project)
    yield project
    project.close()


@pytest.fixture
def lead(tmp_path: Path) -> Project:
    project = open_project(str(tmp_path / "lead.db"))
    yield project
    project.close()


def test_merged_files_give_the_same_statistics_as_one_shared_project(
    files, lead, two_annotators, codebook
) -> None:
    report = merge_projects(lead, files)
    anna, ben = report.files
    assert (anna.articles_added, anna.labels_added, anna.done_added) == (3, 4, 3)
    assert (ben.articles_added, ben.articles_matched, ben.labels_added) == (0, 3, 5)
    assert anna.annotators_added == ["anna"] and ben.annotators_added == ["ben"]
    merged = agreement_report(lead, codebook, bootstrap=100).as_dict()
    shared = agreement_report(two_annotators, codebook, bootstrap=100).as_dict()
    for d in (*merged["disagreements"], *shared["disagreements"]):
        d["article_id"] = d["actor_id"] = 0  # ids differ between the two projects
    assert merged == shared


def test_labels_keep_annotator_evidence_note_and_timestamps(files, lead) -> None:
    merge_projects(lead, files)
    a1 = article_id(lead, "a1")
    labels = {(lab.annotator, lab.actor): lab for lab in labels_for_article(lead, a1)}
    masala = labels[("anna", "Carlo Masala")]
    start = TEXTS["a1"].index("Masala hält")
    assert masala.state.stance == "favor" and masala.state.note == "klar dafür"
    assert masala.state.evidence == ((start, start + len("Masala hält Bodentruppen für denkbar")),)
    source = open_project(str(files[0]))
    original = {
        (lab.annotator, lab.actor): lab
        for lab in labels_for_article(source, article_id(source, "a1"))
    }
    source.close()
    assert masala.updated_at == original[("anna", "Carlo Masala")].updated_at
    assert labels[("ben", "Carlo Masala")].state.stance == "against"


def test_merging_twice_changes_nothing_and_never_touches_the_files(files, lead) -> None:
    before = [sha(f) for f in files]
    merge_projects(lead, files)
    after_first = counts(lead)
    again = merge_projects(lead, files)
    assert not again.changed
    assert again.files[0].labels_unchanged == 4
    assert "nothing new" in again.summary()
    assert counts(lead) == after_first
    assert [sha(f) for f in files] == before
    assert sorted(p.name for p in files[0].parent.glob("anna.db*")) == ["anna.db"]


def test_same_id_with_other_text_is_reported_not_merged(tmp_path, files, lead) -> None:
    merge_projects(lead, [files[0]])
    other = new_project(tmp_path / "carl.db", {**TEXTS, "a1": "Ein ganz anderer Text."})
    label(other, "carl", "a1", "NATO", "defence_spending", "favor", evidence="anderer")
    label(other, "carl", "a2", "NATO", "defence_spending", "favor")
    other.close()
    report = merge_projects(lead, [tmp_path / "carl.db"])
    (carl,) = report.files
    assert carl.text_conflicts == ["a1"]
    assert carl.labels_skipped == 1 and carl.labels_added == 1
    assert "NOT merged" in report.summary() and "a1" in report.summary()
    with lead.session() as s:
        text = s.exec(select(Article.text).where(Article.external_id == "a1")).one()
    assert text == TEXTS["a1"]


def test_article_with_new_id_but_known_text_is_the_same_article(tmp_path, files, lead) -> None:
    merge_projects(lead, [files[0]])
    other = new_project(tmp_path / "dora.db", {"renamed-a2": TEXTS["a2"]})
    label(other, "dora", "renamed-a2", "NATO", "defence_spending", "against")
    other.close()
    (dora,) = merge_projects(lead, [tmp_path / "dora.db"]).files
    assert (dora.articles_added, dora.articles_matched, dora.labels_added) == (0, 1, 1)
    assert {lab.annotator for lab in labels_for_article(lead, article_id(lead, "a2"))} == {
        "anna", "dora",
    }  # fmt: skip


def test_conflicting_label_of_the_same_annotator_keeps_the_newer(tmp_path, files, lead) -> None:
    merge_projects(lead, [files[0]])
    copy = tmp_path / "anna-laptop.db"
    shutil.copy(files[0], copy)
    laptop = open_project(str(copy))
    label(laptop, "anna", "a2", "NATO", "defence_spending", "neutral")  # later than the lead's
    label(laptop, "anna", "a3", "Boris Pistorius", "defence_spending", "favor")
    laptop.close()
    # The lead changed a3 after anna's laptop did: the lead's label is newer there.
    label(lead, "anna", "a3", "Boris Pistorius", "defence_spending", "against")
    report = merge_projects(lead, [copy])
    (laptop_merge,) = report.files
    assert (laptop_merge.labels_updated, laptop_merge.labels_kept) == (1, 1)
    assert report.label_conflicts == 2
    assert "2 label conflict(s)" in report.summary()
    stances = {
        (lab.actor, lab.article_id): lab.state.stance
        for a in ("a2", "a3")
        for lab in labels_for_article(lead, article_id(lead, a))
    }
    assert stances[("NATO", article_id(lead, "a2"))] == "neutral"
    assert stances[("Boris Pistorius", article_id(lead, "a3"))] == "against"
    assert merge_projects(lead, [copy]).files[0].labels_updated == 0


def test_new_actors_aliases_and_mentions_come_along(tmp_path, lead) -> None:
    other = new_project(tmp_path / "eva.db")
    with other.write() as s:
        s.add(ActorAlias(actor_id=actor_id(other, "Boris Pistorius"), alias="Pistorius"))
        s.add(Mention(article_id=article_id(other, "a1"), start=0, end=9, label="PER",
                      actor_id=actor_id(other, "Boris Pistorius")))  # fmt: skip
    start = TEXTS["a2"].index("Masala")
    add_manual_mention(other, article_id(other, "a2"), start, start + 6, actor_name="Masala, C.")
    other.close()
    lead_a2 = new_project(tmp_path / "lead2.db", {"a2": TEXTS["a2"]})
    (eva,) = merge_projects(lead_a2, [tmp_path / "eva.db"]).files
    assert (eva.articles_added, eva.articles_matched) == (2, 1)
    assert eva.actors_added == 1  # "Masala, C."; the others match by name
    assert eva.aliases_added == 2  # "Pistorius" and the manual mention's surface "Masala"
    assert eva.mentions_added == 2  # a1's mention (new article) and a2's manual one
    with lead_a2.session() as s:
        rows = s.exec(select(Mention.start, Actor.name).join(Actor)).all()
    assert set(rows) == {(0, "Boris Pistorius"), (start, "Masala, C.")}
    assert not merge_projects(lead_a2, [tmp_path / "eva.db"]).changed
    lead_a2.close()


def test_older_schema_file_can_be_merged(lead) -> None:
    v1 = Path(__file__).parent.parent / "data" / "project_v1.db"
    if not v1.exists():
        pytest.fail("tests/data/project_v1.db is missing")
    before = sha(v1)
    # A file from before identities cannot say whose work it is: not as a coder's file...
    with pytest.raises(InputError, match="does not say who 'anna' is.*--whole-project"):
        merge_projects(lead, [v1])
    # ...but as a project the lead trusts, upgraded in the private copy and merged whole.
    report = merge_projects(lead, [v1], whole_project=True)
    assert report.files[0].articles_added > 0
    assert [lab.state.stance for lab in labels_for_article(lead, 1)] == ["favor"]
    assert sha(v1) == before


def _not_a_project(tmp_path: Path) -> Path:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return path


def _newer(tmp_path: Path, files: tuple[Path, Path]) -> Path:
    path = tmp_path / "newer.db"
    shutil.copy(files[1], path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE projectinfo SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp, files: tmp / "missing.db", "no such file"),
        (lambda tmp, files: tmp, "folder"),
        (lambda tmp, files: (tmp / "x.txt").write_text("hi") and tmp / "x.txt", "not an SQLite"),
        (lambda tmp, files: _not_a_project(tmp), "not a stance-annotator project"),
        (_newer, "newer version"),
    ],
)
def test_bad_file_is_refused_and_the_project_stays_unchanged(
    tmp_path, files, lead, make, message
) -> None:
    before = counts(lead)
    bad = make(tmp_path, files)
    with pytest.raises(InputError, match=message):
        merge_projects(lead, [files[0], bad])  # the good file first: nothing is merged either
    assert counts(lead) == before


def test_merging_a_project_into_itself_is_refused(lead) -> None:
    with pytest.raises(InputError, match="into itself"):
        merge_projects(lead, [lead.path])


def test_progress_is_reported_per_file(files, lead) -> None:
    calls: list[tuple[int, int]] = []
    merge_projects(lead, files, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 2), (1, 2), (2, 2)]


def test_failure_inside_the_transaction_rolls_the_file_back(files, lead, monkeypatch) -> None:
    from annotator.store import merge_write

    def boom(self) -> None:
        raise OperationalError("INSERT ...", {}, sqlite3.OperationalError("disk I/O error"))

    merge_projects(lead, [files[0]])
    before = counts(lead)
    monkeypatch.setattr(merge_write.FileWriter, "_done", boom)  # after labels were written
    with pytest.raises(ProjectError, match="left unchanged: disk I/O error"):
        merge_projects(lead, [files[1]])
    assert counts(lead) == before


def test_file_still_open_elsewhere_is_read_with_its_wal(tmp_path, lead) -> None:
    other = new_project(tmp_path / "open.db")
    label_anna(other)  # committed, but (with the project still open) partly in open.db-wal
    try:
        assert Path(f"{tmp_path / 'open.db'}-wal").exists()
        (merged,) = merge_projects(lead, [tmp_path / "open.db"]).files
        assert (merged.labels_added, merged.done_added) == (4, 3)
    finally:
        other.close()


def test_history_shows_merged_changes_and_undo_stops_there(files, lead) -> None:
    from annotator.labelling import undo_stack_from_history
    from annotator.store.history import history

    merge_projects(lead, [files[0]])
    entries = history(lead, annotator="anna")
    assert {e.action for e in entries} == {"merge"}
    assert sum(e.after_done is True for e in entries) == 3
    assert sum(e.after_stance is not None for e in entries) == 4
    with lead.session() as s:
        anna_id = s.exec(select(Annotator.id).where(Annotator.name == "anna")).one()
    assert undo_stack_from_history(lead, anna_id) == ([], [])
