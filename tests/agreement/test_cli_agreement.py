"""`annotator merge` and `annotator agreement` through the real entry point."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import typer.main

from annotator.agreement import agreement_report
from annotator.cli.app import app, main
from annotator.store.engine import open_project
from tests.agreement.builders import label_anna, label_ben, new_project


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("annotators")
    for name, fill in (("anna", label_anna), ("ben", label_ben)):
        project = new_project(folder / f"{name}.db")
        fill(project)
        project.close()
    return folder


@pytest.fixture
def merged(tmp_path: Path, originals: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """lead.db after `annotator merge anna.db ben.db`."""
    for name in ("anna.db", "ben.db"):
        shutil.copy(originals / name, tmp_path / name)
    lead = tmp_path / "lead.db"
    code, out, err = run(
        capsys, "--db", str(lead), "merge", str(tmp_path / "anna.db"), str(tmp_path / "ben.db")
    )
    assert code == 0, err
    assert "anna.db: 3 article(s) added" in out
    assert "ben.db: 0 article(s) added (3 already there); 5 label(s) added" in out
    assert "merged 2 file(s)" in out
    return lead


def test_merge_twice_says_nothing_new(merged: Path, capsys) -> None:
    code, out, _ = run(capsys, "--db", str(merged), "merge", str(merged.parent / "anna.db"))
    assert code == 0
    assert "anna.db: nothing new" in out


def test_agreement_prints_readable_tables(merged: Path, capsys, codebook) -> None:
    code, out, err = run(capsys, "--db", str(merged), "agreement", "--confusion")
    assert code == 0, err
    project = open_project(str(merged))
    report = agreement_report(project, codebook)
    project.close()
    assert f"{report.overall.alpha_nominal:.3f}" in out
    lo, hi = report.overall.alpha_nominal_ci
    assert f"[{lo:.2f}, {hi:.2f}]" in out
    for heading in ("Agreement per scope", "Annotator pairs", "Annotators", "Disagreements (2"):
        assert heading in out
    assert "anna (rows) x ben (columns)" in out
    assert "Carlo Masala" in out and "no unit was coded by two annotators" in out


def test_agreement_json_equals_the_report(merged: Path, capsys, codebook) -> None:
    code, out, _ = run(capsys, "--db", str(merged), "agreement", "--json", "--seed", "3")
    assert code == 0
    project = open_project(str(merged))
    expected = agreement_report(project, codebook, seed=3).as_dict()
    project.close()
    assert json.loads(out) == json.loads(json.dumps(expected))


def test_agreement_csv_to_stdout_and_file(merged: Path, capsys, tmp_path) -> None:
    code, out, _ = run(
        capsys, "--db", str(merged), "agreement", "--csv", "-", "--target", "defence_spending"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["scope"] for r in rows} == {"overall", "defence_spending"}
    alpha = next(r for r in rows if r["scope"] == "overall" and r["measure"] == "alpha_nominal")
    assert float(alpha["value"]) == pytest.approx(1.0) and alpha["units"] == "2"
    kappa = next(r for r in rows if r["measure"] == "cohen_kappa")
    assert (kappa["annotator_a"], kappa["annotator_b"]) == ("anna", "ben")

    path = tmp_path / "figures.csv"
    code, out, err = run(
        capsys, "--db", str(merged), "agreement", "--csv", str(path), "--annotator", "anna,ben"
    )
    assert code == 0
    assert "Agreement per scope" in out and f"figures written to {path}" in err
    assert path.read_text(encoding="utf-8").startswith("scope,annotator_a,annotator_b,measure")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["agreement", "-a", "anna", "-a", "carl"], 2, "unknown annotator 'carl'"),
        (["agreement", "--target", "weather"], 2, "unknown target 'weather'"),
        (["agreement", "--json", "--csv", "-"], 2, "choose one"),
        (["merge", "nothing-here.db"], 2, "no such file"),
    ],
)
def test_errors_are_one_line_with_an_exit_code(merged: Path, capsys, args, code, message) -> None:
    got, out, err = run(capsys, "--db", str(merged), *args)
    assert got == code
    assert err.count("\n") == 1 and message in err and err.startswith("annotator: error:")


def test_agreement_needs_an_existing_project(tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path / "none.db"), "agreement")
    assert code == 4 and "no project" in err
    assert not (tmp_path / "none.db").exists()


def test_every_command_and_option_has_help_text() -> None:
    group = typer.main.get_command(app)
    assert group.commands
    for name, command in group.commands.items():
        assert (command.help or "").strip(), f"command {name!r} has no help text"
        for param in command.params:
            if param.param_type_name == "option":
                assert (getattr(param, "help", "") or "").strip(), f"{name} {param.name}"


def test_names_with_brackets_are_printed_as_they_are(merged: Path, capsys) -> None:
    """Names come from articles, packages and the team: rich read "[/]" in them as markup
    and the command stopped with a MarkupError (the agreement tables, the gold table)."""
    with sqlite3.connect(merged) as db:
        db.execute("UPDATE annotator SET name = 'anna[/]' WHERE name = 'anna'")
        db.execute("UPDATE annotator SET name = '[bold]ben' WHERE name = 'ben'")
        db.execute("UPDATE actor SET name = name || ' [/]'")
    db.close()
    code, out, err = run(capsys, "--db", str(merged), "agreement", "--confusion")
    assert code == 0, err
    assert "[bold]ben (rows) x anna[/] (columns)" in out  # sorted by name
    assert "Carlo Masala [/]" in out
