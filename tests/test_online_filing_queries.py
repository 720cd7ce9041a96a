"""Filing online costs a fixed, small number of queries (issue 12): the service's questions and
documents are read once per page, whatever the number of questions and documents it asks for."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    MINIMAL_PDF,
    ONLINE_APPLICANT_POST,
    RequiredDocumentFactory,
    ServiceFactory,
    ServiceFieldFactory,
)
from workflows.models import Dossier, TrackingCounter
from workflows.states import DossierState as S

#: The whole online filing, from choosing the office to submitting, stays under this.
FILING_QUERIES = 60


def statements(captured) -> list[str]:
    """The SQL a request ran. Savepoints are left out: here they nest ``perform``'s transaction
    in the test's own, whereas in production that transaction begins and commits without a
    statement of its own."""
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def file_online(service, office, commune) -> dict[str, list[list[str]]]:
    """File ``service`` page by page in a new browser, uploading every mandatory document; the
    statements of each POST, by page ("questions": one entry per page of questions)."""
    client = Client()
    pages: dict[str, list[list[str]]] = {}

    def post(page, url, data):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, data)
        assert response.status_code == 302, f"{page}: {response.status_code}"
        pages.setdefault(page, []).append(statements(captured))
        return response.url

    url = post("start", reverse("citizen_start", args=[service.code]), {"office": office.pk})
    url = post(
        "applicant", url, {**ONLINE_APPLICANT_POST, "applicant-applicant_commune": commune.pk}
    )
    while "/questions-" in url:
        answers = {f"answer-{field.code}": "Parcelle 12" for field in service.fields.all()}
        url = post("questions", url, answers)
    documents = {
        f"document-{document.code}": SimpleUploadedFile(
            f"{document.code}.pdf", MINIMAL_PDF, content_type="application/pdf"
        )
        for document in service.documents.all()
        if document.mandatory
    }
    url = post("documents", url, documents)
    dossier = Dossier.objects.get(service=service)
    assert url == reverse("citizen_step", args=[dossier.public_id, "check"])
    post("submit", reverse("citizen_submit", args=[dossier.public_id]), {})
    dossier.refresh_from_db()
    assert dossier.state == S.SUBMITTED
    return pages


@pytest.fixture
def office_gitega(office_gitega):
    """An office that has filed this year: its first number of the year creates its counter,
    once."""
    TrackingCounter.objects.create(office=office_gitega, year=timezone.localdate().year)
    return office_gitega


def service_asking(questions: int, documents: int):
    service = ServiceFactory(document=None)
    ServiceFieldFactory.create_batch(questions, service=service)
    RequiredDocumentFactory.create_batch(documents, service=service)
    return service


def queries_per_page(pages) -> dict[str, int]:
    return {page: max(len(each) for each in posts) for page, posts in pages.items()}


def catalogue_reads(pages) -> dict[str, int]:
    """How many times each page read the service's questions, at most."""
    return {
        page: max(sum('FROM "services_servicefield"' in sql for sql in each) for each in posts)
        for page, posts in pages.items()
    }


@pytest.mark.django_db
def test_filing_a_building_permit_online_takes_fewer_than_60_queries(
    building_permit, office_gitega, commune_gitega
):
    pages = file_online(building_permit, office_gitega, commune_gitega)

    total = sum(len(each) for posts in pages.values() for each in posts)
    assert total < FILING_QUERIES, queries_per_page(pages)


@pytest.mark.django_db
def test_twice_as_many_questions_and_documents_cost_no_more_queries_per_page(
    office_gitega, commune_gitega
):
    # 3 questions fit on one page, 6 on two: each page of questions costs the same.
    small = file_online(service_asking(3, 2), office_gitega, commune_gitega)
    large = file_online(service_asking(6, 4), office_gitega, commune_gitega)

    assert len(large["questions"]) == 2 * len(small["questions"])
    assert queries_per_page(large) == queries_per_page(small)
    assert all(reads <= 1 for reads in catalogue_reads(large).values()), catalogue_reads(large)
