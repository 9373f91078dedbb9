"""German cases the pre-highlighter must get right, through the public interface."""

from __future__ import annotations

import pytest

from annotator.nlp import ActorEntry, Highlighter, load_highlighter
from tests.nlp.conftest import found


def persons(highlighter: Highlighter, text: str) -> list[tuple[str, str | None]]:
    return [(s, a) for s, label, a in found(text, highlighter.highlight(text)) if label == "PER"]


@pytest.mark.parametrize(
    ("text", "surface", "label", "actor"),
    [
        ("Der Nato-Beitritt der Ukraine ist umstritten.", "Nato", "ORG", "NATO"),
        ("Nach der US-Wahl wächst die Sorge.", "US", "LOC", "USA"),
        ("Ein Kreml-Sprecher wies das zurück.", "Kreml", "LOC", "Russland"),
        ("Der SPD-Politiker widersprach.", "SPD", "ORG", "SPD"),
        ("Die EU-Kommission legte einen Plan vor.", "EU-Kommission", "ORG", None),
        ("Trumps Zölle treffen Europa.", "Trumps", "PER", "Donald Trump"),
        ("Frankreichs Regierung zögert.", "Frankreichs", "LOC", "Frankreich"),
        ("Die Rolle des Kremls bleibt unklar.", "Kremls", "LOC", "Russland"),
        ("Die französischen Truppen bleiben.", "französischen", "MISC", "Frankreich"),
        ("Er lobte die ukrainische Armee.", "ukrainische", "MISC", "Ukraine"),
        ("Russische Drohnen trafen Odessa.", "Russische", "MISC", "Russland"),
        ("Der russisch-ukrainische Krieg dauert an.", "ukrainische", "MISC", "Ukraine"),
        ("Die Hilfen der Europäischen Union stocken.", "Europäischen Union", "ORG", None),
        ("Moskau lehnt ab.", "Moskau", "LOC", "Russland"),
        ("Washington drängt auf eine Lösung.", "Washington", "LOC", "USA"),
        ("Aus Kyjiw kam Kritik.", "Kyjiw", "LOC", "Ukraine"),
        ("Peking schweigt.", "Peking", "LOC", "China"),
        ("Im Weißen Haus wurde beraten.", "Weißen Haus", "LOC", "USA"),
    ],
)
def test_lexicon_forms(highlighter, text, surface, label, actor):
    mentions = found(text, highlighter.highlight(text))
    hits = [m for m in mentions if m[0] == surface]
    assert hits, mentions
    assert hits[0][1] == label
    if actor is not None:
        assert hits[0][2] == actor


def test_capitalised_adjective_only_at_sentence_start(highlighter):
    text = "Die Deutsche Bahn streikt."
    assert found(text, highlighter.highlight(text)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # title or function word in front
        ("Militärexperte Jonas Brehmer hält das für falsch.", "Jonas Brehmer"),
        ("Die Politologin Henrike Altvater widerspricht.", "Henrike Altvater"),
        ("Das sieht Bundeswehr-Generalinspekteur Ulf Grabowski anders.", "Ulf Grabowski"),
        ("Verteidigungsministerin Aino Virtanen reist nach Berlin.", "Aino Virtanen"),
        ("Botschafter Wendelin Ohrfeld wurde einbestellt.", "Wendelin Ohrfeld"),
        ("Oberst a. D. Udo Kasparek warnt.", "Udo Kasparek"),
        # speech verbs, either side of the name
        ("„Das reicht nicht“, sagte Quandtberg.", "Quandtberg"),
        ("„Das reicht nicht“, so Quandtberg.", "Quandtberg"),
        ("„Das reicht nicht“, betonte Quandtberg am Montag.", "Quandtberg"),
        ("Quandtberg sagte, das reiche nicht.", "Quandtberg"),
        # party or age in brackets, known first names
        ("Das kritisierte Sabine Sturmfels (SPD) scharf.", "Sabine Sturmfels"),
        ("Auch Ostermeier (CDU) ist dagegen.", "Ostermeier"),
        ("Dagmar Wenninger leitet das Amt.", "Dagmar Wenninger"),
        ("Der Sicherheitsforscher Jannik Oberwelland widerspricht.", "Jannik Oberwelland"),
        # comma and title after the name
        ("Drosselmeyer, Leiter des Instituts, warnt.", "Drosselmeyer"),
    ],
)
def test_rule_persons(highlighter, text, expected):
    result = persons(highlighter, text)
    assert (expected, expected) in result, result


