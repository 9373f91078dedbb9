"""Importing saved news pages (.html/.htm): the article body and its metadata, the clutter
left out, pages without an article refused, encodings as declared, never the network."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlmodel import func, select

from annotator.cli.app import main
from annotator.errors import InputError
from annotator.ingest.importer import import_paths
from annotator.ingest.readers import read_html_file
from annotator.store.articles import article_id_by_external, load_article
from annotator.store.models import Article
from tests.ingest.html_pages import EMPTY_PAGE, PAGES, Page


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a page never connects anywhere (no fetch, no download of any kind)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the HTML import tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


# A page's id is made from its canonical URL (or og:url); a page without one keeps its
# file name.
IDS = {
    "semantic": "nordkurier-rundschau.example/politik/nato-truppen-123.html",
    "divs": "mdkurier.example/politik/wehrdienst-debatte",
}


def _write(tmp_path: Path, page: Page) -> Path:
    path = tmp_path / f"{page.name}.html"
    path.write_text(page.html, encoding="utf-8")
    return path


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_body_title_and_metadata_of_a_page(tmp_path: Path, page: Page) -> None:
    record = read_html_file(_write(tmp_path, page))
    assert record.external_id == IDS.get(page.name, page.name)
    assert record.title == page.title
    for paragraph in page.body:
        assert f"\n\n{paragraph}" in record.text  # one paragraph a line, as in .txt files
    for clutter in page.clutter:
        assert clutter not in record.text
    assert record.text.startswith(page.title) or page.title in record.text[:300]
    assert (record.date, record.source, record.url) == (page.date, page.site, page.url)
    assert record.meta.get("author") == page.author
    assert record.meta["extracted_by"].startswith("trafilatura ")


def test_a_page_without_an_article_is_refused_and_nothing_is_written(
    project,
    tmp_path: Path,
) -> None:
    empty = tmp_path / "startseite.htm"
    empty.write_text(EMPTY_PAGE, encoding="utf-8")
    with pytest.raises(InputError, match=r"startseite\.htm: no article text found in this page"):
        read_html_file(empty)
    good = _write(tmp_path, PAGES[0])
    with pytest.raises(InputError, match="no article text found"):
        import_paths(project, [good, empty])
    with project.session() as s:
        assert s.exec(select(func.count()).select_from(Article)).one() == 0


def test_a_folder_import_picks_up_html_pages(project, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    _write(folder, PAGES[0])
    (folder / "sub" / "divs.HTM").write_text(PAGES[1].html, encoding="utf-8")
    (folder / "notiz.txt").write_text("Die Nato tagt.\n\nIn Brüssel.", encoding="utf-8")
    report = import_paths(project, [folder])
    assert report.added == 3 and report.mentions > 0
    article = load_article(project, article_id_by_external(project, IDS["semantic"]))
    assert article.title == PAGES[0].title and article.source == PAGES[0].site
    assert article.meta["author"] == "Katrin Wendel"
    assert article.sentences and any(m.actor == "Boris Pistorius" for m in article.mentions)
    assert load_article(project, article_id_by_external(project, IDS["divs"])).date == "2024-09-12"


def test_the_import_command_takes_a_page(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "p.db"
    main(["--db", str(db), "import", str(_write(tmp_path, PAGES[2]))])
    assert "1 article(s) imported" in capsys.readouterr().out
    main(["--db", str(db), "articles", "--json"])
    assert '"title": "Litauen erhöht Verteidigungsausgaben"' in capsys.readouterr().out


LATIN = (
    "<html><head><title>Nato</title>{meta}</head><body><article><h1>Nato stärkt die "
    "Ostflanke</h1><p>Die Allianz verlegt zusätzliche Kampfjets nach Polen. „Wir "
    "lassen niemanden allein“, sagte der Generalsekretär am Montag in Brüssel.</p>"
    "<p>Die Bundeswehr beteiligt sich mit vier Eurofightern an der Mission über "
    "der Ostsee.</p></article></body></html>"
)


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="windows-1252">',
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
    ],  # fmt: skip
    ids=["windows-1252", "latin-1 label"],
)
def test_a_declared_charset_is_used(tmp_path: Path, meta: str) -> None:
    path = tmp_path / "ostflanke.html"
    path.write_bytes(LATIN.format(meta=meta).encode("cp1252"))
    record = read_html_file(path)
    # Browsers read pages labelled Latin-1 as Windows-1252, where „ and “ live.
    assert "„Wir lassen niemanden allein“" in record.text
    assert "Die Allianz verlegt zusätzliche Kampfjets nach Polen." in record.text


def test_an_undeclared_non_utf8_page_gets_the_encoding_hint(tmp_path: Path) -> None:
    path = tmp_path / "ostflanke.html"
    path.write_bytes(LATIN.format(meta="").encode("cp1252"))
    with pytest.raises(InputError, match=r"ostflanke\.html:\d+: not valid UTF-8.*--encoding"):
        read_html_file(path)
    assert "zusätzliche" in read_html_file(path, encoding="cp1252").text
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        read_html_file(path, encoding="klingon")


def test_a_binary_or_empty_file_named_html_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bild.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="binary file"):
        read_html_file(path)
    path.write_text("  \n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bild\.html: empty file"):
        read_html_file(path)
