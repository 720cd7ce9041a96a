"""The dossier's page shows staff each message owed to the citizen and what became of it: never
its text, never another dossier's messages, in a fixed number of queries."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD, DossierFactory
from workflows import correspondence, delivery_reports, outbox
from workflows.models import Effect, OutboxMessage, OutboxState

pytestmark = pytest.mark.django_db

PHONE = "+25779123456"
OTHER_PHONE = "+25761987654"
SECRET_LINK = "https://gup.example/resume/Xy7-very-secret/"


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def dossier(clerk_gitega, building_permit):
    return DossierFactory(
        counter=True,
        intake=True,
        service=building_permit,
        office=clerk_gitega.office,
        clerk=clerk_gitega,
        applicant_phone=PHONE,
        applicant_email="aline@example.bi",
    )


def page(client, user, dossier) -> str:
    client.login(username=user.username, password=PASSWORD)
    response = client.get(reverse("dossier_detail", args=[dossier.tracking_number]))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str) -> str:
    start = html.index("Messages to the citizen")
    return html[start : html.index("</section>", start)]


def owe(capture, dossier, topic, *, recipient=PHONE, effect=Effect.SMS, secrets=None):
    """Owe a message and let the outbox send it after the commit, as in production."""
    with capture(execute=True), transaction.atomic():
        message = outbox.write(
            effect,
            topic=topic,
            recipient=recipient,
            language="rn",
            dossier=dossier,
            secrets=secrets,
        )
    message.refresh_from_db()
    return message


def test_staff_see_what_became_of_each_message_and_never_its_text(
    client, clerk_gitega, dossier, sms_outbox, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    link = owe(capture, dossier, "resume_link", secrets={"link": SECRET_LINK})
    emailed = owe(
        capture,
        dossier,
        "resume_link",
        effect=Effect.EMAIL,
        recipient="aline@example.bi",
        secrets={"link": SECRET_LINK},
    )
    approved = owe(capture, dossier, "approved")
    delivery_reports.record(str(approved.pk), "delivered")
    undelivered = owe(capture, dossier, "appointment")
    delivery_reports.record(str(undelivered.pk), "failed")
    asked = owe(capture, dossier, "status_reply", recipient=OTHER_PHONE)
    OutboxMessage.objects.filter(pk=asked.pk).update(
        status=OutboxState.DEAD,
        attempts=8,
        last_error="SmsNotSent: the SMS gateway answered 400 Bad Request",
    )
    # The texts really held the secret: the page must not show them.
    assert SECRET_LINK in sms_outbox[0].text
    assert SECRET_LINK in mailoutbox[0].body
    assert (link.status, emailed.status) == ("done", "done")

    shown = section(page(client, clerk_gitega, dossier))

    rows = shown.split("<tr")[2:]  # the header row first
    assert [row.split('class="message-')[1].split('"')[0] for row in rows[:5]] == [
        "failed",
        "not-delivered",
        "delivered",
        "sent",
        "sent",
    ]
    assert "Status, asked by SMS" in rows[0]
    assert "+257 61 ** ** 54" in rows[0]
    assert "(on file)" not in rows[0]
    assert "Failed for good" in rows[0]
    assert "After 8 attempts: SmsNotSent: the SMS gateway answered 400 Bad Request" in rows[0]
    assert "Not delivered" in rows[1] and "Appointment" in rows[1]
    assert "Delivered" in rows[2] and "Approved" in rows[2]
    assert "+257 79 ** ** 56" in rows[2] and "(on file)" in rows[2]
    assert "Email" in rows[3] and "aline@example.bi" in rows[3]
    assert "Link to resume the application" in rows[4] and "SMS" in rows[4]
    assert SECRET_LINK not in shown
    assert "Xy7" not in page(client, clerk_gitega, dossier)
    assert PHONE not in shown and OTHER_PHONE not in shown


def test_a_message_being_retried_says_why_and_when(client, clerk_gitega, dossier):
    message = OutboxMessage.objects.filter(dossier=dossier, effect=Effect.SMS).first()
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=2, last_error="SmsNotSent: the SMS gateway could not be reached: timed out"
    )

    rows = section(page(client, clerk_gitega, dossier)).split("<tr")
    (row,) = [row for row in rows if "<td>SMS</td>" in row]

    assert "Waiting to be sent" in row
    assert "After 2 attempts: SmsNotSent: the SMS gateway could not be reached" in row
    assert "Next attempt:" in row


def test_another_dossiers_messages_are_not_shown(
    client, clerk_gitega, dossier, django_capture_on_commit_callbacks
):
    other = DossierFactory(
        counter=True,
        intake=True,
        service=dossier.service,
        office=dossier.office,
        clerk=clerk_gitega,
        applicant_phone=OTHER_PHONE,
    )
    owe(django_capture_on_commit_callbacks, other, "approved", recipient=OTHER_PHONE)

    shown = section(page(client, clerk_gitega, dossier))

    assert "+257 61 ** ** 54" not in shown
    assert "Approved" not in shown
    assert "Dossier filed" in shown  # its own, owed when it was filed


def test_the_messages_cost_one_query_however_many_there_are(
    client, clerk_gitega, dossier, django_capture_on_commit_callbacks
):
    page(client, clerk_gitega, dossier)  # signed in, and the caches warm

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("dossier_detail", args=[dossier.tracking_number]))
        return len(captured)

    few = queries()
    for topic in ["approved", "appointment", "inspection", "returned", "status_reply"] * 3:
        owe(django_capture_on_commit_callbacks, dossier, topic)

    assert queries() == few
    with CaptureQueriesContext(connection) as captured:
        correspondence.for_dossier(dossier)
    assert len(captured) == 1


def test_only_the_most_recent_are_shown(dossier, monkeypatch):
    monkeypatch.setattr(correspondence, "SHOWN", 1)
    OutboxMessage.objects.create(
        effect=Effect.SMS, topic="approved", recipient=PHONE, dossier=dossier
    )

    found = correspondence.for_dossier(dossier)

    assert [message.topic for message in found.messages] == ["Approved"]
    assert found.more
