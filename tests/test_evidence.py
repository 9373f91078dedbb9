"""The one evidence rule (annotator/evidence.py) on the seed articles: what the window
offers first for a cell, and the text the stances export takes when a label has no
evidence, are the same sentences; datelines and fragments are never offered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from annotator.codebook import Codebook, load_codebook
from annotator.cues import CueMatcher
from annotator.evidence import (
    ArticleSentences,
    Rank,
    evidence_candidates,
    sentence_shape,
    unit_sentences,
)
from annotator.ingest.importer import import_paths
from annotator.paths import seeds_dir
from annotator.store.articles import ArticleView, article_titles, load_article
from annotator.store.engine import open_project


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ArticleView]]:
    """Seeds 000 and 001 imported as a user would (without the statistical model: the
    lexicon finds every actor these tests need)."""
    path = tmp_path_factory.mktemp("seeds") / "p.db"
    with open_project(str(path)) as project:
        files = [seeds_dir() / "000_bdcb18cc22753435.txt", seeds_dir() / "001_2a7d540fb5e89974.txt"]
        import_paths(project, files, model="none")
        yield {ext[:3]: load_article(project, aid) for aid, ext, _t in article_titles(project)}


@pytest.fixture(scope="module")
def book() -> Codebook:
    return load_codebook()


def actor(article: ArticleView, name: str) -> int:
    found = {m.actor_id for m in article.mentions if m.actor == name and m.actor_id}
    assert len(found) == 1, (name, found)
    return found.pop()


def offered(article: ArticleView, name: str, target: str, book: Codebook) -> list[str]:
    found = evidence_candidates(article, actor(article, name), target, CueMatcher(book),
                                hidden=article.boilerplate)  # fmt: skip
    return [article.text[c.start : c.end] for c in found]


def test_a_dateline_is_never_offered(seeds: dict[str, ArticleView], book: Codebook) -> None:
    """Seed 001 opens with "London/Paris/Berlin. –": London is Großbritannien, but the
    fragment says nothing; the first offer is a sentence naming the country."""
    article = seeds["001"]
    for target in book.target_ids:
        sentences = offered(article, "Großbritannien", target, book)
        assert "London/Paris/Berlin. –" not in sentences
        assert sentences[0].startswith(
            ("Unter diesen Umständen sind Frankreich und Großbritannien bereit",
             "In Bezug auf die Berichte von Le Monde")  # the one with a troops cue
        ), (target, sentences[0])  # fmt: skip
    nato = offered(article, "Großbritannien", "nato_membership", book)
    assert nato[0].startswith("Unter diesen Umständen sind Frankreich und Großbritannien")


def test_a_sentence_referring_to_the_person_with_a_cue_comes_before_the_headline(
    seeds: dict[str, ArticleView], book: Codebook
) -> None:
    """Seed 000: no sentence naming Pistorius speaks of spending; the quote that ends
    "sagte der SPD-Politiker" (with "Lastenteilung") does, two sentences after his name.
    The headline comes last."""
    article = seeds["000"]
    sentences = offered(article, "Boris Pistorius", "defence_spending", book)
    assert sentences[0].startswith("Uns muss eine faire Lastenteilung innerhalb der NATO")
    assert sentences[0].endswith("sagte der SPD-Politiker in Berlin.")
    assert sentences[-1] == (
        "Sorge um weniger US-Hilfe Pistorius spricht mit Frankreich über engere Zusammenarbeit"
    )  # the headline
    # Without a cue for the target, the sentences naming him come first, the headline last.
    troops = offered(article, "Boris Pistorius", "ground_troops", book)
    assert troops[0].startswith("Nach dem Sieg Donald Trumps") and "Sorge um" in troops[-1]


def test_the_export_takes_what_the_window_offers_first(
    seeds: dict[str, ArticleView], book: Codebook
) -> None:
    cues = CueMatcher(book)
    for key, name, target, source in (
        ("000", "Boris Pistorius", "defence_spending", "cue"),
        ("000", "Boris Pistorius", "ground_troops", "mention"),
        ("001", "Großbritannien", "nato_membership", "mention"),
        ("001", "Großbritannien", "ground_troops", "cue"),
    ):
        article = seeds[key]
        doc = ArticleSentences(article, split_missing=True)
        spans, got = unit_sentences(doc, actor(article, name), target, cues)
        first = evidence_candidates(doc, actor(article, name), target, cues)
        best = [(c.start, c.end) for c in first if c.rank == first[0].rank]
        assert (spans, got) == (best, source), (name, target)
        assert all(sentence_shape(article.text, s) != "fragment" for s in spans)


def test_only_people_are_referred_to(seeds: dict[str, ArticleView], book: Codebook) -> None:
    """A sentence after one that lists five countries speaks for none of them."""
    article = seeds["001"]
    doc = ArticleSentences(article)
    assert doc.referring(actor(article, "Großbritannien")) == []
    assert doc.referring(actor(article, "Boris Pistorius"))  # the talks' goal, after his name
    found = evidence_candidates(doc, actor(article, "Großbritannien"), "defence_spending",
                                CueMatcher(book))  # fmt: skip
    assert all(c.rank != Rank.REFERENCE for c in found)


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("London/Paris/Berlin. –", "fragment"),  # a dateline
        ("Von: Stephanie Munk", "fragment"),  # a byline
        ("© Virginia Mayo/AP/dpa", "fragment"),  # a credit
        ("Mehr Infos", "fragment"),
        ("Potenzielle europäische Unterstützung für die Ukraine", "fragment"),
        ("Europas Verantwortung wächst", "heading"),
        ("Militärexperte Masala spricht von „Koalition der Willigen“", "heading"),
        ("Pistorius fordert mehr Geld.", ""),
        # A strong past form the heuristic does not know: a long sentence with a full stop.
        ("Dieser rief am Mittwoch (14. Juni) den Westen zu weiteren Waffenlieferungen auf.", ""),
        ("„Wir schließen keine Option aus“, sagte Barrot.", ""),
    ],
)
def test_the_shape_of_a_sentence(text: str, shape: str) -> None:
    page = f"Titel der Seite\n{text}\nDer nächste Absatz folgt hier."
    start = page.index(text)
    assert sentence_shape(page, (start, start + len(text))) == shape


def test_a_sentence_inside_a_paragraph_is_no_heading() -> None:
    page = "Er sagte es so. Die Nato wächst\nweiter."
    start = page.index("Die Nato")
    assert sentence_shape(page, (start, page.index("\n"))) == ""


def test_no_seed_sentence_the_window_offers_is_a_fragment(
    seeds: dict[str, ArticleView], book: Codebook
) -> None:
    cues = CueMatcher(book)
    for article in seeds.values():
        doc = ArticleSentences(article)
        for actor_id in {m.actor_id for m in article.mentions if m.actor_id}:
            for target in book.target_ids:
                for c in evidence_candidates(doc, actor_id, target, cues):
                    assert doc.shape((c.start, c.end)) != "fragment"
                    assert not doc._hidden((c.start, c.end))
