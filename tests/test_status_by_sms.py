"""Status by SMS: a tracking number texted from the phone on file, or with the phone's last four
digits from another phone, is answered with the dossier's state; everything else gets one and
the same answer; one reply per inbound message; a limit per sender; signed callbacks only."""

import json
import time
import uuid

import pytest
from django.urls import reverse

from gup.sms import signing
from tests.factories import DossierFactory, UserFactory
from workflows import status_by_sms
from workflows.models import Dossier, OutboxMessage
from workflows.status_by_sms import Question, parse
from workflows.tracking import format_tracking_number

pytestmark = pytest.mark.django_db

SECRET = "shared-with-the-gateway"
ON_FILE = "+25779123456"
OTHER_PHONE = "+25761987654"
#: A tracking number that is valid but belongs to no dossier.
NOBODYS = format_tracking_number("GIT", 2026, 999_999)


@pytest.fixture(autouse=True)
def gateway(settings):
    """The shared secret, and rate counters of this test only (the Redis cache is shared by
    every test and every run)."""
    settings.GUP_SMS_GATEWAY_SECRET = SECRET
    settings.RATELIMIT_CACHE_PREFIX = f"rl-test-{uuid.uuid4().hex}:"
    settings.GUP_SMS_STATUS_RATE = "5/15m"


@pytest.fixture
def dossier():
    """A Kirundi speaker's dossier, filed and being checked."""
    return DossierFactory(intake=True, applicant_phone=ON_FILE, language="rn")


def post(client, body, *, secret=SECRET, signature=None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    header = signing.sign(raw, secret) if signature is None else signature
    return client.post(
        reverse("sms_inbound"), raw, content_type="application/json", HTTP_X_GUP_SIGNATURE=header
    )


def texted(client, capture, text, sender=ON_FILE, message_id=None):
    """The gateway posts an SMS; the reply's job runs after the commit, as in production."""
    with capture(execute=True):
        response = post(
            client, {"id": message_id or uuid.uuid4().hex, "from": sender, "text": text}
        )
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "accepted"}
    return response


def replies():
    return OutboxMessage.objects.filter(topic__startswith="status_").order_by("pk")


def as_rows(messages):
    return [
        (message.topic, message.language, message.recipient, message.dossier_id)
        for message in messages
    ]


# --- Who gets what ----------------------------------------------------------------------------


def test_the_phone_on_file_needs_only_the_number_however_typed(
    client, dossier, sms_outbox, django_capture_on_commit_callbacks
):
    texted(
        client,
        django_capture_on_commit_callbacks,
        dossier.tracking_number.lower().replace("-", " "),
    )

    assert as_rows(replies()) == [("status_reply", "rn", ON_FILE, dossier.pk)]
    reply = replies().get()
    assert reply.status == "done"
    assert [(sms.to, sms.idempotency_key) for sms in sms_outbox] == [(ON_FILE, str(reply.pk))]


def test_another_phone_with_the_last_four_digits_gets_the_answer_in_the_dossiers_language(
    client, dossier, sms_outbox, django_capture_on_commit_callbacks
):
    texted(
        client,
        django_capture_on_commit_callbacks,
        f"Status {dossier.tracking_number} 3456 please",
        sender=OTHER_PHONE,
    )

    assert as_rows(replies()) == [("status_reply", "rn", OTHER_PHONE, dossier.pk)]
    assert [sms.to for sms in sms_outbox] == [OTHER_PHONE]


def test_the_sender_may_write_its_number_in_its_national_form(
    client, dossier, django_capture_on_commit_callbacks
):
    texted(client, django_capture_on_commit_callbacks, dossier.tracking_number, sender="79123456")

    assert as_rows(replies()) == [("status_reply", "rn", ON_FILE, dossier.pk)]


def test_every_miss_gets_the_same_answer_whatever_its_cause(
    client, dossier, sms_outbox, django_capture_on_commit_callbacks
):
    draft = DossierFactory(applicant_phone=ON_FILE, language="rn")
    draft_number = format_tracking_number("GIT", 2026, 777_777)
    Dossier.objects.filter(pk=draft.pk).update(tracking_number=draft_number)
    misses = {
        "wrong last four": f"{dossier.tracking_number} 3457",
        "no last four": dossier.tracking_number,
        "unknown number": f"{NOBODYS} 3456",
        "a draft": f"{draft_number} 3456",
        "no number at all": "hello, where is my passport?",
    }

    for text in misses.values():
        texted(client, django_capture_on_commit_callbacks, text, sender=OTHER_PHONE)

    rows = as_rows(replies())
    assert len(rows) == len(misses)
    assert set(rows) == {("status_unknown", "fr", OTHER_PHONE, None)}
    assert len({sms.text for sms in sms_outbox}) == 1
    assert dossier.tracking_number not in sms_outbox[0].text


def test_the_unknown_answer_speaks_the_senders_language_when_it_has_an_account(
    client, dossier, django_capture_on_commit_callbacks
):
    UserFactory(phone=OTHER_PHONE, preferred_language="en")

    texted(client, django_capture_on_commit_callbacks, f"{NOBODYS} 3456", sender=OTHER_PHONE)
    texted(
        client, django_capture_on_commit_callbacks, f"{dossier.tracking_number} 0000", OTHER_PHONE
    )

    assert set(as_rows(replies())) == {("status_unknown", "en", OTHER_PHONE, None)}


# --- Reading the text -------------------------------------------------------------------------

