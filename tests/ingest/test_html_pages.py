"""Saved pages built like fourteen different German news sites (tests/data/html/): the
lede or standfirst is kept wherever the site puts it, nothing the extractor left out
comes back with it, and an article's id is its canonical URL (issue 25 items 3 and 4)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from annotator.ingest.importer import import_paths
from annotator.ingest.pageid import url_id
from annotator.ingest.readers import read_html_file
from annotator.store.articles import article_id_by_external, load_article
from tests.ingest.html_eval import PAGES, evaluate, gold

LEDE = "Die FDP warnt vor neuen Schulden, die Grünen signalisieren Zustimmung."


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the HTML import tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_a_teaser_lede_is_stored_between_headline_and_body(project) -> None:
    report = import_paths(project, [PAGES / "tagesblatt_teaser.html"])
    assert report.added == 1 and not report.warnings
    article = load_article(project, article_id_by_external(project, report.added_ids[0]))
    assert article.title == "Streit um die Schuldenbremse"
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0] == "Streit um die Schuldenbremse"
    assert paragraphs[1].startswith(LEDE)
    assert paragraphs[2].startswith("Im Bundestag hat am Donnerstag")
    # a sentence of its own, offered as evidence like any other
    start = article.text.index(LEDE)
    assert any(s == start for s, _ in article.sentences)
    # the teaser list of other articles, with the same class, stays out
    assert "Rentenpaket" not in article.text and "Weitere Meldungen" not in article.text


def test_every_pages_lede_is_kept_and_nothing_more_leaks() -> None:
    ours = {s.name: s for s in evaluate()}
    plain = {s.name: s for s in evaluate(plain=True)}
    for name, page in gold().items():
        got = ours[name]
        assert got.lede == (len(page["lede"]), len(page["lede"])), (name, got.lost)
        assert got.body[0] >= plain[name].body[0], name  # the body as the extractor gives it
        assert got.title, name
        # what came back with the ledes is no boilerplate the extractor had left out
        assert set(got.leaked) <= set(plain[name].leaked), (name, got.leaked)
    # and the extractor alone had lost six of them (the figures in docs/import.md)
    assert sum(s.lede[0] for s in plain.values()) == 9


def test_a_lede_the_page_shows_but_the_import_cannot_place_is_a_warning(
    project, tmp_path: Path
) -> None:
    html = (PAGES / "tagesblatt_teaser.html").read_text(encoding="utf-8")
    # The same lede in an aside (never taken: asides are sidebars and boxes)
    html = html.replace('<p class="teaser">', '<aside><p class="teaser">', 1).replace(
        "Kompromiss.</p>", "Kompromiss.</p></aside>", 1
    )
    path = tmp_path / "aside.html"
    path.write_text(html, encoding="utf-8")
    report = import_paths(project, [path])
    assert report.added == 1
    assert len(report.warnings) == 1 and "aside.html" in report.warnings[0]
    assert "lead paragraph is not in the imported text" in report.warnings[0]
    assert "warning: " in report.summary() and "Die FDP warnt" in report.summary()


# ------------------------------------------------------------------ ids (item 4)


def _page(canonical: str = "", og: str = "", text: str = "Die Nato tagt in Brüssel") -> str:
    head = (f'<link rel="canonical" href="{canonical}">' if canonical else "") + (
        f'<meta property="og:url" content="{og}">' if og else ""
    )
    return (
        f"<html><head><title>Nato-Treffen</title>{head}</head><body><article>"
        f"<h1>Nato-Treffen</h1><p>{text}. Die Verteidigungsminister beraten über die "
        "Ostflanke und über neue Zusagen für die Ukraine.</p><p>Deutschland will weitere "
        "Soldaten nach Litauen schicken, sagte der Minister am Rande des Treffens.</p>"
        "</article></body></html>"
    )


def test_two_different_index_pages_are_two_articles(project, tmp_path: Path) -> None:
    one, two = tmp_path / "a" / "index.html", tmp_path / "b" / "index.html"
    for path, url, text in (
        (one, "https://www.zeitung.example/politik/nato-treffen/", "Die Nato tagt"),
        (two, "https://www.zeitung.example/politik/eu-gipfel/", "Die EU tagt"),
    ):
        path.parent.mkdir()
        path.write_text(_page(canonical=url, text=text), encoding="utf-8")
    report = import_paths(project, [one, two])
    assert report.added == 2, report.skipped
    assert sorted(report.added_ids) == [
        "zeitung.example/politik/eu-gipfel",
        "zeitung.example/politik/nato-treffen",
    ]
    article = load_article(project, article_id_by_external(project, report.added_ids[0]))
    assert article.url == "https://www.zeitung.example/politik/nato-treffen/"
    # The same page saved again under another name is the same article.
    again = tmp_path / "nato (1).html"
    again.write_text(one.read_text(encoding="utf-8"), encoding="utf-8")
    assert import_paths(project, [again]).unchanged == 1


@pytest.mark.parametrize(
    ("canonical", "og", "expected"),
    [
        (
            "https://www.a.example/p/x.html",
            "https://a.example/p/x.html?utm_source=t",
            "a.example/p/x.html",
        ),
        ("", "https://m.b.example/artikel/42?utm_medium=app&fbclid=z", "m.b.example/artikel/42"),
        ("/politik/y", "https://www.c.example/politik/y?share=1", "c.example/politik/y"),
        ("https://www.d.example/", "", "seite"),  # a home page names no article
        ("", "", "seite"),
        ("https://e.example/artikel.php?id=7&ref=rss", "", "e.example/artikel.php?id=7"),
    ],  # fmt: skip
)
def test_the_id_comes_from_the_canonical_url_else_the_file_name(
    tmp_path: Path, canonical: str, og: str, expected: str
) -> None:
    path = tmp_path / "seite.html"
    path.write_text(_page(canonical=canonical, og=og), encoding="utf-8")
    assert read_html_file(path).external_id == expected


def test_a_long_url_gives_a_short_stable_id() -> None:
    url = "https://www.f.example/" + "/".join(["ressort"] * 40) + "/artikel.html"
    made = url_id(url)
    assert len(made) <= 160 and made == url_id(url) and made != url_id(url + "?id=2")


def test_a_changed_page_under_the_same_url_is_refused_with_a_reason(
    project, tmp_path: Path
) -> None:
    from annotator.errors import ConflictError

    url = "https://www.zeitung.example/politik/nato-treffen/"
    first, second = tmp_path / "v1.html", tmp_path / "v2.html"
    first.write_text(_page(canonical=url), encoding="utf-8")
    second.write_text(_page(canonical=url, text="Die Nato tagt wieder"), encoding="utf-8")
    import_paths(project, [first])
    with pytest.raises(ConflictError, match="canonical URL: is this a newer version"):
        import_paths(project, [second])
