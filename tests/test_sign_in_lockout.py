"""Sign-in lockout (django-axes, gup/accounts/lockout.py) and the security log of sign-ins and
refusals (gup/security_log.py): staff, admin and citizen sign-in pages."""

import io
import logging
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.urls import reverse

from tests.factories import PASSWORD, DossierFactory, UserFactory

STAFF_LOGIN = "/staff/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def staff_sign_in(client, username, password, address="10.0.0.7"):
    return client.post(
        STAFF_LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def citizen_sign_in(client, identifier, password, address="10.0.0.7"):
    return client.post(
        reverse("citizen_sign_in"),
        {"identifier": identifier, "password": password},
        REMOTE_ADDR=address,
    )


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def fail(sign_in, client, who, times, **kwargs):
    return [sign_in(client, who, "wrong-password", **kwargs).status_code for _ in range(times)]


@pytest.mark.django_db
def test_wrong_passwords_lock_the_staff_account_and_the_right_one_then_fails(
    english, clerk_gitega, settings
):
    statuses = fail(staff_sign_in, english, "clerk.gitega", settings.GUP_SIGN_IN_ACCOUNT_LIMIT)

    assert statuses[:-1] == [200] * (settings.GUP_SIGN_IN_ACCOUNT_LIMIT - 1)
    assert statuses[-1] == 429
    response = staff_sign_in(english, "clerk.gitega", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(english)
    page = response.content.decode()
    assert "Sign-in paused" in page
    assert "wait 15 minutes, then try again" in page
    assert response["Retry-After"] == str(15 * 60)


@pytest.mark.django_db
def test_a_few_typos_do_not_lock_anyone_out(english, clerk_gitega, settings):
    statuses = fail(staff_sign_in, english, "clerk.gitega", settings.GUP_SIGN_IN_ACCOUNT_LIMIT - 1)

    assert set(statuses) == {200}
    response = staff_sign_in(english, "clerk.gitega", PASSWORD)
    assert response.status_code == 302
    assert signed_in(english)


@pytest.mark.django_db
def test_the_lockout_ends_after_the_cool_off(english, clerk_gitega, settings):
    fail(staff_sign_in, english, "clerk.gitega", settings.GUP_SIGN_IN_ACCOUNT_LIMIT)
    assert staff_sign_in(english, "clerk.gitega", PASSWORD).status_code == 429

    # Time moves on: every attempt is now as old as the cool-off.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.latest("attempt_time").attempt_time
        - timedelta(minutes=settings.GUP_SIGN_IN_COOLOFF_MINUTES, seconds=1)
    )

    assert staff_sign_in(english, "clerk.gitega", PASSWORD).status_code == 302
    assert signed_in(english)


@pytest.mark.django_db
def test_the_account_stays_locked_from_another_address(english, client, clerk_gitega, settings):
    for attempt in range(settings.GUP_SIGN_IN_ACCOUNT_LIMIT):
        staff_sign_in(english, "clerk.gitega", "wrong-password", address=f"10.0.1.{attempt}")

    response = staff_sign_in(client, "clerk.gitega", PASSWORD, address="10.9.9.9")

    assert response.status_code == 429
    assert not signed_in(client)


@pytest.mark.django_db
def test_an_address_trying_many_accounts_is_locked_out(english, clerk_gitega, settings):
    settings.GUP_SIGN_IN_ADDRESS_LIMIT = 8
    statuses = [
        staff_sign_in(english, f"someone{n}", "wrong-password").status_code for n in range(8)
    ]

    # Each account had one failure only; the address had eight.
    assert statuses == [200] * 7 + [429]
    assert staff_sign_in(english, "clerk.gitega", PASSWORD).status_code == 429
    # Another address is not concerned.
    assert staff_sign_in(english, "clerk.gitega", PASSWORD, address="10.0.0.8").status_code == 302


@pytest.mark.django_db
def test_the_admin_sign_in_is_locked_out_too(english, administrator, settings):
    for _ in range(settings.GUP_SIGN_IN_ACCOUNT_LIMIT):
        response = english.post(
            ADMIN_LOGIN, {"username": "admin", "password": "nope", "next": "/admin/"}
        )
    assert response.status_code == 429

    response = english.post(
        ADMIN_LOGIN, {"username": "admin", "password": PASSWORD, "next": "/admin/"}
    )

    assert response.status_code == 429
    assert not signed_in(english)


@pytest.mark.django_db
def test_the_citizen_sign_in_counts_every_spelling_of_a_number_as_one_account(english, settings):
    UserFactory(username="+25779123456", phone="+25779123456")
    spellings = ["79 12 34 56", "+257 79 12 34 56", "79123456", "79-12-34-56", "+25779123456"]

    statuses = [citizen_sign_in(english, spelling, "wrong").status_code for spelling in spellings]

    assert statuses == [400, 400, 400, 400, 429]
    assert citizen_sign_in(english, "79 12 34 56", PASSWORD).status_code == 429
    assert not signed_in(english)


@pytest.mark.django_db
def test_the_locked_out_page_does_not_tell_whether_the_account_exists(english, client, settings):
    UserFactory(username="+25779123456", phone="+25779123456")
    limit = settings.GUP_SIGN_IN_ACCOUNT_LIMIT
    fail(citizen_sign_in, english, "79123456", limit, address="10.0.0.1")
    fail(citizen_sign_in, client, "79000001", limit, address="10.0.0.2")

    existing = citizen_sign_in(english, "79123456", "wrong", address="10.0.0.1")
    unknown = citizen_sign_in(client, "79000001", "wrong", address="10.0.0.2")

    assert existing.status_code == unknown.status_code == 429
    assert without_csrf_token(existing) == without_csrf_token(unknown)


def without_csrf_token(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


@pytest.mark.django_db
def test_an_administrator_can_unlock_an_account(english, clerk_gitega, settings):
    fail(staff_sign_in, english, "clerk.gitega", settings.GUP_SIGN_IN_ACCOUNT_LIMIT)

    call_command("axes_reset_username", "clerk.gitega", stdout=io.StringIO())

    assert staff_sign_in(english, "clerk.gitega", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_test_client_login_is_not_throttled(client, clerk_gitega):
    """Authentications without a request (client.login, the shell) are no web sign-in."""
    assert client.login(username="clerk.gitega", password=PASSWORD)


# --- The security log --------------------------------------------------------------------------


def security_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "gup.security"]


@pytest.mark.django_db
def test_failed_and_locked_out_sign_ins_are_logged_with_who_and_where(
    english, clerk_gitega, settings, caplog
):
    caplog.set_level(logging.INFO, logger="gup.security")
    fail(staff_sign_in, english, "clerk.gitega", settings.GUP_SIGN_IN_ACCOUNT_LIMIT)
    staff_sign_in(english, "nobody.here", "hunter2-secret")

    lines = security_lines(caplog)
    assert f"event=sign_in_failed page=/staff/login/ user={clerk_gitega.pk} ip=10.0.0.7" in lines
    assert f"event=locked_out page=/staff/login/ user={clerk_gitega.pk} ip=10.0.0.7" in lines
    # An unknown name is masked; a password never appears.
    assert 'event=sign_in_failed page=/staff/login/ who="no***" ip=10.0.0.7' in lines
    assert all(record.created for record in caplog.records)  # when: each record's time stamp
    everything = caplog.text
    assert "wrong-password" not in everything and "hunter2" not in everything
    assert "nobody.here" not in everything


@pytest.mark.django_db
def test_citizen_phone_numbers_and_emails_are_masked_in_the_log(english, caplog):
    caplog.set_level(logging.INFO)
    citizen_sign_in(english, "79 88 77 66", "wrong")
    citizen_sign_in(english, "someone@example.bi", "wrong")

    lines = security_lines(caplog)
    assert 'event=sign_in_failed page=/account/sign-in/ who="+257 79 ** ** 66" ip=10.0.0.7' in lines
    assert 'event=sign_in_failed page=/account/sign-in/ who="s***@example.bi" ip=10.0.0.7' in lines
    assert "88 77" not in caplog.text and "887766" not in caplog.text
    assert "someone@" not in caplog.text
    # What axes keeps of the failed form: neither the number typed nor the password.
    kept = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert "wrong" not in kept and "887766" not in kept and "88 77" not in kept
    assert "someone" not in kept


@pytest.mark.django_db
def test_a_dossier_of_another_office_is_a_logged_404(client, clerk_ngozi, office_gitega, caplog):
    caplog.set_level(logging.INFO, logger="gup.security")
    dossier = DossierFactory(office=office_gitega)
    client.force_login(clerk_ngozi)

    response = client.get(reverse("dossier_detail", args=[dossier.tracking_number]))

    assert response.status_code == 404
    assert (
        f"event=denied status=404 method=GET path=/dossiers/{dossier.tracking_number}/ "
        f"user={clerk_ngozi.pk} ip=127.0.0.1"
    ) in security_lines(caplog)
