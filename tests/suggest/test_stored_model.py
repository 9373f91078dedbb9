"""A stored stance model edited by hand (the project file may come from elsewhere): it is
checked when it is loaded, before scikit-learn sees any of it; a bad one is not used, the
rules keep suggesting, and the user is told once in one line why. ALL DATA HERE IS
SYNTHETIC (tests/suggest/builders.py)."""

from __future__ import annotations

import copy
import ctypes
import json
import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from annotator.cli.app import main
from annotator.codebook import load_codebook
from annotator.cues import CueMatcher
from annotator.store.articles import article_ids, load_article
from annotator.store.engine import open_project
from annotator.store.suggestions import save_model
from annotator.suggest import model
from annotator.suggest.features import candidates
from annotator.suggest.model import train
from annotator.suggest.training import training_units
from tests.suggest.builders import labelled_project

Numbers = dict[str, Any]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Numbers]:
    """A project with a model for everybody (as one learnt from gold would be), learnt from
    50 template articles and stored as train-stance stores it."""
    root = tmp_path_factory.mktemp("trained")
    with pytest.MonkeyPatch.context() as mp:  # module scope: before the per-test home
        mp.setenv("ANNOTATOR_HOME", str(root / "home"))
        project, _ = labelled_project(root / "t.db", 50, seed=7, coder="anna")
        try:
            units, classes, _ = training_units(project, load_codebook(), "anna")
            numbers = train(units, classes)
            save_model(project, numbers, {}, trained_from="gold", annotator_id=None,
                       units=len(units), usable=True)  # fmt: skip
        finally:
            project.close()
    return root / "t.db", numbers


def project_with(trained: tuple[Path, Numbers], folder: Path, numbers: Any) -> Path:
    """A copy of the trained project whose stored model holds `numbers` (JSON as a hand
    editor could write it: NaN and Infinity included)."""
    source, _ = trained
    db = folder / "p.db"
    with sqlite3.connect(source) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
        dst.execute("UPDATE stancemodel SET numbers = ?", (json.dumps(numbers),))
    src.close()
    dst.close()
    return db


def edit_row(db: Path, sql: str) -> None:
    with sqlite3.connect(db) as con:
        con.execute(sql)
    con.close()


def suggest(db: Path, capsys: pytest.CaptureFixture[str],
            caplog: pytest.LogCaptureFixture) -> tuple[list[dict], list[str]]:  # fmt: skip
    """`annotator --db DB suggest --json` through the real entry point: the suggestions, and
    every line meant for the user besides them (stderr and warnings logged)."""
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        try:
            main(["--db", str(db), "suggest", "--json"])
        except SystemExit as done:
            assert done.code in (0, None), capsys.readouterr().err
    out, err = capsys.readouterr()
    assert "unexpected" not in err and "Traceback" not in err
    told = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    return [json.loads(x) for x in out.splitlines()], told + err.splitlines()


def assert_rules_only(found: list[dict], told: list[str], why: str) -> None:
    assert found, "the rules still suggest"
    assert {s["source"] for s in found} == {"rules"}
    assert len(told) == 1, told
    (line,) = told
    assert line.startswith("the stored stance model v1 is unusable (") and "\n" not in line
    assert line.endswith("); suggestions come from the rules")
    assert why in line, line


def _vec(n: Numbers, i: int = 0) -> Numbers:
    return n["vectorizers"][i]


def _set(path: Callable[[Numbers], Any], key: Any, value: Any) -> Callable[[Numbers], None]:
    def edit(n: Numbers) -> None:
        path(n)[key] = value

    return edit


def _first_key(n: Numbers) -> str:
    return next(iter(_vec(n)["vocabulary"]))


