"""Dates and calendar arithmetic for durations.

A date is written `YYYY-MM-DD` and nothing else (`parse_date`), in scenarios, in `expect` blocks and for
`--as-of`: four ASCII digits, a dash, two, a dash, two, then a real day of the calendar. Not the other ISO
forms that some Pythons accept (`20231001`, `2023-W40-7`, `2023-274`), so a file means the same on every
supported Python.

Adding months keeps the day of the month when it exists and otherwise takes the month's last day:
six months after 31 August is the last day of February (28 or 29). Years are twelve months, so one
year after 29 February is 28 February. Days and weeks are exact. A date past the calendar's last day
(9999-12-31) is never: `add_duration` gives None, and a change of membership that would take effect then
does not happen in any scenario.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)

DATE_FORMAT = "YYYY-MM-DD"

# English month names, whatever the locale (the calendar module's follow it, and importing it costs each start)
MONTH_NAMES = ("", "January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """The days of `month` of `year` in the Gregorian calendar."""
    leap = month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return _DAYS[month] + leap


def parse_date(text: str) -> dt.date:
    """The date `text` writes as YYYY-MM-DD; ValueError for anything else (or a day the calendar lacks)."""
    m = _DATE.fullmatch(text) if isinstance(text, str) else None
    if m is None:
        raise ValueError(f"not a date ({DATE_FORMAT})")
    year, month, day = map(int, m.groups())
    return dt.date(year, month, day)  # ValueError for 2023-02-30, 0000-01-01, 2023-13-01


def no_such_day(text: str) -> str | None:
    """For text written YYYY-MM-DD that names no day of the calendar, why in words ("there is no 30
    February 2001"); None when it is a real date or not written as one."""
    m = _DATE.fullmatch(text) if isinstance(text, str) else None
    if m is None:
        return None
    year, month, day = map(int, m.groups())
    if not dt.MINYEAR <= year:
        return f"there is no year {year} (years start at 1)"
    if not 1 <= month <= 12:
        return f"there is no month {month} (months are 01 to 12)"
    last = days_in_month(year, month)
    if not 1 <= day <= last:
        return f"there is no {day} {MONTH_NAMES[month]} {year} ({MONTH_NAMES[month]} {year} has {last} days)"
    return None


def add_months(date: dt.date, months: int) -> dt.date | None:
    """`date` plus `months` months (see the month rule above); None past 9999-12-31 (never)."""
    index = date.year * 12 + (date.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if year > dt.MAXYEAR or year < dt.MINYEAR:
        return None  # beyond the calendar: never
    day = min(date.day, days_in_month(year, month))
    return dt.date(year, month, day)


@functools.lru_cache(maxsize=4096)  # evaluation counts the same notice periods from the same dates again and again
def add_duration(date: dt.date, amount: int, unit: str) -> dt.date | None:
    """`date` plus `amount` units (day, week, month, year); None when that falls after 9999-12-31 (never)."""
    if unit in ("day", "week"):
        try:
            return date + dt.timedelta(days=amount * (7 if unit == "week" else 1))
        except OverflowError:
            return None
    if unit == "month":
        return add_months(date, amount)
    if unit == "year":
        return add_months(date, 12 * amount)
    raise ValueError(f"unknown unit {unit!r}")
