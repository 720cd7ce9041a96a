"""What the citizen sees after filing (and while filing): where they are in the form, the format
each field expects, one line per document sent, how to pay, the outcome and its letter online,
"your answer was received", and downloads of their own files and of the documents issued."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from services import payment_instructions
from services.models import PaymentChannel, PaymentOperator
from tests.factories import (
    MINIMAL_PDF,
    ONLINE_APPLICANT_POST,
    STEP_COMMENTS,
    AttachmentFactory,
    DossierFactory,
    ProvinceFactory,
    UserFactory,
)
from workflows.actions import perform
from workflows.applicant import NATIONAL_ID_HINT, PHONE_HINT
from workflows.citizen_access import new_token
from workflows.messages import compose
from workflows.messages.topics import Topic
from workflows.models import Collection, Dossier
from workflows.states import DossierState as S

pytestmark = pytest.mark.django_db

PHONE = "+25779123456"


def pdf(name):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def step_url(dossier, step):
    return reverse("citizen_step", args=[dossier.public_id, step])


def follow_url(dossier):
    return reverse("citizen_follow", args=[dossier.public_id])


def file_url(attachment):
    return reverse("citizen_file", args=[attachment.dossier.public_id, attachment.stored_name])


def document_url(document):
    return reverse("citizen_document", args=[document.dossier.public_id, document.number])


@pytest.fixture
def browser(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def signed_in(browser, citizen):
    browser.force_login(citizen)
    return browser


def track(client, dossier, digits="3456"):
    client.cookies["django_language"] = "en"
    return client.post(
        reverse("track"), {"tracking_number": dossier.tracking_number, "phone_digits": digits}
    )


def current_step(page: str) -> str:
    """The text of the step marked ``aria-current`` in the progress list."""
    return re.search(r'<li aria-current="step">([^<]*)</li>', page).group(1)


# --- Where they are: "Step 1 of 5" from the first page -----------------------------------------


@pytest.fixture
def draft(browser, building_permit, office_gitega, commune_gitega):
    """A building-permit draft started in ``browser``, at the applicant page."""
    response = browser.post(
        reverse("citizen_start", args=["building-permit"]), {"office": office_gitega.pk}
    )
    assert response.status_code == 302
    return Dossier.objects.get()


APPLICANT = {**ONLINE_APPLICANT_POST, "applicant-language": "en"}


def fill_up_to_check(browser, dossier, commune):
    data = {**APPLICANT, "applicant-applicant_commune": commune.pk}
    assert browser.post(step_url(dossier, "applicant"), data).status_code == 302
    assert browser.post(step_url(dossier, "questions-1"), {"answer-plot_number": "12"}).url
    files = {"document-plans": pdf("plans.pdf"), "document-national-id": pdf("id.pdf")}
    assert browser.post(step_url(dossier, "documents"), files).url == step_url(dossier, "check")


def test_every_page_of_the_form_says_which_step_it_is_from_the_first(
    browser, draft, commune_gitega
):
    start = browser.get(reverse("citizen_start", args=["building-permit"])).text
    assert "Step 1 of 5" in start
    assert current_step(start) == "Office"
    assert start.count('aria-current="step"') == 1

    applicant = browser.get(step_url(draft, "applicant")).text
    assert "Step 2 of 5" in applicant
    assert current_step(applicant) == "About you"

    fill_up_to_check(browser, draft, commune_gitega)
    check = browser.get(step_url(draft, "check")).text
    assert "Step 5 of 5" in check
    assert current_step(check) == "Check your answers"
    # Every step is named, in order, on every page.
    titles = re.findall(r"<li(?: aria-current=\"step\")?>([^<]*)</li>", check)
    assert titles[:5] == ["Office", "About you", "Your request", "Documents", "Check your answers"]


# --- Format hints before any error -------------------------------------------------------------


def test_the_id_and_phone_fields_show_their_format_before_anything_is_typed(browser, draft):
    page = browser.get(step_url(draft, "applicant")).text

    assert str(NATIONAL_ID_HINT) in page
    assert str(PHONE_HINT) in page
    # Read out by screen readers with the field itself.
    assert 'aria-describedby="id_applicant-applicant_national_id_helptext"' in page
    assert 'aria-describedby="id_applicant-applicant_phone_helptext"' in page


def test_a_wrong_id_or_phone_is_told_beside_its_field_with_the_format_and_not_saved(
    browser, draft, commune_gitega
):
    data = {
        **APPLICANT,
        "applicant-applicant_commune": commune_gitega.pk,
        "applicant-applicant_national_id": "#?",
        "applicant-applicant_phone": "my phone",
    }

    response = browser.post(step_url(draft, "applicant"), data)

    assert response.status_code == 400
    page = response.text
    id_error = re.search(r'id="id_applicant-applicant_national_id_error">([^<]*)<', page)
    phone_error = re.search(r'id="id_applicant-applicant_phone_error">([^<]*)<', page)
    assert "432.1098/765" in id_error.group(1)
    assert "79 12 34 56" in phone_error.group(1)
    assert 'value="Aline"' in page  # nothing typed is lost
    draft.refresh_from_db()
    assert draft.applicant_national_id == "" and draft.applicant_phone == ""
    assert draft.applicant_first_name == "Aline"  # the valid part was kept


# --- One line per document ---------------------------------------------------------------------


def test_a_document_replaced_in_the_draft_is_listed_once_on_the_check_page(
    browser, draft, commune_gitega
):
    fill_up_to_check(browser, draft, commune_gitega)

    response = browser.post(
        step_url(draft, "documents") + "?return=check", {"document-plans": pdf("plans-v2.pdf")}
    )

    assert response.url == step_url(draft, "check")
    page = browser.get(step_url(draft, "check")).text
    assert page.count("plans-v2.pdf") == 1
    assert "<dd>plans.pdf</dd>" not in page
    assert draft.attachments.filter(document__code="plans").count() == 1


def test_the_dossier_page_shows_which_file_counts_after_a_correction(signed_in, citizen):
    dossier = DossierFactory(returned=True, applicant_account=citizen)
    plans = dossier.service.documents.get(code=dossier.service.documents.first().code)
    first = dossier.attachments.get(document=plans)

    response = signed_in.post(
        reverse("citizen_answer", args=[dossier.public_id]),
        {
            "reply-comment": "Here is the corrected plan.",
            "reply-expected_state": S.RETURNED,
            f"reply-{plans.code}": pdf("corrected.pdf"),
        },
    )
    assert response.status_code == 302

    page = signed_in.get(follow_url(dossier)).text
    section = page[page.index("Documents sent") :]
    lines = re.findall(r"<li>(.*?)</li>", section[: section.index("</section>")], re.S)
    assert len(lines) == 2
    newest, older = lines
    assert "corrected.pdf" in newest and "replaced" not in newest
    assert first.original_name in older and ">replaced<" in older


# --- Downloading their own files ---------------------------------------------------------------


@pytest.fixture
def filed(citizen):
    return DossierFactory(submitted=True, applicant_account=citizen, applicant_phone=PHONE)


def test_the_citizen_downloads_each_file_they_sent_with_the_staff_download_headers(
    signed_in, filed
):
    attachment = filed.attachments.first()
    page = signed_in.get(follow_url(filed)).text
    assert file_url(attachment) in page

    response = signed_in.get(file_url(attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == attachment.path.read_bytes()
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_the_resume_link_opens_the_downloads_too(browser):
    raw, hashed = new_token()
    dossier = DossierFactory(submitted=True, applicant_account=None, resume_token_hash=hashed)
    attachment = dossier.attachments.first()

    assert browser.get(file_url(attachment)).status_code == 404
    assert browser.get(f"/resume/{raw}/").status_code == 302
    assert browser.get(file_url(attachment)).status_code == 200


def test_a_wrong_resume_link_opens_nothing(browser, filed):
    response = browser.get("/resume/not-a-real-token/")

    assert response.status_code == 404
    assert browser.get(file_url(filed.attachments.first())).status_code == 404
    assert browser.get(follow_url(filed)).status_code == 404


def test_nobody_else_downloads_a_citizens_file(filed, other_citizen, clerk_gitega):
    attachment = filed.attachments.first()
    someone = Client()
    someone.force_login(other_citizen)
    mine = DossierFactory(submitted=True, applicant_account=other_citizen)

    assert Client().get(file_url(attachment)).status_code == 404
    assert someone.get(file_url(attachment)).status_code == 404
    # Their own dossier's address with another dossier's file: still nothing.
    crossed = reverse("citizen_file", args=[mine.public_id, attachment.stored_name])
    assert someone.get(crossed).status_code == 404
    unknown = reverse("citizen_file", args=[mine.public_id, "0" * 32])
    assert someone.get(unknown).status_code == 404


def test_a_proxys_authorisation_is_not_the_citizens_to_download(signed_in, filed):
    """The authorisation scanned when a proxy collects names the proxy: staff only."""
    authorisation = AttachmentFactory(dossier=filed, document=None)
    Collection.objects.create(
        dossier=filed,
        collector="proxy",
        collector_name="Gérard Ndikumana",
        collector_national_id="0412/778899",
        authorisation=authorisation,
        handed_over_by=UserFactory(clerk=True, office=filed.office),
        handed_over_at=filed.submitted_at,
    )

    page = signed_in.get(follow_url(filed)).text

    assert file_url(authorisation) not in page
    assert signed_in.get(file_url(authorisation)).status_code == 404
    assert "Ndikumana" not in page


# --- Documents issued to them ------------------------------------------------------------------


def test_issued_documents_download_and_a_revoked_one_is_shown_as_revoked(
    signed_in, citizen, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = DossierFactory(
            awaiting_payment=True,
            service=personas.passport,
            office=personas.office_gitega,
            clerk=personas.clerk_gitega,
            applicant_account=citizen,
        )
        perform(
            dossier.pk,
            "record_payment",
            personas.clerk_gitega,
            method="cash",
            amount_bif=dossier.amount_due(),
        )
    filing, payment = dossier.documents.order_by("issued_at", "id")
    perform(
        dossier.pk,
        "revoke_document",
        personas.supervisor_gitega,
        comment="Issued to the wrong person by mistake.",
        number=payment.number,
    )

    page = signed_in.get(follow_url(dossier)).text

    assert document_url(filing) in page
    assert document_url(payment) not in page
    assert payment.number in page and "Revoked" in page
    assert signed_in.get(document_url(filing)).status_code == 200
    assert signed_in.get(document_url(payment)).status_code == 404


# --- How to pay ---------------------------------------------------------------------------------


@pytest.fixture
def channels(db):
    return [
        PaymentChannel.objects.create(operator="lumicash", pay_to="71 000 100", holder="GUP"),
        PaymentChannel.objects.create(operator="ecocash", pay_to="72 000 200", position=1),
        PaymentChannel.objects.create(operator="office", position=9),
    ]


@pytest.fixture
def to_pay(citizen, passport, office_gitega):
    return DossierFactory(
        awaiting_payment=True,
        service=passport,
        office=office_gitega,
        applicant_account=citizen,
        applicant_phone=PHONE,
        language="en",
    )


def test_the_citizen_reads_whom_to_pay_and_the_reference_on_every_page(signed_in, channels, to_pay):
    number = to_pay.tracking_number

    followed = signed_in.get(follow_url(to_pay)).text
    tracked = track(Client(), to_pay).text
    sms = compose(Topic.PAYMENT_REQUESTED, "en", dossier=to_pay, recipient_name="Aline").sms

    for text in (followed, tracked, sms):
        assert "Lumicash to 71 000 100" in text or "Lumicash: <strong>71 000 100" in text
        assert "72 000 200" in text
        assert number in text
        assert "GUP Gitega" in text
        assert "235" in text  # the amount due
    assert "How to pay" in followed


def test_a_provinces_own_number_replaces_the_national_one_and_inactive_ones_are_gone(
    channels, to_pay
):
    PaymentChannel.objects.create(
        operator="lumicash", pay_to="71 999 999", province=to_pay.office.province
    )
    PaymentChannel.objects.create(operator="ecocash", pay_to="72 111 111", is_active=False)
    PaymentChannel.objects.create(
        operator="bank", pay_to="BRB 0001", province=ProvinceFactory()
    )  # another province's

    how = payment_instructions.for_dossier(to_pay)

    assert [way.pay_to for way in how.mobile_money] == ["71 999 999", "72 000 200"]
    assert how.bank == ()
    assert how.at_office


def test_without_any_channel_the_fee_is_paid_at_the_office(to_pay):
    text = payment_instructions.sentence(payment_instructions.for_dossier(to_pay))

    assert "in cash at GUP Gitega" in text
    assert "Lumicash" not in text


def test_the_catalogue_names_the_ways_to_pay_an_administrator_set(browser, passport):
    url = reverse("service_detail", args=["passport"])
    assert "paid at the office, against a receipt." in browser.get(url).text

    PaymentChannel.objects.create(operator="ecocash", pay_to="72 000 200")
    PaymentChannel.objects.create(operator="office")
    PaymentChannel.objects.create(operator="lumicash", pay_to="71 000 100", is_active=False)

    page = browser.get(url).text
    assert "EcoCash, Cash at the office." in page
    assert "Lumicash" not in page


def test_a_channel_without_a_number_is_refused(administrator, channels):
    admin = Client()
    admin.force_login(administrator)
    admin.cookies["django_language"] = "en"  # the assertions are written in English
    before = PaymentChannel.objects.count()

    response = admin.post(
        reverse("admin:services_paymentchannel_add"),
        {"operator": "lumicash", "pay_to": "", "holder": "", "position": 0, "is_active": "on"},
    )

    assert response.status_code == 200
    assert "Give the number or account to pay to." in response.text
    assert PaymentChannel.objects.count() == before
    with pytest.raises(IntegrityError):
        PaymentChannel.objects.create(operator=PaymentOperator.ECOCASH, pay_to="")


# --- The outcome, online ------------------------------------------------------------------------


@pytest.fixture
def rejected(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return DossierFactory(
            rejected=True, applicant_account=citizen, applicant_phone=PHONE, language="en"
        )


def test_a_rejected_citizen_reads_the_reasons_and_downloads_the_letter(signed_in, rejected):
    letter = rejected.documents.get(kind="decision_letter")

    page = signed_in.get(follow_url(rejected)).text

    assert "Your request was refused" in page
    assert STEP_COMMENTS["reject"] in page
    assert document_url(letter) in page
    assert "Read the reasons below and download the decision letter." in page
    assert "Ask GUP" not in page and "No need to travel" in page
    assert rejected.decision.decided_by_name not in page  # who decided stays with staff
    assert signed_in.get(document_url(letter)).status_code == 200


def test_track_tells_a_rejected_citizen_how_to_get_the_letter_without_the_reasons(rejected):
    page = track(Client(), rejected).text

    assert "decision letter" in page and "No need to travel" in page
    assert "Read the reasons below" not in page
    assert STEP_COMMENTS["reject"] not in page
    assert reverse("track_send_code", args=[rejected.public_id]) in page


def test_an_approved_citizen_reads_where_and_when_to_collect(citizen, office_gitega):
    office_gitega.address = "Avenue de l'Indépendance 4"
    office_gitega.opening_hours = "Monday to Friday, 7:30-15:30"
    office_gitega.save()
    dossier = DossierFactory(
        ready_for_collection=True,
        office=office_gitega,
        applicant_account=citizen,
        applicant_phone=PHONE,
    )

    page = track(Client(), dossier).text

    assert "Avenue de l&#x27;Indépendance 4" in page
    assert "Monday to Friday, 7:30-15:30" in page


# --- "Your answer was received on …" ------------------------------------------------------------


def test_the_answer_is_acknowledged_until_the_office_takes_the_next_step(
    signed_in, citizen, clerk_gitega, office_gitega
):
    dossier = DossierFactory(
        returned=True,
        office=office_gitega,
        clerk=clerk_gitega,
        applicant_account=citizen,
        applicant_phone=PHONE,
    )
    assert "Your answer was received" not in signed_in.get(follow_url(dossier)).text

    signed_in.post(
        reverse("citizen_answer", args=[dossier.public_id]),
        {"reply-comment": "Corrected.", "reply-expected_state": S.RETURNED},
    )

    assert "Your answer was received on" in signed_in.get(follow_url(dossier)).text
    assert "Your answer was received on" in track(Client(), dossier).text
    assert "your answer was received on" in signed_in.get(reverse("my_dossiers")).text
    # A note between colleagues is no step: the acknowledgement stays, the note is not shown.
    perform(dossier.pk, "note_added", clerk_gitega, comment="Call her about the roof.")
    page = signed_in.get(follow_url(dossier)).text
    assert "Your answer was received on" in page
    assert "Call her about the roof." not in page

    perform(dossier.pk, "start_intake", clerk_gitega, expected_state=S.SUBMITTED)

    assert "Your answer was received" not in signed_in.get(follow_url(dossier)).text
    assert "your answer was received" not in signed_in.get(reverse("my_dossiers")).text


def test_my_dossiers_says_which_answers_arrived_in_one_query_for_all(
    signed_in, citizen, django_assert_max_num_queries
):
    waiting = [
        DossierFactory(information_requested=True, applicant_account=citizen) for _ in range(3)
    ]
    for dossier in waiting[:2]:
        perform(dossier.pk, "provide_information", citizen, comment="Ground floor.")
    signed_in.get(reverse("my_dossiers"))  # sessions, translations: warm

    with django_assert_max_num_queries(8):
        page = signed_in.get(reverse("my_dossiers")).text

    assert page.count("your answer was received on") == 2


def test_information_given_is_acknowledged_until_the_institution_moves_on(citizen):
    dossier = DossierFactory(
        information_requested=True, applicant_account=citizen, applicant_phone=PHONE
    )

    perform(dossier.pk, "provide_information", citizen, comment="Ground floor.")

    assert "Your answer was received on" in track(Client(), dossier).text
    dossier.refresh_from_db()
    perform(
        dossier.pk,
        "reject",
        dossier.officer,
        comment="The plot lies in a protected wetland.",
    )
    assert "Your answer was received" not in track(Client(), dossier).text


def test_on_their_own_page_the_citizen_is_told_to_answer_there_not_to_open_the_dossier(
    signed_in, citizen, client
):
    asked = DossierFactory(information_requested=True, applicant_account=citizen)

    own_page = signed_in.get(follow_url(asked)).content.decode()
    assert "answer online with “Answer”" in own_page
    assert "Open your dossier with your link" not in own_page
    # Elsewhere (the public status page) the citizen is told where to answer.
    status = track(client, asked, digits=asked.applicant_phone[-4:]).content.decode()
    assert "Open your dossier with your link or your account" in status
