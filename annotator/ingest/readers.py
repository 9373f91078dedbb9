"""Readers: turn .txt and .html files, folders and JSONL into ArticleRecords, or say exactly
what is wrong.

Readers never touch the database. Every problem is an InputError naming the file (and the
line, for JSONL). A JSONL line that is a JSON object but whose record is refused (no text, a
field of the wrong type or beyond the limits in annotator/limits.py) comes as a record
carrying its error, so --skip-invalid skips that line alone; a line that is no JSON object
refuses the file. A .txt file's title, source and date come from what its text says, its
boilerplate left aside (ingest/boilerplate.py); a saved page's from its HTML (ingest/html.py).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from annotator.errors import InputError
from annotator.ingest.boilerplate import Block, find_boilerplate, headline, source_and_date
from annotator.ingest.html import HTML_SUFFIXES, declared_charset, extract_page
from annotator.ingest.pageid import url_id
from annotator.limits import (
    ARTICLE_FIELDS,
    MAX_ARTICLE_CHARS,
    MAX_ID_CHARS,
    check_field,
    check_meta,
    shown_text,
)
from annotator.store.models import text_hash

TEXT_SUFFIXES = {".txt"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
MAX_FILE_BYTES = 200 * 1024 * 1024
# The seeds start with a line like " date 2024-11 <first line of the article>".
_DATE_MARKER = re.compile(r"\A[ \t]*date[ \t]+(\d{4}-\d{2}(?:-\d{2})?)[ \t]*")
_FALLBACK_ENCODINGS = ("cp1252", "latin-1")


@dataclass
class ArticleRecord:
    external_id: str
    title: str
    text: str
    source: str | None = None
    date: str | None = None
    url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    origin: str = ""  # "file" or "file:line", for messages
    labelled: dict[str, Any] | None = None  # the full exported `documents` record, if any
    boilerplate: list[Block] | None = None  # found by the reader already (.txt, .html)
    warnings: list[str] = field(default_factory=list)  # what the reader could not keep
    id_from_url: bool = False  # a saved page's id made from its canonical URL
    refused: InputError | None = None  # a JSONL line whose record is refused: the import
    # refuses or skips it (nothing else of such a record is filled in)

    @cached_property
    def sha256(self) -> str:
        return text_hash(self.text)


def _guess_encoding(raw: bytes) -> str | None:
    for enc in _FALLBACK_ENCODINGS:
        try:
            raw.decode(enc)
        except UnicodeDecodeError:
            continue
        return "Windows-1252" if enc == "cp1252" else "Latin-1"
    return None


def _looks_binary(raw: bytes) -> bool:
    return b"\x00" in raw[:8192]


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"file is too large ({size / 1e6:.0f} MB; the limit is "
                f"{MAX_FILE_BYTES / 1e6:.0f} MB per file): split it",
                path=str(path),
            )
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=str(path)) from None


def decode(raw: bytes, path: Path, encoding: str | None = None) -> str:
    if _looks_binary(raw):
        raise InputError("binary file, not text", path=str(path))
    enc = encoding or "utf-8"
    try:
        text = raw.decode(enc)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", path=str(path)) from None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        hint = ""
        if encoding is None:
            guess = _guess_encoding(raw)
            if guess:
                hint = f" (looks like {guess}: try --encoding {guess.lower()})"
        raise InputError(f"not valid {enc.upper()} text{hint}", path=str(path), line=line) from None
    return text.removeprefix("\ufeff")


def _check_length(text: str, path: Path, line: int | None = None) -> None:
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            f"article text is too long ({len(text):,} characters; the limit is "
            f"{MAX_ARTICLE_CHARS:,}): is this one article?",
            path=str(path),
            line=line,
        )


def parse_text_article(text: str, path: Path) -> ArticleRecord:
    if not text.strip():
        raise InputError("empty file", path=str(path))
    _check_length(text, path)
    date = None
    m = _DATE_MARKER.match(text)
    if m:
        date = m.group(1)
        text = text[m.end() :]
    if not text.strip():
        raise InputError("the file holds only a date line", path=str(path))
    # The headline, not a section label or a cookie banner; source and date as the text
    # states them ("Quelle: ntv.de", a date line), the date marker first.
    blocks = find_boilerplate(text)
    source, stated_date = source_and_date(text, blocks)
    return ArticleRecord(
        external_id=path.stem,
        title=shown_text(headline(text, blocks)) or path.stem,
        text=text,
        source=source,
        date=date or stated_date,
        meta={"file": path.name},
        origin=str(path),
        boilerplate=blocks,
    )


def read_text_file(path: Path, encoding: str | None = None) -> ArticleRecord:
    return parse_text_article(decode(read_bytes(path), path, encoding), path)


def read_html_file(path: Path, encoding: str | None = None) -> ArticleRecord:
    """A saved news page: its main text and metadata; nothing of the page is fetched."""
    raw = read_bytes(path)
    charset = encoding or declared_charset(raw)
    if charset is not None and charset.startswith("utf-16"):
        # UTF-16 pages hold NUL bytes by nature; elsewhere they mean a binary file.
        try:
            html = raw.decode(charset)
        except UnicodeDecodeError:
            raise InputError(f"not valid {charset.upper()} text", path=str(path)) from None
    elif encoding:
        html = decode(raw, path, encoding)
    else:
        # A page that says UTF-8 (or nothing) but is not gets the usual --encoding hint.
        utf8 = charset is None or codecs.lookup(charset).name == "utf-8"
        html = decode(raw, path, None if utf8 else charset)
    if not html.strip():
        raise InputError("empty file", path=str(path))
    page = extract_page(html, path)
    head = page.text.partition("\n")[0]
    if len(page.text) > MAX_ARTICLE_CHARS and len(head) > MAX_ARTICLE_CHARS // 2:
        # The text starts with the page's headline (ingest/html.py); the title is cut.
        raise InputError(
            f"the page's headline is too long ({len(head):,} characters; the whole article "
            f"text may have {MAX_ARTICLE_CHARS:,}): is this a news page?",
            path=str(path),
        )
    _check_length(page.text, path)
    meta: dict[str, Any] = {"file": path.name, "extracted_by": page.extracted_by}
    for key, value in (("author", page.author), ("site", page.site), ("url", page.url)):
        if value:
            meta[key] = value
    blocks = find_boilerplate(page.text)
    return ArticleRecord(
        # The canonical URL names the article however the file was saved (index.html).
        external_id=url_id(page.canonical) if page.canonical else path.stem,
        title=page.title or shown_text(headline(page.text, blocks)),
        text=page.text,
        source=page.site,
        date=page.date,
        url=page.url,
        meta=meta,
        origin=str(path),
        boilerplate=blocks,
        warnings=list(page.warnings),
        id_from_url=page.canonical is not None,
    )


# The fields a JSONL line may give, where and how each is checked (annotator/limits.py):
# (key, what messages call it, longest, format characters and tabs allowed).
_KINDS = {int: "a number", float: "a number", list: "a list", dict: "an object"}


def _field(obj: dict, key: str, *, whole_number: bool = False) -> str | None:
    """The text a line gives for `key`, or None: null, "" and blanks count as not given.
    Ids may be whole numbers, as in many corpora; nothing else is turned into a text."""
    value = obj.get(key)
    if whole_number and type(value) is int:
        value = str(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        allowed = "a text or a whole number" if whole_number else "a text"
        kind = str(value).lower() if isinstance(value, bool) else _KINDS[type(value)]
        raise InputError(f"field {key!r} must be {allowed}, not {kind}")
    return value


def _fields(obj: dict, meta: dict) -> dict[str, str | None]:
    """id, title, source, date and url as given on top (a plain line) or in meta (an
    exported `documents` line), each checked."""
    out: dict[str, str | None] = {}
    for key, what, longest, formatting in ARTICLE_FIELDS:
        number = key == "id"
        value = _field(obj, key, whole_number=number) or _field(meta, key, whole_number=number)
        if value is not None:
            value = check_field(value, what, longest, formatting=formatting)
        out[key] = value
    if out["id"] is None and obj.get("_input_hash"):  # a Prodigy line's id
        given = _field(obj, "_input_hash", whole_number=True)
        out["id"] = None if given is None else check_field(given, "id", MAX_ID_CHARS)
    return out


class _NotStrictJson(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity; no other JSON reader does, so they stop here.
    raise _NotStrictJson(f"{name} is not a JSON value")


def _json_object(raw_line: str, path: Path, line: int) -> dict | None:
    """The line's JSON object (None for a blank line); InputError if it is none."""
    if not raw_line.strip():
        return None
    try:
        obj = json.loads(raw_line, parse_constant=_refuse_constant)
    except _NotStrictJson as exc:
        raise InputError(f"malformed JSON: {exc}", path=str(path), line=line) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"malformed JSON: {exc.msg} (column {exc.colno})", path=str(path), line=line
        ) from None
    except ValueError:  # Python refuses integers of more than 4300 digits
        raise InputError(
            "malformed JSON: a number is too long", path=str(path), line=line
        ) from None
    except RecursionError:
        raise InputError("malformed JSON: nested too deeply", path=str(path), line=line) from None
    if "\\u" in raw_line:
        # json.loads lets lone surrogates ("\\ud800") through; they are not text and fail
        # later, when the text is hashed or stored.
        try:
            json.dumps(obj, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(
                "invalid \\u escape: a lone UTF-16 surrogate is not text",
                path=str(path),
                line=line,
            ) from None
    if not isinstance(obj, dict):
        raise InputError("each line must be a JSON object", path=str(path), line=line)
    return obj


def _jsonl_record(obj: dict, path: Path, line: int) -> ArticleRecord:
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError("missing or empty 'text'", path=str(path), line=line)
    _check_length(text, path, line)
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise InputError("'meta' must be an object", path=str(path), line=line)
    try:
        check_meta(meta)
        fields = _fields(obj, meta)
    except InputError as exc:
        raise InputError(exc.detail, path=str(path), line=line) from None
    ext_id = fields["id"] or text_hash(text)[:16]
    labelled = obj if ("stances" in obj or "spans" in obj) else None
    extra = {k: v for k, v in meta.items() if k not in {"id", "title", "source", "date", "url"}}
    return ArticleRecord(
        external_id=ext_id,
        # Else the first line that shows something.
        title=fields["title"] or next(filter(None, map(shown_text, text.splitlines())), ext_id),
        text=text,
        source=fields["source"],
        date=fields["date"],
        url=fields["url"],
        meta=extra,
        origin=f"{path}:{line}",
        labelled=labelled,
    )


def parse_jsonl_line(raw_line: str, path: Path, line: int) -> ArticleRecord | None:
    """The record of one JSONL line (None for a blank line); InputError if refused."""
    obj = _json_object(raw_line, path, line)
    return None if obj is None else _jsonl_record(obj, path, line)


def read_jsonl(path: Path, encoding: str | None = None) -> Iterator[ArticleRecord]:
    """Records of a JSONL file, read line by line so memory stays flat for big files."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=str(path)) from None
    found = False
    with fh:
        for number, raw in enumerate(fh, start=1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark
            if b"\x00" in raw:
                raise InputError("binary file, not text", path=str(path), line=number)
            try:
                line = raw.decode(encoding or "utf-8")
            except LookupError:
                raise InputError(f"unknown encoding {encoding!r}", path=str(path)) from None
            except UnicodeDecodeError:
                hint = ""
                guess = _guess_encoding(raw) if encoding is None else None
                if guess:
                    hint = f" (looks like {guess}: try --encoding {guess.lower()})"
                enc = (encoding or "utf-8").upper()
                raise InputError(
                    f"not valid {enc} text{hint}", path=str(path), line=number
                ) from None
            obj = _json_object(line, path, number)
            if obj is None:
                continue
            found = True
            try:
                yield _jsonl_record(obj, path, number)
            except InputError as exc:
                origin = f"{path}:{number}"
                yield ArticleRecord("", "", "", origin=origin, refused=exc)
    if not found:
        raise InputError("empty file", path=str(path))


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files to read, in a stable order: folders give their .txt/.html/.jsonl files
    (recursively)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
            )
            if not found:
                raise InputError("folder holds no .txt, .html or .jsonl files", path=str(p))
            out.extend(found)
        elif p.is_file():
            out.append(p)
        elif p.exists():
            # A pipe would block the import (it is read twice), a device has no end.
            raise InputError(
                "not a regular file (a pipe, device or socket): give files or folders",
                path=str(p),
            )
        else:
            raise InputError("no such file or folder", path=str(p))
    return out


def read_path(path: Path, encoding: str | None = None) -> Iterator[ArticleRecord]:
    """Records of one file; raises InputError on the first problem."""
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(path, encoding)
    elif suffix in HTML_SUFFIXES:
        yield read_html_file(path, encoding)
    else:
        yield read_text_file(path, encoding)
