"""Team mode and the assignment plan: the lead plans and sees every queue, an annotator's
role reads only its own queue and changes no assignment, and only a lead saves the plan's
settings (annotator/server/assignments.py)."""

from __future__ import annotations

import json

import pytest

from annotator.assignments.package import write_package
from annotator.assignments.plan import PlanRequest
from annotator.assignments.service import plan_project, reassign_project, stored_request
from annotator.errors import AnnotatorError
from annotator.store.annotators import get_or_create_annotator
from annotator.store.articles import article_ids, article_rows
from annotator.store.assignments import has_plan, next_in_queue, plan_settings, read_assignments
from annotator.store.engine import open_project
from annotator.store.merge import merge_projects
from tests.conftest import add_article
from tests.postgres.team import refused, rows

pytestmark = pytest.mark.postgres


def _articles(project):
    from annotator.assignments.progress import progress_report

    return progress_report(project).articles


REQUEST = PlanRequest(("anna", "ben"), overlap=0.34, coders_per_overlap=2, seed=3)


def plan_as_lead(team: dict[str, str]) -> list[tuple[str, int, int]]:
    with open_project(team["lead"]) as lead:
        plan_project(lead, REQUEST)
        return sorted((r.annotator, r.article_id, r.position) for r in read_assignments(lead))


def test_an_annotator_reads_only_her_own_queue_and_changes_no_assignment(team) -> None:
    everything = plan_as_lead(team)
    assert {name for name, *_ in everything} == {"anna", "ben"}
    with open_project(team["anna"]) as anna:
        mine = read_assignments(anna)
        assert mine and {r.annotator for r in mine} == {"anna"}
        assert sorted(("anna", r.article_id, r.position) for r in mine) == [
            row for row in everything if row[0] == "anna"
        ]
        who = get_or_create_annotator(anna, "anna")
        queue = [r.id for r in article_rows(anna, who, 0, 50, assigned_to=who)]
        assert queue == [r.article_id for r in sorted(mine, key=lambda r: r.position)]
        assert has_plan(anna) and next_in_queue(anna, who) is None  # she finished a1-a3
        with pytest.raises(AnnotatorError, match="refused"):
            plan_project(anna, REQUEST)
    for sql in (
        "INSERT INTO assignment (article_id, annotator_id, position, overlap, assigned_at) "
        "SELECT id, (SELECT id FROM annotator WHERE name = 'anna'), 99, false, now() "
        "FROM article LIMIT 1",
        "UPDATE assignment SET position = 0",
        "DELETE FROM assignment",
        "LOCK TABLE assignment IN SHARE MODE",
    ):
        assert "permission denied" in refused(team["anna"], sql), sql
    with open_project(team["lead"]) as lead:
        after = sorted((r.annotator, r.article_id, r.position) for r in read_assignments(lead))
    assert after == everything


def test_the_lead_plans_extends_and_reassigns_on_the_server(team) -> None:
    plan_as_lead(team)
    with open_project(team["lead"]) as lead:
        # a1-a3 both had labelled before the plan: they stay theirs (two coders each)
        assert {len(a.planned) for a in _articles(lead)} == {2}
        add_article(lead, "a4", "Masala hält Bodentruppen für denkbar, sagt er.")
        add_article(lead, "a5", "Pistorius will mehr Geld für die Bundeswehr.")
        added = plan_project(lead, stored_request(lead))
        assert added.articles_added == 2 and added.new == {"anna": 1, "ben": 1}
        moved = reassign_project(lead, "anna", "ben")
        assert moved.written and len(moved.moved) == 1
        assert plan_settings(lead)["annotators"] == ["anna", "ben"]
    with open_project(team["anna"]) as anna:
        settings = plan_settings(anna)  # everybody reads the settings
        assert settings is not None and settings["seed"] == 3
        left = read_assignments(anna)
        assert all(r.status == "done" for r in left)  # anna's unfinished work went to ben


def test_only_a_lead_saves_the_plan_settings_and_only_those(team) -> None:
    plan_as_lead(team)
    value = json.dumps({"annotators": ["x"]})
    assert "permission denied for function" in refused(
        team["anna"], f"SELECT team_save_plan('{value}')"
    )
    assert "JSON object" in refused(team["lead"], "SELECT team_save_plan('[1, 2]')")
    for sql in (
        "UPDATE projectinfo SET value = '99' WHERE key = 'schema_version'",
        "INSERT INTO projectinfo (key, value) VALUES ('assignment_plan', '{}')",
    ):
        assert "permission denied" in refused(team["lead"], sql), sql
    rows(team["lead"], f"SELECT team_save_plan('{value}')")
    stored = rows(team["anna"], "SELECT value FROM projectinfo WHERE key = 'assignment_plan'")
    assert json.loads(stored[0][0]) == {"annotators": ["x"]}


def test_a_package_from_the_server_comes_back_through_a_push(team, tmp_path, codebook) -> None:
    plan_as_lead(team)
    with open_project(team["lead"]) as lead:
        report = write_package(lead, "ben", tmp_path / "ben.db", codebook)
        assert report.articles == len(read_assignments(lead, get_or_create_annotator(lead, "ben")))
    with open_project(str(tmp_path / "ben.db")) as package:
        ben = get_or_create_annotator(package, "ben")
        assert article_ids(package, assigned_to=ben) == [
            r.article_id for r in read_assignments(package, ben)
        ]
    with open_project(team["lead"]) as lead:
        first = merge_projects(lead, [tmp_path / "ben.db"], codebook=codebook).files[0]
        # ben's labels came back as they were; the server learns the identity his file made
        assert (first.labels_added, first.labels_updated, first.done_added) == (0, 0, 0)
        assert first.labels_unchanged == 5 and first.identities_recorded == ["ben"]
        assert not merge_projects(lead, [tmp_path / "ben.db"], codebook=codebook).changed
