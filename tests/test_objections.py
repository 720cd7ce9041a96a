"""Objections to a public notice: recorded one by one (who, when, what, a document), listed for the
office and the institution, counted when the notice closes, never exposed to the applicant; and
the notice still cannot be closed before its last day."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import MINIMAL_PDF, PASSWORD, DossierFactory, clock_at
from workflows import events
from workflows.actions import perform
from workflows.exceptions import InvalidInput, NotAllowed, TransitionRefused
from workflows.models import Dossier, HistoryEntry, Objection
from workflows.public_status import public_status
from workflows.states import DossierState as S

pytestmark = pytest.mark.django_db

GROUNDS = "The eastern boundary of the plot crosses my family's field, inherited in 1998."


def published(personas, *, days_ago=10):
    """A land-title dossier whose 30-day public notice opened ``days_ago`` days ago."""
    with clock_at(timezone.now() - datetime.timedelta(days=days_ago)):
        return DossierFactory(
            state=S.PUBLIC_NOTICE,
            service=personas.land_title,
            office=personas.office_gitega,
            applicant_account=personas.citizen,
            applicant_commune=personas.commune_gitega,
            clerk=personas.clerk_gitega,
            officer=personas.officer_land_registry,
            language="en",
        )


def reloaded(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def today():
    return timezone.localdate()


def objection(**changes):
    values = {
        "objector_name": "Gérard Ndikumana",
        "objector_national_id": "0412/778899",
        "objector_contact": "+257 79 55 44 33",
        "received_on": today() - datetime.timedelta(days=2),
        "grounds": GROUNDS,
        "document": None,
    }
    return {**values, **changes}


def footprint(dossier, upload_root):
    return (
        reloaded(dossier).state,
        HistoryEntry.objects.filter(dossier=dossier).count(),
        Objection.objects.filter(dossier=dossier).count(),
        sorted(path.name for path in upload_root.rglob("*") if path.is_file()),
    )


# --- Recorded ---------------------------------------------------------------------------------


def test_the_officer_records_an_objection_with_its_document(personas, upload_root):
    dossier = published(personas)
    officer = personas.officer_land_registry
    assert "record_objection" in events.available_names(dossier, officer)
    pdf = SimpleUploadedFile("letter.pdf", MINIMAL_PDF)

    perform(dossier.pk, "record_objection", officer, **objection(document=pdf))

    [kept] = Objection.objects.filter(dossier=dossier)
    assert (kept.objector_name, kept.objector_national_id, kept.grounds) == (
        "Gérard Ndikumana",
        "0412/778899",
        GROUNDS,
    )
    assert kept.received_on == today() - datetime.timedelta(days=2)
    assert kept.notice == dossier.scheduled_steps.get(kind="public_notice")
    assert kept.recorded_by == officer
    assert (kept.document_name, kept.document_content_type) == ("letter.pdf", "application/pdf")
    assert kept.document_path.read_bytes() == MINIMAL_PDF
    dossier = reloaded(dossier)
    assert dossier.state == S.PUBLIC_NOTICE  # an objection does not end the notice
    entry = dossier.history.order_by("position").last()
    assert entry.kind == "record_objection" and entry.is_public
    # The history is kept for ever and the applicant reads it: no personal data in it.
    for secret in ("Ndikumana", "0412/778899", "79 55", "boundary"):
        assert secret not in entry.comment
        assert secret not in str(entry.details)


def test_the_applicant_is_told_an_objection_exists_not_who_objects_or_why(personas):
    dossier = published(personas)
    perform(dossier.pk, "record_objection", personas.officer_land_registry, **objection())

    status = public_status(reloaded(dossier), with_comments=True)

    text = " ".join(f"{line.label} {line.comment}" for line in status.timeline)
    assert "An objection was recorded (received on" in text
    for secret in ("Ndikumana", "0412/778899", "boundary"):
        assert secret not in text


def test_closing_counts_the_objections_and_needs_no_comment(personas):
    dossier = published(personas, days_ago=31)
    officer = personas.officer_land_registry
    for name in ("Gérard Ndikumana", "Association des voisins de Magarama"):
        perform(dossier.pk, "record_objection", officer, **objection(objector_name=name))

    perform(dossier.pk, "close_public_notice", officer)

    dossier = reloaded(dossier)
    assert dossier.state == S.IN_REVIEW
    timeline = [line.label for line in public_status(dossier).timeline]
    assert "Public notice closed: 2 objections recorded" in timeline
    # The objections stay on the dossier for the decision, after the notice.
    assert dossier.objections.count() == 2
    assert "record_objection" not in events.available_names(dossier, officer)


def test_closing_without_objection_says_so(personas):
    dossier = published(personas, days_ago=31)

    perform(dossier.pk, "close_public_notice", personas.officer_land_registry)

    timeline = [line.label for line in public_status(reloaded(dossier)).timeline]
    assert "Public notice closed: no objection recorded" in timeline


def test_the_notice_still_cannot_be_closed_early_even_with_objections(personas):
    dossier = published(personas, days_ago=10)
    officer = personas.officer_land_registry
    perform(dossier.pk, "record_objection", officer, **objection())

    with pytest.raises(TransitionRefused) as refused:
        perform(dossier.pk, "close_public_notice", officer, comment="Enough objections.")

    assert refused.value.details == ["The public-notice period is not over yet."]
    assert reloaded(dossier).state == S.PUBLIC_NOTICE


# --- Refused, and nothing written -------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"grounds": ""}, "Write the grounds of the objection."),
        ({"grounds": "   "}, "Write the grounds of the objection."),
        ({"grounds": "no"}, "Write the grounds as sentences"),
        ({"grounds": "1234567890 1234567890 !!"}, "Write the grounds as sentences"),
        ({"objector_name": "  "}, "Write the name of the person or body who objects."),
        ({"objector_national_id": "??"}, "This is not a national ID number"),
        ({"received_on": None}, "Give the date the objection was received."),
        ({"received_on": "yesterday"}, "Give the date the objection was received."),
        ({"received_on": "future"}, "This date is in the future"),
        ({"received_on": "before"}, "The public notice opened on"),
        ({"document": SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf")}, "is not a"),
        ({"document": SimpleUploadedFile("empty.pdf", b"")}, "This file is empty."),
    ],
)
def test_a_bad_objection_is_refused_with_its_reason_and_nothing_is_kept(
    personas, upload_root, changes, message
):
    dossier = published(personas)
    dates = {
        "future": today() + datetime.timedelta(days=1),
        "before": today() - datetime.timedelta(days=11),
    }
    if changes.get("received_on") in dates:
        changes = {"received_on": dates[changes["received_on"]]}
    before = footprint(dossier, upload_root)
    # A good document beside the bad field: it must not be left behind on disk either.
    values = objection(**{"document": SimpleUploadedFile("letter.pdf", MINIMAL_PDF), **changes})

    with pytest.raises(InvalidInput) as refused:
        perform(dossier.pk, "record_objection", personas.officer_land_registry, **values)

    assert any(message in detail for detail in refused.value.details), refused.value.details
    assert footprint(dossier, upload_root) == before


def test_an_objection_received_after_the_notice_ended_is_refused(personas, upload_root):
    dossier = published(personas, days_ago=35)  # ended five days ago, not closed yet
    before = footprint(dossier, upload_root)
    late = today() - datetime.timedelta(days=1)

    with pytest.raises(InvalidInput) as refused:
        perform(
            dossier.pk,
            "record_objection",
            personas.officer_land_registry,
            **objection(received_on=late),
        )

    assert "The public notice ended on" in refused.value.details[0]
    assert footprint(dossier, upload_root) == before


def test_an_objection_on_the_last_day_of_the_notice_is_accepted(personas):
    dossier = published(personas, days_ago=35)
    last_day = dossier.open_scheduled_step().ends_on

    perform(
        dossier.pk,
        "record_objection",
        personas.officer_land_registry,
        **objection(received_on=last_day),
    )

    assert dossier.objections.get().received_on == last_day


def test_the_grounds_never_go_into_the_public_comment(personas, upload_root):
    dossier = published(personas)
    before = footprint(dossier, upload_root)

    with pytest.raises(InvalidInput):
        perform(
            dossier.pk,
            "record_objection",
            personas.officer_land_registry,
            comment="Gérard Ndikumana objects.",
            **objection(),
        )

    assert footprint(dossier, upload_root) == before


@pytest.mark.parametrize("state", [S.IN_REVIEW, S.INSPECTION])
def test_no_objection_outside_a_public_notice(personas, upload_root, state):
    with clock_at(timezone.now() - datetime.timedelta(days=10)):
        dossier = DossierFactory(
            state=state,
            service=personas.land_title,
            office=personas.office_gitega,
            officer=personas.officer_land_registry,
        )
    before = footprint(dossier, upload_root)
    assert "record_objection" not in events.available_names(dossier, personas.officer_land_registry)

    with pytest.raises(TransitionRefused):
        perform(dossier.pk, "record_objection", personas.officer_land_registry, **objection())

    assert footprint(dossier, upload_root) == before


@pytest.mark.parametrize(
    "who", ["citizen", "clerk_gitega", "supervisor_gitega", "officer_urbanism", "auditor"]
)
def test_only_the_handling_officer_records_an_objection(personas, upload_root, who):
    dossier = published(personas)
    before = footprint(dossier, upload_root)
    user = getattr(personas, who)
    assert "record_objection" not in events.available_names(dossier, user)

    with pytest.raises(NotAllowed):
        perform(dossier.pk, "record_objection", user, **objection())

    assert footprint(dossier, upload_root) == before


# --- On the page ------------------------------------------------------------------------------


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def step_url(dossier):
    return reverse("dossier_step", args=[dossier.tracking_number, "record_objection"])


def detail_url(dossier):
    return reverse("dossier_detail", args=[dossier.tracking_number])


def form_data(**changes):
    return {
        "expected_state": S.PUBLIC_NOTICE,
        "objector_name": "Gérard Ndikumana",
        "objector_national_id": "0412/778899",
        "objector_contact": "+257 79 55 44 33",
        "received_on": (today() - datetime.timedelta(days=2)).isoformat(),
        "grounds": GROUNDS,
        **changes,
    }


def test_the_form_shows_each_problem_beside_its_field_and_keeps_what_was_typed(
    personas, client, upload_root
):
    dossier = published(personas)
    before = footprint(dossier, upload_root)
    client.login(username=personas.officer_land_registry.username, password=PASSWORD)
    assert step_url(dossier) in client.get(detail_url(dossier)).content.decode()
    page = client.get(step_url(dossier)).content.decode()
    assert 'enctype="multipart/form-data"' in page

    future = (today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(step_url(dossier), form_data(received_on=future, grounds=""))

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["received_on"] == [
        "This date is in the future: give the day it was received."
    ]
    assert form.errors["grounds"]
    page = response.content.decode()
    assert "Gérard Ndikumana" in page and "0412/778899" in page
    assert footprint(dossier, upload_root) == before


def test_an_objection_recorded_on_the_page_is_listed_for_the_office_and_the_institution(
    personas, client
):
    dossier = published(personas)
    officer = personas.officer_land_registry
    client.login(username=officer.username, password=PASSWORD)
    letter = SimpleUploadedFile("letter.pdf", MINIMAL_PDF, content_type="application/pdf")

    response = client.post(step_url(dossier), form_data(document=letter))

    assert response.status_code == 302
    kept = dossier.objections.get()
    download = reverse("dossier_objection_document", args=[dossier.tracking_number, kept.pk])
    for user in (officer, personas.clerk_gitega):
        client.login(username=user.username, password=PASSWORD)
        page = client.get(detail_url(dossier)).content.decode()
        assert "Objections (1)" in page or "Objection (1)" in page
        assert "Gérard Ndikumana" in page and "family&#x27;s field" in page
        assert download in page
        got = client.get(download)
        assert got.status_code == 200
        assert b"".join(got.streaming_content) == MINIMAL_PDF

    # Staff elsewhere see neither the dossier nor the objector's document.
    client.login(username=personas.clerk_ngozi.username, password=PASSWORD)
    assert client.get(download).status_code == 404
    client.login(username=personas.officer_urbanism.username, password=PASSWORD)
    assert client.get(download).status_code == 404


def test_the_applicant_s_own_page_names_no_objector(personas, client):
    dossier = published(personas)
    perform(dossier.pk, "record_objection", personas.officer_land_registry, **objection())
    client.login(username=personas.citizen.username, password=PASSWORD)

    page = client.get(reverse("citizen_follow", args=[dossier.public_id])).content.decode()

    assert "An objection was recorded" in page
    assert "Ndikumana" not in page and "boundary" not in page


def test_an_objection_is_read_only_once_recorded(personas, client):
    dossier = published(personas)
    perform(dossier.pk, "record_objection", personas.officer_land_registry, **objection())
    kept = dossier.objections.get()

    with pytest.raises(TypeError):
        kept.save()
    with pytest.raises(TypeError):
        Objection.objects.filter(pk=kept.pk).update(grounds="Changed afterwards.")
    # The administrator reads it beside the dossier, and cannot change it there.
    client.login(username=personas.administrator.username, password=PASSWORD)
    page = client.get(reverse("admin:workflows_dossier_change", args=[dossier.pk]))
    assert page.status_code == 200
    assert "Gérard Ndikumana" in page.content.decode()
