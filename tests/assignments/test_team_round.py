"""The issue's "done when": a lead plans a four-coder project with 20 % double coding over the
seeds plus a synthetic corpus, hands out packages, merges them back, and watches progress
and agreement grow (tests/assignments/scenario.py plays the week)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from annotator.agreement import agreement_report
from annotator.assignments.progress import progress_report
from annotator.store.engine import open_project
from tests.assignments.scenario import PACE, TEAM, build


@pytest.mark.slow
def test_a_week_of_a_coding_team(tmp_path: Path, codebook) -> None:
    now = datetime(2025, 3, 10, 18, 0, tzinfo=UTC)
    lead_db = build(tmp_path, now=now)
    with open_project(str(lead_db)) as lead:
        report = progress_report(lead, days=7, now=now)
        people = {p.name: p for p in report.annotators}
        assert list(people) == list(TEAM)
        assert report.assigned == 72 and len(report.articles) == 60  # 60 articles, 12 twice
        assert (
            max(p.assigned for p in people.values()) - min(p.assigned for p in people.values()) <= 1
        )
        for name, pace in PACE.items():
            p = people[name]
            assert p.done == round(p.assigned * pace) and p.labels_recent > 0
            assert p.labels_per_hour and p.eta_hours is not None and p.eta_days is not None
        assert people["anna"].eta_days < people["dan"].eta_days
        assert len(report.pairs) == 6  # every pair shares articles: kappa for each
        assert report.overlap_ready > 0 and report.units_ready > 0
        agreement = agreement_report(lead, codebook, bootstrap=0)
        assert agreement.overall.units == report.units_ready
        assert agreement.overall.pairs  # pairwise kappa where both finished shared articles
