"""Citizen accounts: sign up and sign in with a phone number or an email; "my dossiers"."""

import io
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from gup.accounts.management.commands.load_demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from gup.accounts.models import User
from gup.formatting import phone
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

    # Signed in, and asked for the code that confirms the number (tests/test_one_time_codes.py).
    assert response.url == reverse("confirm_phone")
    user = User.objects.get()
    assert (user.username, user.phone, user.role) == ("+25779123456", "+25779123456", Role.CITIZEN)
    assert user.phone_verified_at is None
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
def test_repeated_failed_sign_ins_are_slowed_down(english, settings):
    """The lockout of every sign-in page (tests/test_sign_in_lockout.py has the details)."""
    for _attempt in range(settings.GUP_SIGN_IN_ACCOUNT_LIMIT):
        response = english.post(
            reverse("citizen_sign_in"), {"identifier": "79123456", "password": "x"}
        )

    assert response.status_code == 429


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
    entry = user.dossiers.get().history.order_by("-position").first()
    assert (entry.kind, entry.actor_user) == ("linked_to_account", user)


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


# --- Signing in with the phone number however it is written ------------------------------------

SPELLINGS = ["79 12 34 56", "+257 79 12 34 56", "79123456"]


def sign_in(client, identifier, password=PASSWORD):
    return client.post(reverse("citizen_sign_in"), {"identifier": identifier, "password": password})


@pytest.fixture
def demo(settings):
    """What ``make run`` loads: the map, the catalogue and the demo accounts (the demo
    dossiers are tested in test_load_demo.py)."""
    settings.DEBUG = True
    call_command("load_demo", "--no-dossiers", stdout=io.StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_the_demo_citizen_signs_in_with_the_number_written_any_way(english, demo, spelling):
    response = sign_in(english, spelling, DEMO_PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("my_dossiers")
    assert english.get(reverse("my_dossiers")).wsgi_request.user.username == "citizen"


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_citizen_who_signed_up_signs_in_with_the_number_written_any_way(english, spelling):
    english.post(reverse("citizen_sign_up"), {**SIGN_UP, "identifier": "+257 79 12 34 56"})
    english.logout()

    response = sign_in(english, spelling, SIGN_UP["password1"])

    assert response.url == reverse("my_dossiers")
    assert english.get("/").wsgi_request.user == User.objects.get(phone="+25779123456")


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_the_account_is_found_by_its_phone_whatever_its_user_name(english, spelling):
    jeanne = UserFactory(username="jeanne", phone="+25779123456")

    sign_in(english, spelling)

    assert english.get("/").wsgi_request.user == jeanne


@pytest.mark.django_db
def test_the_account_is_found_by_its_email_whatever_its_user_name(english):
    jeanne = UserFactory(username="jeanne", email="jeanne@example.bi")

    sign_in(english, " Jeanne@Example.BI ")

    assert english.get("/").wsgi_request.user == jeanne


@pytest.mark.django_db
def test_a_wrong_number_gets_the_clear_message(english, demo):
    response = sign_in(english, "79 12 34 57", DEMO_PASSWORD)

    assert response.status_code == 400
    assert "Wrong phone number, email or password. Try again." in response.content.decode()
    assert not english.get("/").wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_staff_with_the_same_phone_do_not_sign_in_as_citizens(english, clerk_gitega):
    clerk_gitega.phone = "+25779123456"
    clerk_gitega.save()

    assert sign_in(english, "79123456").status_code == 400


@pytest.mark.django_db
def test_signing_up_with_the_number_of_an_existing_account_is_refused(english, demo):
    response = english.post(reverse("citizen_sign_up"), {**SIGN_UP, "identifier": "79123456"})

    assert response.status_code == 400
    assert "already uses this phone number" in response.content.decode()
    assert User.objects.filter(phone="+25779123456").count() == 1


@pytest.mark.django_db
def test_a_phone_typed_in_the_admin_is_stored_in_e164(administrator):
    citizen = UserFactory.build(username="jeanne", phone="79 12 34 56")

    citizen.clean()

    assert citizen.phone == "+25779123456"


# --- The demo accounts are the README's ---------------------------------------------------------


def readme_demo_accounts() -> dict[str, tuple[str, str]]:
    """User name → (role, scope), from the table under "## Demo accounts" in README.md."""
    text = (settings.BASE_DIR / "README.md").read_text()
    section = text.split("## Demo accounts", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1:-1] for line in section.splitlines() if line.startswith("| `")]
    return {name.strip().strip("`"): (role.strip(), scope.strip()) for name, role, scope, _ in rows}


@pytest.mark.django_db
def test_load_demo_creates_the_accounts_the_readme_lists(demo):
    readme = readme_demo_accounts()
    users = {user.username: user for user in User.objects.select_related("office", "institution")}

    assert set(readme) == set(users) == {username for username, *_ in DEMO_ACCOUNTS}
    for username, (role, scope) in readme.items():
        user = users[username]
        assert role.startswith(str(Role(user.role).label)), username
        assert user.check_password(DEMO_PASSWORD)
        if user.office:
            assert scope == user.office.name
        if user.institution:
            assert scope.split()[0].lower().split("-")[0] in user.institution.code
    assert readme["citizen"][0] == f"Citizen ({phone(users['citizen'].phone)})"
