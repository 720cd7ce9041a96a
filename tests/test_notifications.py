"""Every citizen told, in their language, on every event they must hear about, whatever the
channel they filed by."""

import pytest
from django.utils import timezone

from tests.factories import DossierFactory
from workflows.models import OutboxMessage
from workflows.states import DossierState as S

pytestmark = pytest.mark.django_db


def topics_told(dossier, effect="sms") -> list[str]:
    messages = OutboxMessage.objects.filter(dossier=dossier, effect=effect).order_by("pk")
    return [message.topic for message in messages]


def test_an_online_passport_tells_the_citizen_each_step_in_kirundi(
    passport, office_gitega, django_capture_on_commit_callbacks, sms_outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = DossierFactory(
            state=S.READY_FOR_COLLECTION, service=passport, office=office_gitega, language="rn"
        )

    assert topics_told(dossier) == [
        "filed",
        "payment_requested",
        "approved",
        "ready_for_collection",
    ]
    messages = OutboxMessage.objects.filter(dossier=dossier, effect="sms")
    assert {(m.language, m.recipient, m.status) for m in messages} == {
        ("rn", dossier.applicant_phone, "done")
    }
    assert len(sms_outbox) == 4
    # No email address was given: nothing is emailed.
    assert topics_told(dossier, "email") == []


def test_a_walk_in_citizen_is_told_too_by_sms_and_email(
    building_permit, office_gitega, django_capture_on_commit_callbacks, sms_outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = DossierFactory(
            counter=True,
            state=S.IN_REVIEW,
            service=building_permit,
            office=office_gitega,
            applicant_email="jb@example.bi",
            language="en",
        )

    assert topics_told(dossier)[0] == "filed"
    assert topics_told(dossier, "email")[0] == "filed"
    assert sms_outbox[0].to == dossier.applicant_phone


@pytest.mark.parametrize(
    "state, topic",
    [
        (S.RETURNED, "returned"),
        (S.INFORMATION_REQUESTED, "information_requested"),
        (S.INSPECTION, "inspection"),
        (S.REJECTED, "rejected"),
    ],
)
def test_each_request_and_decision_is_told(
    building_permit, office_gitega, django_capture_on_commit_callbacks, state, topic
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = DossierFactory(state=state, service=building_permit, office=office_gitega)

    assert topics_told(dossier)[-1] == topic


def test_steps_the_citizen_need_not_hear_about_send_nothing(
    passport, office_gitega, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = DossierFactory(state=S.IN_REVIEW, service=passport, office=office_gitega)

    # Taken for checking, forwarded, received by the ministry: the citizen is not disturbed.
    assert "start_intake" not in topics_told(dossier)
    assert len(topics_told(dossier)) == len(set(topics_told(dossier)))


def test_an_appointment_is_told_with_its_date(
    passport, office_gitega, django_capture_on_commit_callbacks, sms_outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = DossierFactory(state=S.APPOINTMENT, service=passport, office=office_gitega)

    assert topics_told(dossier)[-1] == "appointment"
    step = dossier.open_scheduled_step()
    assert timezone.localtime(step.starts_at).strftime("%H:%M") in sms_outbox[-1].text


def test_phone_numbers_reach_the_logs_masked_and_texts_never(
    passport, office_gitega, django_capture_on_commit_callbacks, sms_outbox, every_log
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = DossierFactory(state=S.AWAITING_PAYMENT, service=passport, office=office_gitega)

    logged = "\n".join(f"{record.getMessage()} {record.args}" for record in every_log.records)
    assert "+257 79 ** **" in logged  # the sending was logged...
    assert dossier.applicant_phone not in logged  # ...with the phone masked
    for sms in sms_outbox:
        assert sms.text not in logged
