import datetime as dt

import pytest
from hypothesis import given, strategies as st

from treatylang.source.dates import MONTH_NAMES, add_duration, add_months, days_in_month, no_such_day, parse_date


def test_six_months_after_31_august_is_the_last_day_of_february():
    assert add_months(dt.date(2024, 8, 31), 6) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2023, 8, 31), 6) == dt.date(2024, 2, 29)


def test_units():
    d = dt.date(2023, 9, 16)
    assert add_duration(d, 30, "day") == dt.date(2023, 10, 16)
    assert add_duration(d, 2, "week") == dt.date(2023, 9, 30)
    assert add_duration(d, 1, "year") == dt.date(2024, 9, 16)
    assert add_duration(dt.date(2024, 2, 29), 1, "year") == dt.date(2025, 2, 28)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2900, 1, 1)), st.integers(0, 240))
def test_month_arithmetic_keeps_the_day_or_takes_the_month_end(date, months):
    later = add_months(date, months)
    assert (later.year * 12 + later.month) - (date.year * 12 + date.month) == months
    assert later.day == date.day or (later.day < date.day and (later + dt.timedelta(days=1)).day == 1)


# ---- YYYY-MM-DD only, on every Python (C08) -------------------------------------------------------------------------
@pytest.mark.parametrize("text, date", [("2023-10-01", dt.date(2023, 10, 1)), ("0001-01-01", dt.date(1, 1, 1)),
                                        ("9999-12-31", dt.date(9999, 12, 31)), ("2024-02-29", dt.date(2024, 2, 29))])
def test_parse_date_reads_yyyy_mm_dd(text, date):
    assert parse_date(text) == date


@pytest.mark.parametrize("text", [
    "20231001", "2023-W40-7", "2023W407", "2023-274", "2023-10-1", "23-10-01", "+2023-10-01", "2023-10-01T00:00",
    "2023-10-01 ", " 2023-10-01", "2023-10-01\n", "２０２３-10-01", "٢٠٢٣-10-01", "2023/10/01", "", "2023-02-30",
    "0000-01-01", "2023-13-01", "2023-00-10", "10000-01-01",
])
def test_parse_date_refuses_every_other_spelling(text):
    """What Python 3.11's date.fromisoformat accepts beyond YYYY-MM-DD is refused here, as on 3.10."""
    with pytest.raises(ValueError):
        parse_date(text)


# ---- past the calendar's end: never (D10) ---------------------------------------------------------------------------
@pytest.mark.parametrize("amount, unit", [(999_999_999, "year"), (999_999_999, "month"), (999_999_999, "week"),
                                          (999_999_999, "day"), (1, "day")])
def test_a_duration_past_9999_12_31_is_never(amount, unit):
    assert add_duration(dt.date(9999, 12, 31), amount, unit) is None
    assert add_duration(dt.date(9999, 12, 30), 1, "day") == dt.date(9999, 12, 31)


@given(st.integers(1, 9999), st.integers(1, 12))
def test_days_in_month_agree_with_the_standard_calendar(year, month):
    import calendar

    assert days_in_month(year, month) == calendar.monthrange(year, month)[1]


def test_no_such_day_names_the_month_in_english():
    assert no_such_day("2001-02-29") == "there is no 29 February 2001 (February 2001 has 28 days)"
    assert no_such_day("2000-02-29") is None and no_such_day("2023-09-16") is None
    assert MONTH_NAMES[12] == "December"
