"""The server's checks on names and hand-marked text: the rules of annotator/limits.py.

PostgreSQL has no Unicode categories in its regular expressions (and `[[:alpha:]]` knows only
ASCII under the common C collation), so the character classes are built here from the very
functions `check_name` and `check_marked_text` use, as bracket expressions of code point
ranges, and installed by `server init`:

- CHECK constraints on the names of actors, aliases and annotators (whoever writes);
- `team_clean_name(value, what)`: the same check with the user's message, for the checked
  functions;
- `team_check_mark(text, start, end)`: what `check_marked_text` checks (whole words, at least
  MIN_ALIAS_CHARS, no stop word), with spaCy's stop words stored in `team_stop_word`.

Two versions of Python may classify a few new characters differently; `server init` after an
update of the tool installs the classes again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from sqlalchemy import Connection, text

from annotator.errors import ProjectError
from annotator.limits import (
    MAX_NAME_CHARS,
    MIN_ALIAS_CHARS,
    refused_char,
    stop_words,
    visible_char,
    word_char,
)
from annotator.store.dialects import CHECK_REFUSED, NAME_CONSTRAINTS

CLEAN_NAME = "team_clean_name(text, text)"
CHECK_MARK = "team_check_mark(text, integer, integer)"
FUNCTIONS = (CLEAN_NAME, CHECK_MARK)
STOP_WORD_TABLE = "team_stop_word"

_SURROGATES = range(0xD800, 0xE000)


def _invisible(ch: str) -> bool:
    return not visible_char(ch)


@functools.cache
def _ranges(predicate: Callable[[str], bool]) -> tuple[tuple[int, int], ...]:
    """The code points (without NUL and surrogates, which no PostgreSQL text holds) for
    which `predicate` holds, as (first, last) ranges."""
    found: list[tuple[int, int]] = []
    start = None
    for cp in range(1, 0x110001):
        ok = cp <= 0x10FFFF and cp not in _SURROGATES and predicate(chr(cp))
        if ok and start is None:
            start = cp
        elif not ok and start is not None:
            found.append((start, cp - 1))
            start = None
    return tuple(found)


def _escape(cp: int) -> str:
    return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"


def _bracket(ranges: Iterable[tuple[int, int]], negate: bool = False) -> str:
    parts = [_escape(a) if a == b else f"{_escape(a)}-{_escape(b)}" for a, b in ranges]
    return f"[{'^' if negate else ''}{''.join(parts)}]"


def bracket(predicate: Callable[[str], bool], *, negate: bool = False) -> str:
    """A regular expression matching one character for which `predicate` holds (with
    `negate`: one for which it does not)."""
    return _bracket(_ranges(predicate), negate)


def _chars(chars: Iterable[str]) -> str:
    return _bracket((ord(c), ord(c)) for c in sorted(set(chars)))


def name_ok(column: str) -> str:
    """The CHECK on a name column: `check_name`'s rule for a stored (stripped) name."""
    return (
        f"char_length({column}) BETWEEN 1 AND {MAX_NAME_CHARS} "
        f"AND {column} !~ '{bracket(refused_char)}' "
        f"AND {column} ~ '{bracket(_invisible, negate=True)}'"
    )


@functools.cache
def _case_folding() -> dict[str, str]:
    """How the server folds case for the stop word rule exactly as `str.lower()` does for
    every text whose lower case can be a stop word: every character whose lower case is
    one character of a stop word maps to it (translate()); the rest may stay as they are,
    since a word holding one of them is no stop word either way."""
    alphabet = set("".join(stop_words()))
    upper, lower = [], []
    for cp in range(1, 0x110000):
        if cp in _SURROGATES:
            continue
        ch = chr(cp)
        low = ch.lower()
        if low != ch and low in alphabet:
            upper.append(ch)
            lower.append(low)
    cased = [c for c in alphabet | set(upper) if c.islower() or c.isupper() or c.istitle()]
    return {
        "upper": "".join(upper).replace("'", "''"),
        "lower": "".join(lower).replace("'", "''"),
        # str.isupper(): a cased character, and none that is cased but not upper case.
        "capital": _chars(c for c in cased if c.isupper()),
        "not_capital": _chars(c for c in cased if not c.isupper()),
    }


_CLEAN_NAME = """
CREATE OR REPLACE FUNCTION team_clean_name(p_value text, p_what text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    v text := regexp_replace(coalesce(p_value, ''), '^{space}+|{space}+$', '', 'g');
    shown text := quote_literal(left(regexp_replace(v, '{refused}', '?', 'g'), 40));
    bad text := substring(v from '{refused}');
BEGIN
    IF v = '' THEN
        RAISE EXCEPTION USING ERRCODE = '{code}', MESSAGE = 'the ' || p_what || ' is empty';
    END IF;
    IF char_length(v) > {n} THEN
        RAISE EXCEPTION USING ERRCODE = '{code}', MESSAGE = 'the ' || p_what || ' '
            || shown || '... is ' || char_length(v) || ' characters long; names have at most {n}';
    END IF;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '{code}', MESSAGE = 'the ' || p_what || ' ' || shown
            || ' contains a line break, a control character or an invisible formatting '
            || 'character (U+' || upper(lpad(to_hex(ascii(bad)), 4, '0')) || ')';
    END IF;
    IF v !~ '{visible}' THEN
        RAISE EXCEPTION USING ERRCODE = '{code}', MESSAGE = 'the ' || p_what || ' ' || shown
            || ' has no visible character';
    END IF;
    RETURN v;
END $fn$
"""

