"""German news-like pages written for the HTML import tests: an article among navigation,
a cookie banner, teaser lists, a newsletter box and a footer, built like real sites build
them (semantic HTML5 with JSON-LD; a page of nested divs with meta tags only; a short
report under a big consent overlay; a paywalled page). Each page knows its body
paragraphs, its metadata and the clutter that must not reach the article text.

The texts are invented for these tests; names of public figures appear as in news.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    name: str
    html: str
    title: str
    body: list[str]
    clutter: list[str]
    author: str | None = None
    date: str | None = None
    site: str | None = None
    url: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _paragraphs(body: list[str]) -> str:
    return "\n".join(f"      <p>{p}</p>" for p in body)


NAV = """
  <header class="site-header">
    <a class="logo" href="/">Nordkurier Rundschau</a>
    <nav class="main-nav"><ul>
      <li><a href="/politik">Politik</a></li><li><a href="/wirtschaft">Wirtschaft</a></li>
      <li><a href="/sport">Sport</a></li><li><a href="/kultur">Kultur</a></li>
      <li><a href="/regional">Regional</a></li><li><a href="/abo">Abo</a></li>
    </ul></nav>
    <nav class="breadcrumb"><a href="/">Startseite</a> &gt; <a href="/politik">Politik</a>
      &gt; <a href="/politik/ausland">Ausland</a></nav>
  </header>"""

COOKIE = """
  <div id="consent-banner" class="cmp-overlay" role="dialog">
    <p>Wir verwenden Cookies und ähnliche Technologien, um Inhalte zu personalisieren und
    die Zugriffe auf unsere Website zu analysieren. Mit Klick auf „Alle akzeptieren“
    willigen Sie in die Verarbeitung Ihrer Daten ein.</p>
    <button>Alle akzeptieren</button> <button>Einstellungen</button>
  </div>"""

FOOTER = """
  <footer class="site-footer">
    <div class="newsletter-box"><h3>Newsletter</h3>
      <p>Die wichtigsten Nachrichten des Tages jeden Morgen per E-Mail: Jetzt kostenlos
      den Newsletter abonnieren!</p><form><input type="email"><button>Anmelden</button></form>
    </div>
    <ul><li><a href="/impressum">Impressum</a></li><li><a href="/datenschutz">Datenschutz</a>
    </li><li><a href="/kontakt">Kontakt</a></li><li><a href="/agb">AGB</a></li></ul>
    <p>© 2024 Nordkurier Rundschau Mediengruppe. Alle Rechte vorbehalten.</p>
  </footer>"""

SEMANTIC_BODY = [
    "Die Verteidigungsminister der Nato-Staaten haben sich in Brüssel auf neue Vorgaben "
    "für die Bereitschaft ihrer Streitkräfte verständigt. Künftig sollen mehr als "
    "300.000 Soldatinnen und Soldaten innerhalb von 30 Tagen verlegt werden können.",
    "Bundesverteidigungsminister Boris Pistorius sprach von einem notwendigen Schritt. "
    "„Wir müssen die Abschreckung glaubwürdig halten, und dafür braucht es Truppen, die "
    "schnell dort sind, wo sie gebraucht werden“, sagte der SPD-Politiker am Rande des "
    "Treffens.",
    "Nato-Generalsekretär Jens Stoltenberg verwies auf die gestiegenen Ausgaben vieler "
    "Mitgliedstaaten. Inzwischen erreichten deutlich mehr Verbündete das Ziel, zwei "
    "Prozent ihrer Wirtschaftsleistung für Verteidigung auszugeben, als noch vor wenigen "
    "Jahren.",
    "Kritik kam aus den Reihen der Linken. Deren verteidigungspolitischer Sprecher warnte "
    "vor einer Aufrüstungsspirale und forderte, die diplomatischen Kanäle nach Moskau "
    "nicht abreißen zu lassen.",
    "Die Beschlüsse sollen beim Gipfel der Staats- und Regierungschefs im Juli in "
    "Washington bestätigt werden. Dort dürfte auch die Frage eines Beitritts der Ukraine "
    "erneut auf der Tagesordnung stehen.",
]

SEMANTIC = Page(
    name="semantic",
    title="Nato beschließt schnellere Verlegung von Truppen",
    author="Katrin Wendel",
    date="2024-06-14",
    site="Nordkurier Rundschau",
    url="https://www.nordkurier-rundschau.example/politik/nato-truppen-123.html",
    body=SEMANTIC_BODY,
    clutter=[
        "Wir verwenden Cookies",
        "Impressum",
        "Mehr zum Thema",
        "Rheinmetall meldet Rekordumsatz",
        "Newsletter abonnieren",
        "Alle Rechte vorbehalten",
        "Startseite",
    ],
    html=f"""<!DOCTYPE html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <title>Nato beschließt schnellere Verlegung von Truppen | Nordkurier Rundschau</title>
  <meta property="og:title" content="Nato beschließt schnellere Verlegung von Truppen">
  <meta property="og:site_name" content="Nordkurier Rundschau">
  <meta property="og:url"
        content="https://www.nordkurier-rundschau.example/politik/nato-truppen-123.html">
  <meta name="author" content="Katrin Wendel">
  <meta property="article:published_time" content="2024-06-14T17:45:00+02:00">
  <link rel="canonical"
        href="https://www.nordkurier-rundschau.example/politik/nato-truppen-123.html">
  <script type="application/ld+json">
  {{"@context": "https://schema.org", "@type": "NewsArticle",
    "headline": "Nato beschließt schnellere Verlegung von Truppen",
    "datePublished": "2024-06-14T17:45:00+02:00",
    "author": {{"@type": "Person", "name": "Katrin Wendel"}},
    "publisher": {{"@type": "Organization", "name": "Nordkurier Rundschau"}}}}
  </script>
