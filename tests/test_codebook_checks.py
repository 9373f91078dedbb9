"""A codebook is checked before anything uses it (issue 27, from an adversarial round): keys
the window can bind, colours it can show, names and ids that fit where they go; and a file
that is odd as a file (nested too deeply, a BOM, not UTF-8) is one clear line too."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.codebook import load_codebook
from annotator.errors import CodebookError, InputError
from annotator.paths import resource
from tests.safety.refusal import assert_one_clear_line, make_labelled_project, run_cli

SHIPPED = resource("codebook.toml").read_text(encoding="utf-8")


def _codebook(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cb.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _info(path: Path, capsys: pytest.CaptureFixture[str], match: str) -> str:
    """`annotator --codebook PATH info` fails with one clear line matching `match`."""
    db = str(path.parent / "p.db")
    code, err, _ = run_cli(["--db", db, "--codebook", str(path), "info"], capsys)
    line = assert_one_clear_line(code, err, match)
    assert code == InputError.exit_code, line
    assert not Path(db).exists()  # refused before the project was opened
    return line


BAD = {
    "duplicate target key": (
        ('key = "2"', 'key = "1"'),
        r"cb\.toml:\d+: target 'ground_troops' has the key '1' of target 'nato_membership'",
    ),
    "target key = stance key": (
        ('key = "3"', 'key = "F"'),
        r"cb\.toml:\d+: stance 'favor' has the key 'f' of target 'defence_spending'",
    ),
    "duplicate stance key": (
        ('key = "n"', 'key = "A"'),
        r"cb\.toml:\d+: stance 'neutral' has the key 'A' of stance 'against'",
    ),
    "empty key": (
        ('key = "1"', 'key = ""'),
        r"cb\.toml:\d+: key 'key' of target 'nato_membership' must be one character",
    ),
    "a key combination": (
        ('key = "a"', 'key = "Ctrl+Q"'),
        r"cb\.toml:\d+: key 'key' of stance 'against' must be one character",
    ),
    "a space": (
        ('key = "a"', 'key = " "'),
        r"key 'key' of stance 'against' must be one character",
    ),
    "a number": (('key = "1"', "key = 1"), r"key 'key' of target 'nato_membership' must be"),
    "colour with markup": (
        ('color = "#c0392b"', 'color = "red; }</style><script>"'),
        r"cb\.toml:\d+: key 'color' of stance 'against' must be a colour as #rrggbb",
    ),
    "colour as a number": (
        ('color = "#c0392b"', "color = 5"),
        r"key 'color' of stance 'against' must be a colour as #rrggbb",
    ),
    "short colour": (('color = "#c0392b"', 'color = "#c03"'), r"key 'color' of stance"),
    "name as a number": (
        ('name = "European security after the 2024 US election"', "name = 5"),
        r"cb\.toml:\d+: key 'name' must be a text",
    ),
    "target id with a bar": (
        ('id = "ground_troops"', 'id = "ground|troops"'),
        r"cb\.toml:\d+: target id 'ground\|troops' .*'\|'",
    ),
    "target id with a line break": (
        ('id = "ground_troops"', 'id = "ground\\ntroops"'),
        r"cb\.toml:\d+: target id 'ground\\ntroops' .*line break",
    ),
    "stance id with a bar": (
        ('id = "neutral"', 'id = "neu|tral"'),
        r"stance id 'neu\|tral' .*'\|'",
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_codebook_is_refused_naming_the_field(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (old, new), match = BAD[case]
    assert old in SHIPPED
    path = _codebook(tmp_path, SHIPPED.replace(old, new, 1))
    _info(path, capsys, match)
    with pytest.raises(CodebookError):
        load_codebook(path)


def test_keys_are_compared_as_the_window_binds_them(tmp_path: Path) -> None:
    # The window binds a stance key in upper case: 'f' and 'F' are one key.
    path = _codebook(tmp_path, SHIPPED.replace('key = "n"', 'key = "F"', 1))
    with pytest.raises(CodebookError, match="stance 'favor' has the key 'f' of stance 'neutral'"):
        load_codebook(path)
    # Any one visible character binds (an umlaut too); keys and colours may be left out.
    umlaut = load_codebook(_codebook(tmp_path, SHIPPED.replace('key = "a"', 'key = "ä"', 1)))
    assert umlaut.stances[0].key == "ä"
    bare = "\n".join(
        line for line in SHIPPED.splitlines() if not line.startswith(("key =", "color ="))
    )
    book = load_codebook(_codebook(tmp_path, bare))
    assert all(not t.key for t in book.targets) and all(not s.key for s in book.stances)
    assert {s.color for s in book.stances} == {"#888888"}


# ------------------------------------------------------------------ the file itself


def test_a_codebook_nested_too_deeply(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _codebook(tmp_path, "a = " + "[" * 10_000 + "]" * 10_000 + "\n" + SHIPPED)
    _info(path, capsys, r"cb\.toml: invalid TOML: nested too deeply")


def test_a_codebook_with_a_bom_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bom.toml"
    path.write_text(SHIPPED, encoding="utf-8-sig")
    assert load_codebook(path).target_ids == load_codebook().target_ids
    db = make_labelled_project(tmp_path / "p.db")
    code, err, out = run_cli(["--db", db, "--codebook", str(path), "info"], capsys)
    assert code == 0, err
    assert "targets:    nato_membership" in out


def test_a_codebook_that_is_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(SHIPPED.encode("cp1252"))
    line = _info(path, capsys, r"cannot read codebook .*latin\.toml: line \d+ is not valid UTF-8")
    assert "codec" not in line and "0x" not in line
