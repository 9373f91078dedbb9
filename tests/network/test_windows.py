"""Date ranges and time windows of the fixture debate, counted by hand.

Dates: A-N, A-T 2024-01-10; A-S, B-N 2024-02-05; B-T, B-S 2024-03 (month only);
C-N, C-S 2024-04-20; D-T 2024-05-01; D-T (a6) undated.
"""

from __future__ import annotations

from datetime import date

import pytest

from annotator.errors import InputError
from annotator.network.build import Network, NetworkSeries, build_networks
from annotator.network.dates import calendar_windows, moving_windows, parse_date
from annotator.network.options import Calendar, Mode, NetworkOptions
from tests.network.fixtures import debate


def series(codebook, **kw) -> NetworkSeries:
    return build_networks(debate(), codebook, NetworkOptions(**kw))


def by_window(s: NetworkSeries) -> dict[str, int]:
    return {n.window.label: n.statements for n in s.networks}


def actors(n: Network) -> list[str]:
    return [a for a, row in zip(n.actors, n.counts.sum(axis=(1, 2)), strict=True) if row]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024-11-07", date(2024, 11, 7), date(2024, 11, 7)),
        ("2024-11", date(2024, 11, 1), date(2024, 11, 30)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-11-07T10:30:00Z", date(2024, 11, 7), date(2024, 11, 7)),
    ],
)
def test_a_date_is_the_period_it_names(text: str, start: date, end: date) -> None:
    period = parse_date(text)
    assert period is not None and (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", [None, "", "gestern", "2024-13", "2024-02-30", "07.11.2024"])
def test_what_is_no_date(text: str | None) -> None:
    assert parse_date(text) is None


def test_no_range_keeps_the_undated_statements(codebook) -> None:
    s = series(codebook)
    assert s.statements == 10 and s.undated == 0
    assert s.networks[0].window is None


def test_a_date_range_holds_whole_months_and_reports_the_rest(codebook) -> None:
    s = series(codebook, date_from="2024-02", date_to="2024-04")
    # Feb 5 (2), March as a whole month (2), Apr 20 (2); a6 has no date
    assert (s.statements, s.undated, s.unplaced) == (6, 1, 0)
    assert actors(s.networks[0]) == ["A", "B", "C"]
    s = series(codebook, date_from="2024-03-15", date_to="2024-05-31")
    # "2024-03" reaches into the range but is not inside it: left out, and counted
    assert (s.statements, s.undated, s.unplaced) == (3, 1, 2)
    assert [st.article for st in s.in_range] == ["a4", "a4", "a5"]


def test_a_bad_range_is_refused(codebook) -> None:
    with pytest.raises(InputError, match="--from 'soon'"):
        series(codebook, date_from="soon")
    with pytest.raises(InputError, match="before --from"):
        series(codebook, date_from="2024-05", date_to="2024-01")


def test_month_windows(codebook) -> None:
    s = series(codebook, window=Calendar.MONTH)
    assert by_window(s) == {"2024-01": 2, "2024-02": 2, "2024-03": 2, "2024-04": 2, "2024-05": 1}
    assert s.undated == 1 and s.unplaced == 0
    march = s.networks[2]
    assert (march.window.start, march.window.end) == (date(2024, 3, 1), date(2024, 3, 31))
    assert march.actors == ["B"]  # no isolates: only who spoke in March


def test_quarter_windows_and_their_one_mode_networks(codebook) -> None:
    s = series(codebook, window=Calendar.QUARTER, mode=Mode.ONEMODE)
    assert by_window(s) == {"2024-Q1": 6, "2024-Q2": 3}
    q1, q2 = s.networks
    # Q1: A and B in full: congruence 2 (see test_build); Q2: C and D share no target
    assert q1.actors == ["A", "B"] and q1.weights.data.tolist() == [2]
    assert q2.actors == ["C", "D"] and q2.weights.nnz == 0


def test_isolates_put_every_actor_in_every_window(codebook) -> None:
    s = series(codebook, window=Calendar.QUARTER, isolates=True)
    assert [n.actors for n in s.networks] == [["A", "B", "C", "D"]] * 2
    assert s.networks[1].matrix()[:2].tolist() == [[0, 0, 0], [0, 0, 0]]


def test_year_windows(codebook) -> None:
    assert by_window(series(codebook, window=Calendar.YEAR)) == {"2024": 9}


def test_calendar_windows_have_no_gaps() -> None:
    labels = [
        w.label for w in calendar_windows(Calendar.MONTH, date(2023, 11, 20), date(2024, 2, 1))
    ]
    assert labels == ["2023-11", "2023-12", "2024-01", "2024-02"]
    quarters = calendar_windows(Calendar.QUARTER, date(2023, 12, 31), date(2024, 4, 1))
    assert [(q.label, q.start, q.end) for q in quarters] == [
        ("2023-Q4", date(2023, 10, 1), date(2023, 12, 31)),
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024-Q2", date(2024, 4, 1), date(2024, 6, 30)),
    ]


def test_moving_windows(codebook) -> None:
    windows = moving_windows(7, date(2024, 1, 1), date(2024, 1, 10))
    assert [(w.start.day, w.end.day) for w in windows] == [(1, 7), (2, 8), (3, 9), (4, 10)]
    # 2024-01-10 .. 2024-05-01 is 113 days: 113 - 31 + 1 = 83 windows of 31 days
    s = series(codebook, moving_days=31)
    assert len(s.networks) == 83 and s.undated == 1 and s.unplaced == 0
    first = s.networks[0]
    assert first.window.label == "2024-01-10_2024-02-09"
    assert first.statements == 4  # Jan 10 (2) and Feb 5 (2)
    # "2024-03" fits only the window that is exactly March
    march = [n for n in s.networks if "B" in n.actors and n.counts[n.actors.index("B"), 1].any()]
    assert [n.window.label for n in march] == ["2024-03-01_2024-03-31"]
    # A's Feb 5 statement is in every window from Jan 10 (the first) to Feb 5: 27 windows
    holding = [n for n in s.networks if "A" in n.actors and n.counts[n.actors.index("A"), 2].any()]
    assert len(holding) == 27


def test_a_moving_window_shorter_than_a_month_cannot_hold_a_month(codebook) -> None:
    s = series(codebook, moving_days=30)
    assert s.unplaced == 2 and s.undated == 1


def test_a_window_longer_than_the_dates_is_refused(codebook) -> None:
    with pytest.raises(InputError, match="longer than the dates"):
        series(codebook, moving_days=400)