def test_surname_later_links_to_fullest_name(highlighter):
    text = (
        "Militärexperte Masala spricht von einer Zäsur. Der Militärexperte Carlo Bertani "
        "ist skeptisch. „Europa ist nicht bereit“, sagte Bertani. Bertanis Warnung fand "
        "Gehör. Auch Masala stimmte zu."
    )
    result = persons(highlighter, text)
    assert result.count(("Bertani", "Carlo Bertani")) == 1
    assert ("Bertanis", "Carlo Bertani") in result
    assert ("Carlo Bertani", "Carlo Bertani") in result
    # lexicon persons keep their canonical name, also when mentioned by surname
    assert ("Masala", "Carlo Masala") in result


def test_spelling_variant_of_lexicon_person_keeps_canonical_name(highlighter):
    text = "Präsident Volodymyr Zelensky bat um Hilfe."
    spans = highlighter.highlight(text)
    assert found(text, spans) == [("Volodymyr Zelensky", "PER", "Wolodymyr Selenskyj")]
    assert spans[0].source == "lexicon"


@pytest.mark.parametrize(
    "text",
    [
        "Sicherheit ist wichtig. Verteidigung kostet Geld. Frieden gibt es nicht umsonst.",
        "Die Regierung erklärte, man prüfe den Vorschlag.",
        "Damals sagte er, das sei ein Fehler.",
        "Gestern forderte Sanktionen niemand mehr.",
        "Die Opposition forderte Sanktionen gegen die Verantwortlichen.",
        "Experten sagten, die Lage sei ernst.",
        "Der Minister sagte nichts. Der Sprecher betonte Geschlossenheit.",
        "Die Anfang Mai veröffentlichte Studie sagt etwas anderes.",
    ],
)
def test_capitalised_nouns_are_not_names(highlighter, text):
    assert persons(highlighter, text) == []


def test_offsets_are_python_string_indices_after_an_emoji(highlighter):
    text = "🚀🇩🇪 Verteidigungsminister Pistorius trifft Militärexperte Carlo Bertani."
    spans = highlighter.highlight(text)
    assert [text[m.start : m.end] for m in spans] == ["Pistorius", "Carlo Bertani"]
    assert spans[0].start == text.index("Pistorius")


def test_spans_are_sorted_and_do_not_overlap(highlighter):
    text = (
        "US-Präsident Donald Trump und Kreml-Chef Wladimir Putin sprachen über die Ukraine. "
        "Die deutsch-französische Initiative der EU-Kommission stockt, sagte Rutte in Brüssel."
    )
    spans = highlighter.highlight(text)
    assert spans == sorted(spans, key=lambda m: m.start)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
    assert {m.source for m in spans} <= {"lexicon", "rule"}


def test_pipe_gives_the_same_spans_as_highlight(highlighter):
    texts = ["Scholz traf Macron in Paris.", "", "Nato-Chef Rutte warnt."]
    assert list(highlighter.pipe(texts, batch_size=2)) == [highlighter.highlight(t) for t in texts]


def test_extra_actors_win_and_get_inflected_forms():
    extra = ActorEntry("Anna Beispiel", "person", "PER", ("Beispiel",))
    highlighter = load_highlighter(extra_actors=[extra])
    text = "Beispiels Antrag scheiterte, Beispiel blieb gelassen."
    assert found(text, highlighter.highlight(text)) == [
        ("Beispiels", "PER", "Anna Beispiel"),
        ("Beispiel", "PER", "Anna Beispiel"),
    ]


def test_seed_articles_show_the_expected_actors(highlighter):
    from annotator.paths import seeds_dir

    actors = set()
    for path in sorted(seeds_dir().glob("*.txt")):
        actors |= {m.actor for m in highlighter.highlight(path.read_text(encoding="utf-8"))}
    expected = {
        "Boris Pistorius", "Sébastien Lecornu", "Donald Trump", "NATO", "Frankreich",
        "Carlo Masala", "Christoph Heusgen", "Jean-Noël Barrot", "Keir Starmer",
        "Mark Rutte", "Pete Hegseth", "Jens Stoltenberg", "Oleksij Resnikow",
        "Wolodymyr Selenskyj", "Wladimir Putin", "Olaf Scholz", "Emmanuel Macron",
        "Russland", "Ukraine", "USA", "Deutschland", "Rheinmetall", "SPD",
    }  # fmt: skip
    assert expected <= actors, expected - actors
