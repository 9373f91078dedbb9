"""Article dates: what a stored date names, and which dates an import takes.

A date may be a day (2024-11-07), a month (2024-11) or a year (2024); an ISO timestamp
counts as its day. A date written in these forms must name real days: 2024-13, 2024-02-30,
0000, -2024-01-01 or 20241107 are refused at import (`check_date_written`), as typos that
would count as undated. Anything else ("gestern", "07.11.2024") is kept as the source
wrote it but names no days (the networks count it as undated). The networks read dates
through `date_days` too (network/dates.py), so import and networks agree on what a date is.

Import refuses a date whose days all lie before 1900 or more than a year ahead unless the
user allows it (`--allow-dates`): such a date is nearly always a typo or a placeholder
(0001-01-01, 9999-12-31), and one article dated 1024 had made a network series of
365,253 moving windows (issue 23).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import NoReturn

from annotator.errors import InputError

_DATE = re.compile(r"\A\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][\d:.+\-Z]*)?\s*\Z")
# Written like the dates above (digits and hyphens, maybe a sign or a time of day).
_DATE_LIKE = re.compile(r"\A\s*[+-]?\d+(?:-\d+)*(?:[T ][\d:.+\-Z]*)?\s*\Z")

EARLIEST = date(1900, 1, 1)
AHEAD = timedelta(days=366)  # dates of scheduled events, embargoed reports


def date_days(text: str | None) -> tuple[date, date, str] | None:
    """(first day, last day, label) of the period a date names; None when it names none
    (no date, "gestern", 2024-13, 2024-02-30, year 0)."""
    if not text:
        return None
    m = _DATE.match(text)
    if m is None:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31), f"{year:04d}"
        mo = int(month)
        if day is None:
            last = calendar.monthrange(year, mo)[1]
            return date(year, mo, 1), date(year, mo, last), f"{year:04d}-{mo:02d}"
        d = date(year, mo, int(day))
    except ValueError:  # 2024-13, 2024-02-30, 0000
        return None
    return d, d, d.isoformat()


def check_date(text: str | None, *, origin: str = "", today: date | None = None) -> None:
    """Refuse a date entirely before 1900 or more than a year after today; `origin` is the
    record's "file" or "file:line"."""
    days = date_days(text)
    if days is None:
        return
    latest = (today or date.today()) + AHEAD
    if days[1] < EARLIEST or days[0] > latest:
        _refuse(
            f"date {text!r} is before {EARLIEST.year} or more than a year ahead, probably a "
            "mistake; if it is right, import with --allow-dates",
            origin,
        )


def check_date_written(text: str | None, *, origin: str = "") -> None:
    """Refuse a date written like 2024-11-07, 2024-11 or 2024 that names no real days
    (--allow-dates does not take it: no such day exists)."""
    if text and _DATE_LIKE.match(text) and date_days(text) is None:
        _refuse(
            f"date {text!r} is no date: write a day as 2024-11-07, a month as 2024-11, a "
            "year as 2024",
            origin,
        )


def _refuse(message: str, origin: str) -> NoReturn:
    path, _, line = origin.rpartition(":")
    if path and line.isdigit():
        raise InputError(message, path=path, line=int(line))
    raise InputError(message, path=origin or None)
