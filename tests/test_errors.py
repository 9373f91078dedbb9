"""One error vocabulary: one exception class per kind of mistake, one exit code per class
across every command, and the table of codes in the README true (annotator/errors.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotator import errors
from tests.agreement.builders import label_anna, new_project
from tests.cli.test_cli import run

REPO = Path(__file__).resolve().parent.parent


def test_the_base_class_is_never_raised_itself() -> None:
    """Every deliberate error says what kind it is (its exit code follows from that)."""
    raising = [
        str(path.relative_to(REPO))
        for path in sorted((REPO / "annotator").rglob("*.py"))
        if re.search(r"raise AnnotatorError\(", path.read_text(encoding="utf-8"))
    ]
    assert raising == []


def test_the_readme_lists_every_exit_code() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `(\d+)` \| (.+?) \|$", readme, flags=re.M))
    for cls, code in errors.EXIT_CODES.items():
        assert str(code) in table, (cls.__name__, code)
        assert cls.__name__ in table[str(code)], (cls.__name__, table[str(code)])
    assert {"0", "1"} <= table.keys()


@pytest.fixture
def db(tmp_path: Path) -> str:
    with new_project(tmp_path / "p.db") as project:
        label_anna(project)
    return str(tmp_path / "p.db")


SAME_MISTAKES = {
    "an annotator the project does not have": [
        ["export", "-f", "stances", "-a", "zoe", "-o", "OUT/s.jsonl"],
        ["network", "-f", "csv", "-a", "zoe", "-o", "OUT/n.csv"],
        ["agreement", "--annotator", "zoe,anna"],
        ["history", "--annotator", "zoe"],
        ["package", "--annotator", "zoe", "-o", "OUT/zoe.db"],
    ],
    "a minimum of votes below one": [
        ["export", "-f", "stances", "--labels", "majority", "--min-votes", "0", "-o", "OUT/x"],
        ["curate", "--strategy", "threshold", "--min-votes", "0"],
    ],
    "a file that is not there": [
        ["import", "OUT/missing.txt"],
        ["merge", "OUT/missing.db"],
        ["eval-entities", "OUT/missing.jsonl"],
    ],
}


@pytest.mark.parametrize("mistake", sorted(SAME_MISTAKES))
def test_the_same_mistake_has_the_same_exit_code_in_every_command(
    mistake: str, db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    codes = {}
    for argv in SAME_MISTAKES[mistake]:
        args = [a.replace("OUT", str(tmp_path)) for a in argv]
        code, _out, err = run(["--db", db, *args], capsys)
        assert err.count("\n") == 1 and "unexpected" not in err, (argv, err)
        codes[argv[0]] = code
    assert set(codes.values()) == {errors.InputError.exit_code}, codes
