"""The `annotator` command: help for every command, one-line errors, the seeds round."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer.main

from annotator.cli.app import app, main


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_every_command_has_help_text() -> None:
    group = typer.main.get_command(app)
    assert group.commands, "no commands registered"
    for name, command in group.commands.items():
        assert (command.help or "").strip(), f"command {name!r} has no help text"


def test_default_project_is_filled_from_the_seeds(capsys) -> None:
    code, out, err = run(["info"], capsys)
    assert code == 0, err
    assert "articles:   5" in out
    assert "nato_membership" in out and "against < neutral < favor" in out


def test_entities_json_shows_canonical_actors(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "p.db")
    code, out, err = run(["--db", db, "import", str(Path("seeds").resolve())], capsys)
    assert code == 0, err
    assert "5 article(s) imported" in out
    code, out, _ = run(["--db", db, "entities", "--json"], capsys)
    lines = [json.loads(x) for x in out.splitlines()]
    assert len(lines) == 5
    first = next(x for x in lines if x["id"] == "000_bdcb18cc22753435")
    actors = {s["actor"] for s in first["spans"]}
    assert {"Boris Pistorius", "Sébastien Lecornu", "Donald Trump", "NATO", "Frankreich"} <= actors
    for s in first["spans"]:
        assert set(s) == {"start", "end", "label", "actor"}


def test_bad_input_is_one_line_on_stderr_and_leaves_the_project(tmp_path: Path, capsys) -> None:
    db = tmp_path / "p.db"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "Text"}\n{oops\n', encoding="utf-8")
    good = tmp_path / "good.jsonl"
    good.write_text('{"id": "g", "text": "Olaf Scholz sagt etwas."}\n', encoding="utf-8")
    run(["--db", str(db), "import", str(good)], capsys)
    before = db.read_bytes()
    code, out, err = run(["--db", str(db), "import", str(bad)], capsys)
    assert code != 0
    assert err.count("\n") == 1 and "bad.jsonl:2" in err and "Traceback" not in err
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    "argv",
    [["import", "/no/such/file.txt"], ["--codebook", "/no/such.toml", "info"], ["nonsense"]],
)
def test_errors_are_one_line(argv: list[str], tmp_path: Path, capsys) -> None:
    code, _out, err = run(["--db", str(tmp_path / "p.db"), *argv], capsys)
    assert code != 0
    assert err.strip().count("\n") == 0 and err.startswith("annotator: error:")


@pytest.mark.parametrize("command", ["info", "articles", "entities", "history", "export"])
def test_a_mistyped_project_path_is_an_error_not_a_new_project(
    command: str, tmp_path: Path, capsys
) -> None:
    missing = tmp_path / "projct.db"
    argv = ["--db", str(missing), command] + (
        ["--format", "documents"] if command == "export" else []
    )
    code, _out, err = run(argv, capsys)
    assert code != 0 and f"no project at {missing}" in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_not_a_project_is_refused_and_untouched(tmp_path: Path, capsys) -> None:
    path = tmp_path / "notes.db"
    path.write_text("meine Notizen", encoding="utf-8")
    code, _out, err = run(["--db", str(path), "info"], capsys)
    assert code != 0 and "not a project file" in err
    assert path.read_text(encoding="utf-8") == "meine Notizen"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["exprt"], "No such command 'exprt'. Did you mean 'export'? (see 'annotator --help')"),
        (["info", "--bogus"], "No such option: --bogus (see 'annotator info --help')"),
        (["export", "--format", "xml"], "'xml' is not one of"),
        (["export", "--labels", "most"], "'most' is not one of"),
    ],
)
def test_a_wrong_command_line_is_one_usage_line_with_a_hint(
    argv: list[str], expected: str, tmp_path: Path, capsys
) -> None:
    code, _out, err = run(["--db", str(tmp_path / "p.db"), *argv], capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("annotator: error: "), err
    assert expected in err and "unexpected" not in err
