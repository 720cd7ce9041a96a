"""The SLA clock through the one door and on the pages: the clock pauses while the dossier waits
for the citizen and the expected date moves when they answer; a supervisor extends it once;
an information request carries the day to answer by, and a silent citizen is flagged."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from gup.formatting import day, short_day
from tests.factories import PASSWORD, clock_at, dossier_in_state
from workflows import sla
from workflows.actions import perform
from workflows.deadlines import add_working_days, working_days_between
from workflows.exceptions import InvalidInput, NotAllowed, TransitionRefused
from workflows.history_display import describe
from workflows.models import ClockSuspension, Closure, DeadlineExtension, Dossier, HistoryEntry
from workflows.queue_rows import queue_rows
from workflows.states import DossierState as S

MONDAY_22_JUNE = datetime.datetime(2026, 6, 22, 10, 0, tzinfo=datetime.UTC)
TUESDAY_23_JUNE = datetime.datetime(2026, 6, 23, 9, 0, tzinfo=datetime.UTC)
THURSDAY_2_JULY = datetime.datetime(2026, 7, 2, 11, 0, tzinfo=datetime.UTC)


def in_gitega(personas, state, **kwargs):
    kwargs.setdefault("service", personas.building_permit)
    kwargs.setdefault("officer", personas.officer_urbanism)
    return dossier_in_state(
        state,
        office=personas.office_gitega,
        applicant_account=personas.citizen,
        applicant_commune=personas.commune_gitega,
        clerk=personas.clerk_gitega,
        **kwargs,
    )


def last_entry(dossier) -> HistoryEntry:
    return dossier.history.order_by("-position").first()


def signed_in(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    assert client.login(username=user.username, password=PASSWORD)
    return client


def ask(dossier, officer, **inputs):
    return perform(
        dossier.pk,
        "request_information",
        officer,
        comment="On which floor is the shop?",
        expected_state=dossier.state,
        **inputs,
    )


def answer(dossier, citizen):
    return perform(
        dossier.pk,
        "provide_information",
        citizen,
        comment="On the ground floor.",
        expected_state=dossier.state,
    )


@pytest.fixture
def reviewed(personas):
    """A building permit (30 working days) filed on Monday 22 June 2026, in review."""
    with clock_at(MONDAY_22_JUNE):
        return in_gitega(personas, S.IN_REVIEW)


# --- Pausing and resuming ---------------------------------------------------------------------


def test_the_clock_pauses_while_the_citizen_is_asked_and_the_date_moves_when_they_answer(
    personas, reviewed
):
    filed_due = reviewed.due_date
    assert filed_due == add_working_days(MONDAY_22_JUNE.date(), 30)
    assert reviewed.target_working_days == 30

    with clock_at(TUESDAY_23_JUNE):
        asked = ask(reviewed, personas.officer_urbanism)
    assert asked.clock_paused_at is not None
    assert asked.due_date == filed_due
    assert describe(last_entry(asked)).endswith("Clock paused (waiting for the citizen)")

    with clock_at(THURSDAY_2_JULY):
        answered = answer(asked, personas.citizen)

    # (23 June, 2 July]: 24, 25, 26, 29, 30 June and 2 July; 1 July is Independence Day.
    assert working_days_between(filed_due, answered.due_date) == 6
    assert answered.clock_paused_at is None
    assert describe(last_entry(answered)).endswith(
        f"Clock resumed: expected date moved to {day(answered.due_date)}"
    )
    suspension = ClockSuspension.objects.get(dossier=answered)
    assert suspension.moved_by == 6 and suspension.waiting_state == S.INFORMATION_REQUESTED


def test_returned_and_corrected_the_same_day_moves_nothing(personas):
    with clock_at(MONDAY_22_JUNE):
        dossier = in_gitega(personas, S.INTAKE, counter=True)
        due = dossier.due_date
        returned = perform(
            dossier.pk,
            "return_for_correction",
            personas.clerk_gitega,
            comment="The plans are missing the scale.",
        )
        corrected = perform(returned.pk, "resubmit", personas.clerk_gitega, comment="Scale added.")

    assert corrected.due_date == due
    assert "Clock resumed: expected date unchanged" in describe(last_entry(corrected))
    # The service's own time to answer, for a return as for a request.
    assert returned.answer_by == add_working_days(MONDAY_22_JUNE.date(), 10)


def test_a_paused_dossier_is_not_overdue_even_past_its_date(personas, reviewed):
    with clock_at(TUESDAY_23_JUNE):
        asked = ask(reviewed, personas.officer_urbanism)
    later = datetime.datetime.combine(
        asked.due_date + datetime.timedelta(days=5), MONDAY_22_JUNE.time()
    )

    with clock_at(later):
        asked.refresh_from_db()
        assert not asked.is_overdue
        (row,) = queue_rows(
            Dossier.objects.filter(pk=asked.pk).for_queue().queue_values(), at_institution=True
        )
        assert not row.is_overdue
        response = signed_in(personas.officer_urbanism).get(
            reverse("review_queue"), {"show": "all", "overdue": "on"}
        )
    assert asked.tracking_number not in response.content.decode()


def test_closing_a_dossier_while_paused_stops_the_clock_without_moving_it(personas, reviewed):
    with clock_at(TUESDAY_23_JUNE):
        asked = ask(reviewed, personas.officer_urbanism)
    with clock_at(THURSDAY_2_JULY):
        withdrawn = perform(asked.pk, "withdraw", personas.citizen)

    assert withdrawn.due_date == reviewed.due_date
    assert not ClockSuspension.objects.filter(dossier=withdrawn, resumed_at__isnull=True).exists()


def test_the_expected_date_skips_a_national_closure_declared_before_filing(personas):
    Closure.objects.create(
        first_day=datetime.date(2026, 6, 23),
        last_day=datetime.date(2026, 6, 24),
        reason="Deuil national",
    )
    with clock_at(MONDAY_22_JUNE):
        dossier = in_gitega(personas, S.SUBMITTED)

    assert dossier.due_date == add_working_days(MONDAY_22_JUNE.date(), 32)


# --- The extension ----------------------------------------------------------------------------


def extend(dossier, actor, days=3, reason="The inspector is ill this week."):
    return perform(
        dossier.pk,
        "extend_deadline",
        actor,
        comment=reason,
        expected_state=dossier.state,
        working_days=days,
    )


def test_a_supervisor_extends_the_expected_date_once(personas, reviewed):
    with clock_at(TUESDAY_23_JUNE):
        extended = extend(reviewed, personas.supervisor_urbanism, days=3)

    assert extended.due_date == add_working_days(reviewed.due_date, 3)
    assert extended.state == S.IN_REVIEW
    entry = last_entry(extended)
    assert entry.kind == "extend_deadline" and entry.is_public
    assert describe(entry) == (
        f"Expected date extended by 3 working days, to {day(extended.due_date)}"
    )
    assert entry.comment == "The inspector is ill this week."

    with pytest.raises(TransitionRefused) as again:
        extend(extended, personas.supervisor_urbanism, days=1)
    assert "already been extended" in again.value.message
    assert DeadlineExtension.objects.get(dossier=extended).working_days == 3


@pytest.mark.parametrize(
    ("days", "reason", "message"),
    [
        (0, "Ill.", "Give at least 1 working day."),
        (11, "Ill.", "This service allows at most 10 working days."),
        (3, "", "Please write the reasons or the message."),
    ],
)
def test_a_bad_extension_is_refused_and_nothing_is_written(
    personas, reviewed, days, reason, message
):
    before = reviewed.history.count()

    with pytest.raises(InvalidInput) as refused:
        extend(reviewed, personas.supervisor_urbanism, days=days, reason=reason)

    assert message in refused.value.details
    reviewed.refresh_from_db()
    assert reviewed.history.count() == before
    assert not DeadlineExtension.objects.exists()


def test_only_a_supervisor_of_the_current_stage_extends(personas, reviewed):
    for stranger in (
        personas.officer_urbanism,
        personas.supervisor_gitega,  # the office's supervisor: the institution has it now
        personas.clerk_gitega,
        personas.citizen,
    ):
        with pytest.raises(NotAllowed):
            extend(reviewed, stranger)
    with clock_at(MONDAY_22_JUNE):
        at_office = in_gitega(personas, S.INTAKE, counter=True)
    with pytest.raises(NotAllowed):
        extend(at_office, personas.supervisor_urbanism)
    assert extend(at_office, personas.supervisor_gitega).due_date > at_office.due_date


def test_a_service_without_extensions_offers_none(personas, reviewed):
    personas.building_permit.max_extension_working_days = 0
    personas.building_permit.save()

    with pytest.raises(TransitionRefused) as refused:
        extend(reviewed, personas.supervisor_urbanism, days=1)
    assert "allows no extension" in refused.value.message


def test_the_supervisor_extends_from_the_dossier_page_and_bad_input_stays_beside_the_field(
    personas, reviewed
):
    client = signed_in(personas.supervisor_urbanism)
    page = client.get(reverse("dossier_detail", args=[reviewed.tracking_number]))
    step_url = reverse("dossier_step", args=[reviewed.tracking_number, "extend_deadline"])
    assert step_url in page.content.decode()
    officer_page = signed_in(personas.officer_urbanism).get(
        reverse("dossier_detail", args=[reviewed.tracking_number])
    )
    assert step_url not in officer_page.content.decode()

    form = client.get(step_url)
    assert form.status_code == 200 and "At most 10." in form.content.decode()

    refused = client.post(
        step_url,
        {"expected_state": S.IN_REVIEW, "working_days": "12", "comment": "Ill."},
    )
    assert refused.status_code == 400
    field = refused.content.decode()
    assert "This service allows at most 10 working days." in field
    assert 'value="12"' in field and "Ill." in field  # nothing typed is lost
    assert not DeadlineExtension.objects.exists()

    done = client.post(
        step_url, {"expected_state": S.IN_REVIEW, "working_days": "2", "comment": "Ill."}
    )
    assert done.status_code == 302
    reviewed.refresh_from_db()
    assert DeadlineExtension.objects.get(dossier=reviewed).working_days == 2
    page = client.get(reverse("dossier_detail", args=[reviewed.tracking_number])).content.decode()
    assert "extended once by 2 working days" in page
    assert step_url not in page


# --- Information requests with a deadline -----------------------------------------------------


def test_the_officer_sets_the_day_to_answer_by_prefilled_with_the_services_default(
    personas, reviewed
):
    client = signed_in(personas.officer_urbanism)
    url = reverse("dossier_step", args=[reviewed.tracking_number, "request_information"])
    with clock_at(TUESDAY_23_JUNE):
        form = client.get(url)
        default = add_working_days(TUESDAY_23_JUNE.date(), 10)
        assert f'value="{default.isoformat()}"' in form.content.decode()

        saturday = datetime.date(2026, 7, 4)
        for bad, message in [
            (saturday, "must be a working day"),
            (datetime.date(2026, 7, 1), "must be a working day"),  # Independence Day
            (TUESDAY_23_JUNE.date(), "must come after today"),
            (datetime.date(2027, 6, 1), "at most 60 working days away"),
        ]:
            refused = client.post(
                url,
                {
                    "expected_state": S.IN_REVIEW,
                    "comment": "On which floor is the shop?",
                    "answer_by": bad.isoformat(),
                },
            )
            assert refused.status_code == 400, bad
            assert message in refused.content.decode(), bad
            assert "On which floor is the shop?" in refused.content.decode()
        reviewed.refresh_from_db()
        assert reviewed.state == S.IN_REVIEW

        chosen = datetime.date(2026, 7, 3)
        done = client.post(
            url,
            {
                "expected_state": S.IN_REVIEW,
                "comment": "On which floor is the shop?",
                "answer_by": chosen.isoformat(),
            },
        )
    assert done.status_code == 302
    reviewed.refresh_from_db()
    assert reviewed.state == S.INFORMATION_REQUESTED and reviewed.answer_by == chosen


def test_the_domain_refuses_a_bad_answer_by_day_whatever_the_channel(personas, reviewed):
    with clock_at(TUESDAY_23_JUNE), pytest.raises(InvalidInput):
        ask(reviewed, personas.officer_urbanism, answer_by=datetime.date(2026, 6, 27))
    reviewed.refresh_from_db()
    assert reviewed.state == S.IN_REVIEW


def test_a_citizen_silent_past_the_day_is_flagged_for_the_officer_and_the_clerk(personas, reviewed):
    with clock_at(TUESDAY_23_JUNE):
        asked = ask(reviewed, personas.officer_urbanism, answer_by=datetime.date(2026, 7, 3))
    flag = f"No answer since {short_day(TUESDAY_23_JUNE.date())}"

    with clock_at(datetime.datetime(2026, 7, 3, 12, tzinfo=datetime.UTC)):
        queue = signed_in(personas.officer_urbanism).get(
            reverse("review_queue"), {"show": "waiting"}
        )
        assert asked.tracking_number in queue.content.decode()
        assert flag not in queue.content.decode()

    with clock_at(datetime.datetime(2026, 7, 6, 9, tzinfo=datetime.UTC)):
        queue = signed_in(personas.officer_urbanism).get(
            reverse("review_queue"), {"show": "waiting"}
        )
        assert f"{flag} (due {short_day(datetime.date(2026, 7, 3))})" in queue.content.decode()
        counter = signed_in(personas.clerk_gitega).get(reverse("counter_queue"), {"show": "all"})
        assert flag in counter.content.decode()
        page = signed_in(personas.clerk_gitega).get(
            reverse("dossier_detail", args=[asked.tracking_number])
        )
    text = page.content.decode()
    assert f"No answer since {day(TUESDAY_23_JUNE.date())}" in text
    assert f"Paused since {day(TUESDAY_23_JUNE.date())} (waiting for the citizen)" in text


# --- What the pages show ----------------------------------------------------------------------


def test_the_citizen_sees_the_pause_and_then_the_moved_date(personas, reviewed):
    with clock_at(TUESDAY_23_JUNE):
        asked = ask(reviewed, personas.officer_urbanism)
    paused = f"Paused since {day(TUESDAY_23_JUNE.date())} (waiting for you)"

    citizen = signed_in(personas.citizen)
    follow = citizen.get(reverse("citizen_follow", args=[asked.public_id])).content.decode()
    assert paused in follow and day(asked.due_date) in follow
    mine = citizen.get(reverse("my_dossiers")).content.decode()
    assert f"paused since {day(TUESDAY_23_JUNE.date())}" in mine

    anyone = Client()
    anyone.cookies["django_language"] = "en"
    digits = re.sub(r"\D", "", asked.applicant_phone)[-4:]
    track = anyone.post(
        reverse("track"), {"tracking_number": asked.tracking_number, "phone_digits": digits}
    ).content.decode()
    assert paused in track
    assert "Clock paused (waiting for the citizen)" in track

    with clock_at(THURSDAY_2_JULY):
        answered = answer(asked, personas.citizen)
    follow = citizen.get(reverse("citizen_follow", args=[asked.public_id])).content.decode()
    assert "Paused since" not in follow
    assert day(answered.due_date) in follow
    assert f"Clock resumed: expected date moved to {day(answered.due_date)}" in follow


def test_the_staff_page_shows_the_office_and_the_institution_time_apart(personas):
    with clock_at(MONDAY_22_JUNE):
        dossier = in_gitega(personas, S.INTAKE, counter=True)
    with clock_at(datetime.datetime(2026, 6, 26, 10, tzinfo=datetime.UTC)):
        dossier = perform(dossier.pk, "forward", personas.clerk_gitega)
    with clock_at(datetime.datetime(2026, 7, 3, 10, tzinfo=datetime.UTC)):
        page = signed_in(personas.clerk_gitega).get(
            reverse("dossier_detail", args=[dossier.tracking_number])
        )
    text = page.content.decode()
    # Office: 23, 24, 25, 26 June. Institution: 29, 30 June, 2 and 3 July (1 July is a holiday).
    assert "Office: 4 days" in text and "Institution: 4 days" in text
    elapsed = page.context["clock"].elapsed
    assert elapsed == sla.Elapsed(office=4, institution=4)


def test_dossiers_already_waiting_when_the_clock_arrives_are_paused_since_they_waited(personas):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("workflows.migrations.0011_sla_clock")
    with clock_at(MONDAY_22_JUNE):
        dossier = in_gitega(personas, S.INTAKE, counter=True)
    with clock_at(TUESDAY_23_JUNE):
        returned = perform(
            dossier.pk,
            "return_for_correction",
            personas.clerk_gitega,
            comment="The plans are missing the scale.",
        )
    # As before the clock existed.
    ClockSuspension.objects.all().delete()
    Dossier.objects.filter(pk=returned.pk).update(clock_paused_at=None)

    migration.pause_the_dossiers_already_waiting(apps, None)

    suspension = ClockSuspension.objects.get(dossier=returned)
    assert suspension.paused_at == last_entry(returned).at and suspension.resumed_at is None
    with clock_at(THURSDAY_2_JULY):
        corrected = perform(returned.pk, "resubmit", personas.clerk_gitega, comment="Signed.")
    assert corrected.due_date > returned.due_date
