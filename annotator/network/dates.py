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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from annotator.dates import date_days
from annotator.errors import InputError
from annotator.network.options import Calendar

# More networks than anyone reads, and their files; a typo'd date (an article of 0001 and
# one of 2024 with --moving-window 1) had asked for 739,000 of them.
MAX_WINDOWS = 10_000


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
    days = date_days(text)
    return Period(*days) if days is not None else None


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


_MONTHS = {Calendar.MONTH: 1, Calendar.QUARTER: 3, Calendar.YEAR: 12}


def _calendar_period(kind: Calendar, start: date) -> Period:
    # The last month's last day, not "the next period's first day minus one": after
    # December 9999 there is no next period.
    last_month = start.month + _MONTHS[kind] - 1
    end = date(start.year, last_month, calendar.monthrange(start.year, last_month)[1])
    if kind is Calendar.YEAR:
        label = f"{start.year:04d}"
    elif kind is Calendar.QUARTER:
        label = f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    else:
        label = f"{start.year:04d}-{start.month:02d}"
    return Period(start, end, label)


def _refuse_many(count: int, what: str, first: date, last: date) -> None:
    if count > MAX_WINDOWS:
        raise InputError(
            f"{count:,} {what} from {first.isoformat()} to {last.isoformat()} are more than "
            f"{MAX_WINDOWS:,}: narrow the dates with --from/--to or take longer windows "
            "(a date far from the others may be a typo: `annotator articles` lists them)"
        )


def calendar_windows(kind: Calendar, first: date, last: date) -> list[Period]:
    """Every month, quarter or year from the one holding `first` to the one holding `last`,
    empty ones included, so that a series has no gaps."""
    start = _calendar_start(kind, first)
    months = (last.year - start.year) * 12 + last.month - start.month
    _refuse_many(months // _MONTHS[kind] + 1, f"{kind.value} windows", first, last)
    windows = []
    while start <= last:
        period = _calendar_period(kind, start)
        windows.append(period)
        if period.end >= last:
            break  # and the day after 9999-12-31 does not exist
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
    _refuse_many(count, f"moving windows of {days} day(s)", first, last)
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
