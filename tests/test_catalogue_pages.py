"""The public catalogue: /services/ and /services/<code>/, in the citizen's language."""

import pytest
from django.urls import reverse

from tests.factories import OfficeFactory, RoutingRuleFactory, ServiceFactory


@pytest.fixture
def catalogue(building_permit, passport, land_title, office_gitega, office_ngozi):
    return [building_permit, passport, land_title]


def get(client, url, language="fr"):
    client.cookies["django_language"] = language
    return client.get(url)


@pytest.mark.django_db
def test_the_home_page_links_to_the_catalogue_and_the_tracking_page(client):
    page = get(client, "/").content.decode()

    assert 'href="/services/"' in page
    assert 'href="/track/"' in page


@pytest.mark.django_db
def test_the_catalogue_lists_offered_services_only_with_fee_and_delay(client, catalogue):
    ServiceFactory(name_fr="Service retiré", is_active=False)

    page = get(client, "/services/", "en").content.decode()

    assert "Building permit" in page
    assert "235,000\xa0BIF" in page
    assert "15 working days" in page
    assert "Service retiré" not in page
    assert reverse("service_detail", args=["passport"]) in page


@pytest.mark.django_db
def test_a_service_page_says_what_who_documents_fee_delay_and_where(client, catalogue):
    page = get(client, "/services/passport/", "en").content.decode()

    assert "Passport" in page  # what it gives
    assert "Migration service" in page  # who decides, from the routing rule
    assert "Extrait d&#x27;acte de naissance" in page  # documents (French fallback of the name)
    assert "Photo d&#x27;identité" in page
    assert "235,000\xa0BIF" in page
    assert "15 working days" in page
    assert "GUP Gitega" in page and "GUP Ngozi" in page  # where to go, with the province
    assert "province of Butanyerera" in page
    assert reverse("citizen_start", args=["passport"]) in page


@pytest.mark.django_db
def test_a_province_rule_is_shown_beside_the_default_institution(
    client, catalogue, province_gitega
):
    RoutingRuleFactory(
        service=catalogue[0], province=province_gitega, institution__name_fr="Urbanisme Gitega"
    )

    page = get(client, "/services/building-permit/", "fr").content.decode()

    assert "Urbanisme" in page
    assert "Urbanisme Gitega" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "amount"),
    # No-break spaces: an amount never wraps. Kirundi groups as French, as Burundi writes it.
    [("fr", "235\xa0000\xa0BIF"), ("en", "235,000\xa0BIF"), ("rn", "235\xa0000\xa0BIF")],
)
def test_amounts_follow_the_language(client, catalogue, language, amount):
    response = get(client, "/services/passport/", language)

    assert f'<html lang="{language}">' in response.content.decode()
    assert amount in response.content.decode()


@pytest.mark.django_db
def test_catalogue_texts_follow_the_language_with_french_as_fallback(client, catalogue):
    catalogue[0].name_rn = "Uruhusha rwo kwubaka"
    catalogue[0].save()

    assert "Uruhusha rwo kwubaka" in get(client, "/services/", "rn").content.decode()
    assert "Permis de bâtir" in get(client, "/services/", "fr").content.decode()
    # No Kirundi name for the passport: the French one shows.
    assert "Passeport" in get(client, "/services/", "rn").content.decode()


@pytest.mark.django_db
def test_closed_offices_and_unknown_or_withdrawn_services(client, catalogue):
    OfficeFactory(name="GUP Fermé", is_active=False)
    ServiceFactory(code="old", is_active=False)

    assert "GUP Fermé" not in get(client, "/services/passport/").content.decode()
    assert get(client, "/services/nothing-here/").status_code == 404
    assert get(client, "/services/old/").status_code == 404


@pytest.mark.django_db
def test_the_service_page_issues_a_fixed_number_of_queries(
    client, catalogue, django_assert_max_num_queries
):
    for _n in range(5):
        OfficeFactory()
    with django_assert_max_num_queries(8):
        assert get(client, "/services/passport/").status_code == 200
