"""The counter: a clerk files for a walk-in citizen, sees the office's queue, and is told why."""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import MINIMAL_PDF, PASSWORD, DossierFactory, clock_at, png_bytes
from workflows.models import Attachment, Dossier, PendingUpload
from workflows.states import DossierState as S

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    """Screens in English, so that assertions read as the messages are written."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def clerk_client(client, clerk_gitega):
    client.login(username=clerk_gitega.username, password=PASSWORD)
    return client


def filing_data(commune, **overrides):
    data = {
        "filing-filing_key": str(uuid.uuid4()),
        "applicant-applicant_first_name": "Aline",
        "applicant-applicant_last_name": "Ndayishimiye",
        "applicant-applicant_national_id": "0412/345.678",
        "applicant-applicant_birth_date": "1990-05-17",
        "applicant-applicant_phone": "79 12 34 56",
        "applicant-applicant_email": "",
        "applicant-applicant_commune": str(commune.pk),
        "applicant-language": "rn",
        "answer-plot_number": "GTG-1234",
        "document-plans": SimpleUploadedFile("plans.pdf", MINIMAL_PDF),
        "document-national-id": SimpleUploadedFile("cni.pdf", MINIMAL_PDF),
        "document-site-photo": SimpleUploadedFile("site.png", png_bytes()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def filed_at_counter(clerk, service, **kwargs):
    return DossierFactory(
        counter=True, intake=True, service=service, office=clerk.office, clerk=clerk, **kwargs
    )


def stored_files(upload_root):
    return [path for path in upload_root.rglob("*") if path.is_file()]


def only_kept_files(upload_root) -> bool:
    """Every stored file is a document kept for the form (``PendingUpload``), none a dossier's:
    a form with errors keeps the files that passed the checks (tests/test_counter_pending_uploads).
    """
    return sorted(stored_files(upload_root)) == sorted(
        row.path for row in PendingUpload.objects.all()
    )


def test_clerk_files_a_dossier_that_is_numbered_checked_and_documented(
    clerk_client, clerk_gitega, building_permit, commune_gitega, upload_root
):
    url = reverse("counter_file", args=[building_permit.code])
    response = clerk_client.post(url, filing_data(commune_gitega))

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("dossier_detail", args=[dossier.tracking_number])
    assert dossier.tracking_number.startswith("GIT-")
    assert dossier.state == S.INTAKE
    assert dossier.applicant_phone == "+25779123456"
    assert dossier.language == "rn"
    assert dossier.answers == {"plot_number": "GTG-1234"}
    assert dossier.attachments.count() == 3
    assert len(stored_files(upload_root)) == 3
    entry = dossier.history.get()  # filed and taken for checking, in one event
    assert (entry.kind, entry.to_state, entry.actor_user) == (
        "filed_at_counter",
        S.INTAKE,
        clerk_gitega,
    )

    page = clerk_client.get(response.url)
    assert dossier.tracking_number in page.content.decode()


def test_the_form_carries_a_hidden_filing_key(clerk_client, building_permit):
    response = clerk_client.get(reverse("counter_file", args=[building_permit.code]))

    key = response.context["filing_form"]["filing_key"].value()
    assert uuid.UUID(str(key))
    assert f'type="hidden" name="filing-filing_key" value="{key}"' in response.content.decode()


def test_the_same_form_sent_twice_files_one_dossier(
    clerk_client, building_permit, commune_gitega, upload_root
):
    url = reverse("counter_file", args=[building_permit.code])
    key = str(uuid.uuid4())

    first = clerk_client.post(url, filing_data(commune_gitega, **{"filing-filing_key": key}))
    again = clerk_client.post(url, filing_data(commune_gitega, **{"filing-filing_key": key}))

    dossier = Dossier.objects.get()
    assert first.status_code == again.status_code == 302
    assert again.url == first.url == reverse("dossier_detail", args=[dossier.tracking_number])
    assert dossier.history.count() == 1
    assert dossier.attachments.count() == 3
    assert len(stored_files(upload_root)) == 3


def test_a_form_without_its_filing_key_is_shown_again_with_a_fresh_one(
    clerk_client, building_permit, commune_gitega, upload_root
):
    url = reverse("counter_file", args=[building_permit.code])

    response = clerk_client.post(url, filing_data(commune_gitega, **{"filing-filing_key": None}))

    assert response.status_code == 400
    assert "The dossier was not filed" in response.content.decode()
    assert uuid.UUID(str(response.context["filing_form"]["filing_key"].value()))
    assert not Dossier.objects.exists()
    assert only_kept_files(upload_root)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"applicant-applicant_first_name": ""}, "applicant_first_name", "This field is required"),
        ({"applicant-applicant_phone": "12"}, "applicant_phone", "phone number"),
        ({"applicant-applicant_phone": "+257 11 11 11 11"}, "applicant_phone", "does not exist"),
        ({"applicant-applicant_national_id": "<script>"}, "applicant_national_id", "national ID"),
        ({"applicant-applicant_birth_date": "2999-01-01"}, "applicant_birth_date", "future"),
        ({"applicant-applicant_commune": "999999"}, "applicant_commune", "valid choice"),
        ({"answer-plot_number": ""}, "plot_number", "This field is required"),
        ({"document-plans": None}, "plans", "This field is required"),
        (
            {"document-plans": SimpleUploadedFile("plans.pdf", b"MZ\x90\x00" + b"\x00" * 64)},
            "plans",
            "is not a PDF document",
        ),
        ({"document-plans": SimpleUploadedFile("plans.pdf", b"")}, "plans", "empty"),
        (
            {"document-plans": SimpleUploadedFile("plans.png", png_bytes())},
            "plans",
            "is not a PDF document",
        ),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_nothing_is_stored(
    clerk_client, building_permit, commune_gitega, upload_root, overrides, field, message
):
    url = reverse("counter_file", args=[building_permit.code])
    response = clerk_client.post(url, filing_data(commune_gitega, **overrides))

    assert response.status_code == 400
    forms = {
        form.prefix: form
        for form in (
            response.context["applicant_form"],
            response.context["answers_form"],
            response.context["documents_form"],
        )
    }
    errors = {name: " ".join(errs) for form in forms.values() for name, errs in form.errors.items()}
    assert message in errors[field]
    assert "There is a problem" in response.content.decode()
    assert not Dossier.objects.exists()
    assert not Attachment.objects.exists()
    assert only_kept_files(upload_root)
    # What the clerk typed is still there.
    if field != "applicant_last_name":
        assert 'value="Ndayishimiye"' in response.content.decode()


def test_an_oversized_document_is_refused_with_the_limit(
    clerk_client, building_permit, commune_gitega, upload_root, settings
):
    settings.UPLOAD_MAX_BYTES = 100
    big_pdf = MINIMAL_PDF + b"%" * 200
    url = reverse("counter_file", args=[building_permit.code])
    response = clerk_client.post(
        url, filing_data(commune_gitega, **{"document-plans": SimpleUploadedFile("p.pdf", big_pdf)})
    )

    assert response.status_code == 400
    assert "the limit is 100" in " ".join(response.context["documents_form"].errors["plans"])
    assert not Dossier.objects.exists()
    assert only_kept_files(upload_root)


def test_unknown_or_withdrawn_service_is_404(clerk_client, building_permit):
    building_permit.is_active = False
    building_permit.save()
    assert clerk_client.get(reverse("counter_file", args=["building-permit"])).status_code == 404
    assert clerk_client.get(reverse("counter_file", args=["no-such-service"])).status_code == 404


def test_queue_shows_only_the_office_dossiers_in_the_chosen_tab(
    clerk_client, clerk_gitega, clerk_ngozi, building_permit
):
    ours = filed_at_counter(clerk_gitega, building_permit)
    theirs = filed_at_counter(clerk_ngozi, building_permit)

    to_check = clerk_client.get(reverse("counter_queue")).content.decode()
    at_institution = clerk_client.get(reverse("counter_queue") + "?show=at-institution")

    assert ours.tracking_number in to_check
    assert theirs.tracking_number not in to_check
    assert ours.tracking_number not in at_institution.content.decode()


def test_queue_issues_the_same_number_of_queries_for_one_or_many_dossiers(
    clerk_client, clerk_gitega, building_permit
):
    def queries_for_queue():
        with CaptureQueriesContext(connection) as context:
            response = clerk_client.get(reverse("counter_queue") + "?show=all")
        assert response.status_code == 200
        return len(context)

    filed_at_counter(clerk_gitega, building_permit)
    with_one = queries_for_queue()
    for _ in range(4):
        filed_at_counter(clerk_gitega, building_permit)
    assert queries_for_queue() == with_one


def test_overdue_dossiers_stand_out(clerk_client, clerk_gitega, building_permit):
    with clock_at(datetime.datetime(2025, 1, 6, 9, 0, tzinfo=datetime.UTC)):
        filed_at_counter(clerk_gitega, building_permit)
    page = clerk_client.get(reverse("counter_queue")).content.decode()
    assert 'class="overdue"' in page
    assert "Overdue" in page


@pytest.mark.parametrize("who", ["citizen", "officer_urbanism", "auditor", "administrator"])
def test_only_office_staff_reach_the_counter(client, personas, who):
    client.login(username=getattr(personas, who).username, password=PASSWORD)
    for url in (reverse("counter_queue"), reverse("counter_choose_service")):
        assert client.get(url).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, building_permit):
    response = client.get(reverse("counter_file", args=[building_permit.code]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
