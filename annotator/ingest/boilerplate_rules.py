"""The phrase and shape rules of boilerplate detection, one line at a time.

ingest/boilerplate.py looks at a line's neighbours; here each line is judged alone: the
page's own words for each kind of boilerplate (German and English), and shapes (a date
line, a byline, a list of share buttons, a breadcrumb).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_I = re.IGNORECASE


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# One pattern per kind, with the longest line it may mark: a longer line is a paragraph
# (the article may quote a banner). A line is of the first kind whose pattern it holds;
# order matters where phrases overlap (paywall offers mention ad-blockers too).
_PHRASES: list[tuple[str, int, re.Pattern[str]]] = [
    (
        "cookie",
        400,
        re.compile(
            r"\bcookies?\b.*\b(verwenden|nutzen|setzen|zustimm|akzeptier|einwillig|"
            r"use|accept|consent)|\b(verwenden|nutzen|setzen|use)\b.*\bcookies?\b|"
            r"\bcookie-?(einstellungen|richtlinie|banner|policy|settings)\b|"
            r"datenschutz-?einstellungen|privacy settings|"
            # A line about cookies that speaks to the reader is the banner.
            r"\bcookies?\b.*\b(sie|ihnen|ihre[nr]?|wir|unsere[nr]?|you|your|we)\b|"
            r"\b(sie|ihnen|wir|you|we)\b.*\bcookies?\b|"
            r"^(alle )?(akzeptieren|ablehnen)$|^(accept|reject) all( cookies)?$|"
            r"\b(stimmen Sie|willigen Sie) .*\b(zu|ein)\b.*\b(Datenverarbeitung|Tracking)\b",
            _I,
        ),
    ),
    (
        "paywall",
        400,
        re.compile(
            # A price on its own is news ("8,70 Euro je Aktie"); an offer names its terms.
            r"\b(für nur|nur|ab|only|just) \d+[,.]\d\d ?(€|euro)|"
            r"\d+[,.]\d\d ?(€|euro) ?(im|pro|je|/|a|per) ?(monat|woche|month|week)|"
            r"\b(jetzt|gratis|kostenlos) (\w+ )*(testen|abonnieren|weiterlesen|freischalten)\b|"
            r"\bunbegrenzte[nr]? zugang\b|\bexklusiv-?artikel|"
            r"\b(bereits|schon) (gekauft|abonniert|abonnent)|\babonnent(in)?\b.*\b(anmelden|login)|"
            r"\bloggen sich (aus|ein)\b|\b(plus|premium)-(artikel|inhalt|abo)\b|"
            r"\bmit (aktiviertem|eingeschaltetem) ad-?blocker\b|"
            r"\bsubscribe (now|today|to (read|continue))|\bsubscribers only\b|"
            r"\balready a subscriber\b|\bsubscription (is )?required\b|"
            r"\bdieser (artikel|inhalt|beitrag) ist (nur )?(für )?(abonnenten|zahlende)|"
            r"\b(gehört|ist teil) (zum|unseres) (angebot|abo)|\bohne abo(nnement)?\b|"
            r"\b(lesen sie|weiterlesen) (jetzt )?(weiter )?mit \w*(plus|\+)",
            _I,
        ),
    ),
    (
        "adblock",
        400,
        re.compile(
            r"\bad-?blocker|\bwerbeblocker|\bwerbeblockierung|\badblock|"
            r"\bauf die (einnahmen aus|anzeigen unserer) (der )?werb|"
            r"\bwerbepartner angewiesen|\bdisable your ad ?blocker",
            _I,
        ),
    ),
    (
        "newsletter",
        300,
        re.compile(
            r"^newsletter$|\bnewsletter\b.*\b(abonnieren|anmelden|bestellen|erhalten|"
            r"subscribe|sign up)|\b(sign up|subscribe|anmelden|abonnieren)\b.*\bnewsletter\b|"
            # "Ich möchte ... per E-Mail erhalten": the reader speaks, not a report.
            r"\b(ich|sie|you)\b.*\b(per|via|by) e-?mail (erhalten|zugeschickt|bekommen|receive)",
            _I,
        ),
    ),
    (
        "audio",
        200,
        re.compile(
            r"\baudio-?version\b|\bkünstlich(er)? (generiert|erzeugt)|\bartikel (an)?hören\b|"
            r"\bvorlesen lassen\b|\bhören sie (sich )?(diesen|den) (artikel|beitrag)|"
            r"\baudio-?player\b|\blisten to (this|the) (article|story)|"
            r"\b(this|the) audio (is|was) (generated|ai)",
            _I,
        ),
    ),
    (
        "other",
        200,
        re.compile(
            r"\b(beitragsbild|video|bild|inhalt|grafik|karte)\b.*\b(nicht|leider nicht) "
            r"(verfügbar|angezeigt)|\bbitte aktivieren sie javascript\b|"
            r"\bexterne[rn]? inhalte?\b.*\b(laden|anzeigen|zustimm|einwillig)|"
            r"^(anzeige|werbung|advertisement|sponsored)$",
            _I,
        ),
    ),
]

# Photo credits: "(Foto: picture alliance / dpa)", "© Virginia Mayo/AP/dpa", "Bild: IMAGO".
_CREDIT_ALONE = re.compile(
    r"^\(?\s*(fotos?|bild(er)?|bildquelle|photo|image|quelle bild|copyright|©)\s*[:©]?\s*"
    r"[^\s].{0,120}\)?$",
    _I,
)
_CREDIT_PREFIX = re.compile(r"^\(?\s*(fotos?|bild(er)?|bildquelle|photo|image)\s*:|^©", _I)
_CREDIT_AGENCY = re.compile(
    r"picture[ -]alliance|getty ?images|imago|\bdpa\b|\bafp\b|\breuters\b|\bap\b|"
    r"shutterstock|istock|keystone|epa|ddp",
    _I,
)
# A caption that carries its credit at the end ("... beim Treffen. © Virginia Mayo/AP/dpa").
_CAPTION_WITH_CREDIT = re.compile(
    r"[.!?)\"“”]\s+(©|\((fotos?|bild|photo):)\s*[^\s][^.!?]{1,80}\)?$", _I
)

# "Quelle: ntv.de, rog/dpa", "Source: Reuters", "@ dpa.de", "(dpa/AFP)", "(smu mit dpa)".
_SOURCE = re.compile(
    r"^(quelle|quellen|source|sources)\s*:\s*\S.{0,100}$|^[@©]\s?[\w.-]{2,40}$|"
    r"^\(\s*[\w/, .-]{2,40}(mit|with) (material|agenturen|agencies|\w+)[\w/, .-]{0,40}\)$|"
    r"^\((dpa|afp|ap|reuters|kna|epd|dts|sid|apa)(/[\w-]+)*\)$",
    _I,
)

# "Von: Stephanie Munk", "Von Anna Muster und Ben Beispiel", "By Jane Doe", "Autor: X".
_NAME = r"[A-ZÄÖÜ][\w'’.-]+"
_BYLINE = re.compile(
    rf"^(?i:(?:ein(?:e)? \w+ )?von|by|autor(?:in)?|author|text)\s*:?\s+{_NAME}(\s+{_NAME}){{0,3}}"
    rf"(\s*(,|und|and|&)\s*{_NAME}(\s+{_NAME}){{0,3}})*"
    rf"(\s+(?:in|aus|from)\s+{_NAME}(\s+{_NAME})?)?(\s*[,|·]\s*[^.!?]{{0,40}})?$"
)
# A line that is only a date and maybe a time: "15.02.2025 - 21:02:04", "Stand: 12.11.2024".
_DATE_LINE = re.compile(
    r"^((stand|aktualisiert|veröffentlicht|erschienen|updated|published)( am| on)?\s*:?\s*)?"
    r"(\w+,?\s+)?(\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s+\w+\s+\d{4})"
    r"(\s*(-|–|,|um|at|\|)?\s*\d{1,2}[:.]\d{2}([:.]\d{2})?(\s*uhr)?)?$",
    _I,
)

_SHARE_WORDS = _words(
    "teilen share facebook twitter x whatsapp e-mail email mail drucken print kopieren "
    "link copy linkedin xing pinterest flipboard telegram threads bluesky messenger "
    "reddit tweet twittern merken speichern kommentieren kommentare"
)

# Site sections, as the first lines of a page show them ("Politik", "Startseite > Ausland").
_SECTIONS = _words(
    "home startseite news nachrichten politik ausland inland deutschland welt wirtschaft "
    "finanzen börse sport kultur panorama gesellschaft wissen wissenschaft digital "
    "technik auto mobilität reise gesundheit leben lifestyle unterhaltung meinung "
    "kommentar regional lokales video videos fotos bilder liveticker live ticker "
    "verbraucher karriere politics world business sports culture opinion"
)
_SEPARATOR = re.compile(r"[>»/|›]")
_BREADCRUMB = re.compile(r"^[\w .&-]{2,30}(\s*[>»/|›]\s*[\w .&-]{2,30}){1,5}$")
# A list of tags: "Deutschland, USA", "Ukraine, Russland, Nato" (names only, no verb).
_TAG_LIST = re.compile(rf"^{_NAME}( {_NAME})?(, {_NAME}( {_NAME})?)+$")

# Headings of teaser lists, and what their items end with.
TEASER_HEAD = re.compile(
    r"^(weitere (meldungen|nachrichten|artikel|themen)|mehr (zum thema|aus \w+|nachrichten|"
    r"zu \w+)|lesen sie (auch|mehr)|auch interessant|das könnte sie (auch )?interessieren|"
    r"empfehlungen?( der redaktion)?|meistgelesen(e artikel)?|top-?themen|"
    r"related( articles| stories)?|read more|more (on this|from \w+)|most read)\s*:?$",
    _I,
)
TEASER_ITEM = re.compile(
    r"(weiterlesen|mehr lesen|read more|zum artikel)\s*(\.{3}|…|»|›|→)?$|"
    r"\((\w[\w -]*), \d{1,2}\.\d{1,2}\.\d{4}( - \d{1,2}:\d{2})?\)|"
    r"^(lesen sie (auch|hier)|mehr zum thema|auch interessant)\s*:",
    _I,
)

# Lines that are boilerplate only beside a block: links, buttons, a player's clock.
CONTROL = re.compile(
    r"^(mehr infos?|weitere informationen|mehr erfahren|details|einstellungen|"
    r"(zustimmen|akzeptieren|accept) (und|and) (weiter|continue)|"
    r"nicht mehr anzeigen|schließen|ok|okay|zustimmen|ablehnen|verstanden|weiter|"
    r"jetzt anmelden|anmelden|registrieren|einloggen|login|abbrechen|close|more info|"
    r"learn more|settings|no thanks|nein,? danke)[.!]?$|"
    r"^\d{1,2}:\d{2}(:\d{2})?(\s*/\s*\d{1,2}:\d{2}(:\d{2})?)?$",
    _I,
)
CLOCK = re.compile(r"^\d{1,2}:\d{2}")


# Words that may stand between them: "Share on Facebook", "Artikel teilen", "per E-Mail".
_SHARE_FILLERS = _words("on via per auf bei in artikel article this diesen den story")


def _is_share_line(s: str) -> bool:
    words = [w.strip(":") for w in re.split(r"[\s|·•/,]+", s.lower()) if w.strip(":")]
    real = [w for w in words if w in _SHARE_WORDS]
    return (
        0 < len(words) <= 16
        and all(w in _SHARE_WORDS or w in _SHARE_FILLERS for w in words)
        and (len(real) >= 2 or bool(real) and real[0] in {"teilen", "share", "drucken", "print"})
    )


# Words without which a kind's pattern cannot match, tested as plain substrings of the
# lowercased text, then of each line that may hold them. Most articles hold few of them,
# so the patterns (case-insensitive with ".*", slow in Python's re) run on few lines and
# detection costs a fraction of the highlighting (bench/ingest.py).
Triggers = dict[str, tuple[str, ...]]
_TRIGGERS: Triggers = {
    "cookie": ("cookie", "datenschutz", "privacy", "akzeptieren", "ablehnen", "accept",
               "reject", "stimmen sie", "willigen sie"),
    "paywall": ("€", "euro ", "euro.", "euro,", "abonn", "testen", "weiterlesen",
                "freischalten", "unbegrenzt", "exklusiv", "gekauft", "loggen", "plus",
                "premium", "blocker", "subscri", "zahlende", "angebot", "ohne abo", "+"),
    "adblock": ("blocker", "blockier", "adblock", "werbepartner", "anzeigen unserer",
                "einnahmen aus"),
    "newsletter": ("newsletter", "mail"),
    "audio": ("audio", "künstlich", "hören", "vorlesen", "listen"),
    "other": ("verfügbar", "angezeigt", "javascript", "extern", "anzeige", "werbung",
              "advertisement", "sponsored"),
}  # fmt: skip
_TRIGGERS["teaser"] = ("weiterlesen", "mehr lesen", "read more", "zum artikel", "lesen sie",
                       "mehr zum thema", "auch interessant")  # fmt: skip
_TRIGGERS["credit"] = ("©", "(foto", "(bild", "(photo")
_DATED = re.compile(r", \d{1,2}\.\d{1,2}\.\d{4}")


# The longest line each kind's rules look at (the phrase patterns' limits; a caption with
# its credit; a teaser item).
_LONGEST = {**{kind: longest for kind, longest, _ in _PHRASES}, "credit": 300, "teaser": 600}


def triggers_in(lines: Sequence[str]) -> Triggers:
    """The trigger words that occur in the lines each kind may mark: line_kind need look
    for no others."""
    texts: dict[int, str] = {}
    out: Triggers = {}
    for kind, words in _TRIGGERS.items():
        longest = _LONGEST[kind]
        low = texts.get(longest)
        if low is None:
            low = texts[longest] = "\n".join(s for s in lines if len(s) <= longest).lower()
        out[kind] = tuple(w for w in words if w in low)
    return out


def _teaser_like(s: str, low: str, words: tuple[str, ...]) -> bool:
    return (any(w in low for w in words) or _DATED.search(s) is not None) and bool(
        TEASER_ITEM.search(s)
    )


def line_kind(s: str, triggers: Triggers | None = None) -> str | None:
    """The kind of boilerplate a line is on its own, or None. `triggers`: those of the
    whole text (triggers_in), to skip what cannot match."""
    found = triggers if triggers is not None else _TRIGGERS
    low = s.lower()
    for kind, longest, pattern in _PHRASES:
        words = found[kind]
        if words and len(s) <= longest and any(t in low for t in words) and pattern.search(s):
            return kind
    if len(s) <= 160:
        if _SOURCE.match(s):
            return "source"
        if _BYLINE.match(s) or _DATE_LINE.match(s):
            return "byline"
        if _CREDIT_PREFIX.match(s) and _CREDIT_ALONE.match(s) and len(s) <= 120:
            return "credit"
        if TEASER_HEAD.match(s) or _teaser_like(s, low, found["teaser"]):
            return "teaser"
        if _is_share_line(s):
            return "share"
        if low.rstrip(":") in _SECTIONS or (
            _SEPARATOR.search(s) and _BREADCRUMB.match(s) and _all_sections(s)
        ):
            return "navigation"
        if len(s) <= 80 and _TAG_LIST.match(s):
            return "navigation"
    if (
        len(s) <= 300
        and any(w in low for w in found["credit"])
        and _CAPTION_WITH_CREDIT.search(s)
        and _CREDIT_AGENCY.search(s[-80:])
    ):
        return "caption"
    if len(s) <= 600 and _teaser_like(s, low, found["teaser"]):
        return "teaser"
    return None


def _all_sections(s: str) -> bool:
    parts = [p.strip().lower() for p in re.split(r"[>»/|›]", s)]
    return sum(p in _SECTIONS for p in parts) >= max(1, len(parts) - 1)


# Where one sentence ends and the next begins ("(l.) und" is no such place).
SENTENCE_BREAK = re.compile(r"[.!?][\"“”»«)]?\s+[\"„“»«(]?[A-ZÄÖÜ0-9]")
