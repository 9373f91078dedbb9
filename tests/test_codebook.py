from __future__ import annotations

from pathlib import Path

import pytest

from annotator.codebook import load_codebook
from annotator.errors import CodebookError


def test_shipped_codebook_has_three_targets_and_ordered_scale(codebook) -> None:
    assert codebook.target_ids == ("nato_membership", "ground_troops", "defence_spending")
    assert codebook.stance_ids == ("against", "neutral", "favor")
    assert all(t.cues and t.definition and t.label_de for t in codebook.targets)


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cb.toml"
    path.write_text('name = "x"\n[[targets]]\nid = "a\n', encoding="utf-8")
    with pytest.raises(CodebookError, match=r"line 3"):
        load_codebook(path)


def test_missing_key_names_the_key_and_line(tmp_path: Path) -> None:
    path = tmp_path / "cb.toml"
    path.write_text(
        'name = "x"\n\n[[targets]]\nid = "a"\nlabel_de = "A"\nlabel_en = "A"\n'
        '\n[[stances]]\nid="f"\nlabel_de="f"\nlabel_en="f"\ndefinition="d"\n'
        '[[stances]]\nid="a"\nlabel_de="a"\nlabel_en="a"\ndefinition="d"\n',
        encoding="utf-8",
    )
    with pytest.raises(CodebookError, match=r"cb.toml:3: .*'definition'"):
        load_codebook(path)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    src = Path(load_codebook().path).read_text(encoding="utf-8")
    path = tmp_path / "cb.toml"
    path.write_text(src.replace('id = "ground_troops"', 'id = "nato_membership"'), encoding="utf-8")
    with pytest.raises(CodebookError, match="duplicate target id 'nato_membership'"):
        load_codebook(path)
