"""Article dates as periods, and the time windows of a network series.

An article's date may be a day (2024-11-07), a month (2024-11) or a year (2024), and an
ISO timestamp counts as its day. Each is the period of days it names, and a statement
belongs to a date range or a window only when its whole period lies inside: a month-only
date is in its month, its quarter and its year, and in a moving window only if the window
covers the whole month. Nothing is guessed (no "first of the month"), so a coarse date is
never counted in a window it may not belong to; the statements left out are reported.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from annotator.errors import InputError
from annotator.network.options import Calendar

_DATE = re.compile(r"\A\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][\d:.+\-Z]*)?\s*\Z")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """The days from `start` to `end`, both included; `label` names it in files and CSV."""

    start: date
    end: date
    label: str

    def holds(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end


def parse_date(text: str | None) -> Period | None:
    """The period a stored date names, or None when there is none or it is not a date."""
    if not text:
        return None
    m = _DATE.match(text)
    if m is None:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month is None:
            return Period(date(year, 1, 1), date(year, 12, 31), f"{year:04d}")
        mo = int(month)
        if day is None:
            last = calendar.monthrange(year, mo)[1]
            return Period(date(year, mo, 1), date(year, mo, last), f"{year:04d}-{mo:02d}")
        d = date(year, mo, int(day))
    except ValueError:  # 2024-13, 2024-02-30
        return None
    return Period(d, d, d.isoformat())


def parse_bound(text: str, option: str) -> Period:
    """A --from / --to value; refused in one line if it is no date."""
    period = parse_date(text)
    if period is None:
        raise InputError(f"{option} {text!r}: write a date as YYYY-MM-DD, YYYY-MM or YYYY")
    return period


def date_range(date_from: str | None, date_to: str | None) -> Period | None:
    """--from A --to B: from the first day of A to the last day of B (None: no range)."""
    if date_from is None and date_to is None:
        return None
    start = parse_bound(date_from, "--from").start if date_from else date.min
    end = parse_bound(date_to, "--to").end if date_to else date.max
    if end < start:
        raise InputError(f"--to {date_to} is before --from {date_from}")
    return Period(start, end, f"{date_from or ''}..{date_to or ''}")


def _calendar_start(kind: Calendar, day: date) -> date:
    if kind is Calendar.YEAR:
        return date(day.year, 1, 1)
    if kind is Calendar.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, day.month, 1)


def _calendar_period(kind: Calendar, start: date) -> Period:
    months = {Calendar.MONTH: 1, Calendar.QUARTER: 3, Calendar.YEAR: 12}[kind]
    index = start.month - 1 + months
    after = date(start.year + index // 12, index % 12 + 1, 1)
    if kind is Calendar.YEAR:
        label = f"{start.year:04d}"
    elif kind is Calendar.QUARTER:
        label = f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    else:
        label = f"{start.year:04d}-{start.month:02d}"
    return Period(start, after - timedelta(days=1), label)


def calendar_windows(kind: Calendar, first: date, last: date) -> list[Period]:
    """Every month, quarter or year from the one holding `first` to the one holding `last`,
    empty ones included, so that a series has no gaps."""
    windows = []
    start = _calendar_start(kind, first)
    while start <= last:
        period = _calendar_period(kind, start)
        windows.append(period)
        start = period.end + timedelta(days=1)
    return windows


def moving_windows(days: int, first: date, last: date) -> list[Period]:
    """Windows of `days` days, the first starting on `first`, each one day later than the
    one before, the last ending on `last` (DNA moves its window by one unit too)."""
    count = (last - first).days - days + 2
    if count < 1:
        raise InputError(
            f"the moving window of {days} days is longer than the dates "
            f"({first.isoformat()} to {last.isoformat()})"
        )
    windows = []
    for offset in range(count):
        start = first + timedelta(days=offset)
        end = start + timedelta(days=days - 1)
        windows.append(Period(start, end, f"{start.isoformat()}_{end.isoformat()}"))
    return windows


def span(periods: Iterable[Period]) -> tuple[date, date] | None:
    """The first and last day of some periods (None if there are none)."""
    starts, ends = [], []
    for p in periods:
        starts.append(p.start)
        ends.append(p.end)
    return (min(starts), max(ends)) if starts else None
