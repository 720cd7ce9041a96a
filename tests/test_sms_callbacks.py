"""The SMS gateway's delivery reports: signed, recorded once, never moved backwards."""

import json
import time

import pytest
from django.urls import reverse

from gup.sms import signing
from workflows.models import DeliveryStatus, Effect, OutboxMessage

pytestmark = pytest.mark.django_db

SECRET = "shared-with-the-gateway"
PHONE = "+25779123456"


@pytest.fixture(autouse=True)
def gateway_secret(settings):
    settings.GUP_SMS_GATEWAY_SECRET = SECRET


@pytest.fixture
def sms():
    """An SMS the gateway accepted."""
    return OutboxMessage.objects.create(
        effect=Effect.SMS,
        topic="filed",
        recipient=PHONE,
        language="rn",
        status="done",
        delivery_status=DeliveryStatus.SENT,
    )


def report(client, body, *, signature=None, secret=SECRET):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    header = signing.sign(raw, secret) if signature is None else signature
    return client.post(
        reverse("sms_delivery_report"),
        raw,
        content_type="application/json",
        HTTP_X_GUP_SIGNATURE=header,
    )


def reported(message):
    message.refresh_from_db()
    return message.delivery_status, message.provider_reference, message.delivery_reported_at


def test_a_signed_report_is_recorded(client, sms):
    response = report(client, {"reference": str(sms.pk), "status": "delivered", "id": "gw-81"})

    assert response.status_code == 204
    status, provider_reference, reported_at = reported(sms)
    assert (status, provider_reference) == (DeliveryStatus.DELIVERED, "gw-81")
    assert reported_at is not None


def test_a_failure_is_recorded(client, sms):
    assert report(client, {"reference": str(sms.pk), "status": "failed"}).status_code == 204

    assert reported(sms)[0] == DeliveryStatus.FAILED


@pytest.mark.parametrize("late", ["sent", "failed"])
def test_a_late_report_does_not_undo_a_delivery(client, sms, late):
    report(client, {"reference": str(sms.pk), "status": "delivered"})
    delivered = reported(sms)

    response = report(client, {"reference": str(sms.pk), "status": late})

    assert response.status_code == 204
    assert reported(sms) == delivered


@pytest.mark.parametrize("reference", ["0", "999999999", "abc", "", "-1", "9" * 40])
def test_an_unknown_message_is_not_found(client, sms, reference):
    response = report(client, {"reference": reference, "status": "delivered"})

    assert response.status_code == 404
    assert reported(sms)[0] == DeliveryStatus.SENT


def test_only_sms_have_delivery_reports(client):
    email = OutboxMessage.objects.create(
        effect=Effect.EMAIL, topic="filed", recipient="aline@example.bi", status="done"
    )

    response = report(client, {"reference": str(email.pk), "status": "delivered"})

    assert response.status_code == 404
    email.refresh_from_db()
    assert email.delivery_status == ""


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "t=1,v1=" + "0" * 64,
        "v1=" + "0" * 64,
        "not a signature",
        "t=1,v1=é",
    ],
    ids=["missing", "forged", "no time", "malformed", "not ascii"],
)
def test_an_unsigned_report_is_refused_and_changes_nothing(client, sms, signature):
    before = reported(sms)

    response = report(
        client, {"reference": str(sms.pk), "status": "delivered"}, signature=signature
    )

    assert response.status_code == 403
    assert response.json() == {"error": "bad signature"}
    assert reported(sms) == before


def test_a_report_signed_with_another_secret_or_for_another_body_is_refused(client, sms):
    body = json.dumps({"reference": str(sms.pk), "status": "delivered"}).encode()
    before = reported(sms)

    assert report(client, body, secret="another secret").status_code == 403
    assert report(client, body, signature=signing.sign(b"{}", SECRET)).status_code == 403
    assert reported(sms) == before


def test_a_stale_report_is_refused(client, sms):
    body = json.dumps({"reference": str(sms.pk), "status": "delivered"}).encode()
    before = reported(sms)

    response = report(client, body, signature=signing.sign(body, SECRET, now=time.time() - 3600))

    assert response.status_code == 403
    assert reported(sms) == before


def test_without_a_configured_secret_every_report_is_refused(client, sms, settings):
    body = json.dumps({"reference": str(sms.pk), "status": "delivered"}).encode()
    signature = signing.sign(body, SECRET)
    settings.GUP_SMS_GATEWAY_SECRET = ""

    assert report(client, body, signature=signature).status_code == 403
    assert reported(sms)[0] == DeliveryStatus.SENT


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1]", b'"delivered"', {"status": "delivered"}, {"reference": 1, "status": 2}],
    ids=["not json", "a list", "a string", "no reference", "not strings"],
)
def test_a_malformed_report_is_refused_clearly(client, sms, body):
    response = report(client, body)

    assert response.status_code == 400
    assert response.json() == {"error": "expected JSON with the strings 'reference' and 'status'"}
    assert reported(sms)[0] == DeliveryStatus.SENT


def test_only_post(client):
    assert client.get(reverse("sms_delivery_report")).status_code == 405