</head>
<body>{COOKIE}{NAV}
  <main>
    <article>
      <p class="kicker">Verteidigungsbündnis</p>
      <h1>Nato beschließt schnellere Verlegung von Truppen</h1>
      <p class="byline">Von <span class="author">Katrin Wendel</span>,
        <time datetime="2024-06-14T17:45:00+02:00">14.06.2024, 17:45 Uhr</time></p>
      <div class="share"><a href="#">Teilen</a> <a href="#">Facebook</a>
        <a href="#">WhatsApp</a> <a href="#">E-Mail</a></div>
{_paragraphs(SEMANTIC_BODY[:2])}
      <figure><img src="pistorius.jpg" alt="">
        <figcaption>Boris Pistorius beim Treffen in Brüssel. Foto: Virginia Mayo/AP/dpa
        </figcaption></figure>
{_paragraphs(SEMANTIC_BODY[2:4])}
      <aside class="related"><h3>Mehr zum Thema</h3><ul>
        <li><a href="/a">Rheinmetall meldet Rekordumsatz im ersten Quartal</a></li>
        <li><a href="/b">Wie die Bundeswehr neue Rekruten gewinnen will</a></li>
        <li><a href="/c">Baltikum: Brigade in Litauen nimmt Gestalt an</a></li>
      </ul></aside>
{_paragraphs(SEMANTIC_BODY[4:])}
    </article>
  </main>{FOOTER}
</body>
</html>
""",
)

DIVS_BODY = [
    "Der Bundestag hat am Donnerstag über die Zukunft der Wehrpflicht debattiert. Die "
    "Union warf der Bundesregierung vor, die Personalprobleme der Bundeswehr seit Jahren "
    "zu verschleppen.",
    "Verteidigungsminister Pistorius verteidigte sein Modell eines neuen Wehrdienstes, "
    "bei dem junge Männer einen Fragebogen ausfüllen müssen. Ein verpflichtender Dienst "
    "sei derzeit weder organisatorisch noch rechtlich umsetzbar, sagte er.",
    "Die Grünen zeigten sich offen für den Vorschlag, mahnten aber eine bessere "
    "Ausstattung der Kasernen an. Die FDP lehnte jede Form der Dienstpflicht ab und "
    "setzte auf eine attraktivere Bezahlung.",
    "Nach Angaben des Ministeriums fehlen der Truppe derzeit rund 20.000 Soldatinnen "
    "und Soldaten. Das Ziel, die Bundeswehr bis 2031 auf 203.000 Köpfe zu vergrößern, "
    "gilt als kaum erreichbar.",
]

DIVS = Page(
    name="divs",
    title="Bundestag streitet über neuen Wehrdienst",
    author="Jonas Albrecht",
    date="2024-09-12",
    site="Mitteldeutscher Kurier",
    url="https://www.mdkurier.example/politik/wehrdienst-debatte",
    body=DIVS_BODY,
    clutter=[
        "Meistgelesen",
        "Kommentare",
        "Handball: Magdeburg gewinnt",
        "Datenschutz",
        "Wir verwenden Cookies",
    ],
    html=f"""<html>
<head>
  <meta http-equiv="Content-Type" content="text/html; charset=utf-8">
  <title>Bundestag streitet über neuen Wehrdienst - Mitteldeutscher Kurier</title>
  <meta property="og:title" content="Bundestag streitet über neuen Wehrdienst">
  <meta property="og:site_name" content="Mitteldeutscher Kurier">
  <meta property="og:url" content="https://www.mdkurier.example/politik/wehrdienst-debatte">
  <meta name="author" content="Jonas Albrecht">
  <meta name="date" content="2024-09-12">
