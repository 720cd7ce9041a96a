"""Nobody came: a missed appointment, an inspector who found nobody on site, and the new date.

A no-show is recorded only once the time has passed, by those who record what happened at that
visit; the dossier stays where it is and asks for a new date, given with the same calendar rules
as the first; the citizen is told the new date (SMS, email, a new notice to print). Steps a
service does not have are never shown as blocked.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from gup.formatting import moment
from gup.sms.gsm import GSM_7, segments, to_gsm
from tests.documents import flat, text_of
from tests.factories import PASSWORD, DossierFactory, ServiceFactory, clock_at, next_slot
from workflows import events
from workflows.actions import perform
from workflows.exceptions import InvalidInput, NotAllowed, TransitionRefused
from workflows.messages import compose
from workflows.models import Dossier, HistoryEntry, IssuedDocument, OutboxMessage, ScheduledStep
from workflows.public_status import public_status
from workflows.states import DossierState as S

pytestmark = pytest.mark.django_db


def at_a_visit(personas, state, *, missed=True):
    """A dossier filed at Gitega, sent to an appointment (passport) or a site inspection
    (building permit). ``missed``: scheduled two weeks ago, so its time has passed."""
    passport = state == S.APPOINTMENT
    kwargs = {
        "service": personas.passport if passport else personas.building_permit,
        "office": personas.office_gitega,
        "applicant_account": personas.citizen,
        "applicant_commune": personas.commune_gitega,
        "applicant_email": "aline@example.bi",
        "clerk": personas.clerk_gitega,
        "officer": personas.officer_migration if passport else personas.officer_urbanism,
        "language": "en",
    }
    if not missed:
        return DossierFactory(state=state, **kwargs)
    with clock_at(timezone.now() - datetime.timedelta(days=14)):
        return DossierFactory(state=state, **kwargs)


def reloaded(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def names(steps):
    return [event.name for event in steps]


def blocked(dossier, user):
    return {event.name: why for event, why in events.available_steps(dossier, user)[1]}


def footprint(dossier):
    """What a refused event must leave unchanged."""
    return (
        reloaded(dossier).state,
        HistoryEntry.objects.filter(dossier=dossier).count(),
        list(ScheduledStep.objects.filter(dossier=dossier).values()),
    )


# --- The no-show ------------------------------------------------------------------------------


def test_a_missed_appointment_asks_for_a_new_date_and_the_citizen_is_told_it(
    personas, django_capture_on_commit_callbacks, sms_outbox
):
    dossier = at_a_visit(personas, S.APPOINTMENT)
    officer = personas.officer_migration
    missed = dossier.open_scheduled_step()
    assert "record_no_show" in names(events.available_steps(dossier, officer)[0])

    perform(dossier.pk, "record_no_show", officer, comment="Nobody came, no call either.")

    dossier = reloaded(dossier)
    assert dossier.state == S.APPOINTMENT  # still there, waiting for a new date
    missed.refresh_from_db()
    assert (missed.no_show, missed.recorded_at is not None) == (True, True)
    assert dossier.open_scheduled_step() is None
    entry = dossier.history.order_by("position").last()
    assert (entry.kind, entry.from_state, entry.to_state) == (
        "record_no_show",
        S.APPOINTMENT,
        S.APPOINTMENT,
    )
    # The page offers the new date and nothing that no longer makes sense.
    available = names(events.available_steps(dossier, officer)[0])
    assert "reschedule_appointment" in available
    assert "record_no_show" not in available
    assert "record_attendance" not in available
    assert blocked(dossier, officer)["record_attendance"] == [
        "Nobody came at the last date: give a new date first."
    ]

    new_date = next_slot(days_ahead=10, hour=9)
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        perform(
            dossier.pk,
            "reschedule_appointment",
            officer,
            scheduled_for=new_date,
            place="GUP Gitega, counter 3",
            what_to_bring="National ID card",
        )

    dossier = reloaded(dossier)
    assert dossier.state == S.APPOINTMENT
    step = dossier.open_scheduled_step()
    assert (step.starts_at, step.place) == (new_date, "GUP Gitega, counter 3")
    kinds = list(dossier.history.order_by("position").values_list("kind", flat=True))
    assert kinds[-3:] == ["record_no_show", "reschedule_appointment", "document_issued"]
    # Told by SMS and email, with the new date and that it is a new one.
    [sms] = sms_outbox
    assert sms.to == dossier.applicant_phone
    assert "New date." in sms.text
    assert timezone.localtime(new_date).strftime("%H:%M") in sms.text
    assert "counter 3" in sms.text
    emails = OutboxMessage.objects.filter(dossier=dossier, effect="email", topic="appointment")
    assert emails.count() == 2  # the first date, then the new one
    # And a new appointment notice to print, for the new date.
    [notice] = IssuedDocument.objects.filter(dossier=dossier, kind="appointment_notice")
    assert notice.source_entry.kind == "reschedule_appointment"
    assert notice.source_entry.details["starts_at"] == new_date.isoformat()
    assert "counter 3" in flat(text_of(notice))
    # The history, as the citizen reads it, says what happened.
    timeline = [line.label for line in public_status(dossier).timeline]
    assert any("did not come to the appointment" in label for label in timeline)
    assert any(label.startswith("New appointment") for label in timeline)


def test_an_inspector_who_found_nobody_sets_a_new_date_then_records_the_report(
    personas, django_capture_on_commit_callbacks, sms_outbox
):
    dossier = at_a_visit(personas, S.INSPECTION)
    officer = personas.officer_urbanism

    perform(dossier.pk, "record_no_show", officer)
    assert blocked(reloaded(dossier), officer)["record_inspection"] == [
        "Nobody came at the last date: give a new date first."
    ]
    with pytest.raises(TransitionRefused):
        perform(dossier.pk, "record_inspection", officer, comment="The site matches the plans.")

    new_date = next_slot(days_ahead=3, hour=11)
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        perform(dossier.pk, "reschedule_inspection", officer, scheduled_for=new_date)
    [sms] = sms_outbox
    assert "inspector" in sms.text and "New date." in sms.text
    [notice] = IssuedDocument.objects.filter(dossier=dossier, kind="inspection_notice")
    assert notice.source_entry.kind == "reschedule_inspection"

    with clock_at(new_date + datetime.timedelta(hours=2)):
        perform(dossier.pk, "record_inspection", officer, comment="The site matches the plans.")
    assert reloaded(dossier).state == S.IN_REVIEW
    describe = [line.label for line in public_status(reloaded(dossier)).timeline]
    assert any("Nobody was at the site for the inspection" in label for label in describe)


def test_a_second_no_show_asks_for_a_third_date(personas):
    dossier = at_a_visit(personas, S.APPOINTMENT)
    officer = personas.officer_migration
    perform(dossier.pk, "record_no_show", officer)
    with clock_at(timezone.now() - datetime.timedelta(days=7)):
        perform(
            dossier.pk,
            "reschedule_appointment",
            officer,
            scheduled_for=next_slot(days_ahead=2),
            place="GUP Gitega",
        )

    perform(dossier.pk, "record_no_show", officer)

    steps = ScheduledStep.objects.filter(dossier=dossier)
    assert [step.no_show for step in steps] == [True, True]
    assert "reschedule_appointment" in events.available_names(reloaded(dossier), officer)


# --- Refused, and nothing written -------------------------------------------------------------


def test_a_no_show_cannot_be_recorded_before_the_time(personas):
    dossier = at_a_visit(personas, S.APPOINTMENT, missed=False)
    before = footprint(dossier)

    with pytest.raises(InvalidInput) as refused:
        perform(dossier.pk, "record_no_show", personas.officer_migration)

    assert "it cannot be recorded before then" in refused.value.details[0]
    assert footprint(dossier) == before


@pytest.mark.parametrize("state", [S.IN_REVIEW, S.PUBLIC_NOTICE])
def test_a_no_show_needs_an_appointment_or_an_inspection(personas, state):
    with clock_at(timezone.now() - datetime.timedelta(days=40)):
        dossier = DossierFactory(
            state=state,
            service=personas.land_title,
            office=personas.office_gitega,
            officer=personas.officer_land_registry,
        )
    before = footprint(dossier)

    with pytest.raises(TransitionRefused) as refused:
        perform(dossier.pk, "record_no_show", personas.officer_land_registry)

    assert "is not possible while the dossier is" in refused.value.message
    assert footprint(dossier) == before
    assert "record_no_show" not in names(
        events.available_steps(dossier, personas.officer_land_registry)[0]
    )


@pytest.mark.parametrize(
    ("state", "who"),
    [
        (S.APPOINTMENT, "citizen"),
        (S.APPOINTMENT, "clerk_ngozi"),
        (S.APPOINTMENT, "officer_urbanism"),
        (S.APPOINTMENT, "auditor"),
        (S.INSPECTION, "clerk_gitega"),  # the office does not see the site
        (S.INSPECTION, "other_officer_urbanism"),  # not the officer who handles it
        (S.INSPECTION, "citizen"),
    ],
)
def test_only_those_who_record_the_visit_record_a_no_show(personas, state, who):
    dossier = at_a_visit(personas, state)
    before = footprint(dossier)
    user = getattr(personas, who)
    assert "record_no_show" not in events.available_names(dossier, user)

    with pytest.raises(NotAllowed):
        perform(dossier.pk, "record_no_show", user)

    assert footprint(dossier) == before


def test_the_office_records_a_missed_appointment_but_only_the_officer_gives_the_new_date(personas):
    dossier = at_a_visit(personas, S.APPOINTMENT)
    clerk = personas.clerk_gitega

    perform(dossier.pk, "record_no_show", clerk)  # the citizen was expected at the counter

    assert "reschedule_appointment" not in events.available_names(reloaded(dossier), clerk)
    with pytest.raises(NotAllowed):
        perform(dossier.pk, "reschedule_appointment", clerk, scheduled_for=next_slot(), place="X")


def test_no_new_date_without_a_no_show(personas):
    dossier = at_a_visit(personas, S.APPOINTMENT)
    before = footprint(dossier)
    officer = personas.officer_migration
    assert "reschedule_appointment" not in names(events.available_steps(dossier, officer)[0])
    assert "reschedule_appointment" not in blocked(dossier, officer)  # not a note, either

    with pytest.raises(TransitionRefused):
        perform(dossier.pk, "reschedule_appointment", officer, scheduled_for=next_slot(), place="X")

    assert footprint(dossier) == before


def saturday_at_ten():
    day = timezone.localdate() + datetime.timedelta(days=7)
    while day.weekday() != 5:
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({}, "Choose a date and time."),
        ({"scheduled_for": "tomorrow"}, "Choose a date and time."),
        (
            {"scheduled_for": timezone.now() - datetime.timedelta(days=1)},
            "This date and time are in the past: choose a later time.",
        ),
        ({"scheduled_for": saturday_at_ten()}, "is a Saturday: choose a working day."),
        ({"scheduled_for": next_slot(hour=19)}, "Outside office hours"),
        ({"scheduled_for": next_slot(), "place": "  "}, "Say where the citizen must come."),
    ],
)
def test_the_new_date_follows_the_calendar_and_a_refusal_writes_nothing(personas, inputs, message):
    dossier = at_a_visit(personas, S.APPOINTMENT)
    officer = personas.officer_migration
    perform(dossier.pk, "record_no_show", officer)
    before = footprint(dossier)
    outbox_before = OutboxMessage.objects.filter(dossier=dossier).count()
    inputs = {"place": "GUP Gitega", **inputs}

    with pytest.raises(InvalidInput) as refused:
        perform(dossier.pk, "reschedule_appointment", officer, **inputs)

    assert any(message in detail for detail in refused.value.details)
    assert footprint(dossier) == before
    assert OutboxMessage.objects.filter(dossier=dossier).count() == outbox_before


# --- On the page ------------------------------------------------------------------------------


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_officer_records_the_no_show_and_the_new_date_on_the_page(personas, client):
    dossier = at_a_visit(personas, S.APPOINTMENT)
    client.login(username=personas.officer_migration.username, password=PASSWORD)
    detail = reverse("dossier_detail", args=[dossier.tracking_number])
    no_show = reverse("dossier_step", args=[dossier.tracking_number, "record_no_show"])
    reschedule = reverse("dossier_step", args=[dossier.tracking_number, "reschedule_appointment"])
    assert no_show in client.get(detail).content.decode()

    response = client.post(no_show, {"expected_state": S.APPOINTMENT, "comment": ""})
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert reschedule in page
    assert "Nobody came at the last date: give a new date first." in page

    # A Saturday: refused, explained, the typed values still there, nothing written.
    saturday = timezone.localtime(saturday_at_ten()).strftime("%Y-%m-%dT%H:%M")
    form = {
        "expected_state": S.APPOINTMENT,
        "scheduled_for": saturday,
        "place": "GUP Gitega, counter 3",
        "what_to_bring": "National ID card",
    }
    response = client.post(reschedule, form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "is a Saturday: choose a working day." in page
    assert "GUP Gitega, counter 3" in page
    assert reloaded(dossier).open_scheduled_step() is None

    form["scheduled_for"] = timezone.localtime(next_slot()).strftime("%Y-%m-%dT%H:%M")
    assert client.post(reschedule, form).status_code == 302
    assert reloaded(dossier).open_scheduled_step().place == "GUP Gitega, counter 3"


# --- Steps a service does not have ------------------------------------------------------------


@pytest.mark.parametrize("state", [S.IN_REVIEW, S.APPROVED])
def test_steps_a_service_does_not_have_are_never_shown_as_blocked(personas, client, state):
    """A service without inspection, public notice or appointment: none of these steps, nor
    their no-shows and new dates, appear as "not possible yet" notes."""
    plain = ServiceFactory(free=True, routing__institution=personas.urbanism)
    assert not (plain.has_inspection or plain.has_public_notice or plain.has_appointment)
    dossier = DossierFactory(
        state=state, service=plain, office=personas.office_gitega, officer=personas.officer_urbanism
    )
    officer = personas.officer_urbanism

    available, blocked_steps = events.available_steps(dossier, officer)

    side_steps = {
        "schedule_inspection",
        "open_public_notice",
        "give_appointment",
        "record_no_show",
        "reschedule_appointment",
        "reschedule_inspection",
        "record_objection",
    }
    assert not side_steps & set(names(available))
    assert blocked_steps == []
    client.login(username=officer.username, password=PASSWORD)
    page = client.get(reverse("dossier_detail", args=[dossier.tracking_number])).content.decode()
    assert "is not possible yet" not in page


def test_a_service_with_an_inspection_only_shows_no_notice_or_appointment(personas):
    dossier = DossierFactory(
        state=S.IN_REVIEW,
        service=personas.building_permit,
        office=personas.office_gitega,
        officer=personas.officer_urbanism,
    )

    available, blocked_steps = events.available_steps(dossier, personas.officer_urbanism)

    assert "schedule_inspection" in names(available)
    assert not {"open_public_notice", "give_appointment"} & set(names(available))
    assert blocked_steps == []


# --- The message ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["rn", "fr", "en"])
@pytest.mark.parametrize("state", [S.APPOINTMENT, S.INSPECTION])
def test_the_new_date_sms_fits_two_gsm_messages_and_keeps_the_date(personas, state, language):
    dossier = at_a_visit(personas, state)
    officer = dossier.officer
    perform(dossier.pk, "record_no_show", officer)
    new_date = next_slot(days_ahead=4, hour=14)
    perform(
        dossier.pk,
        f"reschedule_{state}",
        officer,
        scheduled_for=new_date,
        place="Bureau provincial de Gitega, deuxième étage, guichet numéro 3 " * 4,
        what_to_bring="Carte nationale d'identité, extrait d'acte de naissance, photos " * 5,
    )
    dossier = reloaded(dossier)
    entry = dossier.history.order_by("position").last()

    with translation.override(language):
        sms = compose(str(state), language, dossier=dossier, entry=entry).sms
        when = moment(new_date)

    length = segments(sms)
    assert length.encoding == GSM_7 and length.count <= 2, sms
    assert dossier.tracking_number in sms
    assert to_gsm(when) in sms
