"""The clerk relays the citizen's answer at the counter: the question in view, the documents the
citizen brings scanned and attached like those of the portal's answer form."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import MINIMAL_PDF, PASSWORD, STEP_COMMENTS, DossierFactory, png_bytes
from workflows.history_display import describe, history_lines
from workflows.models import Dossier
from workflows.states import DossierState as S

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings, personas):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.login(username=personas.clerk_gitega.username, password=PASSWORD)
    return client


def step_url(dossier, step):
    return reverse("dossier_step", args=[dossier.tracking_number, step])


@pytest.fixture
def returned(personas):
    return DossierFactory(
        counter=True,
        returned=True,
        service=personas.building_permit,
        office=personas.office_gitega,
        clerk=personas.clerk_gitega,
    )


@pytest.fixture
def information_requested(personas):
    return DossierFactory(
        counter=True,
        information_requested=True,
        service=personas.building_permit,
        office=personas.office_gitega,
        clerk=personas.clerk_gitega,
        officer=personas.officer_urbanism,
    )


def stored_files(upload_root):
    return sorted(path.name for path in upload_root.rglob("*") if path.is_file())


def test_the_step_page_shows_the_question_and_when_it_was_asked(client, returned):
    asked = returned.history.get(kind="return_for_correction")

    response = client.get(step_url(returned, "resubmit"))

    page = response.content.decode()
    assert "The question being answered" in page
    assert STEP_COMMENTS["return_for_correction"] in page
    assert f"by {asked.actor_name}" in page
    assert 'enctype="multipart/form-data"' in page
    assert re.search(r'<input type="file" name="other"[^>]* multiple', page)
    document = returned.service.documents.first()
    assert f'name="document_{document.code}"' in page


def test_the_clerk_attaches_several_scanned_documents_with_the_answer(client, returned, personas):
    document = returned.service.documents.first()
    before = returned.attachments.count()

    response = client.post(
        step_url(returned, "resubmit"),
        {
            "expected_state": S.RETURNED,
            "comment": "The plot number is now on the form.",
            f"document_{document.code}": SimpleUploadedFile("plan.pdf", MINIMAL_PDF),
            "other": [
                SimpleUploadedFile("deed.pdf", MINIMAL_PDF),
                SimpleUploadedFile("photo.png", png_bytes()),
            ],
        },
    )

    assert response.status_code == 302
    dossier = Dossier.objects.get(pk=returned.pk)
    assert dossier.state == S.SUBMITTED
    assert dossier.citizen_request == ""
    added = list(dossier.attachments.order_by("id"))[before:]
    assert [(file.document, file.original_name) for file in added] == [
        (document, "plan.pdf"),
        (None, "deed.pdf"),
        (None, "photo.png"),
    ]
    assert {file.uploaded_by for file in added} == {personas.clerk_gitega}
    entry = dossier.history.order_by("-position").first()
    assert entry.comment == "The plot number is now on the form."
    assert entry.details["files"] == ["plan.pdf", "deed.pdf", "photo.png"]
    # Staff read the file names; the public line (/track/) only counts them.
    (line,) = history_lines([entry])
    assert line.text.startswith("Corrected and sent back, with: plan.pdf, deed.pdf, photo.png. ")
    # The line goes on with the SLA clock resuming ("Clock resumed: …").
    assert describe(entry).startswith("Corrected and sent back, with 3 documents. Clock resumed")


def test_the_clerk_relays_an_answer_to_the_institution(client, information_requested):
    response = client.post(
        step_url(information_requested, "provide_information"),
        {
            "expected_state": S.INFORMATION_REQUESTED,
            "comment": "The shop is on the ground floor.",
            "other": [SimpleUploadedFile("floor-plan.pdf", MINIMAL_PDF)],
        },
    )

    assert response.status_code == 302
    dossier = Dossier.objects.get(pk=information_requested.pk)
    assert dossier.state == S.IN_REVIEW
    assert dossier.attachments.filter(original_name="floor-plan.pdf").exists()


def test_a_bad_file_is_refused_beside_its_field_and_the_answer_is_kept(
    client, returned, upload_root
):
    before = returned.attachments.count()
    files_before = stored_files(upload_root)

    response = client.post(
        step_url(returned, "resubmit"),
        {
            "expected_state": S.RETURNED,
            "comment": "Corrected the plot number.",
            "other": [
                SimpleUploadedFile("deed.pdf", MINIMAL_PDF),
                SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf at all"),
            ],
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    error = re.search(r'<p class="error" id="id_other_error">([^<]*)</p>', page)
    assert error is not None
    assert error.group(1).startswith("virus.pdf: This file is not a PDF")
    assert "Corrected the plot number." in page  # the typed answer is kept
    assert "choose them again" in page
    dossier = Dossier.objects.get(pk=returned.pk)
    assert dossier.state == S.RETURNED
    assert dossier.attachments.count() == before
    assert stored_files(upload_root) == files_before


def test_an_empty_file_for_a_required_document_is_refused(client, returned):
    document = returned.service.documents.first()

    response = client.post(
        step_url(returned, "resubmit"),
        {
            "expected_state": S.RETURNED,
            "comment": "Here it is.",
            f"document_{document.code}": SimpleUploadedFile("plan.pdf", b""),
        },
    )

    assert response.status_code == 400
    assert Dossier.objects.get(pk=returned.pk).state == S.RETURNED


def test_an_answer_without_documents_still_goes_back(client, returned):
    response = client.post(
        step_url(returned, "resubmit"),
        {"expected_state": S.RETURNED, "comment": "Nothing to add: the clerk checked again."},
    )

    assert response.status_code == 302
    dossier = Dossier.objects.get(pk=returned.pk)
    assert dossier.state == S.SUBMITTED
    entry = dossier.history.order_by("-position").first()
    assert "files" not in entry.details
    assert describe(entry).startswith("Corrected and sent back. Clock resumed")
