"""JSONL fields meet the limits the other readers keep: ids, titles, sources, dates and URLs
of the wrong type, too long, with control characters or naming no date are refused with
one line (or, with --skip-invalid, that line alone is skipped); what is valid is stored as
written. Also the import's messages for files that are no regular file and for pages that
misdeclare their charset or bring a huge headline.

Everything goes through the real command line, on real files.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from tests.safety.refusal import assert_refused, make_labelled_project, run_cli

TEXT = "Der Verteidigungsminister äußerte sich am Montag zur Größe der Bundeswehr."


@pytest.fixture
def db(tmp_path: Path) -> str:
    return make_labelled_project(tmp_path / "project.db")


def _jsonl(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _articles(db: str) -> dict[str, tuple]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT external_id, title, source, date, url FROM article").fetchall()
    finally:
        conn.close()
    return {r[0]: r[1:] for r in rows}


REFUSED = {
    # name: (the line's fields besides a valid text, what the one line must say)
    "id with a line break": ({"id": "a\nb"}, r"the id 'a\\nb' contains a line break"),
    "id with NUL": ({"id": "a\x00b"}, r"the id .* control character .*U\+0000"),
    "id of 100,000 characters": ({"id": "x" * 100_000}, r"the id .* 100,000 characters.* 160"),
    "id true": ({"id": True}, r"field 'id' must be a text or a whole number, not true"),
    "id a list": ({"id": ["a"]}, r"field 'id' must be a text or a whole number, not a list"),
    "id in meta with a tab": ({"meta": {"id": "a\tb"}}, r"the id 'a\\tb' contains"),
    "id invisible": ({"id": "\u200b"}, r"the id .* invisible formatting character"),
    "title with terminal escapes": (
        {"title": "\x1b]0;pwned\x07"},
        r"the title .* control character .*U\+001B",
    ),
    "title with a C1 control": ({"title": "Titel\x9b2J"}, r"the title .*U\+009B"),
    "title with a line break": ({"title": "Zeile eins\nZeile zwei"}, r"the title .* line break"),
    "title of 3 MB": ({"title": "Titel " * 500_000}, r"the title .* 3,000,000 characters.* 300"),
    "title a number": ({"title": 5}, r"field 'title' must be a text, not a number"),
    "title in meta an object": ({"meta": {"title": {"a": 1}}}, r"field 'title' must be a text"),
    "source true": ({"source": True}, r"field 'source' must be a text, not true"),
    "source with a bell": ({"source": "dpa\x07"}, r"the source .* control character"),
    "source of 301 characters": ({"source": "s" * 301}, r"the source .* 301 characters.* 300"),
    "url with a line break": ({"url": "https://a.de/\nb"}, r"the url .* line break"),
    "date a number": ({"date": 20241107}, r"field 'date' must be a text, not a number"),
    "date month 13": ({"date": "2024-13"}, r"date '2024-13' is no date"),
    "date before year 1": ({"date": "-2024-01-01"}, r"date '-2024-01-01' is no date"),
    "date year 0": ({"date": "0000"}, r"date '0000' is no date"),
    "date 30 February": ({"date": "2024-02-30"}, r"date '2024-02-30' is no date"),
    "date with an escape": ({"date": "2024\x1b[2J"}, r"the date .* control character"),
    "_input_hash a list": (
        {"_input_hash": [1, 2]},
        r"field '_input_hash' must be a text or a whole",
    ),
    "evidence 0": (
        {
            "stances": [
                {
                    "actor": "Olaf Scholz",
                    "annotator": "x",
                    "target": "ground_troops",
                    "stance": "favor",
                    "evidence": 0,
                }
            ]
        },
        r"stance 1: 'evidence' must be a list",
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_bad_field_is_refused_with_one_line_and_nothing_changes(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    fields, match = REFUSED[case]
    path = _jsonl(tmp_path / "in.jsonl", {"id": "fine", "text": TEXT}, {"text": TEXT, **fields})
    assert_refused(db, ["import", "--no-model", str(path)], capsys, r"in\.jsonl:2: " + match)


def test_skip_invalid_skips_the_bad_lines_alone_and_keeps_valid_fields_as_written(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = [
        {"id": "a" * 160, "text": TEXT + " 1", "title": "T" * 300, "source": "s" * 300},
        {"id": 17, "text": TEXT + " 2", "date": "2024-11-07T10:30:00+01:00"},
        # A tab and a soft hyphen occur in real headlines; free-text dates are kept.
        {
            "id": "c",
            "text": TEXT + " 3",
            "title": "Ver\u00adteidigung\tund Etat",
            "date": "gestern",
        },
        {"id": "d", "text": TEXT + " 4", "date": "07.11.2024", "url": "https://a.de/x"},
        {"id": "e", "text": TEXT + " 5", "date": "2024-02-29", "meta": {"source": "dpa"}},
        # Blank fields count as not given, as empty ones do: no id or title of spaces.
        {"id": "  ", "text": "Leerer Kopf.\nZweite Zeile", "title": " ", "source": "\t"},
    ]
    bad = [
        {"id": "x\ny", "text": TEXT + " 6"},
        {"id": "f", "text": TEXT + " 7", "date": "2024-13"},
        {"id": "g", "text": TEXT + " 8", "title": ["a list"]},
    ]
    path = _jsonl(tmp_path / "mixed.jsonl", good[0], bad[0], *good[1:3], bad[1], *good[3:], bad[2])
    code, err, out = run_cli(
        ["--db", db, "import", "--no-model", "--skip-invalid", str(path)], capsys
    )
    assert code == 0, err
    assert "6 article(s) imported" in out and "3 skipped" in out
    skipped = "".join("".join(err).split())
    for line in (2, 5, 9):
        assert f"mixed.jsonl:{line}:" in skipped
    stored = _articles(db)
    assert set(stored) - {"kept"} == {"a" * 160, "17", "c", "d", "e", _hash_id(stored)}
    assert stored["a" * 160] == ("T" * 300, "s" * 300, None, None)
    assert stored["17"][2] == "2024-11-07T10:30:00+01:00"
    assert stored["c"][0] == "Ver\u00adteidigung\tund Etat" and stored["c"][2] == "gestern"
    assert stored["d"][2:] == ("07.11.2024", "https://a.de/x")
    assert stored["e"][1:3] == ("dpa", "2024-02-29")
    assert stored[_hash_id(stored)][:2] == ("Leerer Kopf.", None)


def _hash_id(stored: dict[str, tuple]) -> str:
    (found,) = [k for k in stored if k not in {"a" * 160, "17", "c", "d", "e", "kept"}]
    assert len(found) == 16 and found.strip() == found
    return found


def test_a_derived_title_holds_no_control_characters(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A title the tool takes from the text is cleaned, not refused: nobody typed it."""
    jsonl = _jsonl(
        tmp_path / "a.jsonl", {"id": "j", "text": "Titel \x1b]0;pwned\x07 hier\n" + TEXT}
    )
    txt = tmp_path / "t.txt"
    txt.write_text("Titel \x1b[2J der\x9b Seite hier\n\n" + TEXT, encoding="utf-8")
    code, err, _ = run_cli(["--db", db, "import", "--no-model", str(jsonl), str(txt)], capsys)
    assert code == 0, err
    stored = _articles(db)
    assert stored["j"][0] == "Titel ]0;pwned hier"
    assert stored["t"][0] == "Titel [2J der Seite hier"