# (name, hand edit, a word the warning must contain)
EDITS: list[tuple[str, Callable[[Numbers], None], str]] = [
    ("unknown setting", lambda n: _vec(n)["params"].update(foo=1), "foo"),
    (
        "setting train-stance never writes",
        lambda n: _vec(n)["params"].update(lowercase=False),
        "lowercase",
    ),
    (
        "ngram_range as a string",
        _set(lambda n: _vec(n)["params"], "ngram_range", "2,5"),
        "ngram_range",
    ),
    (
        "ngram_range reversed",
        _set(lambda n: _vec(n)["params"], "ngram_range", [5, 2]),
        "ngram_range",
    ),
    ("bad analyzer", _set(lambda n: _vec(n)["params"], "analyzer", "chars"), "analyzer"),
    ("analyzer a list", _set(lambda n: _vec(n)["params"], "analyzer", ["word"]), "analyzer"),
    (
        "sublinear_tf a string",
        _set(lambda n: _vec(n)["params"], "sublinear_tf", "yes"),
        "sublinear_tf",
    ),
    (
        "token_pattern a hand-made regex",
        _set(lambda n: _vec(n, 1)["params"], "token_pattern", "(a+)+$"),
        "token_pattern",
    ),
    (
        "token_pattern broken",
        _set(lambda n: _vec(n, 1)["params"], "token_pattern", "("),
        "token_pattern",
    ),
    ("setting missing", lambda n: _vec(n)["params"].pop("analyzer"), "analyzer"),
    ("params not a dict", _set(_vec, "params", [["analyzer", "word"]]), "params"),
    ("coef row too short", lambda n: n["coef"][0].pop(), "coef"),
    ("coef row missing", lambda n: n["coef"].pop(), "coef"),
    ("an extra class", lambda n: n["classes"].append("favor2"), "classes"),
    (
        "an extra class with its row",
        lambda n: (
            n["classes"].insert(0, "against"),
            n["coef"].append(n["coef"][0]),
            n["intercept"].append(0.0),
        ),
        "classes",
    ),
    (
        "coef numbers as strings",
        lambda n: n["coef"].__setitem__(0, [str(x) for x in n["coef"][0]]),
        "coef",
    ),
    ("coef numbers as lists", lambda n: n["coef"][1].__setitem__(3, [0.5]), "coef"),
    ("coef a string", _set(lambda n: n, "coef", "[[1.0]]"), "coef"),
    ("coef true and false", lambda n: n["coef"][0].__setitem__(0, True), "coef"),
    ("vectorizers missing", lambda n: n.pop("vectorizers"), "vectorizers"),
    ("no vectorizer", _set(lambda n: n, "vectorizers", []), "vectorizers"),
    ("vectorizer not a dict", _set(lambda n: n["vectorizers"], 0, "char_wb"), "vectorizer"),
    ("idf too short", lambda n: _vec(n)["idf"].pop(), "idf"),
    ("idf of strings", lambda n: _vec(n).update(idf=[str(x) for x in _vec(n)["idf"]]), "idf"),
    ("idf NaN", lambda n: _vec(n)["idf"].__setitem__(0, float("nan")), "idf"),
    (
        "vocabulary index repeated",
        lambda n: _vec(n)["vocabulary"].__setitem__(
            _first_key(n), _vec(n)["vocabulary"][list(_vec(n)["vocabulary"])[1]]
        ),
        "vocabulary",
    ),
    (
        "vocabulary index out of range",
        lambda n: _vec(n)["vocabulary"].__setitem__(_first_key(n), 10**9),
        "vocabulary",
    ),
    (
        "vocabulary index negative",
        lambda n: _vec(n)["vocabulary"].__setitem__(_first_key(n), -1),
        "vocabulary",
    ),
    (
        "vocabulary index a string",
        lambda n: _vec(n)["vocabulary"].__setitem__(_first_key(n), "0"),
        "vocabulary",
    ),
    ("vocabulary a list", _set(_vec, "vocabulary", ["ab", "bc"]), "vocabulary"),
    ("vocabulary empty", _set(_vec, "vocabulary", {}), "vocabulary"),
    ("coef NaN", lambda n: n["coef"][0].__setitem__(0, float("nan")), "coef"),
    ("coef infinite", lambda n: n["coef"][2].__setitem__(5, float("inf")), "coef"),
    ("coef too large for a float", lambda n: n["coef"][2].__setitem__(5, 10**400), "coef"),
    ("intercept infinite", lambda n: n["intercept"].__setitem__(0, float("-inf")), "intercept"),
    ("intercept too short", lambda n: n["intercept"].pop(), "intercept"),
    ("classes numbers", _set(lambda n: n, "classes", [1, 2, 3, 4]), "classes"),
    ("classes not the codebook's", _set(lambda n: n, "classes", ["1", "2", "3", "4"]), "classes"),
    ("classes repeated", lambda n: n["classes"].__setitem__(1, n["classes"][0]), "classes"),
    ("a newer format", _set(lambda n: n, "format", 2), "format 2"),
    ("format a string", _set(lambda n: n, "format", "1"), "format"),
]


@pytest.mark.parametrize(("edit", "why"), [(e, w) for _, e, w in EDITS],
                         ids=[name for name, _, _ in EDITS])  # fmt: skip
def test_a_model_edited_by_hand_is_not_used(
    trained, tmp_path, capsys, caplog, edit: Callable[[Numbers], None], why: str
) -> None:
    numbers = copy.deepcopy(trained[1])
    edit(numbers)
    found, told = suggest(project_with(trained, tmp_path, numbers), capsys, caplog)
    assert_rules_only(found, told, why)


@pytest.mark.parametrize("numbers", [[1, 2], "model", None, 3])
def test_numbers_that_are_no_object_are_not_used(trained, tmp_path, capsys, caplog,
                                                 numbers: Any) -> None:  # fmt: skip
    found, told = suggest(project_with(trained, tmp_path, numbers), capsys, caplog)
    assert {s["source"] for s in found} == {"rules"}
    (line,) = told
    assert line.startswith("the stored stance model") and "unusable" in line


@pytest.mark.parametrize(("column", "value"), [("units", "'many'"), ("quality", "'[1, 2]'"),
                                               ("quality", "'not json'"),
                                               ("numbers", "'{not json'")])  # fmt: skip
