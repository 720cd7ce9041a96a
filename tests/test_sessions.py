"""Sessions: staff sessions end when idle or too old, everywhere at once on request, and on a
password change; the cookies' flags (gup/accounts/sessions.py, gup/settings/production.py)."""

import importlib
import logging

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from gup.accounts.models import User
from gup.accounts.sessions import SEEN_AT, SIGNED_IN_AT
from tests.factories import PASSWORD

NEW_PASSWORD = "umugezi-wa-ruvubu-2026"


def sign_in(username, password=PASSWORD) -> Client:
    """A browser of its own, signed in through the staff sign-in page."""
    browser = Client()
    browser.cookies["django_language"] = "en"
    response = browser.post("/staff/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content
    return browser


def shift(browser, key, minutes):
    """Move a session time stamp back, as if ``minutes`` had passed."""
    session = browser.session
    session[key] -= minutes * 60
    session.save()


def is_signed_in(browser) -> bool:
    return SESSION_KEY in browser.session


def queue(browser):
    return browser.get(reverse("counter_queue"))


@pytest.mark.django_db
def test_a_staff_session_ends_after_30_minutes_idle(clerk_gitega, caplog):
    caplog.set_level(logging.INFO, logger="gup.security")
    browser = sign_in("clerk.gitega")
    shift(browser, SEEN_AT, 31)
    shift(browser, SIGNED_IN_AT, 31)

    response = queue(browser)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert not is_signed_in(browser)
    page = browser.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity" in page
    assert any(
        "event=session_expired" in r.getMessage() and "reason=idle" in r.getMessage()
        for r in caplog.records
    )


@pytest.mark.django_db
def test_a_staff_session_active_within_30_minutes_stays_open(clerk_gitega):
    browser = sign_in("clerk.gitega")
    shift(browser, SEEN_AT, 29)
    shift(browser, SIGNED_IN_AT, 29)

    assert queue(browser).status_code == 200
    # The request counted as activity: 29 more minutes later it is still open.
    shift(browser, SEEN_AT, 29)
    assert queue(browser).status_code == 200
    assert is_signed_in(browser)


@pytest.mark.django_db
def test_a_staff_session_ends_after_12_hours_however_busy(clerk_gitega):
    browser = sign_in("clerk.gitega")
    shift(browser, SIGNED_IN_AT, 12 * 60)

    response = queue(browser)

    assert response.status_code == 302
    assert not is_signed_in(browser)
    page = browser.get(response["Location"]).content.decode()
    assert "a session lasts at most 12 hours" in page


@pytest.mark.django_db
def test_an_idle_admin_is_sent_to_the_admin_sign_in(administrator):
    browser = Client()
    assert (
        browser.post(
            "/admin/login/", {"username": "admin", "password": PASSWORD, "next": "/admin/"}
        ).status_code
        == 302
    )
    shift(browser, SEEN_AT, 31)

    response = browser.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_a_citizen_session_is_not_cut_after_30_minutes(citizen):
    browser = Client()
    browser.force_login(citizen)
    shift(browser, SEEN_AT, 31)
    shift(browser, SIGNED_IN_AT, 13 * 60)

    assert browser.get(reverse("my_dossiers")).status_code == 200
    assert is_signed_in(browser)


@pytest.mark.django_db
def test_sign_out_everywhere_ends_every_session_of_that_user_only(clerk_gitega, clerk_ngozi):
    office, home = sign_in("clerk.gitega"), sign_in("clerk.gitega")
    colleague = sign_in("clerk.ngozi")
    assert "Sign out everywhere" in office.get(reverse("staff_account")).content.decode()

    response = office.post(reverse("sign_out_everywhere"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert queue(office).status_code == 302
    assert queue(home).status_code == 302
    assert queue(colleague).status_code == 200
    # Signing in again works, and only this new session is open.
    again = sign_in("clerk.gitega")
    assert queue(again).status_code == 200
    assert queue(home).status_code == 302


@pytest.mark.django_db
def test_sign_out_everywhere_is_a_post_for_staff_only(clerk_gitega, citizen):
    office = sign_in("clerk.gitega")
    assert office.get(reverse("sign_out_everywhere")).status_code == 405
    assert queue(office).status_code == 200

    browser = Client()
    browser.force_login(citizen)
    assert browser.post(reverse("sign_out_everywhere")).status_code == 404
    assert browser.get(reverse("staff_account")).status_code == 404


@pytest.mark.django_db
def test_changing_the_password_keeps_this_session_and_ends_the_others(clerk_gitega):
    office, home = sign_in("clerk.gitega"), sign_in("clerk.gitega")

    response = office.post(
        reverse("staff_change_password"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert queue(office).status_code == 200
    assert queue(home).status_code == 302
    assert not is_signed_in(home)
    assert sign_in("clerk.gitega", NEW_PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (
            {
                "old_password": "not-it",
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
            "old_password",
            "Your old password was entered incorrectly",
        ),
        (
            {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "other"},
            "new_password2",
            "The two password fields didn",
        ),
        (
            {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
            "new_password2",
            "This password is too common",
        ),
    ],
)
def test_a_refused_password_change_says_why_and_changes_nothing(clerk_gitega, form, field, message):
    office, home = sign_in("clerk.gitega"), sign_in("clerk.gitega")

    response = office.post(reverse("staff_change_password"), form)

    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert message in page
    clerk_gitega.refresh_from_db()
    assert clerk_gitega.check_password(PASSWORD)
    assert queue(home).status_code == 200


@pytest.mark.django_db
def test_sessions_open_before_the_generation_existed_stay_open(clerk_gitega):
    """Generation 0 is Django's own proof: deploying this signs nobody out."""
    browser = sign_in("clerk.gitega")
    User.objects.filter(pk=clerk_gitega.pk).update(session_generation=0)
    assert queue(browser).status_code == 200


# --- Cookies ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_session_cookie_is_http_only_and_same_site(clerk_gitega):
    browser = Client()
    browser.post("/staff/login/", {"username": "clerk.gitega", "password": PASSWORD})

    cookie = browser.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_production_cookies_are_secure_http_only_and_same_site(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    production = importlib.import_module("gup.settings.production")

    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SESSION_COOKIE_HTTPONLY and production.CSRF_COOKIE_HTTPONLY
    assert production.SESSION_COOKIE_SAMESITE == production.CSRF_COOKIE_SAMESITE == "Lax"
    assert production.GUP_STAFF_SESSION_IDLE_MINUTES == 30
    assert production.GUP_STAFF_SESSION_MAX_HOURS == 12