# ------------------------------------------------------------------ import messages


def test_a_fifo_or_a_device_is_not_a_regular_file(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    for path in (str(fifo), os.devnull):
        assert_refused(db, ["import", "--no-model", path], capsys, r": not a regular file")


_BODY = (
    "<p>" + ("Der Minister äußerte sich am Montag ausführlich zur Lage der Truppe. " * 4) + "</p>"
)


def test_a_page_declaring_utf16_but_saved_as_utf8_is_read_as_utf8(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Browsers do the same: a <meta> that can be read as ASCII is no UTF-16 page."""
    for name, extra in (("even.html", ""), ("odd.html", "x")):
        page = tmp_path / name
        page.write_text(
            '<html><head><meta charset="utf-16"><title>Größe der Truppe</title></head>'
            f"<body><article><h1>Größe der Truppe</h1>{_BODY}{extra}</article></body></html>",
            encoding="utf-8",
        )
        code, err, out = run_cli(["--db", db, "import", "--no-model", str(page)], capsys)
        assert code == 0, err
        assert "1 article(s) imported" in out
    titles = {v[0] for k, v in _articles(db).items() if k != "kept"}
    assert titles == {"Größe der Truppe"}


def test_a_huge_headline_is_named_as_such(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "big.html"
    page.write_text(
        f"<html><body><article><h1>{'Titel ' * 200_000}</h1>{_BODY}</article></body></html>",
        encoding="utf-8",
    )
    assert_refused(
        db, ["import", "--no-model", str(page)], capsys, r"big\.html: the page's headline is"
    )
