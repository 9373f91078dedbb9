"""Importing .txt files, folders and JSONL; idempotence; conflicts; nothing written on errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import func, select

from annotator.errors import ConflictError, InputError
from annotator.ingest.importer import import_paths
from annotator.paths import seeds_dir
from annotator.store.articles import article_id_by_external, load_article
from annotator.store.models import Article, Mention


def _count(project, model) -> int:
    with project.session() as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def test_seeds_import_with_date_line_title_and_highlighted_actors(project) -> None:
    report = import_paths(project, [seeds_dir()])
    assert report.added == 5 and report.mentions > 100
    a1 = load_article(project, article_id_by_external(project, "001_2a7d540fb5e89974"))
    assert a1.date == "2024-11"
    assert not a1.text.startswith(" date")  # the marker is metadata, not article text
    # Its first line is an image note (boilerplate) and the page's headline was not saved:
    # not the lede's four-line first sentence, but the subheading about the same thing.
    assert a1.title == "Potenzielle europäische Unterstützung für die Ukraine"
    a0 = load_article(project, article_id_by_external(project, "000_bdcb18cc22753435"))
    actors = {m.actor for m in a0.mentions}
    assert {"Boris Pistorius", "Sébastien Lecornu", "Donald Trump", "NATO", "Frankreich"} <= actors
    for m in a0.mentions:  # offsets are Python indices into the stored text
        assert a0.text[m.start : m.end].strip() == a0.text[m.start : m.end]
        assert m.end > m.start


def test_reimport_is_a_no_op(project) -> None:
    import_paths(project, [seeds_dir()])
    before = (_count(project, Article), _count(project, Mention))
    report = import_paths(project, [seeds_dir()])
    assert report.added == 0 and report.unchanged == 5
    assert (_count(project, Article), _count(project, Mention)) == before


def test_jsonl_import_with_metadata(project, tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    rows = [
        {
            "id": "x1",
            "title": "Titel",
            "text": "Kanzler Olaf Scholz lehnt Bodentruppen ab.",
            "source": "Testblatt",
            "date": "2025-02-01",
            "url": "https://example.org/x1",
            "meta": {"section": "Politik"},
        },
        {"id": "x2", "text": "Die Nato tagt.\nZweite Zeile"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    report = import_paths(project, [path])
    assert report.added == 2
    a = load_article(project, article_id_by_external(project, "x1"))
    assert (a.source, a.date, a.url, a.meta) == (
        "Testblatt",
        "2025-02-01",
        "https://example.org/x1",
        {"section": "Politik"},
    )
    assert "Olaf Scholz" in {m.actor for m in a.mentions}
    assert load_article(project, article_id_by_external(project, "x2")).title == "Die Nato tagt."


def test_same_id_other_text_is_refused_and_nothing_is_written(project, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Erster Text über die Nato.", encoding="utf-8")
    import_paths(project, [tmp_path / "a.txt"])
    other = tmp_path / "new"
    other.mkdir()
    (other / "a.txt").write_text("Ein ganz anderer Text.", encoding="utf-8")
    (other / "b.txt").write_text("Ein gültiger neuer Text.", encoding="utf-8")
    with pytest.raises(ConflictError, match="'a' is already in the project with a different text"):
        import_paths(project, [other])
    assert _count(project, Article) == 1
    report = import_paths(project, [other], skip_invalid=True)
    assert report.added == 1 and len(report.skipped) == 1


def test_bad_file_names_file_and_line_and_changes_nothing(project, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Pistorius in Paris.", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "text": "ok"}\n{"id": 2, "text": \n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl:2: malformed JSON"):
        import_paths(project, [good, bad])
    assert _count(project, Article) == 0
    report = import_paths(project, [good, bad], skip_invalid=True)
    assert report.added == 1  # the whole bad file is skipped, not half of it
    assert "bad.jsonl:2" in report.skipped[0]


def test_not_utf8_names_the_encoding(project, tmp_path: Path) -> None:
    path = tmp_path / "win.txt"
    path.write_bytes("Verteidigungsausgaben für Europa – Größe".encode("cp1252"))
    with pytest.raises(InputError, match="Windows-1252.*--encoding"):
        import_paths(project, [path])
    report = import_paths(project, [path], encoding="cp1252")
    assert report.added == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty file"), (b"   \n\n", "empty file"), (b"\x00\x01\x02binary", "binary file")],
)
def test_empty_and_binary_files(project, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        import_paths(project, [path])


def test_progress_is_reported_and_cancel_keeps_complete_batches(project, tmp_path: Path) -> None:
    from annotator.errors import Cancelled

    for i in range(7):
        (tmp_path / f"{i}.txt").write_text(f"Artikel {i} über Macron.", encoding="utf-8")
    seen: list[tuple[int, int]] = []
    import_paths(project, [tmp_path], progress=lambda d, t: seen.append((d, t)), batch_size=3)
    assert seen[0] == (0, 7) and seen[-1] == (7, 7)

    fresh = tmp_path / "more"
    fresh.mkdir()
    for i in range(7):
        (fresh / f"m{i}.txt").write_text(f"Noch ein Artikel {i} über Scholz.", encoding="utf-8")
    calls = iter([False, False, False, True])
    with pytest.raises(Cancelled):
        import_paths(project, [fresh], cancelled=lambda: next(calls, True), batch_size=3)
    assert _count(project, Article) == 7 + 3
