"""The id of a saved news page: made from its canonical URL, else its file name.

Saved pages are often all called `index.html` (a site's pretty URLs end in a folder), so a
file name is no id: the second, different `index.html` was refused as "the same id with
another text". The page's own canonical URL (`<link rel="canonical">`, else `og:url`) names
the article wherever and however the file was saved, and the same page imported twice
keeps one id. The id is the URL without scheme, "www." and tracking parameters
("tagesblatt.de/politik/haushalt-a817.html"): readable in the article list and stable. A
canonical URL that names no article (a site's home page, as some sites mistakenly declare
on every page) is not used.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from annotator.limits import MAX_ID_CHARS

# Query parameters that say where a reader came from, not which article it is.
_TRACKING = ("utm_", "wt_", "at_", "fbclid", "gclid", "mc_", "ref", "source", "share", "cmp")


def canonical_url(root: Any) -> str | None:
    """The page's canonical URL, or its og:url; made absolute with the other (or with
    <base href>) when it is relative; None when the page states neither."""
    canonical = og = base = None
    for el in root.iter("link", "meta", "base"):
        if el.tag == "link" and canonical is None:
            if "canonical" in (el.get("rel") or "").lower().split():
                canonical = (el.get("href") or "").strip() or None
        elif el.tag == "meta" and og is None:
            if (el.get("property") or el.get("name") or "").strip().lower() == "og:url":
                og = (el.get("content") or "").strip() or None
        elif el.tag == "base" and base is None:
            base = (el.get("href") or "").strip() or None
    for url in (canonical, og):
        if url is None:
            continue
        if not urlsplit(url).netloc:
            anchor = next((u for u in (og, base) if u and urlsplit(u).netloc), None)
            url = urljoin(anchor, url) if anchor else url
        if _names_an_article(url):
            return url
    return None


def _names_an_article(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https"):
        return False
    return parts.path.strip("/") != "" or parts.query != ""


def _kept_param(name: str) -> bool:
    low = name.lower()
    return not any(low == t or (t.endswith("_") and low.startswith(t)) for t in _TRACKING)


def url_id(url: str) -> str:
    """A stable, readable article id from a URL: host and path without scheme and
    "www.", the query without tracking parameters; long ones end in a hash of the URL."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if _kept_param(k)))
    path = parts.path.rstrip("/")
    found = f"{host}{path}" + (f"?{query}" if query else "")
    found = found.lstrip("/")
    if len(found) > MAX_ID_CHARS:
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]
        found = f"{found[: MAX_ID_CHARS - 11]}-{digest}"
    return found
