"""Packages for offline coders: exactly one annotator's work out, her labels back in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from annotator.assignments.package import write_package, write_packages
from annotator.assignments.plan import PlanRequest
from annotator.assignments.service import plan_project
from annotator.errors import AnnotatorError, InputError
from annotator.store.annotators import get_or_create_annotator
from annotator.store.assignments import has_plan, next_in_queue, queue, read_assignments
from annotator.store.engine import Project, open_project
from annotator.store.label_reads import labels_for_article
from annotator.store.labels import CellKey, CellState, put_cell, set_done
from annotator.store.merge import merge_projects
from annotator.store.models import Actor, ActorAlias, Annotator, Article, LabelEvent, Mention
from tests.agreement.builders import actor_id, article_id, label, new_project

MORE = {f"s{i:02d}": f"Artikel {i}: Pistorius und die Nato beraten." for i in range(12)}


@pytest.fixture
def lead(tmp_path: Path) -> Project:
    project = new_project(tmp_path / "lead.db")
    for ext, text in MORE.items():
        from tests.conftest import add_article

        add_article(project, ext, text, title=ext)
    with project.write() as s:
        s.add(ActorAlias(actor_id=actor_id(project, "NATO"), alias="Nato"))
        s.add(Mention(article_id=article_id(project, "s00"), start=24, end=28, label="ORG",
                      actor_id=actor_id(project, "NATO"), source="lexicon"))  # fmt: skip
    # Anna's work from before the plan: stays hers and travels with her package.
    label(project, "anna", "a1", "Carlo Masala", "ground_troops", "favor",
          evidence="Masala hält Bodentruppen für denkbar", note="klar dafür")  # fmt: skip
    set_done(project, article_id(project, "a1"), get_or_create_annotator(project, "anna"))
    label(project, "ben", "a1", "Carlo Masala", "ground_troops", "against")  # not for anna
    plan_project(project, PlanRequest(("anna", "ben", "cara"), 0.2, 2, seed=11))
    yield project
    project.close()


def externals(project: Project, ids: list[int]) -> list[str]:
    with project.session() as s:
        by_id = dict(s.exec(select(Article.id, Article.external_id)).all())
    return [by_id[i] for i in ids]


def test_a_package_holds_exactly_her_articles_and_her_work(
    lead: Project, tmp_path: Path, codebook
) -> None:
    anna = get_or_create_annotator(lead, "anna")
    wanted = externals(lead, queue(lead, anna))
    report = write_package(lead, "anna", tmp_path / "anna.db", codebook)
    assert (report.articles, report.labels, report.done, report.actors) == (len(wanted), 1, 1, 3)
    with open_project(str(tmp_path / "anna.db"), create=False) as package:
        with package.session() as s:
            people = s.exec(select(Annotator.name, Annotator.uid)).all()
            lead_uid = lead.session().get(Annotator, anna).uid
            assert people == [("anna", lead_uid)] and lead_uid
            assert sorted(s.exec(select(Actor.name)).all()) == [
                "Boris Pistorius",
                "Carlo Masala",
                "NATO",
            ]
            assert s.exec(select(ActorAlias.alias)).all() == ["Nato"]
            actions = {e.action for e in s.exec(select(LabelEvent)).all()}
            assert actions == {"import"}
        mine = get_or_create_annotator(package, "anna")
        assert externals(package, queue(package, mine)) == wanted  # her order
        # Which of her articles are double-coded stays with the lead: a coder who knew
        # could code those with more care.
        assert any(r.overlap for r in read_assignments(lead, anna))
        assert not any(r.overlap for r in read_assignments(package, mine))
        assert "overlap" not in json.loads(package.info("assignment_plan") or "{}")
        assert has_plan(package) and next_in_queue(package, mine) is not None
        a1 = article_id(package, "a1")
        [only] = labels_for_article(package, a1)
        assert (only.annotator, only.state.stance, only.state.note) == (
            "anna",
            "favor",
            "klar dafür",
        )
        assert only.state.evidence and read_assignments(package, mine)[0].annotator == "anna"
        info = json.loads(package.info("codebook") or "{}")
        assert info["targets"] == list(codebook.target_ids) and info["name"] == codebook.name
        assert json.loads(package.info("package") or "{}")["annotator"] == "anna"
        if "s00" in wanted:
            with package.session() as s:
                assert s.exec(select(Mention.start)).all() == [24]


def test_labels_made_in_the_package_come_back_under_the_same_annotator(
    lead: Project, tmp_path: Path, codebook
) -> None:
    write_package(lead, "anna", tmp_path / "anna.db", codebook)
    with open_project(str(tmp_path / "anna.db")) as package:
        anna = get_or_create_annotator(package, "anna")  # the window: her name, her uid
        todo = next_in_queue(package, anna)
        assert todo is not None
        key = CellKey(todo, actor_id(package, "NATO"), "defence_spending")
        put_cell(package, anna, key, CellState("against", note="im Paket"))
        set_done(package, todo, anna)
        done_external = externals(package, [todo])[0]
    first = merge_projects(lead, [tmp_path / "anna.db"], codebook=codebook).files[0]
    assert (first.labels_added, first.done_added, first.annotators_added) == (1, 1, [])
    assert first.articles_added == 0 and first.labels_unchanged == 1  # her earlier label
    lead_anna = get_or_create_annotator(lead, "anna")
    back = [
        lab
        for lab in labels_for_article(lead, article_id(lead, done_external))
        if lab.state.note == "im Paket"
    ]
    assert [lab.annotator_id for lab in back] == [lead_anna]
    status = {r.external_id: r.status for r in read_assignments(lead, lead_anna)}
    assert status[done_external] == "done"
    again = merge_projects(lead, [tmp_path / "anna.db"], codebook=codebook)
    assert not again.changed  # merging twice changes nothing


def test_a_package_never_replaces_a_file(lead: Project, tmp_path: Path, codebook) -> None:
    assert lead.path is not None
    note = tmp_path / "notes.txt"
    note.write_text("meine Notizen", encoding="utf-8")
    other = new_project(tmp_path / "other.db")
    other.close()
    before = (other_bytes := (tmp_path / "other.db").read_bytes())
    for target, message in ((lead.path, "project's own file"), (note, "exists"),
                            (tmp_path / "other.db", "is a database")):  # fmt: skip
        with pytest.raises(InputError, match=message):
            write_package(lead, "anna", target, codebook)
    assert note.read_text(encoding="utf-8") == "meine Notizen"
    assert (tmp_path / "other.db").read_bytes() == before == other_bytes
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_whole_team_in_one_go_or_not_at_all(lead: Project, tmp_path: Path, codebook) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "ben.db").write_text("schon da", encoding="utf-8")
    with pytest.raises(InputError, match="exists"):
        write_packages(lead, folder, codebook)
    assert sorted(p.name for p in folder.iterdir()) == ["ben.db"]  # nothing written
    reports = write_packages(lead, tmp_path / "team", codebook)
    assert sorted(p.name for p in (tmp_path / "team").iterdir()) == ["anna.db", "ben.db", "cara.db"]
    assert sum(r.articles for r in reports) == len(read_assignments(lead))


def test_who_has_no_queue_gets_no_package(lead: Project, tmp_path: Path, codebook) -> None:
    get_or_create_annotator(lead, "dora")
    with pytest.raises(AnnotatorError, match="no assigned articles"):
        write_package(lead, "dora", tmp_path / "dora.db", codebook)
    with pytest.raises(AnnotatorError, match="no annotator 'zoe'"):
        write_package(lead, "zoe", tmp_path / "zoe.db", codebook)
    assert not (tmp_path / "dora.db").exists()
