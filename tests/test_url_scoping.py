"""Every staff URL against every role: deny by default, and 404 (not 403) for dossiers a user
may not see, so that their existence does not leak."""

import pytest
from django.urls import reverse

from tests.conftest import PEOPLE
from tests.factories import PASSWORD, DossierFactory
from workflows.states import DossierState as S

pytestmark = pytest.mark.django_db

EVERYONE = ["anonymous", *PEOPLE]
OFFICE_STAFF = {"clerk_gitega", "supervisor_gitega", "clerk_ngozi"}
INSTITUTION_STAFF = {
    "officer_urbanism",
    "other_officer_urbanism",
    "supervisor_urbanism",
    "officer_migration",
    "officer_land_registry",
}
#: Who sees the Gitega building permit in review at urbanism.
SEES_THE_DOSSIER = {
    "clerk_gitega",
    "supervisor_gitega",
    "officer_urbanism",
    "other_officer_urbanism",
    "supervisor_urbanism",
    "auditor",
}
CITIZENS = {"citizen", "other_citizen"}


@pytest.fixture
def dossier(personas):
    return DossierFactory(
        counter=True,
        in_review=True,
        service=personas.building_permit,
        office=personas.office_gitega,
        clerk=personas.clerk_gitega,
        officer=personas.officer_urbanism,
    )


def client_for(client, personas, who):
    if who != "anonymous":
        client.login(username=getattr(personas, who).username, password=PASSWORD)
    return client


def expected_for_screen(who, allowed):
    if who == "anonymous":
        return 302
    return 200 if who in allowed else 403


def expected_for_dossier(who):
    if who == "anonymous":
        return 302
    if who in CITIZENS:
        return 403  # staff screens; citizens have their own
    return 200 if who in SEES_THE_DOSSIER else 404


@pytest.mark.parametrize("who", EVERYONE)
def test_role_screens(client, personas, who):
    client = client_for(client, personas, who)
    screens = {
        reverse("counter_queue"): OFFICE_STAFF,
        reverse("counter_choose_service"): OFFICE_STAFF,
        reverse("counter_file", args=["building-permit"]): OFFICE_STAFF,
        reverse("review_queue"): INSTITUTION_STAFF,
        reverse("audit_dossiers"): {"auditor"},
    }
    for url, allowed in screens.items():
        assert client.get(url).status_code == expected_for_screen(who, allowed), url


@pytest.mark.parametrize("who", EVERYONE)
def test_dossier_pages(client, personas, dossier, who):
    client = client_for(client, personas, who)
    attachment = dossier.attachments.first()
    expected = expected_for_dossier(who)

    detail = client.get(reverse("dossier_detail", args=[dossier.tracking_number]))
    download = client.get(
        reverse("dossier_attachment", args=[dossier.tracking_number, attachment.stored_name])
    )
    viewed = client.get(
        reverse("dossier_attachment_inline", args=[dossier.tracking_number, attachment.stored_name])
    )
    viewer = client.get(reverse("dossier_attachment_view", args=[dossier.tracking_number, 1]))
    step_page = client.get(reverse("dossier_step", args=[dossier.tracking_number, "approve"]))

    assert detail.status_code == expected
    assert download.status_code == expected
    assert viewed.status_code == expected
    assert viewer.status_code == expected
    if expected == 200:
        # The step page opens for the handling officer and sends everyone else back.
        assert step_page.status_code == (
            200 if who in {"officer_urbanism", "supervisor_urbanism"} else 302
        )
    else:
        assert step_page.status_code == expected


@pytest.mark.parametrize("who", sorted(set(EVERYONE) - {"officer_urbanism", "supervisor_urbanism"}))
def test_nobody_else_can_decide(client, personas, dossier, who):
    client = client_for(client, personas, who)
    response = client.post(
        reverse("dossier_step", args=[dossier.tracking_number, "approve"]),
        {"expected_state": S.IN_REVIEW, "comment": "ok"},
    )
    assert response.status_code in {302, 403, 404}
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))
    dossier.refresh_from_db()
    assert dossier.state == S.IN_REVIEW


def test_unknown_tracking_number_and_unknown_file_are_404(client, personas, dossier):
    client = client_for(client, personas, "auditor")
    assert client.get(reverse("dossier_detail", args=["GIT-2026-999999-0"])).status_code == 404
    url = reverse("dossier_attachment", args=[dossier.tracking_number, "f" * 32])
    assert client.get(url).status_code == 404


def test_sign_in_and_sign_out(client, personas):
    response = client.post(
        reverse("login"), {"username": "clerk.gitega", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated

    response = client.post(
        reverse("login"), {"username": personas.clerk_gitega.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).url == reverse("counter_queue")

    client.post(reverse("logout"))
    assert client.get(reverse("counter_queue")).status_code == 302
