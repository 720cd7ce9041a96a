"""The SLA clock's arithmetic (``workflows.sla``) against a naive day-by-day reference, with real
Burundi holidays, closures, suspensions and extensions; and the calendar an office gets
(``workflows.clock.calendar_for``: its closures and the national ones, in one query)."""

import datetime

import holidays
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import OfficeFactory
from workflows import sla
from workflows.clock import calendar_for
from workflows.deadlines import add_working_days, working_days_between
from workflows.models import Closure

DAY = datetime.timedelta(days=1)

# --- The reference: one day at a time, written without workflows.sla --------------------------


def reference_is_working_day(day, closures):
    if day.weekday() >= 5:
        return False
    if day in holidays.country_holidays("BI", years=day.year):
        return False
    return not any(first <= day <= last for first, last in closures)


def reference_counts(day, closures, suspensions):
    """A working day the clock runs on: paused on P and resumed on R, (P, R] does not count."""
    suspended = any(paused < day <= resumed for paused, resumed in suspensions)
    return reference_is_working_day(day, closures) and not suspended


def reference_expected_date(filed_on, target, suspensions, extension, closures):
    """Walk from the day after filing until target + extension counted days have passed."""
    day, counted = filed_on, 0
    while counted < target + extension:
        day += DAY
        if reference_counts(day, closures, suspensions):
            counted += 1
    return day


def reference_counted(start, end, closures, suspensions):
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if reference_counts(start + offset * DAY, closures, suspensions)
    )


# --- Strategies -------------------------------------------------------------------------------

days = st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2028, 12, 31))


@st.composite
def spans(draw, start=None, max_length=20):
    """A (first, last) pair of days, last not before first."""
    first = draw(days) if start is None else start + draw(st.integers(0, 60)) * DAY
    return first, first + draw(st.integers(0, max_length)) * DAY


@st.composite
def clocks(draw):
    """A filing day, a target, closures around it, suspensions after it, an extension."""
    filed_on = draw(days)
    closures = draw(st.lists(spans(start=filed_on - 10 * DAY, max_length=10), max_size=3))
    suspensions = draw(st.lists(spans(start=filed_on, max_length=25), max_size=4))
    return {
        "filed_on": filed_on,
        "target": draw(st.integers(0, 40)),
        "closures": tuple(closures),
        "suspensions": suspensions,
        "extension": draw(st.integers(0, 15)),
    }


def computed(clock):
    return sla.expected_date(
        clock["filed_on"],
        clock["target"],
        [sla.Suspension(*span) for span in clock["suspensions"]],
        clock["extension"],
        sla.Calendar(closures=clock["closures"]),
    )


def referenced(clock):
    return reference_expected_date(
        clock["filed_on"],
        clock["target"],
        clock["suspensions"],
        clock["extension"],
        clock["closures"],
    )


# --- Properties -------------------------------------------------------------------------------


@given(clocks())
def test_the_expected_date_is_the_day_by_day_reference(clock):
    assert computed(clock) == referenced(clock)


@given(clocks())
def test_the_expected_date_is_a_day_the_clock_runs_on(clock):
    expected = computed(clock)
    if clock["target"] + clock["extension"] == 0:
        assert expected == clock["filed_on"]
    else:
        assert reference_counts(expected, clock["closures"], clock["suspensions"])


@given(clocks(), days)
def test_a_suspension_that_starts_and_ends_the_same_day_moves_nothing(clock, paused_on):
    same_day = {**clock, "suspensions": [*clock["suspensions"], (paused_on, paused_on)]}

    assert computed(same_day) == computed(clock)


@given(clocks())
def test_a_day_counts_once_however_many_suspensions_cover_it(clock):
    twice = {**clock, "suspensions": clock["suspensions"] * 2}

    assert computed(twice) == computed(clock)


