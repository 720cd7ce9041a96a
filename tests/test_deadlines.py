"""Deadlines count working days: no weekends, no Burundi public holidays."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflows.deadlines import add_working_days, is_working_day, working_days_between

dates = st.dates(min_value=datetime.date(2018, 1, 1), max_value=datetime.date(2035, 12, 31))
day_counts = st.integers(min_value=0, max_value=80)


def test_a_day_after_friday_is_monday():
    friday = datetime.date(2026, 3, 6)

    assert add_working_days(friday, 1) == datetime.date(2026, 3, 9)


def test_a_full_week_of_working_days_spans_seven_calendar_days():
    monday = datetime.date(2026, 3, 9)

    assert add_working_days(monday, 5) == datetime.date(2026, 3, 16)


def test_weekends_are_not_working_days():
    assert not is_working_day(datetime.date(2026, 3, 7))  # Saturday
    assert not is_working_day(datetime.date(2026, 3, 8))  # Sunday
    assert is_working_day(datetime.date(2026, 3, 9))  # Monday


def test_independence_day_is_skipped():
    # 1 July 2026 is a Wednesday.
    assert not is_working_day(datetime.date(2026, 7, 1))
    assert add_working_days(datetime.date(2026, 6, 30), 1) == datetime.date(2026, 7, 2)


def test_christmas_is_skipped():
    # 25 December 2026 is a Friday: the next working day after Thursday the 24th is Monday.
    assert not is_working_day(datetime.date(2026, 12, 25))
    assert add_working_days(datetime.date(2026, 12, 24), 1) == datetime.date(2026, 12, 28)


def test_new_year_and_unity_day_are_skipped():
    assert not is_working_day(datetime.date(2027, 1, 1))
    assert not is_working_day(datetime.date(2027, 2, 5))


def test_a_dossier_filed_before_the_holidays_is_due_later():
    # Ten working days from Friday 18 December 2026 cross Christmas and New Year's Day.
    due = add_working_days(datetime.date(2026, 12, 18), 10)

    assert due == datetime.date(2027, 1, 5)
    assert working_days_between(datetime.date(2026, 12, 18), due) == 10


@given(dates)
def test_zero_days_is_the_same_day(start):
    assert add_working_days(start, 0) == start


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(datetime.date(2026, 3, 9), -1)


@given(dates, st.integers(min_value=1, max_value=80))
def test_a_deadline_always_falls_on_a_working_day(start, days):
    assert is_working_day(add_working_days(start, days))


@given(dates, day_counts)
def test_working_days_between_counts_what_add_working_days_added(start, days):
    end = add_working_days(start, days)

    assert working_days_between(start, end) == days
    assert working_days_between(end, start) == -days


@given(dates, dates)
def test_working_days_between_is_antisymmetric(first, second):
    assert working_days_between(first, second) == -working_days_between(second, first)


@given(dates, st.integers(min_value=0, max_value=120))
def test_adding_the_count_between_two_days_reaches_the_last_working_day(start, span):
    end = start + datetime.timedelta(days=span)
    reached = add_working_days(start, working_days_between(start, end))

    assert start <= reached <= end
    # Nothing but non-working days lies between the deadline reached and the end.
    assert all(
        not is_working_day(reached + datetime.timedelta(days=offset))
        for offset in range(1, (end - reached).days + 1)
    )


def test_no_property_test_depends_on_the_machines_speed():
    from hypothesis import settings

    assert settings().deadline is None
