"""Returning citizens at the counter: found by national ID, their details prefill the form."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, DossierFactory, UserFactory
from tests.test_counter_views import filing_data
from workflows.models import Dossier, HistoryEntry
from workflows.returning_citizens import latest_details

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def clerk_client(client, clerk_gitega):
    client.login(username=clerk_gitega.username, password=PASSWORD)
    return client


def filed_at(office, clerk, service, **applicant):
    return DossierFactory(
        counter=True, intake=True, service=service, office=office, clerk=clerk, **applicant
    )


def look_up(client, service, national_id):
    return client.get(
        reverse("counter_file", args=[service.code]), {"lookup-national_id": national_id}
    )


def test_the_citizens_latest_dossier_at_this_office_fills_the_applicant_fields(
    clerk_client, clerk_gitega, office_gitega, building_permit, commune_gitega
):
    filed_at(
        office_gitega,
        clerk_gitega,
        building_permit,
        applicant_national_id="0412/345.678",
        applicant_first_name="Aline",
        applicant_phone="+25779000001",
    )
    latest = filed_at(
        office_gitega,
        clerk_gitega,
        building_permit,
        applicant_national_id="0412/345.678",
        applicant_first_name="Aline",
        applicant_last_name="Ndayishimiye",
        applicant_phone="+25779123456",
        applicant_email="aline@example.bi",
        applicant_birth_date=datetime.date(1990, 5, 17),
        applicant_commune=commune_gitega,
        language="rn",
    )

    response = look_up(clerk_client, building_permit, " 0412/345.678 ")

    assert response.status_code == 200
    form = response.context["applicant_form"]
    assert not form.is_bound  # Nothing is checked yet: every field stays editable.
    assert form["applicant_first_name"].value() == "Aline"
    assert form["applicant_last_name"].value() == "Ndayishimiye"
    assert form["applicant_national_id"].value() == "0412/345.678"
    assert form["applicant_phone"].value() == "+25779123456"  # the latest, not the first
    assert form["applicant_email"].value() == "aline@example.bi"
    assert form["applicant_commune"].value() == commune_gitega.pk
    assert form["language"].value() == "rn"
    page = response.content.decode()
    assert f"Details taken from dossier {latest.tracking_number}" in page
    assert 'value="aline@example.bi"' in page
    assert 'name="applicant-applicant_first_name"' in page


def test_the_prefilled_details_can_be_changed_before_filing(
    clerk_client, clerk_gitega, office_gitega, building_permit, commune_gitega
):
    filed_at(office_gitega, clerk_gitega, building_permit, applicant_national_id="0412/345.678")
    look_up(clerk_client, building_permit, "0412/345.678")

    response = clerk_client.post(
        reverse("counter_file", args=[building_permit.code]),
        filing_data(commune_gitega, **{"applicant-applicant_phone": "79 55 44 33"}),
    )

    assert response.status_code == 302
    newest = Dossier.objects.latest("id")
    assert newest.applicant_phone == "+25779554433"
    assert newest.applicant_national_id == "0412/345.678"


def test_nobody_found_is_said_beside_the_field_and_the_number_is_carried_over(
    clerk_client, building_permit
):
    response = look_up(clerk_client, building_permit, "9999/000.001")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nobody with the national ID 9999/000.001 has filed at this office yet" in page
    form = response.context["applicant_form"]
    assert form["applicant_national_id"].value() == "9999/000.001"
    assert form["applicant_first_name"].value() is None


@pytest.mark.parametrize("national_id", ["<script>", "12", "", "   "])
def test_a_malformed_national_id_gets_a_message_beside_the_field(
    clerk_client, building_permit, national_id
):
    response = look_up(clerk_client, building_permit, national_id)

    assert response.status_code == 400
    errors = response.context["lookup_form"].errors["national_id"]
    assert errors
    page = response.content.decode()
    assert 'id="id_lookup-national_id_error"' in page
    assert "Nobody with" not in page
    assert response.context["applicant_form"]["applicant_first_name"].value() is None


def test_another_offices_dossiers_are_never_read(
    clerk_client, clerk_ngozi, office_ngozi, building_permit
):
    """The citizen filed at Ngozi: the Gitega clerk is told nobody was found, and sees nothing."""
    filed_at(
        office_ngozi,
        clerk_ngozi,
        building_permit,
        applicant_national_id="0412/345.678",
        applicant_first_name="Pacifique",
    )

    response = look_up(clerk_client, building_permit, "0412/345.678")

    page = response.content.decode()
    assert "Nobody with the national ID 0412/345.678" in page
    assert "Pacifique" not in page
    assert response.context["found"] is None


def test_the_lookup_reads_through_the_scoped_door(clerk_gitega, clerk_ngozi, office_ngozi):
    """A domain call by a clerk of another office, or by someone without an office, finds
    nothing; a clerk of the office finds it."""
    dossier = DossierFactory(counter=True, intake=True, office=office_ngozi, clerk=clerk_ngozi)

    assert latest_details(clerk_gitega, dossier.applicant_national_id) is None
    assert latest_details(UserFactory(), dossier.applicant_national_id) is None
    found = latest_details(clerk_ngozi, dossier.applicant_national_id)
    assert found.tracking_number == dossier.tracking_number


def test_an_online_draft_is_not_a_source(clerk_gitega, office_gitega):
    """A draft the citizen never sent is not what they declared to the office."""
    draft = DossierFactory(office=office_gitega)
    assert draft.tracking_number is None

    assert latest_details(clerk_gitega, draft.applicant_national_id) is None


def test_a_lookup_writes_nothing(clerk_client, clerk_gitega, office_gitega, building_permit):
    filed_at(office_gitega, clerk_gitega, building_permit, applicant_national_id="0412/345.678")
    before = (Dossier.objects.count(), HistoryEntry.objects.count())

    look_up(clerk_client, building_permit, "0412/345.678")

    assert (Dossier.objects.count(), HistoryEntry.objects.count()) == before


def test_citizens_and_strangers_cannot_look_anyone_up(client, citizen, building_permit):
    url = reverse("counter_file", args=[building_permit.code])
    anonymous = client.get(url, {"lookup-national_id": "0412/345.678"})
    assert anonymous.status_code in (302, 403)

    client.login(username=citizen.username, password=PASSWORD)
    signed_in = client.get(url, {"lookup-national_id": "0412/345.678"})
    assert signed_in.status_code in (302, 403, 404)