@given(clocks(), spans(), st.integers(1, 10))
def test_suspensions_and_extensions_never_bring_the_date_forward(clock, span, more):
    suspended = {**clock, "suspensions": [*clock["suspensions"], span]}
    extended = {**clock, "extension": clock["extension"] + more}

    assert computed(suspended) >= computed(clock)
    assert computed(extended) > computed(clock)


@given(clocks(), st.integers(0, 20), st.integers(0, 20))
def test_a_suspension_after_the_expected_date_moves_nothing(clock, after, length):
    expected = computed(clock)
    paused_on = expected + after * DAY
    late = {**clock, "suspensions": [*clock["suspensions"], (paused_on, paused_on + length * DAY)]}

    assert computed(late) == expected


@given(clocks())
def test_a_suspension_moves_the_date_by_the_working_days_it_covers_before_it(clock):
    """One suspension inside the delay moves the date by exactly the working days it removed."""
    alone = {**clock, "suspensions": []}
    before = computed(alone)
    calendar = sla.Calendar(closures=clock["closures"])
    paused_on = clock["filed_on"] + 2 * DAY
    resumed_on = paused_on + 9 * DAY
    if resumed_on >= before:
        return
    moved = computed({**alone, "suspensions": [(paused_on, resumed_on)]})
    lost = sla.suspended_days(sla.Suspension(paused_on, resumed_on), calendar)

    assert calendar.working_days_between(before, moved) == lost


@given(days, days, st.lists(spans(), max_size=3), st.lists(spans(), max_size=3))
def test_counted_days_are_the_reference(start, end, closures, suspensions):
    calendar = sla.Calendar(closures=tuple(closures))
    suspended = [sla.Suspension(*span) for span in suspensions]
    if start <= end and (end - start).days < 400:
        assert sla.counted_days(start, end, calendar, suspended) == reference_counted(
            start, end, closures, suspensions
        )
    assert sla.counted_days(start, end, calendar, suspended) == -sla.counted_days(
        end, start, calendar, suspended
    )


@given(days, st.integers(0, 40), st.lists(spans(), max_size=3))
def test_office_and_institution_time_add_up_to_the_time_since_filing(filed_on, later, pauses):
    calendar = sla.Calendar()
    forwarded_on = filed_on + later * DAY
    today = forwarded_on + 15 * DAY
    suspended = [sla.Suspension(*span) for span in pauses]

    elapsed = sla.elapsed(filed_on, today, calendar, suspended, forwarded_on=forwarded_on)

    assert elapsed.office == reference_counted(filed_on, forwarded_on, (), pauses)
    assert elapsed.institution == reference_counted(forwarded_on, today, (), pauses)
    assert elapsed.office + elapsed.institution == sla.counted_days(
        filed_on, today, calendar, suspended
    )


@given(days, st.integers(0, 60))
def test_the_plain_calendar_is_what_deadlines_always_counted(start, count):
    end = add_working_days(start, count)

    assert end == reference_expected_date(start, count, [], 0, ())
    assert working_days_between(start, end) == count


# --- Examples with Burundi's calendar ---------------------------------------------------------

TUESDAY_30_JUNE_2026 = datetime.date(2026, 6, 30)
INDEPENDENCE_DAY_2026 = datetime.date(2026, 7, 1)  # a Wednesday


def test_independence_day_does_not_count():
    assert not sla.PLAIN.is_working_day(INDEPENDENCE_DAY_2026)
    assert sla.expected_date(TUESDAY_30_JUNE_2026, 1) == datetime.date(2026, 7, 2)


def test_a_national_closure_does_not_count():
    mourning = sla.Calendar(closures=((datetime.date(2026, 7, 2), datetime.date(2026, 7, 2)),))

    # Wednesday: Independence Day; Thursday: closed; Friday 3 July is the first working day.
    assert sla.expected_date(TUESDAY_30_JUNE_2026, 1, calendar=mourning) == datetime.date(
        2026, 7, 3
    )


