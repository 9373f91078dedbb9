"""Word lists the person rules rely on: titles and functions, speech verbs, and the
capitalised words that are never names (German capitalises every noun)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from annotator.errors import InputError
from annotator.paths import resource


def words(text: str) -> tuple[str, ...]:
    """Whitespace-separated words: long word lists stay readable as plain text."""
    return tuple(text.split())


# Ends of words that name a role; any word ending in one of them is a title
# ("Verteidigungsminister", "Nato-Generalsekretär", "Kreml-Chef", "Militärexperte").
# Female -in/-innen and genitive -s are added by the rule.
TITLE_ENDINGS = words("""
minister präsident kanzler sekretär sprecher chef leiter direktor vorsitzende vorsitzender
experte expertin politiker politologe politologin professor botschafter gesandte gesandter
beauftragte beauftragter berater analyst forscher wissenschaftler historiker ökonom
journalist korrespondent kommissar kommandeur befehlshaber inspekteur general admiral
oberst major leutnant hauptmann abgeordnete abgeordneter bürgermeister gouverneur senator
diplomat premier kandidat herausforderer vize unterhändler vermittler oppositionsführer
aktivist unternehmer manager gründer anwalt richter ermittler autor kollege nachfolger
vorgänger königin könig prinz papst sozialdemokrat liberale konservative funktionär
offizier soldat veteran staatschef regierungschef machthaber diktator herrscher
""")
# Whole words that work as titles but are too short or too common as word ends.
TITLE_WORDS = words("Herr Frau Dr. Prof. CEO Landrat Landrätin Parteifreund Parteifreundin")

# Speech verbs (3rd person singular). Some take an object noun without article
# ("forderte Sanktionen"), so after them a name only counts right after a quotation.
SPEECH_VERBS = words("""
sagte sagt erklärte erklärt betonte betont meinte meint ergänzte ergänzt warnte warnt
unterstrich unterstreicht schrieb schreibt sagte räumte bekräftigte versicherte mahnte
erläuterte argumentierte entgegnete antwortete widersprach fügte teilte kritisierte
kritisiert forderte fordert bestätigte berichtete kündigte twitterte
""")
TRANSITIVE_SPEECH_VERBS = frozenset(
    words("kritisierte kritisiert forderte fordert bestätigte berichtete kündigte")
)

# Capitalised words that start sentences or follow titles and are never names.
STOP = frozenset(
    words("""
Der Die Das Den Dem Des Ein Eine Einen Einem Einer Eines Kein Keine Er Sie Es Wir Ich Ihr
Man Mein Sein Seine Ihre Unser Unsere Dies Diese Dieser Dieses Jene Jeder Jede Alle Viele
Einige Manche Beide Andere Auch Aber Doch Und Oder Denn Sondern Im Am In An Auf Aus Bei
Mit Nach Vor Von Vom Zu Zum Zur Für Über Unter Gegen Seit Bis Durch Ohne Um Während Wie
Was Wer Wo Wann Warum Welche Welcher Wenn Dass Ob Als Da Dann Damit Daher Deshalb Dennoch
Trotzdem Zudem Außerdem Ebenso Jetzt Nun Heute Gestern Morgen Bislang Bisher Zuletzt
Zunächst Erst Noch Schon Bereits Immer Nie Allerdings Jedoch Laut Nur Hier Dort So Sogar
Vielleicht Offenbar Damals Später Danach Davor Inzwischen Unterdessen Indes Derweil Zugleich
Gleichzeitig Stattdessen Insgesamt Vor Wegen Trotz Angesichts Mehr Weniger Genau Gerade
Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag Sonnabend Januar Februar März
April Mai Juni Juli August September Oktober November Dezember Anfang Ende Mitte Jahr
Jahres Jahre Woche Wochen Monat Monate Tag Tage Tagen Abend Morgen Nacht Mittag Uhr
Ja Nein Bitte Danke Herr Frau Dr Prof
""")
)
# Noun endings that names practically never have ("Sicherheit", "Regierung").
NOUN_ENDINGS = (
    "ung", "ungen", "heit", "heiten", "keit", "keiten", "schaft", "schaften", "tion",
    "tionen", "sion", "sionen", "ität", "itäten", "ismus", "nis", "nisse", "tum", "tümer",
    "tik", "tiken", "ublik", "ubliken",
)  # fmt: skip
DETERMINERS = frozenset(
    words("""
der die das den dem des ein eine einen einem einer eines kein keine keinen keinem keiner
dieser diese dieses diesen diesem jener jene jeder jede jedes jeden jedem sein seine seinen
seinem seiner ihr ihre ihren ihrem ihrer unser unsere unseren unserem euer alle viele
""")
)
# Lowercase words before a name that do not make it a common noun ("wie Masala sagte").
FUNCTION_WORDS = frozenset(
    words(
        "aber oder wieder später immer sondern nachdem bevor wenn denn dann wie als so und "
        "sowie da dass ob weil während wobei hatte habe hat sei war ist wird wurde"
    )
)
PRONOUNS = frozenset(words("er sie es man wir ich ihr"))
# Between first name and surname; kept lowercase as in "Ursula von der Leyen".
PARTICLES = (
    "von der",
    "van der",
    *words("von van de di da del della dos du le la ten ter zu al bin ibn De Van Le Di"),
)


TITLE_INFLECTIONS = ("innen", "in", "en", "n", "s")
# Matched against the reversed, lowercased word: the inflection and then the role ending
# are both at its start, so one `match` answers the question.
_REVERSED_TITLE = re.compile(
    "(?:" + "|".join(i[::-1] for i in TITLE_INFLECTIONS) + ")?"
    "(?:" + "|".join(sorted((e[::-1] for e in TITLE_ENDINGS), key=len, reverse=True)) + ")"
)
_TITLE_WORDS = frozenset(TITLE_WORDS)


def is_title(word: str) -> bool:
    """True for a word naming a role: "Minister", "Nato-Generalsekretärin", "Experten"."""
    return word in _TITLE_WORDS or _REVERSED_TITLE.match(word.lower()[::-1]) is not None


def looks_like_noun(word: str) -> bool:
    return word in STOP or (len(word) > 5 and word.lower().endswith(NOUN_ENDINGS))


@lru_cache(maxsize=4)
def load_first_names(path: Path | None = None) -> frozenset[str]:
    """First names, one a line ('#' starts a comment); default resources/first_names.txt."""
    path = path or resource("first_names.txt")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read first names: {exc.strerror or exc}", path=str(path)) from exc
    names = (line.split("#", 1)[0].strip() for line in lines)
    return frozenset(name for name in names if name)