# Positions as Python counts them (from 0, end excluded); substr counts from 1.
_CHECK_MARK = """
CREATE OR REPLACE FUNCTION team_check_mark(p_text text, p_start integer, p_end integer)
RETURNS text LANGUAGE plpgsql STABLE SET search_path = {schema}, pg_temp AS $fn$
DECLARE
    marked text := substr(p_text, p_start + 1, p_end - p_start);
    s integer := p_start + char_length(substring(marked from '^{space}*'));
    e integer := p_end - char_length(substring(marked from '{space}*$'));
    v text;
    core text;
    cut integer;
    word text;
BEGIN
    v := team_clean_name(substr(p_text, s + 1, greatest(e - s, 0)), 'marked text');
    core := regexp_replace(v, '^{nonword}+|{nonword}+$', '', 'g');
    IF char_length(core) < {min} THEN
        RAISE EXCEPTION USING ERRCODE = '{code}', MESSAGE = 'the marked text '
            || quote_literal(v) || ' is shorter than {min} characters: mark the whole name';
    END IF;
    IF s > 0 AND substr(p_text, s, 2) ~ '^{word}{{2}}$' THEN
        cut := s;  -- the word cut there
    ELSIF e < char_length(p_text) AND substr(p_text, e, 2) ~ '^{word}{{2}}$' THEN
        cut := e;
    END IF;
    IF cut IS NOT NULL THEN
        word := substring(substr(p_text, 1, cut) from '{word}*$')
            || substring(substr(p_text, cut + 1) from '^{word}*');
        RAISE EXCEPTION USING ERRCODE = '{code}', MESSAGE = 'the marked text '
            || quote_literal(v) || ' is part of the word ' || quote_literal(left(word, 60))
            || ': mark whole words, or the highlighter would find it inside other words too';
    END IF;
    IF EXISTS (SELECT 1 FROM {table} w WHERE w.word = translate(core, '{upper}', '{lower}'))
            AND NOT (core ~ '{capital}' AND core !~ '{not_capital}') THEN
        RAISE EXCEPTION USING ERRCODE = '{code}', MESSAGE = 'the marked text '
            || quote_literal(v) || ' is a common word (a stop word) that the highlighter '
            || 'would find everywhere: mark the full name';
    END IF;
    RETURN v;
END $fn$
"""


def install(conn: Connection, schema: str) -> None:
    """The name constraints, the functions and the stop words (as the owner; `schema`
    quoted). Existing names that break the rules are refused with a message first."""
    _check_names(conn)
    for name, (table, column, _what) in NAME_CONSTRAINTS.items():
        # Dropped and made again: an older tool installed a weaker rule under this name.
        conn.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}"))
        conn.execute(text(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({name_ok(column)})"))
    conn.execute(text(f"CREATE TABLE IF NOT EXISTS {STOP_WORD_TABLE} (word text PRIMARY KEY)"))
    conn.execute(text(f"DELETE FROM {STOP_WORD_TABLE}"))
    conn.execute(
        text(f"INSERT INTO {STOP_WORD_TABLE} (word) VALUES (:w)"),
        [{"w": w} for w in sorted(stop_words())],
    )
    classes = {
        "space": bracket(str.isspace),
        "refused": bracket(refused_char),
        "visible": bracket(_invisible, negate=True),
        "word": bracket(word_char),
        "nonword": bracket(word_char, negate=True),
        "code": CHECK_REFUSED,
        "n": MAX_NAME_CHARS,
        "min": MIN_ALIAS_CHARS,
    }
    conn.execute(text(_CLEAN_NAME.format(**classes)))
    conn.execute(
        text(_CHECK_MARK.format(schema=schema, table=STOP_WORD_TABLE, **classes, **_case_folding()))
    )
    for function in FUNCTIONS:
        conn.execute(text(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC"))


def _check_names(conn: Connection) -> None:
    """Refuse clearly, before the constraints would, names the limits do not allow."""
    for table, column, what in NAME_CONSTRAINTS.values():
        bad = conn.execute(
            text(f"SELECT {column} FROM {table} WHERE NOT ({name_ok(column)}) LIMIT 1")
        ).scalar()
        if bad is not None:
            raise ProjectError(
                f"the server holds the {what} {bad[:40]!r} ({len(bad):,} characters), but "
                f"names have at most {MAX_NAME_CHARS} characters, at least one visible "
                "character, and no line breaks, control or invisible formatting characters: "
                "correct or delete it as the owner, then run init again"
            )