</head>
<body>
<div id="wrapper">{COOKIE}
  <div class="top-bar"><a href="/">Home</a> | <a href="/politik">Politik</a> |
    <a href="/sport">Sport</a> | <a href="/login">Login</a></div>
  <div class="col-main">
    <div class="content-head"><h1 class="headline">Bundestag streitet über neuen
      Wehrdienst</h1><div class="meta">12.09.2024 | Jonas Albrecht</div></div>
    <div class="content-text">
{_paragraphs(DIVS_BODY)}
    </div>
    <div class="comments"><h4>Kommentare (3)</h4>
      <div class="comment">Endlich wird darüber geredet! – Leser123</div>
      <div class="comment">Die Politik hat das jahrelang verschlafen. – M. S.</div>
    </div>
  </div>
  <div class="col-side">
    <div class="box"><h4>Meistgelesen</h4><ol>
      <li><a href="/s1">Handball: Magdeburg gewinnt das Spitzenspiel in Kiel</a></li>
      <li><a href="/s2">Unwetter über Sachsen-Anhalt: Feuerwehr im Dauereinsatz</a></li>
      <li><a href="/s3">Neue Umgehungsstraße wird im Herbst freigegeben</a></li>
    </ol></div>
  </div>
  <div class="footer"><a href="/impressum">Impressum</a> · <a href="/datenschutz">Datenschutz</a>
    · © Mitteldeutscher Kurier</div>
</div>
</body>
</html>
""",
)

SHORT_BODY = [
    "Litauen will seine Verteidigungsausgaben im kommenden Jahr auf mehr als drei "
    "Prozent der Wirtschaftsleistung erhöhen. Das teilte die Regierung in Vilnius mit.",
    "Ministerpräsidentin Ingrida Šimonytė begründete den Schritt mit der Bedrohung durch "
    "Russland. Das Geld soll vor allem in Luftabwehr und Munition fließen.",
]

SHORT = Page(
    name="short",
    title="Litauen erhöht Verteidigungsausgaben",
    date="2023-11-02",
    site="Ostsee-Bote",
    body=SHORT_BODY,
    clutter=["Wir verwenden Cookies", "Impressum", "Newsletter abonnieren"],
    html=f"""<!doctype html>
<html lang="de"><head><meta charset="utf-8">
<title>Litauen erhöht Verteidigungsausgaben | Ostsee-Bote</title>
<meta property="og:site_name" content="Ostsee-Bote">
<meta property="article:published_time" content="2023-11-02T08:10:00Z">
</head><body>{COOKIE}{NAV}
<main><article>
  <h1>Litauen erhöht Verteidigungsausgaben</h1>
{_paragraphs(SHORT_BODY)}
</article></main>{FOOTER}
</body></html>
""",
)

PAYWALL_BODY = [
    "Die Europäische Union will die Produktion von Artilleriemunition deutlich "
    "beschleunigen. Die EU-Kommission legte dazu am Mittwoch in Brüssel ein "
    "Förderprogramm über 500 Millionen Euro vor.",
    "Binnenmarktkommissar Thierry Breton sagte, Europa müsse seine Rüstungsindustrie in "
    "eine Kriegswirtschaft versetzen. Bis Ende des Jahres sollen die Hersteller eine "
    "Million Granaten pro Jahr liefern können.",
]

PAYWALL = Page(
    name="paywall",
    title="EU will Munitionsproduktion ankurbeln",
    author="Sophie Lindner",
    date="2023-05-03",
    site="Westfalen Tagblatt",
    body=PAYWALL_BODY,
    clutter=["Jetzt 4 Wochen für 0,99 €", "bereits Abonnent", "Impressum"],
    html=f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<title>EU will Munitionsproduktion ankurbeln | Westfalen Tagblatt</title>
<meta property="og:title" content="EU will Munitionsproduktion ankurbeln">
<meta property="og:site_name" content="Westfalen Tagblatt">
<meta name="author" content="Sophie Lindner">
<meta property="article:published_time" content="2023-05-03T12:00:00+02:00">
</head><body>{NAV}
<main><article>
  <h1>EU will Munitionsproduktion ankurbeln</h1>
  <p class="byline">Von Sophie Lindner</p>
{_paragraphs(PAYWALL_BODY)}
  <div class="paywall"><h3>Weiterlesen mit WT+</h3>
    <p>Jetzt 4 Wochen für 0,99 € testen. Danach 9,99 € im Monat, jederzeit kündbar.</p>
    <p>Sie sind bereits Abonnent? <a href="/login">Hier anmelden</a></p></div>
</article></main>{FOOTER}
</body></html>
""",
)

PAGES = [SEMANTIC, DIVS, SHORT, PAYWALL]

EMPTY_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Startseite</title>
</head><body><nav><a href="/">Home</a> <a href="/politik">Politik</a></nav>
<div class="cookie">Wir verwenden Cookies.</div><footer>Impressum · Datenschutz</footer>
</body></html>
"""
