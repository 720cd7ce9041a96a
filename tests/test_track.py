"""/track/: tracking number + last four phone digits, no personal data, same answer for every
miss, and a per-client limit on failures."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import DossierFactory
from workflows import public_status
from workflows.tracking import format_tracking_number, is_valid, normalize

PHONE = "+25779123456"


@pytest.fixture(autouse=True)
def fresh_rate_limit(settings):
    """Counters of this test only (the Redis cache is shared by every test and every run)."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl-test-{uuid.uuid4().hex}:"
    settings.GUP_TRACK_RATE = "3/m"


@pytest.fixture
def returned(db):
    """A dossier the office returned, with comments and staff names in its history."""
    return DossierFactory(returned=True, applicant_phone=PHONE, language="en")


def track(client, number, digits, ip="10.0.0.1"):
    client.cookies["django_language"] = "en"
    return client.post(
        reverse("track"), {"tracking_number": number, "phone_digits": digits}, REMOTE_ADDR=ip
    )


def without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.mark.django_db
def test_the_right_number_and_digits_show_the_state_timeline_and_next_step(client, returned):
    response = track(client, returned.tracking_number, "3456")

    assert response.status_code == 200
    page = response.content.decode()
    assert returned.tracking_number in page
    assert "Returned for correction" in page
    assert "Being checked at the office" in page  # the public timeline
    assert "Open it with your link or your account" in page  # what to do next
    assert "paused" in page


@pytest.mark.django_db
def test_people_type_numbers_loosely(client, returned):
    loose = returned.tracking_number.lower().replace("-", " ")

    assert returned.tracking_number in track(client, loose, " 3456 ").content.decode()


@pytest.mark.django_db
def test_the_status_shows_no_personal_data(client, returned):
    page = track(client, returned.tracking_number, "3456").content.decode()

    history = list(returned.history.all())
    secrets = [
        returned.applicant_first_name,
        returned.applicant_last_name,
        returned.applicant_national_id,
        PHONE,
        "79 12",
        returned.citizen_request,
        *[entry.comment for entry in history if entry.comment],
        *[entry.actor_name for entry in history],
        *[str(value) for value in returned.answers.values()],
    ]
    for secret in secrets:
        assert secret not in page, secret


@pytest.mark.django_db
def test_a_wrong_combination_and_an_unknown_number_get_the_same_answer(client, returned):
    office = returned.office.code
    unknown = format_tracking_number(office, returned.submitted_at.year, 999_999)

    wrong_digits = track(client, returned.tracking_number, "0000")
    unknown_number = track(client, unknown, "3456")

    # Apart from the number typed, which the form keeps, the two pages are identical.
    assert wrong_digits.status_code == unknown_number.status_code == 200
    first = without_csrf(wrong_digits).replace(returned.tracking_number, "NUMBER")
    second = without_csrf(unknown_number).replace(unknown, "NUMBER")
    assert first.replace('value="0000"', 'value="3456"') == second
    assert "We found no dossier" in first
    assert "Returned for correction" not in first


@pytest.mark.django_db
def test_a_mistyped_number_is_caught_by_its_check_character(client, returned):
    mistyped = returned.tracking_number[:-1] + ("0" if returned.tracking_number[-1] != "0" else "1")

    response = track(client, mistyped, "3456")

    assert response.status_code == 400
    assert "check each character" in response.content.decode()


@pytest.mark.django_db
def test_an_empty_form_asks_for_both_fields(client):
    client.cookies["django_language"] = "en"
    response = client.post(reverse("track"), {}, REMOTE_ADDR="10.0.0.9")

    assert response.status_code == 400
    assert response.content.decode().count("This field is required.") >= 2


@pytest.mark.django_db
def test_drafts_are_not_found(client):
    draft = DossierFactory(applicant_phone=PHONE)

    assert public_status.lookup(str(draft.public_id), "3456") is None


@pytest.mark.django_db
def test_repeated_failures_from_one_client_are_slowed_down(client, returned):
    for _attempt in range(3):
        assert track(client, returned.tracking_number, "0000").status_code == 200

    locked = track(client, returned.tracking_number, "3456")  # even the right answer now waits

    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    assert returned.tracking_number not in locked.content.decode()
    # Another client is not affected.
    assert track(Client(), returned.tracking_number, "3456", ip="10.0.0.2").status_code == 200


@pytest.mark.django_db
def test_malformed_input_counts_as_a_failure_and_successes_do_not(client, returned):
    for _attempt in range(5):
        assert track(client, returned.tracking_number, "3456").status_code == 200
    for _attempt in range(3):
        assert track(client, "GIT-2026", "12").status_code == 400

    assert track(client, returned.tracking_number, "3456").status_code == 429


@pytest.mark.django_db
def test_the_page_works_without_a_tracking_number_yet(client):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("track")).content.decode()

    assert 'for="id_tracking_number"' in page
    assert 'for="id_phone_digits"' in page


@pytest.mark.django_db
def test_the_example_number_shown_is_a_valid_one(client):
    """The help text's example passes the check character: nobody is taught a wrong number."""
    client.cookies["django_language"] = "en"
    page = client.get(reverse("track")).content.decode()

    example = re.search(r"for example ([A-Z]{3}-\d{4}-\d{6}-[0-9A-Z])", page).group(1)
    assert example == "GIT-2026-000042-B"
    assert is_valid(normalize(example))


@pytest.mark.django_db
def test_each_state_tells_the_citizen_what_to_do(db):
    for state in ("submitted", "awaiting_payment", "in_review", "ready_for_collection"):
        dossier = DossierFactory(state=state)
        assert public_status.what_to_do(dossier)
    awaiting = DossierFactory(awaiting_payment=True)
    assert "BIF" in public_status.what_to_do(awaiting)


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["intake", "approved"])
def test_the_status_promises_no_message_nothing_sends(client, citizen, state):
    """Nothing tells the citizen of a change yet: the page says to come back and look."""
    dossier = DossierFactory(state=state, applicant_phone=PHONE, applicant_account=citizen)

    tracked = track(client, dossier.tracking_number, "3456").content.decode()
    client.force_login(citizen)
    followed = client.get(reverse("citizen_follow", args=[dossier.public_id])).content.decode()

    for page in (tracked, followed):
        assert dossier.tracking_number in page
        assert "check it again with your tracking number" in page.lower()
        for promise in ("you will be told", "will be notified", "we will send", "you will receive"):
            assert promise not in page.lower(), promise


def test_the_receipts_qr_code_opens_the_page_with_the_number_filled_in(client):
    response = client.get(reverse("track") + "?number=git 2026 000042 b")

    assert response.status_code == 200
    assert response.context["form"]["tracking_number"].value() == "GIT-2026-000042-B"
    assert 'value="GIT-2026-000042-B"' in response.text


def test_a_hostile_number_in_the_address_is_only_text_in_the_form(client):
    response = client.get(reverse("track") + "?number=%3Cscript%3E" + "9" * 500)

    assert response.status_code == 200
    assert "<script>" not in response.text
