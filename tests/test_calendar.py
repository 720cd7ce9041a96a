"""When a side step may be scheduled: working days, office hours, an hour's notice, no past."""

import datetime
import zoneinfo

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.calendar import (
    LAST_START,
    OFFICE_OPENS,
    OFFICE_TIME_ZONE,
    holiday_name,
    recorded_too_early,
    scheduling_problems,
)
from workflows.deadlines import is_working_day

BUJUMBURA = zoneinfo.ZoneInfo("Africa/Bujumbura")
UTC = datetime.UTC


def at(year, month, day, hour=10, minute=0, tz=BUJUMBURA):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=tz)


# Monday 2 March 2026, mid-morning: every "when" below is later unless a test says otherwise.
NOW = at(2026, 3, 2, 10, 0)

# Hypothesis takes naive bounds and attaches the zone itself.
moments = st.datetimes(
    min_value=datetime.datetime(2020, 1, 1),  # noqa: DTZ001
    max_value=datetime.datetime(2035, 12, 31),  # noqa: DTZ001
    timezones=st.just(BUJUMBURA),
)


def test_a_working_day_in_office_hours_is_fine():
    assert scheduling_problems(at(2026, 3, 4, 9, 30), NOW) == []


def test_the_project_time_zone_is_the_office_time_zone(settings):
    assert OFFICE_TIME_ZONE.key == settings.TIME_ZONE


# --- Past and notice ----------------------------------------------------------------------------


def test_a_time_in_the_past_is_refused():
    problems = scheduling_problems(at(2026, 2, 27, 10, 0), NOW)

    assert problems == ["This date and time are in the past: choose a later time."]


def test_now_itself_is_in_the_past():
    assert "in the past" in scheduling_problems(NOW, NOW)[0]


def test_less_than_an_hour_ahead_is_refused():
    problems = scheduling_problems(NOW + datetime.timedelta(minutes=59), NOW)

    assert problems == ["This is less than an hour from now: choose a later time."]


def test_exactly_an_hour_ahead_is_fine():
    assert scheduling_problems(NOW + datetime.timedelta(hours=1), NOW) == []


# --- Weekends and holidays ----------------------------------------------------------------------


def test_a_saturday_is_refused():
    assert scheduling_problems(at(2026, 3, 7), NOW) == [
        "7 March 2026 is a Saturday: choose a working day."
    ]


def test_a_sunday_is_refused():
    assert scheduling_problems(at(2026, 3, 8), NOW) == [
        "8 March 2026 is a Sunday: choose a working day."
    ]


def test_independence_day_is_refused_by_name():
    # 1 July 2026 is a Wednesday.
    assert scheduling_problems(at(2026, 7, 1), NOW) == [
        "1 July 2026 is a public holiday (Independence Day): choose a working day."
    ]


def test_the_holiday_is_named_in_french():
    with translation.override("fr"):
        problems = scheduling_problems(at(2026, 7, 1), NOW)

    assert problems == [
        "Le 1 juillet 2026 est un jour férié (Anniversaire de l'Indépendance) : "
        "choisissez un jour ouvrable."
    ]


def test_a_kirundi_reader_gets_the_french_holiday_name_and_a_numeric_date():
    with translation.override("rn"):
        (problem,) = scheduling_problems(at(2026, 7, 1), NOW)

    assert "1 Mukakaro 2026" in problem
    assert "Anniversaire de l'Indépendance" in problem


def test_a_holiday_on_a_weekend_is_reported_once_as_the_weekend_day():
    # 1 July 2028 is a Saturday.
    assert scheduling_problems(at(2028, 7, 1), NOW) == [
        "1 July 2028 is a Saturday: choose a working day."
    ]


def test_christmas_and_its_name():
    assert holiday_name(datetime.date(2026, 12, 25)) == "Christmas Day"
    assert holiday_name(datetime.date(2026, 12, 24)) is None


# --- Office hours -------------------------------------------------------------------------------

OFFICE_HOURS_MESSAGE = (
    "Outside office hours: choose a time between 08:00 and 16:30 (the office closes at 17:00)."
)


@pytest.mark.parametrize(("hour", "minute"), [(8, 0), (12, 0), (16, 30)])
def test_times_within_office_hours_are_fine(hour, minute):
    assert scheduling_problems(at(2026, 3, 4, hour, minute), NOW) == []


@pytest.mark.parametrize(("hour", "minute"), [(7, 59), (16, 31), (17, 0), (20, 0), (0, 0)])
def test_times_outside_office_hours_are_refused(hour, minute):
    assert scheduling_problems(at(2026, 3, 4, hour, minute), NOW) == [OFFICE_HOURS_MESSAGE]