NUMBER = format_tracking_number("GIT", 2026, 42)
DIGIT_CHECKED = next(
    number
    for number in (format_tracking_number("NGO", 2026, n) for n in range(1, 100))
    if number[-1].isdigit()
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (NUMBER, Question(NUMBER, "")),
        (NUMBER.lower(), Question(NUMBER, "")),
        (NUMBER.replace("-", " ").lower() + " 3456", Question(NUMBER, "3456")),
        (NUMBER.replace("-", ""), Question(NUMBER, "")),
        (f"Status of {NUMBER}, phone ends 34 56. Thanks!", Question(NUMBER, "3456")),
        (f"3456 {NUMBER}", Question(NUMBER, "3456")),
        (f"{NUMBER} +257 79 12 34 56", Question(NUMBER, "3456")),
        (f"{NUMBER}3456", Question(NUMBER, "3456")),
        (f"{DIGIT_CHECKED}3456", Question(DIGIT_CHECKED, "3456")),
        (f"{DIGIT_CHECKED} 3456", Question(DIGIT_CHECKED, "3456")),
        (NUMBER[:-1] + ("0" if NUMBER[-1] != "0" else "1"), Question("", "")),  # wrong check
        ("hello 3456", Question("", "")),
        ("", Question("", "")),
    ],
)
def test_texts_are_read_leniently(text, expected):
    assert parse(text) == expected


# --- Once, and not too often ------------------------------------------------------------------


def test_a_redelivered_message_gets_one_reply(
    client, dossier, sms_outbox, django_capture_on_commit_callbacks
):
    for _ in range(3):
        texted(
            client, django_capture_on_commit_callbacks, dossier.tracking_number, message_id="gw-7"
        )

    assert replies().count() == 1
    assert replies().get().once_key == "inbound-gw-7"
    assert len(sms_outbox) == 1


def test_past_the_limit_a_sender_gets_no_reply_and_nothing_is_looked_up(
    client, dossier, sms_outbox, django_capture_on_commit_callbacks, monkeypatch, every_log
):
    for _ in range(5):
        texted(client, django_capture_on_commit_callbacks, dossier.tracking_number)
    looked_up = []
    monkeypatch.setattr(status_by_sms, "decide", lambda *args: looked_up.append(args))

    texted(client, django_capture_on_commit_callbacks, f"{dossier.tracking_number} 3456")

    assert replies().count() == 5
    assert len(sms_outbox) == 5
    assert looked_up == []
    assert "+257 79 ** ** 56 is over the rate limit" in every_log.text
    assert ON_FILE not in every_log.text
    assert dossier.tracking_number not in every_log.text  # the text is never logged


def test_the_limit_is_per_sender(client, dossier, django_capture_on_commit_callbacks):
    for _ in range(6):
        texted(client, django_capture_on_commit_callbacks, dossier.tracking_number)

    texted(
        client, django_capture_on_commit_callbacks, f"{dossier.tracking_number} 3456", OTHER_PHONE
    )

    assert replies().filter(recipient=ON_FILE).count() == 5
    assert replies().filter(recipient=OTHER_PHONE).count() == 1


# --- What the gateway may send ----------------------------------------------------------------


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "t=1,v1=" + "0" * 64,
        "not a signature",
        signing.sign(b"another body", SECRET),
        signing.sign(b"{}", "another secret"),
    ],
    ids=["missing", "forged", "malformed", "other body", "other secret"],
)
def test_an_unsigned_message_is_refused_and_changes_nothing(client, dossier, signature):
    body = {"id": "gw-1", "from": ON_FILE, "text": dossier.tracking_number}

    response = post(client, body, signature=signature)

    assert response.status_code == 403
    assert response.json() == {"error": "bad signature"}
    assert not replies().exists()


def test_a_message_signed_long_ago_is_refused(client, dossier):
    raw = json.dumps({"id": "gw-1", "from": ON_FILE, "text": dossier.tracking_number}).encode()

    response = post(client, raw, signature=signing.sign(raw, SECRET, now=time.time() - 3600))

    assert response.status_code == 403
    assert not replies().exists()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"not json", "expected JSON with the strings 'id', 'from' and 'text'"),
        (b"[1, 2]", "expected JSON with the strings 'id', 'from' and 'text'"),
        ({"id": "gw-1", "from": ON_FILE}, "expected JSON with the strings 'id', 'from' and 'text'"),
        ({"id": 7, "from": ON_FILE, "text": "x"}, "expected JSON with the strings"),
        ({"id": "gw-1", "from": 25779123456, "text": "x"}, "expected JSON with the strings"),
        ({"id": "gw-1", "from": ON_FILE, "text": None}, "expected JSON with the strings"),
        ({"id": "", "from": ON_FILE, "text": "x"}, "'id' must be"),
        ({"id": "gw 1", "from": ON_FILE, "text": "x"}, "'id' must be"),
        ({"id": "g" * 101, "from": ON_FILE, "text": "x"}, "'id' must be"),
        ({"id": "gw-1", "from": "GUP", "text": "x"}, "'from' is not a phone number"),
        ({"id": "gw-1", "from": "+2571234", "text": "x"}, "'from' is not a phone number"),
    ],
)
def test_a_malformed_message_is_refused_clearly(client, dossier, body, error):
    response = post(client, body)

    assert response.status_code == 400
    assert response.json()["error"].startswith(error)
    assert not replies().exists()


def test_only_post(client):
    assert client.get(reverse("sms_inbound")).status_code == 405
