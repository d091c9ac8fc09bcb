"""Calendar arithmetic for durations.

Adding months keeps the day of the month when it exists and otherwise takes the month's last day:
six months after 31 August is the last day of February (28 or 29). Years are twelve months, so one
year after 29 February is 28 February. Days and weeks are exact. A date past the year 9999 is the
calendar's last day: an effect that far away never happens within any scenario.
"""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(date: dt.date, months: int) -> dt.date:
    index = date.year * 12 + (date.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if year > dt.MAXYEAR:
        return dt.date.max  # beyond the calendar: in effect, never
    day = min(date.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def add_duration(date: dt.date, amount: int, unit: str) -> dt.date:
    """`date` plus `amount` units (day, week, month, year)."""
    if unit in ("day", "week"):
        try:
            return date + dt.timedelta(days=amount * (7 if unit == "week" else 1))
        except OverflowError:
            return dt.date.max
    if unit == "month":
        return add_months(date, amount)
    if unit == "year":
        return add_months(date, 12 * amount)
    raise ValueError(f"unknown unit {unit!r}")
