from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.textspans import Utf16Map


def _utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def test_emoji_before_an_entity_shifts_qt_positions() -> None:
    text = "😀 Pistorius sagt"
    m = Utf16Map(text)
    start = text.index("Pistorius")
    assert m.to_qt(start) == start + 1
    assert m.to_py(m.to_qt(start)) == start
    assert m.to_py(1) == 0  # inside the surrogate pair rounds to the emoji itself


def test_bmp_text_is_identity() -> None:
    m = Utf16Map("Ärger über Öl – „Zitat“")
    assert m.identity
    assert m.to_qt(7) == 7 and m.to_py(7) == 7


@given(st.text(alphabet=st.sampled_from(list("aÄß 🎉😀\n𝔘"))), st.data())
def test_round_trip_matches_utf16_encoding(text: str, data: st.DataObject) -> None:
    m = Utf16Map(text)
    i = data.draw(st.integers(0, len(text)))
    assert m.to_qt(i) == _utf16_len(text[:i])
    assert m.to_py(m.to_qt(i)) == i
