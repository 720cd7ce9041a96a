"""Citizen accounts: sign up and sign in with a phone number or an email; "my dossiers"."""

import uuid

import pytest
from django.urls import reverse

from gup.accounts.models import User
from gup.roles import Role
from tests.factories import PASSWORD, DossierFactory, UserFactory

SIGN_UP = {
    "first_name": "Aline",
    "last_name": "Ndayishimiye",
    "identifier": "79 12 34 56",
    "password1": "imvura-nyinshi-2026",
    "password2": "imvura-nyinshi-2026",
}


@pytest.fixture(autouse=True)
def fresh_rate_limit(settings):
    settings.RATELIMIT_CACHE_PREFIX = f"rl-test-{uuid.uuid4().hex}:"
    settings.GUP_TRACK_RATE = "3/m"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.django_db
def test_sign_up_with_a_phone_number(english):
    response = english.post(reverse("citizen_sign_up"), SIGN_UP)

    assert response.url == reverse("my_dossiers")
    user = User.objects.get()
    assert (user.username, user.phone, user.role) == ("+25779123456", "+25779123456", Role.CITIZEN)
    assert english.get(reverse("my_dossiers")).wsgi_request.user == user


@pytest.mark.django_db
def test_sign_up_with_an_email(english):
    english.post(reverse("citizen_sign_up"), {**SIGN_UP, "identifier": " Aline@Example.BI "})

    user = User.objects.get()
    assert (user.username, user.email, user.phone) == ("aline@example.bi", "aline@example.bi", "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"identifier": "abc"}, "Enter a phone number such as"),
        ({"identifier": "12"}, "This phone number does not exist"),
        ({"identifier": "aline@"}, "Enter a valid email address."),
        ({"password2": "something-else-2026"}, "The two passwords are different."),
        ({"password1": "12345678", "password2": "12345678"}, "entirely numeric"),
        ({"first_name": ""}, "This field is required."),
    ],
)
def test_sign_up_mistakes_get_a_message_and_keep_what_was_typed(english, change, message):
    response = english.post(reverse("citizen_sign_up"), {**SIGN_UP, **change})

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "There is a problem" in page
    assert 'value="Ndayishimiye"' in page
    assert not User.objects.exists()


@pytest.mark.django_db
def test_one_account_per_phone_number(english):
    UserFactory(username="+25779123456")

    response = english.post(reverse("citizen_sign_up"), {**SIGN_UP, "identifier": "+257 79123456"})

    assert "already uses this phone number" in response.content.decode()


@pytest.mark.django_db
def test_sign_in_with_the_phone_number_written_any_way(english):
    user = UserFactory(username="+25779123456")

    response = english.post(
        reverse("citizen_sign_in"), {"identifier": "79-12-34-56", "password": PASSWORD}
    )

    assert response.url == reverse("my_dossiers")
    assert english.get("/").wsgi_request.user == user


@pytest.mark.django_db
def test_a_wrong_password_and_an_unknown_account_get_the_same_message(english):
    UserFactory(username="+25779123456")
    wrong = english.post(
        reverse("citizen_sign_in"), {"identifier": "79123456", "password": "wrong-one"}
    )
    unknown = english.post(
        reverse("citizen_sign_in"), {"identifier": "79000001", "password": "wrong-one"}
    )

    for response in (wrong, unknown):
        assert response.status_code == 400
        assert "Wrong phone number, email or password." in response.content.decode()


@pytest.mark.django_db
def test_staff_do_not_sign_in_through_the_citizen_page(english, clerk_gitega):
    response = english.post(
        reverse("citizen_sign_in"), {"identifier": clerk_gitega.username, "password": PASSWORD}
    )

    assert response.status_code == 400


@pytest.mark.django_db
def test_repeated_failed_sign_ins_are_slowed_down(english):
    for _attempt in range(3):
        english.post(reverse("citizen_sign_in"), {"identifier": "79123456", "password": "x"})

    assert english.get(reverse("citizen_sign_in")).status_code == 429


@pytest.mark.django_db
def test_sign_in_returns_to_a_local_page_only(english):
    UserFactory(username="+25779123456")
    credentials = {"identifier": "79123456", "password": PASSWORD}

    local = english.post(reverse("citizen_sign_in"), {**credentials, "next": "/track/"})
    assert local.url == "/track/"
    english.logout()
    foreign = english.post(
        reverse("citizen_sign_in"), {**credentials, "next": "https://evil.example/"}
    )
    assert foreign.url == reverse("my_dossiers")


@pytest.mark.django_db
def test_signing_up_keeps_the_application_started_before(english, building_permit, office_gitega):
    english.post(reverse("citizen_start", args=["building-permit"]), {"office": office_gitega.pk})

    english.post(reverse("citizen_sign_up"), SIGN_UP)

    user = User.objects.get()
    assert list(user.dossiers.values_list("state", flat=True)) == ["draft"]


@pytest.mark.django_db
def test_my_dossiers_lists_the_citizens_own_dossiers_with_their_state(
    english, citizen, other_citizen
):
    mine = DossierFactory(in_review=True, applicant_account=citizen)
    waiting = DossierFactory(information_requested=True, applicant_account=citizen)
    theirs = DossierFactory(submitted=True, applicant_account=other_citizen)
    english.force_login(citizen)

    page = english.get(reverse("my_dossiers")).content.decode()

    assert mine.tracking_number in page and "In review" in page
    assert waiting.tracking_number in page and "waiting for you" in page
    assert theirs.tracking_number not in page


@pytest.mark.django_db
def test_my_dossiers_without_an_account_invites_to_sign_in(english):
    page = english.get(reverse("my_dossiers")).content.decode()

    assert reverse("citizen_sign_in") in page
    assert reverse("citizen_sign_up") in page
