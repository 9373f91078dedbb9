"""Import refuses dates before 1900 or more than a year ahead unless --allow-dates (issue 23,
item 7: an article dated 1024 had made a network series of 365,253 windows)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from annotator.dates import check_date, date_days
from annotator.errors import InputError
from annotator.ingest.importer import import_paths
from annotator.store.engine import open_project
from annotator.store.models import Article
from tests.safety.refusal import assert_refused, make_labelled_project, run_cli

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    "text",
    ["1024-05-01", "0001-01-01", "9999-12-31", "1899", "1899-12-31", "2028-01", "2999"],
)
def test_implausible_dates_are_refused(text: str) -> None:
    with pytest.raises(InputError, match="--allow-dates") as refused:
        check_date(text, origin="a.jsonl:3", today=TODAY)
    assert (refused.value.path, refused.value.line) == ("a.jsonl", 3)
    assert str(refused.value).startswith(f"a.jsonl:3: date {text!r} is before 1900")


@pytest.mark.parametrize(
    "text",
    [None, "", "1900", "1900-01-01", "2024-11", "2024-11-07T10:30:00Z", "2027-12-07", "2027",
     "gestern", "07.11.2024", "2024-13"],
)  # fmt: skip
def test_plausible_dates_and_what_names_no_days_are_taken(text: str | None) -> None:
    check_date(text, origin="a.txt", today=TODAY)


def test_a_date_names_its_days() -> None:
    assert date_days("2024-02") == (date(2024, 2, 1), date(2024, 2, 29), "2024-02")
    assert date_days("0000") is None and date_days("2024-02-30") is None


def _jsonl(tmp_path: Path, *dates: str) -> Path:
    path = tmp_path / "dated.jsonl"
    records = [{"id": f"d{i}", "text": f"Artikel {i} über die Nato.", "date": d} for i, d in
               enumerate(dates)]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def test_the_command_refuses_in_one_line_and_imports_with_allow_dates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = make_labelled_project(tmp_path / "p.db")
    path = _jsonl(tmp_path, "2024-11-06", "1024-05-01")
    line = assert_refused(db, ["import", "--no-model", str(path)], capsys, "--allow-dates")
    assert f"{path}:2: date '1024-05-01'" in line
    code, err, _ = run_cli(["--db", db, "import", "--no-model", "--allow-dates", str(path)], capsys)
    assert code == 0, err
    with open_project(db) as project, project.session() as s:
        dates = dict(s.exec(select(Article.external_id, Article.date)).all())
    assert dates["d0"] == "2024-11-06" and dates["d1"] == "1024-05-01"


def test_skip_invalid_leaves_out_the_odd_dates_only(tmp_path: Path) -> None:
    future = (date.today() + timedelta(days=800)).isoformat()
    path = _jsonl(tmp_path, "2024-11-06", "0001-01-01", future, "9999")
    with open_project(str(tmp_path / "p.db")) as project:
        report = import_paths(project, [path], model="none", skip_invalid=True)
    assert report.added_ids == ["d0"]
    assert [r.split(": date ")[1].split(" ")[0] for r in report.skipped] == [
        "'0001-01-01'",
        f"'{future}'",
        "'9999'",
    ]
