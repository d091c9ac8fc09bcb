"""Calendar arithmetic for durations.

Adding months keeps the day of the month when it exists and otherwise takes the month's last day:
six months after 31 August is the last day of February (28 or 29). Years are twelve months, so one
year after 29 February is 28 February. Days and weeks are exact.
"""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(date: dt.date, months: int) -> dt.date:
    index = date.year * 12 + (date.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    day = min(date.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def add_duration(date: dt.date, amount: int, unit: str) -> dt.date:
    """`date` plus `amount` units (day, week, month, year)."""
    if unit == "day":
        return date + dt.timedelta(days=amount)
    if unit == "week":
        return date + dt.timedelta(weeks=amount)
    if unit == "month":
        return add_months(date, amount)
    if unit == "year":
        return add_months(date, 12 * amount)
    raise ValueError(f"unknown unit {unit!r}")