def test_a_suspension_over_the_holiday_moves_only_the_working_days():
    friday = datetime.date(2026, 6, 26)
    # Without a pause: Monday 29, Tuesday 30, (1 July off), Thursday 2 July.
    assert sla.expected_date(friday, 3) == datetime.date(2026, 7, 2)
    # Paused on Monday 29, resumed on Thursday 2 July: Tuesday and Thursday are removed, the
    # holiday was never a working day. Monday 29, Friday 3 and Monday 6 July count.
    paused = [sla.Suspension(datetime.date(2026, 6, 29), datetime.date(2026, 7, 2))]
    assert sla.expected_date(friday, 3, paused) == datetime.date(2026, 7, 6)


def test_an_extension_skips_the_days_the_clock_was_paused():
    friday = datetime.date(2026, 6, 26)
    # Expected Thursday 2 July; paused afterwards, Thursday 2 → Wednesday 8 (late already).
    late = [sla.Suspension(datetime.date(2026, 7, 2), datetime.date(2026, 7, 8))]
    assert sla.expected_date(friday, 3, late) == datetime.date(2026, 7, 2)
    # Two more days: not Friday 3 and Monday 6 (paused) but Thursday 9 and Friday 10.
    assert sla.expected_date(friday, 3, late, 2) == datetime.date(2026, 7, 10)


def test_a_suspension_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        sla.Suspension(datetime.date(2026, 7, 2), datetime.date(2026, 7, 1))


# --- The calendar of an office ----------------------------------------------------------------


def test_an_office_counts_national_closures_and_its_own_not_another_offices(
    office_gitega, office_ngozi, django_assert_num_queries
):
    national = datetime.date(2026, 3, 10)
    gitega_only = datetime.date(2026, 3, 11)
    ngozi_only = datetime.date(2026, 3, 12)
    Closure.objects.create(first_day=national, last_day=national, reason="National mourning")
    Closure.objects.create(
        first_day=gitega_only, last_day=gitega_only, office=office_gitega, reason="Works"
    )
    Closure.objects.create(
        first_day=ngozi_only,
        last_day=ngozi_only + 30 * DAY,
        office=office_ngozi,
        reason="Flooded",
    )

    with django_assert_num_queries(1):
        calendar = calendar_for(office_gitega.pk)
        # Counting many days asks nothing more of the database.
        expected = sla.expected_date(datetime.date(2026, 3, 9), 20, calendar=calendar)

    assert not calendar.is_working_day(national)
    assert not calendar.is_working_day(gitega_only)
    assert calendar.is_working_day(ngozi_only)
    assert expected == add_working_days(datetime.date(2026, 3, 9), 22)


def test_a_closure_cannot_end_before_it_begins(office_gitega):
    closure = Closure(
        first_day=datetime.date(2026, 3, 11),
        last_day=datetime.date(2026, 3, 10),
        office=OfficeFactory(),
        reason="Typo",
    )
    with pytest.raises(ValidationError) as error:
        closure.full_clean()
    assert "last_day" in error.value.message_dict

    with pytest.raises(IntegrityError):
        closure.save()


def test_the_administrator_declares_a_closure_in_the_admin(admin_client):
    admin_client.cookies["django_language"] = "en"  # the assertions are written in English
    url = "/admin/workflows/closure/add/"
    refused = admin_client.post(
        url, {"first_day": "2026-03-11", "last_day": "2026-03-10", "reason": "Typo"}
    )
    assert refused.status_code == 200
    assert "The last day cannot come before the first day." in refused.content.decode()
    assert not Closure.objects.exists()

    admin_client.post(url, {"first_day": "2026-03-10", "last_day": "2026-03-10", "reason": "Deuil"})

    closure = Closure.objects.get()
    assert closure.office is None and closure.reason == "Deuil"
    listed = admin_client.get("/admin/workflows/closure/", {"office__isempty": "1"})
    assert listed.status_code == 200 and "Deuil" in listed.content.decode()
