import datetime as dt

from hypothesis import given, strategies as st

from treatylang.source.dates import add_duration, add_months


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
