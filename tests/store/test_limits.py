"""Names must be seen to be told apart, and text marked by hand must be whole words and no
stop word (annotator/limits.py; the server checks the same rules: tests/postgres/test_names.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from annotator.errors import InputError
from annotator.limits import check_marked_text, check_name
from annotator.store.actors import add_manual_mention
from annotator.store.engine import Project
from annotator.store.models import ActorAlias, Annotator, Mention
from tests.agreement.builders import TEXTS, article_id, new_project
from tests.cli.test_cli import run

INVISIBLE = {
    "DEL": "x\x7f",
    "NEL": "a\x85b",
    "line separator": "anna\u2028ben",
    "paragraph separator": "anna\u2029ben",
    "zero width space": "\u200b",
    "right-to-left override": "\u202eanna",
    "soft hyphen": "Bundes\xadwehr",
    "tag character": "\U000e0001x",
}
NOTHING_SHOWN = {
    "combining accent alone": "\u0301",
    "Hangul filler": "\u3164",
    "braille blank": "\u2800",
    "accents and spaces": "\u0301 \u0302",
}
FINE = ("Anna", "Ölçü Öztürk", "Nato (Bündnis)", "US-Wahl", "𝔄𝔫𝔫𝔞", "José\u0301", "a\xa0b")


@pytest.mark.parametrize("name", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_names_with_control_format_or_separator_characters_are_refused(name: str) -> None:
    with pytest.raises(InputError, match=r"invisible formatting character \(U\+[0-9A-F]{4}"):
        check_name(name, "annotator name")


@pytest.mark.parametrize("name", NOTHING_SHOWN.values(), ids=NOTHING_SHOWN.keys())
def test_names_without_a_visible_character_are_refused(name: str) -> None:
    with pytest.raises(InputError, match="has no visible character"):
        check_name(name, "annotator name")


@pytest.mark.parametrize("name", FINE)
def test_real_names_pass(name: str) -> None:
    assert check_name(f" {name}\u2028", "actor name") == name  # edges are stripped


def test_an_invisible_coder_gets_no_articles(tmp_path: Path, capsys) -> None:
    db = tmp_path / "p.db"
    new_project(db).close()
    code, _out, err = run(["--db", str(db), "assign", "-a", "\u200b,ben"], capsys)
    assert code == 2 and "invisible formatting character (U+200B" in err
    assert err.count("\n") == 1
    project = Project(str(db))
    try:
        with project.session() as s:
            assert s.exec(select(Annotator.name)).all() == []
    finally:
        project.close()


TEXT = "Die Nato und Trumps Politik: die AG und Kurz, dazu „Die“ sagen DIE Wahrheit."


def at(word: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


@pytest.mark.parametrize(
    ("span", "why"),
    [
        (at("die"), "stop word"),
        (at("Die"), "stop word"),  # any case but capitals
        (at("„Die“"), "stop word"),  # quotes and punctuation do not hide it
        (at("Kurz,"), "stop word"),
        (at("und"), "stop word"),
        (at("Trump"), "part of the word 'Trumps'"),
        ((at("Nato")[0] + 1, at("Nato")[1]), "part of the word 'Nato'"),
        ((at("Nato")[0], at("Nato")[1] + 2), "part of the word 'und'"),
        ((at("Nato")[0], at("Nato")[0] + 1), "shorter than 2"),
        ((0, 1), "shorter than 2"),
        ((at("Politik:")[1] - 1, at("Politik:")[1] + 1), "shorter than 2"),
    ],
)
def test_marked_text_is_whole_words_and_no_stop_word(span: tuple[int, int], why: str) -> None:
    with pytest.raises(InputError, match=why):
        check_marked_text(TEXT, *span)


@pytest.mark.parametrize(
    ("span", "alias"),
    [
        (at("Nato"), "Nato"),
        ((at("Nato")[0] - 1, at("Nato")[1] + 1), "Nato"),
        (at("Trumps"), "Trumps"),
        (at("AG"), "AG"),  # an acronym, though "ag" is a stop word
        (at("DIE"), "DIE"),
        (at("Trumps Politik"), "Trumps Politik"),
    ],
)
def test_whole_words_pass(span: tuple[int, int], alias: str) -> None:
    assert check_marked_text(TEXT, *span) == alias


def test_a_stop_word_marked_in_a_project_file_makes_no_alias(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p.db", {"a1": TEXTS["a1"]})
    try:
        a1 = article_id(project, "a1")
        start = TEXTS["a1"].index("die")
        with pytest.raises(InputError, match="'die' is a common word"):
            add_manual_mention(project, a1, start, start + 3, actor_name="Die Linke")
        masala = TEXTS["a1"].index("Masala")
        with pytest.raises(InputError, match="part of the word 'Masala'"):
            add_manual_mention(project, a1, masala, masala + 4, actor_name="Carlo Masala")
        with project.session() as s:
            assert s.exec(select(ActorAlias.alias)).all() == []
            assert s.exec(select(Mention.id)).all() == []
        add_manual_mention(project, a1, masala, masala + 6, actor_name="C. Masala")
        with project.session() as s:
            assert s.exec(select(ActorAlias.alias)).all() == ["Masala"]
    finally:
        project.close()
