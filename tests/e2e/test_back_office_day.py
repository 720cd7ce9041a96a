"""The back office's day, through the real pages in Chromium, from a returning citizen at the
counter to a proxy collecting the travel document.

A clerk of Gitega finds a returning citizen by national ID, files a laissez-passer with a document
that fails the checks and recovers without choosing the good one again, asks for the fee, records
it and forwards. An officer of the migration office claims it; the ministry supervisor reassigns it
to a colleague, who asks the citizen for information with a day to answer by. The clerk relays the
citizen's answer with a scanned document; the officer approves, issues and sends the document
back; the clerk hands it over to a proxy with an authorisation.
"""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gup.accounts.models import User
from gup.roles import Role
from services.models import Institution, Office, Service
from tests.factories import MINIMAL_PDF, PASSWORD, DossierFactory, png_bytes
from workflows.deadlines import add_working_days
from workflows.models import Collection, Dossier
from workflows.states import DossierState

pytestmark = pytest.mark.browser

NATIONAL_ID = "0412/345.678"


@pytest.fixture
def office(transactional_db):
    call_command("loaddata", "geography", "catalogue", verbosity=0)
    return Office.objects.get(code="GIT")


@pytest.fixture
def laissez_passer(office):
    return Service.objects.get(code="laissez-passer")


@pytest.fixture
def people(office):
    migration = Institution.objects.get(code="migration")

    def user(username, role, **scope):
        return User.objects.create_user(
            username=username, password=PASSWORD, role=role, first_name=username, **scope
        )

    return {
        "clerk": user("clerk.gitega", Role.CLERK, office=office),
        "officer": user("officer.first", Role.OFFICER, institution=migration),
        "colleague": user("officer.second", Role.OFFICER, institution=migration),
        "supervisor": user("supervisor.migration", Role.MINISTRY_SUPERVISOR, institution=migration),
    }


@pytest.fixture
def returning_citizen(office, laissez_passer):
    """The citizen filed here before: their details are on that dossier."""
    return DossierFactory(
        counter=True,
        collected=True,
        office=office,
        service=laissez_passer,
        applicant_first_name="Gloriose",
        applicant_last_name="Irakoze",
        applicant_national_id=NATIONAL_ID,
        applicant_phone="+25779123456",
    )


