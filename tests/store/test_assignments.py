"""Which articles `assign --articles TEXT` plans: those whose title, id or source contains the
text, taken literally (store/assignments.articles_containing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.store.assignments import articles_containing, read_assignments
from annotator.store.engine import Project, open_project
from tests.cli.test_cli import run
from tests.conftest import add_article

IDS = ("spiegel_2024", "spiegel-2024", "rabatt%50", "back\\slash", "Taz_1", "zeit 7")


def corpus(project: Project) -> dict[str, int]:
    return {ext: add_article(project, ext, f"Text {ext}.", title=f"Titel {i}")
            for i, ext in enumerate(IDS)}  # fmt: skip


@pytest.mark.parametrize(
    ("part", "found"),
    [
        ("%", ["rabatt%50"]),
        ("_", ["spiegel_2024", "Taz_1"]),
        ("l_2", ["spiegel_2024"]),  # not spiegel-2024: "_" is no "any character"
        ("\\", ["back\\slash"]),
        ("TAZ_", ["Taz_1"]),  # case is ignored, as before
        ("Titel 1", ["spiegel-2024"]),  # the title too
        ("", list(IDS)),
    ],
)
def test_articles_are_matched_literally(project: Project, part: str, found: list[str]) -> None:
    ids = corpus(project)
    assert articles_containing(project, part) == [ids[ext] for ext in found]


def test_assign_percent_plans_only_articles_with_a_percent_sign(
    tmp_path: Path,
    capsys,
) -> None:
    """`--articles %` had planned all 301 articles of a project."""
    db = str(tmp_path / "p.db")
    with open_project(db) as project:
        ids = corpus(project)
    code, out, err = run(["--db", db, "assign", "-a", "anna,ben", "--articles", "%"], capsys)
    assert code == 0, err
    with open_project(db) as project:
        assert {r.article_id for r in read_assignments(project)} == {ids["rabatt%50"]}
    code, _out, err = run(["--db", db, "assign", "--articles", "zeit_"], capsys)
    assert code == 2 and "no article's title, id or source contains 'zeit_'" in err