def test_office_hours_in_french_are_on_the_24_hour_clock():
    with translation.override("fr"):
        (problem,) = scheduling_problems(at(2026, 3, 4, 18, 0), NOW)

    assert "08:00" in problem and "17:00" in problem and "16:30" in problem


def test_office_hours_are_read_in_bujumbura_time():
    # 06:00 UTC is 08:00 in Bujumbura: open. 15:00 UTC is 17:00 there: closed.
    assert scheduling_problems(at(2026, 3, 4, 6, 0, tz=UTC), NOW) == []
    assert scheduling_problems(at(2026, 3, 4, 15, 0, tz=UTC), NOW) == [OFFICE_HOURS_MESSAGE]


def test_the_day_is_read_in_bujumbura_time():
    # 23:00 UTC on Friday 6 March is 01:00 on Saturday in Bujumbura.
    problems = scheduling_problems(at(2026, 3, 6, 23, 0, tz=UTC), NOW)

    assert "7 March 2026 is a Saturday: choose a working day." in problems
    assert OFFICE_HOURS_MESSAGE in problems


def test_every_problem_is_reported_at_once():
    # A Sunday evening last month.
    problems = scheduling_problems(at(2026, 2, 22, 19, 0), NOW)

    assert problems == [
        "This date and time are in the past: choose a later time.",
        "22 February 2026 is a Sunday: choose a working day.",
        OFFICE_HOURS_MESSAGE,
    ]


def test_naive_datetimes_are_a_programming_error():
    with pytest.raises(ValueError, match="aware"):
        scheduling_problems(datetime.datetime(2026, 3, 4, 10, 0), NOW)  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware"):
        recorded_too_early(NOW, datetime.datetime(2026, 3, 4, 10, 0))  # noqa: DTZ001


# --- Recording what happened ----------------------------------------------------------------------


def test_attendance_cannot_be_recorded_before_the_appointment():
    scheduled = at(2026, 3, 4, 9, 30)

    assert recorded_too_early(scheduled, at(2026, 3, 4, 9, 29)) == (
        "This is scheduled for 4 March 2026 at 09:30: it cannot be recorded before then."
    )


def test_attendance_can_be_recorded_from_the_scheduled_time():
    scheduled = at(2026, 3, 4, 9, 30)

    assert recorded_too_early(scheduled, scheduled) is None
    assert recorded_too_early(scheduled, at(2026, 3, 9, 8, 0)) is None


def test_the_scheduled_time_is_told_in_bujumbura_time():
    scheduled = at(2026, 3, 4, 7, 30, tz=UTC)  # 09:30 in Bujumbura

    with translation.override("fr"):
        message = recorded_too_early(scheduled, at(2026, 3, 4, 7, 0, tz=UTC))

    assert "4 mars 2026" in message and "09:30" in message


# --- Properties ---------------------------------------------------------------------------------


@settings(deadline=None)
@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_bujumbura_has_no_daylight_saving_time(day):
    for hour in (0, 12, 23):
        moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=BUJUMBURA)
        assert moment.utcoffset() == datetime.timedelta(hours=2)


@settings(deadline=None)
@given(moments, moments)
def test_the_past_rule_holds_for_any_pair_of_moments(when, now):
    problems = scheduling_problems(when, now)
    refused = any("past" in p or "less than an hour" in p for p in problems)

    assert refused == (when < now + datetime.timedelta(hours=1))


@settings(deadline=None)
@given(moments, moments)
def test_the_zone_a_moment_is_given_in_does_not_matter(when, now):
    assert scheduling_problems(when, now) == scheduling_problems(
        when.astimezone(UTC), now.astimezone(UTC)
    )


@settings(deadline=None)
@given(moments)
def test_a_working_day_in_office_hours_well_ahead_is_always_fine(moment):
    day = moment.date()
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    minutes = moment.minute + 60 * moment.hour
    first = OFFICE_OPENS.hour * 60 + OFFICE_OPENS.minute
    last = LAST_START.hour * 60 + LAST_START.minute
    minutes = first + minutes % (last - first + 1)
    when = datetime.datetime.combine(
        day, datetime.time(minutes // 60, minutes % 60), tzinfo=BUJUMBURA
    )

    assert scheduling_problems(when, when - datetime.timedelta(days=1)) == []


@settings(deadline=None)
@given(moments)
def test_a_day_that_is_not_a_working_day_is_always_refused(moment):
    when = moment.replace(hour=10, minute=0)

    problems = scheduling_problems(when, when - datetime.timedelta(days=1))

    assert (problems == []) == is_working_day(when.date())


@settings(deadline=None)
@given(moments, moments)
def test_recording_is_allowed_exactly_from_the_scheduled_moment(scheduled, now):
    assert (recorded_too_early(scheduled, now) is None) == (now >= scheduled)