def test_a_record_whose_other_columns_were_edited_is_not_used(
    trained, tmp_path, capsys, caplog, column: str, value: str
) -> None:
    db = project_with(trained, tmp_path, trained[1])
    edit_row(db, f"UPDATE stancemodel SET {column} = {value}")
    found, told = suggest(db, capsys, caplog)
    assert {s["source"] for s in found} == {"rules"}
    (line,) = told
    assert line.startswith("the stored stance model") and "unusable" in line
    assert line.endswith("; suggestions come from the rules")


def test_a_model_over_the_size_limit_is_not_used(trained, tmp_path, capsys, caplog,
                                                 monkeypatch) -> None:  # fmt: skip
    # A model over the real limit (model.MAX_FEATURES) takes gigabytes; this one has a
    # thousand features or so, and the limit is lowered below them.
    features = sum(len(v["vocabulary"]) for v in trained[1]["vectorizers"])
    monkeypatch.setattr(model, "MAX_FEATURES", features - 1)
    found, told = suggest(project_with(trained, tmp_path, trained[1]), capsys, caplog)
    assert_rules_only(found, told, "too large")


def test_a_stored_model_has_a_format_and_loads_with_or_without_it(trained, tmp_path, capsys,
                                                                  caplog) -> None:  # fmt: skip
    """Models stored before the format was written have none: they are the current one."""
    assert trained[1]["format"] == model.FORMAT
    found, told = suggest(project_with(trained, tmp_path, trained[1]), capsys, caplog)
    assert told == [] and any(s["source"] == "model v1" for s in found)
    older = {k: v for k, v in trained[1].items() if k != "format"}
    (tmp_path / "older").mkdir()
    found, told = suggest(project_with(trained, tmp_path / "older", older), capsys, caplog)
    assert told == [] and any(s["source"] == "model v1" for s in found)


class OpenWatch:
    """Whether anything opened a file in `folder` (Linux inotify, IN_OPEN)."""

    IN_OPEN = 0x20

    def __init__(self, folder: Path) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0 or libc.inotify_add_watch(self.fd, os.fsencode(folder), self.IN_OPEN) < 0:
            raise OSError(ctypes.get_errno(), "inotify")

    def opened(self) -> bool:
        try:
            return bool(os.read(self.fd, 4096))
        except BlockingIOError:
            return False

    def close(self) -> None:
        os.close(self.fd)


def test_a_model_that_would_read_files_named_in_articles_opens_none(
    trained, tmp_path, capsys, caplog, monkeypatch
) -> None:
    """'input': 'filename' made scikit-learn open, as a file, what the model reads of an
    article: nothing but SQLite may open the project's files."""
    numbers = copy.deepcopy(trained[1])
    for vec in numbers["vectorizers"]:
        vec["params"]["input"] = "filename"
    db = project_with(trained, tmp_path, numbers)
    decoys = tmp_path / "decoys"
    decoys.mkdir()
    codebook = load_codebook()
    cues = CueMatcher(codebook)
    with open_project(str(db)) as project:
        texts = {
            u.text
            for a in article_ids(project)
            for u in candidates(load_article(project, a), cues, codebook.target_ids)
        }
    assert texts
    for text in texts:  # files named as the model reads the articles' units
        (decoys / text).write_text("Boris Pistorius fordert mehr Geld", encoding="utf-8")
    monkeypatch.chdir(decoys)
    watch = OpenWatch(decoys)
    try:
        found, told = suggest(db, capsys, caplog)
        assert not watch.opened(), "a file named by an article's text was opened"
    finally:
        watch.close()
    assert_rules_only(found, told, "input")


def test_the_warning_is_one_line_on_stderr_and_the_command_succeeds(trained, tmp_path) -> None:
    """In a process of its own, as a user runs it (pytest catches log records otherwise)."""
    numbers = copy.deepcopy(trained[1])
    numbers["classes"] = [1, 2, 3, 4]
    db = project_with(trained, tmp_path, numbers)
    done = subprocess.run(
        [sys.executable, "-c", "from annotator.cli.app import main; main()", "--db", str(db),
         "suggest"],
        capture_output=True, text=True, timeout=300, env=os.environ.copy(),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "the stored stance model v1 is unusable (classes must be distinct stances of the "
        "codebook or 'none': 1 is not); suggestions come from the rules"
    ]
    assert "(0 from the model; source: rules)" in done.stdout


def test_the_window_is_told_once_however_many_articles_it_opens(trained, tmp_path, caplog):
    """The window makes a Suggester for every article it works suggestions out for."""
    from annotator.suggest.service import Suggester

    numbers = copy.deepcopy(trained[1])
    numbers["vectorizers"][0]["params"]["input"] = "filename"
    with open_project(str(project_with(trained, tmp_path, numbers))) as project:
        made = [Suggester(project, load_codebook()) for _ in range(3)]
    assert all(s.predictor is None and s.unusable == made[0].unusable for s in made)
    assert [r.getMessage() for r in caplog.records] == [made[0].unusable]
    assert "has a setting train-stance never writes: 'input'" in str(made[0].unusable)
