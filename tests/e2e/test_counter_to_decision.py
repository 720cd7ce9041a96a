"""The foundation's journey, through the real pages in Chromium.

A clerk of Gitega files a building permit for a walk-in citizen and forwards it; an officer of the
institution the routing rules name claims it and decides; the clerk sees the decision and the
history. A clerk of Ngozi and an officer of another institution cannot even see that it exists.
"""

import pytest
from django.core.management import call_command

from gup.accounts.models import User
from gup.roles import Role
from services.models import FieldKind, Institution, Office, Service
from tests.factories import MINIMAL_PDF, PASSWORD, png_bytes
from workflows.models import Dossier


def sample_file(document):
    if "application/pdf" in document.accepted_types:
        return {
            "name": f"{document.code}.pdf",
            "mimeType": "application/pdf",
            "buffer": MINIMAL_PDF,
        }
    if "image/png" in document.accepted_types:
        return {"name": f"{document.code}.png", "mimeType": "image/png", "buffer": png_bytes()}
    raise AssertionError(f"No sample file for {document.accepted_types}")


def fill_answer(page, spec):
    selector = f"#id_answer-{spec.code}"
    if spec.kind == FieldKind.CHOICE:
        page.select_option(selector, spec.choices[0]["value"])
    elif spec.kind == FieldKind.YES_NO:
        page.check(f"input[name='answer-{spec.code}'][value='yes']")
    elif spec.kind == FieldKind.INTEGER:
        page.fill(selector, str(max(spec.min_value or 1, 1)))
    elif spec.kind == FieldKind.DATE:
        page.fill(selector, "2027-03-01")
    else:
        page.fill(selector, "Plot 12, colline Magarama")


@pytest.fixture
def catalogue(transactional_db):
    call_command("loaddata", "geography", "catalogue", verbosity=0)


def make_user(username, role, **scope):
    user = User.objects.create_user(username=username, password=PASSWORD, role=role, **scope)
    return user


@pytest.fixture
def staff(catalogue):
    return {
        "clerk_gitega": make_user(
            "clerk.gitega", Role.CLERK, office=Office.objects.get(code="GIT")
        ),
        "clerk_ngozi": make_user("clerk.ngozi", Role.CLERK, office=Office.objects.get(code="NGO")),
        "officer_urbanism": make_user(
            "officer.urbanism", Role.OFFICER, institution=Institution.objects.get(code="urbanism")
        ),
        "officer_migration": make_user(
            "officer.migration", Role.OFFICER, institution=Institution.objects.get(code="migration")
        ),
    }


def sign_in_as(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stack button[type=submit]")


def test_clerk_files_and_forwards_officer_approves_clerk_sees_decision(page, live_server, staff):
    service = Service.objects.get(code="building-permit")

    sign_in_as(page, live_server, "clerk.gitega")
    page.click("text=File a dossier for a citizen")
    page.click(f"a[href='/counter/new/{service.code}/']")
    page.fill("#id_applicant-applicant_first_name", "Aline")
    page.fill("#id_applicant-applicant_last_name", "Ndayishimiye")
    page.fill("#id_applicant-applicant_national_id", "0412/345.678")
    page.fill("#id_applicant-applicant_birth_date", "1990-05-17")
    page.fill("#id_applicant-applicant_phone", "79 12 34 56")
    page.select_option("#id_applicant-applicant_commune", label="Gitega (Gitega)")
    for spec in service.fields.all():
        fill_answer(page, spec)
    for document in service.documents.all():
        page.set_input_files(f"#id_document-{document.code}", files=[sample_file(document)])
    with page.expect_navigation():  # sent with XMLHttpRequest and a progress bar: wait for it
        page.click("text=File the dossier")

    dossier = Dossier.objects.get()
    assert dossier.tracking_number.startswith("GIT-")
    assert page.locator("h1").inner_text().startswith(dossier.tracking_number)
    assert dossier.attachments.count() == service.documents.count()

    page.click("button:has-text('Forward to the institution')")
    assert "Forwarded to the institution" in page.locator(".state").inner_text()

    sign_in_as(page, live_server, "officer.urbanism")
    page.click(f"text={dossier.tracking_number}")
    page.click("button:has-text('Claim and start review')")
    page.click("text=Approve")
    page.fill("#id_comment", "Plans conform to the urban plan.")
    page.click("form.stack button.primary")
    assert "Approved" in page.locator(".state").inner_text()

    sign_in_as(page, live_server, "clerk.gitega")
    page.goto(f"{live_server.url}/dossiers/{dossier.tracking_number}/")
    assert "Approved" in page.locator(".state").inner_text()
    assert "Plans conform to the urban plan." in page.locator(".decision").inner_text()
    history = page.locator(".history li")
    # Filed at the counter (filed and taken for checking in one event), its receipt issued,
    # forwarded, in review, approved, the decision letter issued.
    assert history.count() == 6
    assert "Decision letter issued" in history.last.inner_text()

    for outsider in ("clerk.ngozi", "officer.migration"):
        sign_in_as(page, live_server, outsider)
        response = page.goto(f"{live_server.url}/dossiers/{dossier.tracking_number}/")
        assert response.status == 404
