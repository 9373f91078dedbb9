"""What a merge adds must pass the checks the same thing passes when it comes in another way.

- An alias or a new actor's name joins every later highlighting: it must pass the rule for
  text marked by hand (limits.check_marked_text). A package carrying the alias 'die' had
  made every later import mark every 'die' as that actor.
- A new article must have a text, as at import.

Every case runs the real command line on real files: one clear line, the lead's project
exactly as it was.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.store.models import text_hash
from tests.safety.refusal import assert_refused, run_cli

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))


def _cli(args: list[str]) -> None:
    from annotator.cli.app import main

    try:
        main(args)
    except SystemExit as exc:
        assert not exc.code, (args, exc.code)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The lead's project (the seeds, planned for anna and ben) and anna's package."""
    folder = tmp_path_factory.mktemp("lead")
    lead, package = folder / "lead.db", folder / "anna.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANNOTATOR_HOME", str(tmp_path_factory.mktemp("home")))
        _cli(["--db", str(lead), "import", *map(str, SEEDS), "--no-model"])
        _cli(["--db", str(lead), "assign", "-a", "anna,ben"])
        _cli(["--db", str(lead), "package", "-a", "anna", "-o", str(package)])
    yield lead, package


@pytest.fixture
def lead(made: tuple[Path, Path], tmp_path: Path) -> str:
    return str(shutil.copy(made[0], tmp_path / "lead.db"))


@pytest.fixture
def package(made: tuple[Path, Path], tmp_path: Path) -> Path:
    return Path(shutil.copy(made[1], tmp_path / "anna.db"))


def sql(path: Path, statement: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(statement, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def actor(path: Path, name: str) -> int:
    return int(sql(path, "SELECT id FROM actor WHERE name = ?", (name,))[0][0])


@pytest.mark.parametrize("alias", ["die", "Die", "a", "(a+)+$", "„und“"])
def test_an_alias_the_window_would_not_take_is_refused_by_name(
    lead: str, package: Path, alias: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sql(package, "INSERT INTO actoralias (actor_id, alias) VALUES (?, ?)",
        (actor(package, "AfD"), alias))  # fmt: skip
    line = assert_refused(lead, ["merge", str(package)], capsys, re.escape(repr(alias)))
    assert "'AfD'" in line and "nothing was merged" in line


def test_a_new_actor_named_by_a_stop_word_is_refused(
    lead: str, package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sql(package, "INSERT INTO actor (name, type, label, origin) VALUES ('Die', 'party', "
        "'ORG', 'manual')")  # fmt: skip
    assert_refused(lead, ["merge", str(package)], capsys, "actor name 'Die'.*stop word")


def test_good_new_aliases_and_actors_still_come_along(
    lead: str, package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The package carries the lead's 1,800 aliases too: known ones are not checked again.
    sql(package, "INSERT INTO actoralias (actor_id, alias) VALUES (?, 'Rechtspopulisten')",
        (actor(package, "AfD"),))  # fmt: skip
    sql(package, "INSERT INTO actor (name, type, label, origin) VALUES ('Masala, C.', "
        "'person', 'PER', 'manual')")  # fmt: skip
    code, err, out = run_cli(["--db", lead, "merge", str(package)], capsys)
    assert code == 0, err
    assert "1 actor(s), 1 alias(es)" in out
    ours = Path(lead)
    assert sql(ours, "SELECT count(*) FROM actor WHERE name = 'Masala, C.'") == [(1,)]
    assert sql(ours, "SELECT alias FROM actoralias WHERE alias = 'Rechtspopulisten'")


def article_only_file(folder: Path, text: str) -> Path:
    """A project file holding one new article and nobody's work (nobody labelled there)."""
    source = folder / "new.jsonl"
    source.write_text(json.dumps({"id": "neu", "text": "Ein neuer Artikel über die Nato."}))
    path = folder / "articles.db"
    _cli(["--db", str(path), "import", str(source), "--no-model"])
    sql(path, "DELETE FROM mention")
    sql(path, "UPDATE article SET text = ?, text_sha256 = ?, segments = NULL",
        (text, text_hash(text)))  # fmt: skip
    return path


@pytest.mark.parametrize("text", ["", " \n\t "])
def test_a_new_article_without_text_is_refused(
    lead: str, tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    other = article_only_file(tmp_path, text)
    assert_refused(lead, ["merge", str(other)], capsys, "article 'neu' has no text")


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("date", "0001-01-01", "is before 1900"),
        ("date", "2024-13", "is no date"),
        ("external_id", "evil\nid\x1b[31m" + "x" * 300, "the new article"),
        ("external_id", "x" * 200, "the limit is 160"),
        ("title", "T" * 100_000, "the limit is 300"),
        ("title", "\x1b]0;pwned\x07", "control character"),
        ("source", "a\nb", "line break"),
    ],
)
def test_a_new_article_passes_the_import_checks(
    lead: str, tmp_path: Path, column: str, value: str, message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """A file edited by hand had brought these with exit 0 into a project without a plan
    (a planned one takes no article it lacks); import refuses every one."""
    sql(Path(lead), "DELETE FROM assignment")
    other = article_only_file(tmp_path, "Ein neuer Artikel über die Nato.")
    sql(other, f"UPDATE article SET {column} = ?", (value,))
    assert_refused(lead, ["merge", str(other)], capsys, message)


def test_a_new_article_longer_than_an_import_takes_is_refused(
    lead: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sql(Path(lead), "DELETE FROM assignment")
    other = article_only_file(tmp_path, "Die Nato berät. " * 70_000)  # 1.1 million
    assert_refused(lead, ["merge", str(other)], capsys, "the limit is 1,000,000")


def test_a_whole_project_brings_its_old_dates(lead: str, tmp_path: Path) -> None:
    """--whole-project trusts the file, as --allow-dates trusts an import's dates."""
    other = article_only_file(tmp_path, "Ein neuer Artikel über die Nato.")
    sql(other, "UPDATE article SET date = '1850-03-01'")
    _cli(["--db", lead, "merge", "--whole-project", str(other)])
    assert sql(Path(lead), "SELECT date FROM article WHERE external_id = 'neu'") == [
        ("1850-03-01",)
    ]
