"""The hand-over records who collected: the applicant, their ID checked against the dossier, or
a proxy with their name, their ID and the applicant's authorisation."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.factories import MINIMAL_PDF, PASSWORD, DossierFactory, sample_upload
from workflows.actions import perform
from workflows.exceptions import InvalidInput
from workflows.history_display import describe, history_lines
from workflows.models import Collection, Dossier
from workflows.public_status import public_status
from workflows.states import DossierState as S

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings, personas):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.login(username=personas.clerk_gitega.username, password=PASSWORD)
    return client


@pytest.fixture
def ready(personas):
    return DossierFactory(
        counter=True,
        ready_for_collection=True,
        service=personas.building_permit,
        office=personas.office_gitega,
        clerk=personas.clerk_gitega,
        officer=personas.officer_urbanism,
        applicant_national_id="0412/778899",
    )


def hand_over_url(dossier):
    return reverse("dossier_step", args=[dossier.tracking_number, "hand_over"])


def field_error(page: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="id_{field}_error">([^<]*)</p>', page)
    return found.group(1) if found else ""


def post(client, dossier, **data):
    return client.post(hand_over_url(dossier), {"expected_state": S.READY_FOR_COLLECTION, **data})


def nothing_happened(dossier):
    assert Dossier.objects.get(pk=dossier.pk).state == S.READY_FOR_COLLECTION
    assert not Collection.objects.filter(dossier=dossier).exists()


def test_the_hand_over_page_asks_who_collects(client, ready):
    page = client.get(hand_over_url(ready)).content.decode()

    assert 'type="radio" name="collector" value="applicant"' in page
    assert 'type="radio" name="collector" value="proxy"' in page
    for name in ("national_id", "proxy_name", "proxy_national_id", "authorisation"):
        assert f'name="{name}"' in page
    assert 'enctype="multipart/form-data"' in page
    assert f"Typed from the card {ready.applicant_name} shows." in page


def test_the_applicant_collects_with_their_id_typed_as_on_the_card(client, ready, personas):
    response = post(client, ready, collector="applicant", national_id=" 0412 778899 ")

    assert response.status_code == 302
    dossier = Dossier.objects.get(pk=ready.pk)
    assert dossier.state == S.COLLECTED
    collection = dossier.collection
    assert (collection.collector, collection.collector_name) == ("applicant", ready.applicant_name)
    assert collection.collector_national_id == "0412/778899"
    assert collection.handed_over_by == personas.clerk_gitega
    entry = dossier.history.order_by("-position").first()
    assert describe(entry) == "Collected by the applicant"
    page = client.get(reverse("dossier_detail", args=[dossier.tracking_number])).content.decode()
    assert "Collected by" in page
    assert "The applicant (0412/778899)" in page


def test_someone_else_s_id_is_refused_beside_the_field(client, ready):
    response = post(client, ready, collector="applicant", national_id="0412/778800")

    assert response.status_code == 400
    assert field_error(response.content.decode(), "national_id") == (
        "This is not the applicant&#x27;s national ID number: the document was not handed over. "
        "Check the card, or record a proxy."
    )
    nothing_happened(ready)


def test_the_applicant_must_show_their_id(client, ready):
    response = post(client, ready, collector="applicant", national_id="")

    assert response.status_code == 400
    assert field_error(response.content.decode(), "national_id") == (
        "Type the number on the applicant&#x27;s national ID card."
    )
    nothing_happened(ready)


def test_who_collects_must_be_said(client, ready):
    response = post(client, ready, national_id="0412/778899")

    assert response.status_code == 400
    assert field_error(response.content.decode(), "collector") == (
        "Say who collects: the applicant or a proxy."
    )
    nothing_happened(ready)


def test_a_proxy_needs_a_name_an_id_and_an_authorisation(client, ready):
    response = post(client, ready, collector="proxy")

    assert response.status_code == 400
    page = response.content.decode()
    assert field_error(page, "proxy_name") == "Type the proxy&#x27;s full name."
    assert (
        field_error(page, "proxy_national_id") == "Type the number on the proxy&#x27;s national ID."
    )
    assert field_error(page, "authorisation") == (
        "Scan the applicant&#x27;s signed authorisation: a proxy cannot collect without it."
    )
    nothing_happened(ready)


def test_a_bad_authorisation_file_is_refused_and_the_typed_details_kept(client, ready):
    response = post(
        client,
        ready,
        collector="proxy",
        proxy_name="Claude Niyonzima",
        proxy_national_id="0599/123456",
        authorisation=SimpleUploadedFile("authorisation.pdf", b"not a pdf"),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert field_error(page, "authorisation").startswith("This file is not a PDF")
    assert 'value="Claude Niyonzima"' in page
    assert 'value="0599/123456"' in page
    nothing_happened(ready)


def test_the_applicant_cannot_be_recorded_as_their_own_proxy(client, ready):
    response = post(
        client,
        ready,
        collector="proxy",
        proxy_name="Someone",
        proxy_national_id="0412-778899",
        authorisation=SimpleUploadedFile("authorisation.pdf", MINIMAL_PDF),
    )

    assert response.status_code == 400
    assert "applicant&#x27;s own ID number" in field_error(
        response.content.decode(), "proxy_national_id"
    )
    nothing_happened(ready)


def test_a_proxy_collects_with_the_applicant_s_authorisation(client, ready):
    response = post(
        client,
        ready,
        collector="proxy",
        proxy_name="  Claude   Niyonzima ",
        proxy_national_id="0599/123456",
        authorisation=SimpleUploadedFile("authorisation.pdf", MINIMAL_PDF),
    )

    assert response.status_code == 302
    dossier = Dossier.objects.get(pk=ready.pk)
    assert dossier.state == S.COLLECTED
    collection = dossier.collection
    assert collection.by_proxy
    assert (collection.collector_name, collection.collector_national_id) == (
        "Claude Niyonzima",
        "0599/123456",
    )
    authorisation = collection.authorisation
    assert authorisation.dossier == dossier
    assert authorisation.original_name == "authorisation.pdf"
    assert authorisation.path.read_bytes() == MINIMAL_PDF

    entry = dossier.history.order_by("-position").first()
    (line,) = history_lines([entry])
    assert line.text == "Collected by Claude Niyonzima (ID 0599/123456) on behalf of the applicant"
    # The public status (/track/, the citizen's page) names nobody.
    assert describe(entry) == "Collected by a proxy on behalf of the applicant"
    public = [step.label for step in public_status(dossier).timeline]
    assert "Collected by a proxy on behalf of the applicant" in public
    assert not any("Niyonzima" in label for label in public)

    page = client.get(reverse("dossier_detail", args=[dossier.tracking_number])).content.decode()
    assert "Claude Niyonzima (ID 0599/123456) on behalf of the applicant" in page
    assert (
        reverse("dossier_attachment", args=[dossier.tracking_number, authorisation.stored_name])
        in page
    )


def test_the_domain_refuses_a_proxy_without_authorisation_whatever_the_channel(ready, personas):
    with pytest.raises(InvalidInput) as refused:
        perform(
            ready.pk,
            "hand_over",
            personas.clerk_gitega,
            collector="proxy",
            proxy_name="Claude Niyonzima",
            proxy_national_id="0599/123456",
        )

    assert list(refused.value.fields) == ["authorisation"]
    nothing_happened(ready)


def test_the_database_refuses_a_proxy_without_authorisation(ready, personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        Collection.objects.create(
            dossier=ready,
            collector="proxy",
            collector_name="Claude Niyonzima",
            collector_national_id="0599/123456",
            handed_over_by=personas.clerk_gitega,
            handed_over_at=timezone.now(),
        )


def test_a_collection_with_an_attachment_names_it(ready, personas):
    # The same path the step takes, straight through the one door.
    dossier = perform(
        ready.pk,
        "hand_over",
        personas.clerk_gitega,
        collector="proxy",
        proxy_name="Claude Niyonzima",
        proxy_national_id="0599/123456",
        authorisation=sample_upload(name="signed"),
    )

    entry = dossier.history.order_by("-position").first()
    assert entry.details == {
        "collector": "proxy",
        "collector_name": "Claude Niyonzima",
        "collector_national_id": "0599/123456",
        "authorisation": "signed.pdf",
    }
