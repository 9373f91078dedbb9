"""Progress figures on a hand-built history: every number worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from annotator.assignments.figures import progress_figure, save_png
from annotator.assignments.progress import active_hours, eta_text, progress_report
from annotator.store.annotators import get_or_create_annotator
from annotator.store.assignments import NewAssignment, insert_assignments
from annotator.store.engine import Project
from annotator.store.labels import Action, CellKey, CellState, write_cell, write_done
from tests.agreement.builders import actor_id, article_id, new_project

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def team(tmp_path: Path) -> Project:
    """a1-a3; anna codes a1, a2, a3, ben codes a1 and a2 (a1, a2 double-coded)."""
    project = new_project(tmp_path / "lead.db")
    anna, ben = (get_or_create_annotator(project, n) for n in ("anna", "ben"))
    a1, a2, a3 = (article_id(project, e) for e in ("a1", "a2", "a3"))
    with project.write() as s:
        insert_assignments(s, [
            NewAssignment(a1, anna, 0, True), NewAssignment(a3, anna, 1, False),
            NewAssignment(a2, anna, 2, True), NewAssignment(a2, ben, 0, True),
            NewAssignment(a1, ben, 1, True),
        ])  # fmt: skip
    pistorius, masala = actor_id(project, "Boris Pistorius"), actor_id(project, "Carlo Masala")

    def labelled(who: int, article: int, actor: int, target: str, stance: str, t: datetime) -> None:
        with project.write() as s:
            write_cell(s, who, CellKey(article, actor, target), CellState(stance), Action.SET,
                       at=t, created_at=t, updated_at=t)  # fmt: skip

    def done(who: int, article: int, t: datetime) -> None:
        with project.write() as s:
            write_done(s, article, who, True, Action.DONE, at=t, done_at=t)

    # anna, 8 March: one sitting 14:00-14:10; 9 March: 10:00-10:21. A label 20 days ago.
    labelled(anna, a1, pistorius, "defence_spending", "favor", at(8, 14, 0))
    labelled(anna, a1, masala, "ground_troops", "favor", at(8, 14, 10))
    done(anna, a1, at(8, 14, 10))
    labelled(anna, a3, pistorius, "defence_spending", "neutral", at(9, 10, 0))
    labelled(anna, a3, masala, "ground_troops", "against", at(9, 10, 5))
    labelled(anna, a2, masala, "ground_troops", "neutral", at(9, 10, 20))
    done(anna, a3, at(9, 10, 21))
    labelled(anna, a2, pistorius, "nato_membership", "against", NOW - timedelta(days=20))
    # ben: a1 done on 10 March, a2 started.
    labelled(ben, a1, pistorius, "defence_spending", "against", at(10, 9, 0))
    done(ben, a1, at(10, 9, 30))
    labelled(ben, a2, masala, "ground_troops", "neutral", at(10, 9, 40))
    yield project
    project.close()


def test_sittings_are_split_at_long_pauses() -> None:
    assert active_hours([]) == 0
    assert active_hours([at(8, 14)]) == pytest.approx(1 / 60)  # one minute to start
    times = [at(8, 14, 0), at(8, 14, 10), at(9, 10, 0), at(9, 10, 29), at(9, 11, 30)]
    # 14:00-14:10 (+1), 10:00-10:29 (+1), 11:30 alone (+1): 10 + 29 + 3 minutes
    assert active_hours(times) == pytest.approx(42 / 60)


def test_figures_per_annotator(team: Project) -> None:
    report = progress_report(team, days=7, now=NOW)
    anna, ben = report.annotators
    assert (anna.name, anna.assigned, anna.done, anna.in_progress, anna.not_started) == (
        "anna",
        3,
        2,
        1,
        0,
    )
    assert (ben.assigned, ben.done, ben.in_progress) == (2, 1, 1)
    # anna in the window (4-10 March): 5 labels; sittings 10 + 1 and 21 + 1 minutes
    assert anna.labels_recent == 5 and anna.done_recent == 2
    assert anna.active_hours == pytest.approx(33 / 60)
    assert anna.labels_per_hour == pytest.approx(5 / (33 / 60))
    # one article left: at 2 articles per 33 minutes, at 2 articles per 7 days
    assert anna.eta_hours == pytest.approx(1 / (2 / (33 / 60)))
    assert anna.eta_days == pytest.approx(3.5)
    assert anna.daily_labels == [0, 0, 0, 0, 2, 3, 0]
    assert ben.daily_labels == [0] * 6 + [2]
    assert ben.active_hours == pytest.approx(41 / 60)  # 9:00-9:40 and a minute
    assert ben.last_activity == at(10, 9, 40)
    assert eta_text(anna.eta_hours, anna.eta_days, anna.remaining) == "~0.3 h, ~4 d"


def test_figures_per_article_and_for_agreement(team: Project) -> None:
    report = progress_report(team, days=7, now=NOW)
    by_id = {a.external_id: a for a in report.articles}
    assert by_id["a1"].label == "2/2" and by_id["a2"].label == "0/2" and by_id["a3"].label == "1/1"
    assert report.overlap_planned == 2
    [pair] = report.pairs
    assert (pair.a, pair.b, pair.planned, pair.done) == ("anna", "ben", 2, 1)
    # a1 is done by both: units = (a1, actor, target) someone done gave a stance
    assert (report.overlap_ready, report.units_ready) == (1, 2)
    data = report.as_dict()
    assert data["annotators"][0]["remaining"] == 1 and data["articles"][0]["coders_done"]


def test_a_shorter_window_sees_less(team: Project) -> None:
    anna = progress_report(team, days=1, now=NOW).annotators[0]
    assert (anna.labels_recent, anna.done_recent, anna.labels_per_hour) == (0, 0, None)
    assert anna.eta_hours is None and eta_text(None, None, 1) == "no pace yet"


def test_the_chart_shows_what_the_report_says(team: Project, tmp_path: Path) -> None:
    report = progress_report(team, days=7, now=NOW)
    figure = progress_figure(report)
    bars, daily, _done, pairs = figure.axes
    assert [t.get_text() for t in bars.get_yticklabels()] == ["ben", "anna"]  # anna on top
    assert "3 of 5 assignments done" in bars.get_title(loc="left")
    assert any("2/3" in t.get_text() for t in bars.texts)
    assert sorted(line.get_label() for line in daily.get_lines()) == ["anna", "ben"]
    assert [t.get_text() for t in pairs.get_yticklabels()] == ["anna + ben"]
    save_png(figure, tmp_path / "p.png")
    assert (tmp_path / "p.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
