"""Dates at the calendar's edges and far from the others (issue 23, item 7): a series of
windows is refused above MAX_WINDOWS with the count, and years 1 and 9999 work."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from annotator.codebook import Codebook
from annotator.errors import InputError
from annotator.network.build import NetworkSeries, build_networks
from annotator.network.dates import MAX_WINDOWS, calendar_windows, moving_windows
from annotator.network.figures import timeline
from annotator.network.options import Calendar, NetworkOptions
from annotator.network.statements import Statement
from tests.agreement.builders import label_anna, new_project
from tests.network.fixtures import N
from tests.network.test_cli import PNG, run
from tests.network.test_statements import set_dates


def said(*dates: str) -> list[Statement]:
    return [
        Statement(actor="A", target=N, stance="favor", date=d, article=f"a{i}", annotator="anna")
        for i, d in enumerate(dates)
    ]


def labels(series: NetworkSeries) -> list[str]:
    return [n.window.label for n in series.networks if n.window is not None]


def test_a_date_far_from_the_others_is_refused_with_the_count(codebook: Codebook) -> None:
    options = NetworkOptions(moving_days=7)
    with pytest.raises(InputError) as refused:
        build_networks(said("1024-05-01", "2024-05-01"), codebook, options)
    message = str(refused.value)
    assert "365,238 moving windows of 7 day(s) from 1024-05-01 to 2024-05-01" in message
    assert f"more than {MAX_WINDOWS:,}" in message and "--from/--to" in message
    # Narrowed to the plausible dates, the same statements make their series.
    narrowed = NetworkOptions(moving_days=7, date_from="2024-04-25", date_to="2024-05-10")
    assert len(build_networks(said("1024-05-01", "2024-05-01"), codebook, narrowed).networks) == 10


def test_the_whole_calendar_is_refused_at_once() -> None:
    with pytest.raises(InputError, match="3,652,059 moving windows of 1 day"):
        moving_windows(1, date.min, date.max)
    with pytest.raises(InputError, match="119,988 month windows from 0001-01-01"):
        calendar_windows(Calendar.MONTH, date.min, date.max)
    years = calendar_windows(Calendar.YEAR, date.min, date.max)
    assert len(years) == 9999 and (years[0].label, years[-1].label) == ("0001", "9999")
    assert years[-1].end == date.max


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        (Calendar.MONTH, ["9999-11", "9999-12"]),
        (Calendar.QUARTER, ["9999-Q4"]),
        (Calendar.YEAR, ["9999"]),
    ],
)
def test_windows_at_the_end_of_the_calendar(
    codebook: Codebook, window: Calendar, expected: list[str]
) -> None:
    series = build_networks(said("9999-11-30", "9999-12"), codebook, NetworkOptions(window=window))
    assert labels(series) == expected
    last = series.networks[-1].window
    assert last is not None and last.end == date.max
    assert series.statements == 2 and series.unplaced == 0


def test_windows_at_the_start_of_the_calendar(codebook: Codebook) -> None:
    series = build_networks(
        said("0001-01-01", "0001-01-03"), codebook, NetworkOptions(moving_days=2)
    )
    assert labels(series) == ["0001-01-01_0001-01-02", "0001-01-02_0001-01-03"]


def test_a_timeline_at_the_calendars_edges(codebook: Codebook) -> None:
    figure = timeline(said("0001-01-01", "9999-12", "2024"), "A", codebook)
    out = io.BytesIO()
    figure.savefig(out, format="png")  # matplotlib cannot draw before year 1 or after 9999
    assert out.getvalue().startswith(PNG)


def test_the_command_says_so_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = new_project(tmp_path / "p.db")
    label_anna(project)
    set_dates(project, {"a1": "0001-01-01", "a2": "9999-12-31", "a3": "9999-11"})
    project.close()
    base = ["--db", str(tmp_path / "p.db"), "network", "-a", "anna", "-f", "csv"]
    for option, count in (
        (["--moving-window", "1"], "3,652,059"),
        (["--window", "month"], "119,988"),
    ):
        code, _, err = run([*base, *option, "-o", str(tmp_path / "x.csv")], capsys)
        assert code == 2 and err.count("\n") == 1, err
        assert err.startswith("annotator: error: ") and count in err and "unexpected" not in err
    assert not (tmp_path / "x.csv").exists()
    code, _, err = run(
        [*base, "--window", "month", "--from", "9999", "-o", str(tmp_path / "m.csv")], capsys
    )
    assert code == 0, err
    assert sorted(set(pd.read_csv(tmp_path / "m.csv")["window"])) == ["9999-11", "9999-12"]