def sign_in_as(page, live_server, user):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def submit(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def state_shown(page) -> str:
    return page.locator(".state").first.inner_text()


def test_a_day_from_the_counter_to_a_proxy_collecting(
    page, live_server, people, laissez_passer, returning_citizen, tmp_path
):
    id_scan = tmp_path / "id.pdf"
    id_scan.write_bytes(MINIMAL_PDF)
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes())
    not_a_photo = tmp_path / "photo-from-phone.png"
    not_a_photo.write_bytes(b"this is not an image at all")
    answer_scan = tmp_path / "letter.pdf"
    answer_scan.write_bytes(MINIMAL_PDF)
    authorisation = tmp_path / "authorisation.pdf"
    authorisation.write_bytes(MINIMAL_PDF)

    # --- The counter: a returning citizen, a bad photo, a recovery ---------------------------
    sign_in_as(page, live_server, people["clerk"])
    page.goto(live_server.url + reverse("counter_file", args=[laissez_passer.code]))
    page.fill("#id_lookup-national_id", NATIONAL_ID)
    submit(page, "Find")
    assert page.input_value("#id_applicant-applicant_last_name") == "Irakoze"
    assert page.input_value("#id_applicant-applicant_first_name") == "Gloriose"

    page.select_option("#id_answer-destination", "RW")
    page.fill("#id_answer-purpose", "Visiting family in Kigali")
    travel = timezone.localdate() + datetime.timedelta(days=30)
    page.fill("#id_answer-travel_date", travel.isoformat())
    page.set_input_files("#id_document-national-id", str(id_scan))
    page.set_input_files("#id_document-photo", str(not_a_photo))
    submit(page, "File the dossier")

    assert Dossier.objects.exclude(pk=returning_citizen.pk).count() == 0
    assert "The dossier was not filed" in page.content()
    # The good scan is kept; only the photo is chosen again.
    assert page.locator(".kept").first.inner_text().startswith("Kept: id.pdf")
    page.set_input_files("#id_document-photo", str(photo))
    submit(page, "File the dossier")

    dossier = Dossier.objects.exclude(pk=returning_citizen.pk).get()
    assert dossier.applicant_national_id == returning_citizen.applicant_national_id
    assert {file.original_name for file in dossier.attachments.all()} == {"id.pdf", "photo.png"}
    assert page.locator("h1").inner_text().startswith(dossier.tracking_number)

    # --- The fee: asked, shown, recorded with a receipt number; then forwarded ----------------
    submit(page, "Ask for payment")
    assert "Awaiting payment" in state_shown(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Record payment").click()
    assert page.input_value("#id_amount_bif") == "30000"
    page.select_option("#id_method", "lumicash")
    submit(page, "Record payment")
    # A mobile-money payment needs its reference: said beside the field, the amount kept.
    assert "Enter the bank or mobile-money reference." in page.content()
    assert page.input_value("#id_amount_bif") == "30000"
    page.fill("#id_reference", "LC-2026-778899")
    submit(page, "Record payment")
    payment = dossier.payments.get()
    assert payment.receipt_number in page.locator("main").inner_text()
    submit(page, "Forward to the institution")
    assert "Forwarded to the institution" in state_shown(page)

    # --- The institution: claimed, then reassigned by the supervisor --------------------------
    sign_in_as(page, live_server, people["officer"])
    page.goto(live_server.url + reverse("dossier_detail", args=[dossier.tracking_number]))
    submit(page, "Claim and start review")
    assert "In review" in state_shown(page)

    sign_in_as(page, live_server, people["supervisor"])
    page.goto(live_server.url + reverse("supervision") + "?show=open")
    page.check(f"input[name=dossier][value='{dossier.tracking_number}']")
    page.select_option("select[name=assignee]", str(people["colleague"].pk))
    submit(page, "Assign the ticked dossiers")
    dossier.refresh_from_db()
    assert dossier.officer == people["colleague"]
    assert dossier.history.filter(kind="assign").count() == 1

    # --- The new holder asks the citizen, with a day to answer by ----------------------------
    sign_in_as(page, live_server, people["colleague"])
    page.goto(live_server.url + reverse("dossier_detail", args=[dossier.tracking_number]))
    with page.expect_navigation():
        page.get_by_role("link", name="Ask the citizen for information").click()
    answer_by = add_working_days(timezone.localdate(), 15)
    page.fill("#id_answer_by", answer_by.isoformat())
    page.fill("#id_comment", "Please bring the invitation letter from your family in Kigali.")
    submit(page, "Ask the citizen for information")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.INFORMATION_REQUESTED
    assert dossier.answer_by == answer_by

    # --- The clerk relays the answer given at the counter, with a scan ----------------------
    sign_in_as(page, live_server, people["clerk"])
    page.goto(live_server.url + reverse("dossier_detail", args=[dossier.tracking_number]))
    with page.expect_navigation():
        page.get_by_role("link", name="Send the answer").click()
    assert "invitation letter" in page.locator("main").inner_text()
    page.fill("#id_comment", "The citizen brought the invitation letter.")
    page.set_input_files("input[type=file][name=other]", str(answer_scan))
    submit(page, "Send the answer")
    dossier.refresh_from_db()
    assert dossier.state == DossierState.IN_REVIEW
    assert dossier.attachments.filter(original_name="letter.pdf").exists()

    # --- The officer decides, issues and sends the document to the office -------------------
    sign_in_as(page, live_server, people["colleague"])
    page.goto(live_server.url + reverse("dossier_detail", args=[dossier.tracking_number]))
    with page.expect_navigation():
        page.get_by_role("link", name="Approve").click()
    submit(page, "Approve")
    submit(page, "Issue the document")
    submit(page, "Send to the office")
    assert "Ready for collection" in state_shown(page)

    # --- The clerk hands it over to a proxy --------------------------------------------------
    sign_in_as(page, live_server, people["clerk"])
    page.goto(live_server.url + reverse("dossier_detail", args=[dossier.tracking_number]))
    with page.expect_navigation():
        page.get_by_role("link", name="Hand over to the citizen").click()
    page.check("input[name=collector][value=proxy]")
    page.fill("#id_proxy_name", "Jean Nduwimana")
    page.fill("#id_proxy_national_id", "0520/111.222")
    page.set_input_files("#id_authorisation", str(authorisation))
    submit(page, "Hand over to the citizen")

    assert "Collected" in state_shown(page)
    collection = Collection.objects.get(dossier=dossier)
    assert collection.collector_name == "Jean Nduwimana"
    assert "Jean Nduwimana" in page.locator(".history").inner_text()
