"""Progress without an assignment plan (every article is everyone's), the time to finish
only where a pace exists, and a chart whose lines differ by more than colour."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from annotator.assignments.figures import progress_figure
from annotator.assignments.progress import eta_text, plan_hint, progress_report
from annotator.store.annotators import get_or_create_annotator
from annotator.store.engine import Project
from annotator.store.labels import Action, CellKey, CellState, write_cell, write_done
from tests.agreement.builders import actor_id, article_id, new_project

NOW = datetime(2025, 3, 10, 16, 0, tzinfo=UTC)
TARGETS = ("nato_membership", "ground_troops", "defence_spending")


def today(hour: int, minute: int = 0) -> datetime:
    return NOW.replace(hour=hour, minute=minute)


@pytest.fixture
def unplanned(tmp_path: Path) -> Iterator[Project]:
    """Three articles, no plan. Today anna saves 8 labels in a1 and a2 (10:00-10:07) and
    marks a1 done at 10:08, a2 at 10:09; ben saves one label in a1 and marks it done
    within a minute (13:00), the way the issue's "~0.0 h, ~7 d" came about."""
    project = new_project(tmp_path / "p.db")
    anna, ben = (get_or_create_annotator(project, n) for n in ("anna", "ben"))
    a1, a2 = article_id(project, "a1"), article_id(project, "a2")
    actors = [actor_id(project, "Boris Pistorius"), actor_id(project, "Carlo Masala")]
    cells = [(a, actor, t) for a in (a1, a2) for actor in actors for t in TARGETS[:2]]
    with project.write() as s:
        for minute, (article, actor, target) in enumerate(cells):
            at = today(10, minute)
            write_cell(s, anna, CellKey(article, actor, target), CellState("favor"), Action.SET,
                       at=at, created_at=at, updated_at=at)  # fmt: skip
        write_done(s, a1, anna, True, Action.DONE, at=today(10, 8), done_at=today(10, 8))
        write_done(s, a2, anna, True, Action.DONE, at=today(10, 9), done_at=today(10, 9))
        at = today(13, 0)
        write_cell(s, ben, CellKey(a1, actors[0], TARGETS[2]), CellState("against"),
                   Action.SET, at=at, created_at=at, updated_at=at)  # fmt: skip
        write_done(s, a1, ben, True, Action.DONE, at=at, done_at=at)
    yield project
    project.close()


def test_without_a_plan_everyone_and_every_article_counts(unplanned: Project) -> None:
    report = progress_report(unplanned, days=7, now=NOW)
    assert not report.planned and report.articles == []
    assert report.annotators == []  # the plan's (the command line's plan views read them)
    anna, ben = report.people
    assert (anna.name, anna.assigned, anna.done, anna.in_progress, anna.not_started) == (
        "anna", 3, 2, 0, 1,
    )  # fmt: skip
    assert (ben.name, ben.assigned, ben.done, ben.in_progress, ben.not_started) == (
        "ben", 3, 1, 0, 2,
    )  # fmt: skip
    assert anna.daily_labels == [0] * 6 + [8] and anna.daily_done == [0] * 6 + [2]
    assert ben.daily_labels == [0] * 6 + [1] and ben.daily_done == [0] * 6 + [1]
    [pair] = report.pairs  # a1 is done by both: what agreement can use
    assert (pair.a, pair.b, pair.planned, pair.done) == ("anna", "ben", 0, 1)
    assert (report.overlap_ready, report.units_ready) == (1, 5)


def test_a_time_to_finish_only_where_there_is_a_pace(unplanned: Project) -> None:
    report = progress_report(unplanned, days=7, now=NOW)
    anna, ben = report.people
    # ben: one article in a minute is no pace; it was "~0.0 h, ~7 d" (and 60 labels/h)
    assert ben.eta_hours is None and ben.eta_days is None and ben.labels_per_hour is None
    assert eta_text(ben.eta_hours, ben.eta_days, ben.remaining) == "no pace yet"
    # anna: two articles in her first sitting of 10 minutes (9 minutes and one to start),
    # and she started today: one article left, ~5 minutes, less than a day
    assert anna.active_hours == pytest.approx(10 / 60)
    assert anna.labels_per_hour == pytest.approx(8 / (10 / 60))
    assert anna.eta_hours == pytest.approx(5 / 60)
    assert anna.eta_days == pytest.approx(0.5)
    assert eta_text(anna.eta_hours, anna.eta_days, anna.remaining) == "~5 min, < 1 d"
    assert eta_text(2.25, 3.4, 4) == "~2.2 h, ~3 d" and eta_text(None, None, 0) == "finished"


def test_the_hint_names_the_projects_annotators(unplanned: Project, tmp_path: Path) -> None:
    assert (
        plan_hint(progress_report(unplanned, now=NOW)) == "annotator assign --annotators anna,ben"
    )
    empty = new_project(tmp_path / "empty.db")
    assert plan_hint(progress_report(empty, now=NOW)) == "annotator assign --annotators NAME1,NAME2"
    empty.close()


def test_the_chart_without_a_plan_draws_labels_and_articles_done(unplanned: Project) -> None:
    report = progress_report(unplanned, days=7, now=NOW)
    figure = progress_figure(report)
    bars, labels, done, pairs = figure.axes
    assert [t.get_text() for t in bars.get_yticklabels()] == ["ben", "anna"]
    assert "2/3" in " ".join(t.get_text() for t in bars.texts)
    for ax, per_day in ((labels, {"anna": 8, "ben": 1}), (done, {"anna": 2, "ben": 1})):
        assert not ax.texts  # not "no labels in these days"
        lines = {line.get_label(): line for line in ax.get_lines()}
        assert {name: int(line.get_ydata()[-1]) for name, line in lines.items()} == per_day
        looks = {(line.get_marker(), line.get_linestyle()) for line in lines.values()}
        assert len(looks) == len(lines)  # told apart without colour
        # Equal counts on a day would hide one line under the other: they are set apart.
        xs = {name: line.get_xdata()[-1] for name, line in lines.items()}
        assert xs["anna"] != xs["ben"] and all(abs(x - 6) < 0.5 for x in xs.values())
    assert [t.get_text() for t in pairs.get_yticklabels()] == ["anna + ben"]


def test_a_late_starter_is_not_slowed_by_the_days_before_she_began(tmp_path: Path) -> None:
    """cara started yesterday and has finished 2 of 3 articles: her calendar pace is 2
    articles in 2 days, not in 7."""
    project = new_project(tmp_path / "late.db")
    cara = get_or_create_annotator(project, "cara")
    articles = [article_id(project, e) for e in ("a1", "a2", "a3")]
    actor = actor_id(project, "Boris Pistorius")
    with project.write() as s:
        for i, article in enumerate(articles[:2]):
            for day in (1, 0):
                at = NOW - timedelta(days=day, hours=2) + timedelta(minutes=10 * i)
                key = CellKey(article, actor, TARGETS[day])
                write_cell(s, cara, key, CellState("neutral"), Action.SET, at=at,
                           created_at=at, updated_at=at)  # fmt: skip
            write_done(s, article, cara, True, Action.DONE, at=at, done_at=at)
    cara_report = progress_report(project, days=7, now=NOW).people[0]
    assert cara_report.done_recent == 2 and cara_report.remaining == 1
    assert cara_report.eta_days == pytest.approx(1 / (2 / 2))
    project.close()
