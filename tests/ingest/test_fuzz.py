"""Fuzzing the importers: any input imports or is refused with InputError/ConflictError.

Never another exception (that would reach the user as "unexpected ..."), and a refused
import leaves the project's content exactly as it was.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from annotator.errors import ConflictError, InputError
from annotator.ingest import importer
from annotator.ingest.readers import parse_jsonl_line, parse_text_article, read_path
from annotator.store.engine import Project, open_project
from annotator.store.models import Article
from tests.conftest import sized

REFUSALS = (InputError, ConflictError)
QUICK = settings(max_examples=150, deadline=None)
FOLDER = Path(tempfile.gettempdir())

json_leaf = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
json_value = st.recursive(
    json_leaf,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
offset = st.integers(-2, 60)
span = st.fixed_dictionaries(
    {"start": offset, "end": offset, "label": st.sampled_from(["PER", "ORG", "LOC", "MISC", "X"])},
    optional={
        "actor": st.none() | st.sampled_from(["Olaf Scholz", "Nato", ""]) | st.integers(),
        "source": st.sampled_from(["lexicon", "rule", "manual", "gpt"]),
        "text": st.text(max_size=6),
    },
)
stance = st.fixed_dictionaries(
    {
        "actor": st.sampled_from(["Olaf Scholz", " Olaf Scholz ", "", "Neu"]) | json_leaf,
        "annotator": st.sampled_from(["anna", "ben", " "]) | json_leaf,
        "target": st.sampled_from(["nato_membership", "ground_troops", "weather"]) | json_leaf,
    },
    optional={
        "stance": st.sampled_from(["favor", "against", "neutral", "love", None]),
        "evidence": st.lists(st.fixed_dictionaries({"start": offset, "end": offset}), max_size=2)
        | json_value,
        "note": st.none() | st.text(max_size=8) | st.integers(),
    },
)
record = st.fixed_dictionaries(
    {"text": st.text(max_size=60) | json_leaf},
    optional={
        "id": st.sampled_from(["a", "b", "kept", ""]) | st.integers(0, 3) | json_value,
        "title": st.text(max_size=10) | json_value,
        "date": st.sampled_from(["2024-11-06", ""]) | json_value,
        "meta": st.dictionaries(st.sampled_from(["id", "title", "source", "x"]), json_value)
        | json_value,
        "spans": st.lists(span, max_size=3) | json_value,
        "stances": st.lists(stance, max_size=3) | json_value,
        "done_by": st.lists(st.sampled_from(["anna", "", 3]), max_size=2) | json_value,
    },
)


@st.composite
def document(draw: st.DrawFn) -> dict:
    """A valid `documents` record, sometimes with one field swapped for anything at all."""
    text = draw(st.text(min_size=1, max_size=60).filter(str.strip))

    def offsets() -> dict:
        start = draw(st.integers(0, len(text) - 1))
        return {"start": start, "end": draw(st.integers(start + 1, len(text)))}

    # Mostly fresh ids; sometimes one already used (same or other text: unchanged/conflict).
    fresh = st.text(min_size=6, max_size=10)
    doc: dict = {"text": text, "id": draw(fresh | fresh | fresh | st.sampled_from(["a", "kept"]))}
    if draw(st.booleans()):
        spans = {
            (o["start"], o["end"]): o for o in (offsets() for _ in range(draw(st.integers(0, 3))))
        }
        doc["spans"] = [
            {
                **o,
                "label": draw(st.sampled_from(["PER", "ORG"])),
                "actor": draw(st.text(max_size=8)),
            }
            for o in spans.values()
        ]
    if draw(st.booleans()):
        cells = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["Olaf Scholz", "Neu"]),
                    st.sampled_from(["anna", "ben"]),
                    st.sampled_from(["nato_membership", "ground_troops"]),
                ),
                unique=True,
                max_size=3,
            )
        )
        doc["stances"] = [
            {
                "actor": actor,
                "annotator": who,
                "target": target,
                "stance": draw(st.sampled_from(["favor", "against", None])),
                "evidence": [offsets() for _ in range(draw(st.integers(0, 2)))],
                "note": draw(st.none() | st.text(max_size=8)),
            }
            for actor, who, target in cells
        ]
        doc["done_by"] = draw(st.lists(st.sampled_from(["anna", "ben"]), max_size=2))
    if draw(st.integers(0, 5)) == 0:
        doc[draw(st.sampled_from([*doc, "meta"]))] = draw(json_value)
    return doc


# Mostly valid-looking records (a line that is not a JSON object refuses the whole file),
# so that imports succeed often enough to be checked too.
_document_line = st.tuples(document(), st.booleans()).map(
    lambda r: json.dumps(r[0], ensure_ascii=r[1])
)
_hostile_lines = (record.map(json.dumps), json_value.map(json.dumps), st.text(max_size=30))
# 7 in 10 lines look valid, 1 in 10 each is a hostile record, any JSON value, any text.
jsonl_line = st.integers(0, 9).flatmap(lambda n: _document_line if n < 7 else _hostile_lines[n - 7])


@QUICK
@given(st.text(max_size=200))
def test_parse_jsonl_line_on_any_text(line: str) -> None:
    with contextlib.suppress(InputError):
        parse_jsonl_line(line, Path("x.jsonl"), 1)


@QUICK
@given(jsonl_line)
def test_parse_jsonl_line_on_json_like_lines(line: str) -> None:
    try:
        rec = parse_jsonl_line(line, Path("x.jsonl"), 1)
    except InputError:
        return
    if rec is not None:
        assert rec.text.strip() and rec.external_id and isinstance(rec.title, str)


@QUICK
@given(st.text(max_size=200))
def test_parse_text_article_on_any_text(text: str) -> None:
    try:
        rec = parse_text_article(text, Path("a.txt"))
    except InputError:
        return
    assert rec.title.strip() and rec.text


@QUICK
@given(st.binary(max_size=300), st.sampled_from([".txt", ".jsonl", ".md"]), st.booleans())
def test_read_path_on_random_bytes(data: bytes, suffix: str, cp1252: bool) -> None:
    with tempfile.NamedTemporaryFile(suffix=suffix, dir=FOLDER, delete=False) as fh:
        fh.write(data)
    path = Path(fh.name)
    try:
        list(read_path(path, "windows-1252" if cp1252 else None))
    except InputError:
        pass
    finally:
        path.unlink()


@pytest.fixture
def shared_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    """One project for all examples: imports pile up in it, as in real use.

    The highlighter is built once (the real one, from this project's actors): building it
    takes seconds, and what is fuzzed here is the import, not the highlighter's setup.
    """
    project = open_project(str(tmp_path / "fuzz.db"))
    importer.import_paths(project, [_file(tmp_path, ['{"id": "kept", "text": "Olaf Scholz."}'])])
    highlighter = importer.project_highlighter(project)
    monkeypatch.setattr(importer, "project_highlighter", lambda *a, **k: highlighter)
    yield project
    project.close()


_counter = itertools.count()


def _with_unique_text_and_id(line: str) -> str:
    try:
        obj = json.loads(line)
    except ValueError:
        return line
    if not isinstance(obj, dict):
        return line
    tail = f"#{next(_counter)}"
    for key in ("text", "id"):
        if isinstance(obj.get(key), str):
            obj[key] += tail
    return json.dumps(obj, ensure_ascii=False)


def _file(folder: Path, lines: list[str], name: str = "in.jsonl") -> Path:
    path = folder / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _content(project: Project) -> list[str]:
    conn = sqlite3.connect(project.path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@settings(
    max_examples=sized(40, 150),  # CI: 150 (--full)
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    lines=st.lists(jsonl_line, min_size=1, max_size=4),
    skip_invalid=st.booleans(),
    fresh=st.booleans(),
)
def test_import_of_fuzzed_jsonl(
    shared_project: Project, tmp_path: Path, lines: list[str], skip_invalid: bool, fresh: bool
) -> None:
    if fresh:
        # Hypothesis keeps coming back to the same small texts and ids, which the shared
        # project then already holds; a unique tail lets new articles through as well.
        lines = [_with_unique_text_and_id(line) for line in lines]
    path = _file(tmp_path, lines)
    before = _content(shared_project)
    try:
        report = importer.import_paths(shared_project, [path], skip_invalid=skip_invalid)
    except REFUSALS as exc:
        event(f"refused: {type(exc).__name__}")
        assert _content(shared_project) == before, "a refused import changed the project"
        return
    event(f"imported {min(report.added, 2)}+ (skip_invalid={skip_invalid})")
    # What was imported is stored exactly as given: as one of the texts given under its id.
    # Not necessarily the first: with skip_invalid a first record whose labels are refused
    # is skipped, and a later one with the same id and another text is imported.
    given_texts: dict[str, set[str]] = {}
    for number, line in enumerate(lines, start=1):
        with contextlib.suppress(InputError):
            if (rec := parse_jsonl_line(line, path, number)) is not None:
                given_texts.setdefault(rec.external_id, set()).add(rec.text)
    with shared_project.session() as s:
        for ext_id in report.added_ids:
            text = s.exec(select(Article.text).where(Article.external_id == ext_id)).one()
            assert text in given_texts[ext_id]


def test_a_refused_record_does_not_take_its_id(shared_project: Project, tmp_path: Path) -> None:
    # Found by the fuzzer: the first record of id "000000" is refused (an empty actor name),
    # so the second one, with another text, is the article of that id.
    span = {"start": 0, "end": 2, "label": "PER"}
    lines = [
        json.dumps({"id": "000000", "text": "Anna", "spans": [{**span, "actor": ""}]}),
        json.dumps({"id": "000000", "text": "Bert", "spans": [{**span, "actor": "Bert"}]}),
    ]
    report = importer.import_paths(shared_project, [_file(tmp_path, lines)], skip_invalid=True)
    assert report.added_ids == ["000000"] and "actor name is empty" in report.skipped[0]
    with shared_project.session() as s:
        assert s.exec(select(Article.text).where(Article.external_id == "000000")).one() == "Bert"
