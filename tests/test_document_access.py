"""Where people get the documents GUP issues, and who may: print, download, preview, revoke."""

import hashlib
import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tests.documents import said
from tests.factories import DossierFactory, UserFactory
from workflows.actions import perform
from workflows.citizen_access import new_token
from workflows.documents import issuing, kinds, labels
from workflows.models import IssuedDocument
from workflows.states import DossierState as S


def issued(django_capture_on_commit_callbacks, **kwargs):
    """A dossier walked by the real events, with the documents those events print."""
    with django_capture_on_commit_callbacks(execute=True):
        return DossierFactory(**kwargs)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def staff_url(document):
    return reverse("dossier_document", args=[document.dossier.tracking_number, document.number])


def revoke_url(document):
    return reverse(
        "dossier_document_revoke", args=[document.dossier.tracking_number, document.number]
    )


def citizen_url(document):
    return reverse("citizen_document", args=[document.dossier.public_id, document.number])


@pytest.fixture
def counter_passport(django_capture_on_commit_callbacks, personas):
    return issued(
        django_capture_on_commit_callbacks,
        service=personas.passport,
        office=personas.office_gitega,
        clerk=personas.clerk_gitega,
        counter=True,
        intake=True,
    )


@pytest.mark.django_db
def test_the_clerk_prints_the_receipt_right_after_filing(client, personas, counter_passport):
    client.force_login(personas.clerk_gitega)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("dossier_detail", args=[counter_passport.tracking_number]))

    receipt = counter_passport.documents.get()
    assert receipt.kind == "filing_receipt"
    assert page.context["to_hand_over"].documents == [receipt]
    assert "Print: Filing receipt" in page.text
    response = client.get(staff_url(receipt))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Cache-Control"] == "private, no-store"
    assert counter_passport.tracking_number in pdf_text(b"".join(response.streaming_content))


@pytest.mark.django_db
def test_a_payment_leaves_a_receipt_to_print(client, personas, django_capture_on_commit_callbacks):
    dossier = issued(
        django_capture_on_commit_callbacks,
        service=personas.passport,
        office=personas.office_gitega,
        clerk=personas.clerk_gitega,
        counter=True,
        awaiting_payment=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        perform(
            dossier.pk,
            "record_payment",
            personas.clerk_gitega,
            method="cash",
            reference="",
            amount_bif=personas.passport.fee_bif,
        )
    client.force_login(personas.clerk_gitega)

    page = client.get(reverse("dossier_detail", args=[dossier.tracking_number]))

    (receipt,) = page.context["to_hand_over"].documents
    assert receipt.kind == "payment_receipt"
    assert receipt.number.startswith(f"{dossier.office.code}-")
    assert "-R" in receipt.number


@pytest.mark.django_db
def test_staff_of_another_office_or_institution_get_404(client, personas, counter_passport):
    receipt = counter_passport.documents.get()
    for stranger in (personas.clerk_ngozi, personas.officer_urbanism):
        client.force_login(stranger)
        assert client.get(staff_url(receipt)).status_code == 404
    client.logout()
    assert client.get(staff_url(receipt)).status_code == 302  # to the sign-in page


@pytest.mark.django_db
def test_an_unknown_number_and_another_dossiers_number_are_404(
    client, personas, counter_passport, django_capture_on_commit_callbacks
):
    other = issued(
        django_capture_on_commit_callbacks,
        service=personas.passport,
        office=personas.office_gitega,
        counter=True,
        intake=True,
    )
    client.force_login(personas.clerk_gitega)
    url = reverse(
        "dossier_document",
        args=[counter_passport.tracking_number, other.documents.get().number],
    )
    assert client.get(url).status_code == 404
    number = counter_passport.tracking_number
    unknown = reverse("dossier_document", args=[number, "GIT-2026-D999999"])
    assert client.get(unknown).status_code == 404
    assert client.get(f"/dossiers/{number}/documents/GIT-2026-D%00.pdf").status_code == 404


@pytest.mark.django_db
def test_the_citizen_downloads_theirs_from_their_account_and_nobody_else_can(
    client, personas, django_capture_on_commit_callbacks
):
    dossier = issued(
        django_capture_on_commit_callbacks,
        service=personas.passport,
        office=personas.office_gitega,
        applicant_account=personas.citizen,
        submitted=True,
    )
    receipt = dossier.documents.get()
    client.force_login(personas.citizen)

    page = client.get(reverse("citizen_follow", args=[dossier.public_id]))
    response = client.get(citizen_url(receipt))

    assert citizen_url(receipt) in page.text
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert receipt.number in response["Content-Disposition"]
    client.force_login(personas.other_citizen)
    assert client.get(citizen_url(receipt)).status_code == 404
    client.force_login(personas.clerk_gitega)  # staff are not the citizen, even of that office
    assert client.get(citizen_url(receipt)).status_code == 404


@pytest.mark.django_db
def test_a_resume_link_holder_downloads_the_documents_of_that_dossier(
    personas, django_capture_on_commit_callbacks
):
    raw, hashed = new_token()
    dossier = issued(
        django_capture_on_commit_callbacks,
        service=personas.passport,
        office=personas.office_gitega,
        applicant_account=None,
        resume_token_hash=hashed,
        submitted=True,
    )
    browser = Client()
    receipt = dossier.documents.get()
    assert browser.get(citizen_url(receipt)).status_code == 404

    browser.get(f"/resume/{raw}/")

    assert browser.get(citizen_url(receipt)).status_code == 200


@pytest.mark.django_db
def test_the_public_status_page_offers_the_documents_only_through_an_sms_code(
    client, personas, counter_passport
):
    """The tracking number and four digits are not enough: the code sent to the dossier's
    phone is (tests/test_one_time_codes.py)."""
    from tests.test_track import track

    digits = counter_passport.applicant_phone[-4:]
    response = track(client, counter_passport.tracking_number, digits)

    assert response.status_code == 200
    assert "Get your documents by SMS code" in response.text
    assert "/documents/" not in response.text
    assert ".pdf" not in response.text


# --- Stored once ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_document_is_rendered_once_and_served_again_unchanged(client, personas, counter_passport):
    receipt = counter_passport.documents.get()
    client.force_login(personas.clerk_gitega)

    first = b"".join(client.get(staff_url(receipt)).streaming_content)
    second = b"".join(client.get(staff_url(receipt)).streaming_content)

    assert first == second
    assert hashlib.sha256(first).hexdigest() == receipt.sha256
    assert counter_passport.history.filter(kind="document_issued").count() == 1


@pytest.mark.django_db
def test_the_same_event_never_issues_its_document_twice(personas, counter_passport):
    receipt = counter_passport.documents.get()
    owed = counter_passport.outbox_messages.get(effect="documents")
    assert owed.status == "done" and owed.history_entry_id == receipt.source_entry_id

    issuing.print_documents(owed)  # a worker running the same job again

    assert counter_passport.documents.count() == 1


@pytest.mark.django_db
def test_a_new_template_renders_again_until_the_dossier_is_handed_over(
    personas, counter_passport, monkeypatch, django_capture_on_commit_callbacks
):
    receipt = counter_passport.documents.get()
    old_path, old_code = receipt.path, receipt.code
    newer = kinds.DocumentKind(
        "filing_receipt", kinds.KINDS["filing_receipt"].title, series="D", template_version=2
    )
    monkeypatch.setitem(kinds.KINDS, "filing_receipt", newer)

    with django_capture_on_commit_callbacks(execute=True):
        path = issuing.stored_file(receipt)

    receipt.refresh_from_db()
    assert receipt.template_version == 2
    assert path == receipt.path != old_path
    assert not old_path.exists()
    assert (receipt.code, receipt.number) == (old_code, receipt.number)
    assert counter_passport.history.filter(kind="document_rendered_again").count() == 1


@pytest.mark.django_db
def test_a_handed_over_document_is_never_rendered_again(
    personas, monkeypatch, django_capture_on_commit_callbacks
):
    dossier = issued(
        django_capture_on_commit_callbacks,
        service=personas.passport,
        office=personas.office_gitega,
        counter=True,
        collected=True,
    )
    receipt = dossier.documents.get(kind="filing_receipt")
    newer = kinds.DocumentKind(
        "filing_receipt", kinds.KINDS["filing_receipt"].title, series="D", template_version=2
    )
    monkeypatch.setitem(kinds.KINDS, "filing_receipt", newer)

    assert issuing.stored_file(receipt) == receipt.path
    receipt.refresh_from_db()
    assert receipt.template_version == 1


# --- Preview before deciding ------------------------------------------------------------------


@pytest.fixture
def passport_in_review(personas, django_capture_on_commit_callbacks):
    return issued(
        django_capture_on_commit_callbacks,
        service=personas.passport,
        office=personas.office_gitega,
        officer=personas.officer_migration,
        counter=True,
        in_review=True,
    )


@pytest.mark.django_db
def test_the_officer_previews_the_rejection_letter_with_the_reasons_typed(
    client, personas, passport_in_review
):
    client.force_login(personas.officer_migration)
    client.cookies["django_language"] = "en"
    step_page = client.get(
        reverse("dossier_step", args=[passport_in_review.tracking_number, "reject"])
    )
    assert "Preview the letter" in step_page.text
    before = IssuedDocument.objects.count()

    response = client.post(
        reverse("dossier_step_preview", args=[passport_in_review.tracking_number, "reject"]),
        {"comment": "The birth certificate is not legible.", "expected_state": S.IN_REVIEW},
    )

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert said(labels.PREVIEW, passport_in_review.language) in " ".join(text.split())
    assert "The birth certificate is not legible." in text
    assert IssuedDocument.objects.count() == before
    passport_in_review.refresh_from_db()
    assert passport_in_review.state == S.IN_REVIEW


@pytest.mark.django_db
def test_a_preview_with_no_reasons_yet_still_shows_the_letter(client, personas, passport_in_review):
    client.force_login(personas.officer_migration)

    response = client.post(
        reverse("dossier_step_preview", args=[passport_in_review.tracking_number, "approve"]),
        {"comment": "x" * 5000},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_only_who_may_decide_previews_and_only_by_post(client, personas, passport_in_review):
    url = reverse("dossier_step_preview", args=[passport_in_review.tracking_number, "reject"])
    client.force_login(personas.officer_migration)
    assert client.get(url).status_code == 405
    forward = reverse("dossier_step_preview", args=[passport_in_review.tracking_number, "forward"])
    assert client.post(forward).status_code == 404
    client.force_login(personas.clerk_gitega)  # sees the dossier, may not decide
    assert client.post(url, {"comment": "No."}).status_code == 404


# --- Revoking ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_supervisor_revokes_a_document_with_a_reason_kept_in_the_history(
    client, personas, counter_passport
):
    receipt = counter_passport.documents.get()
    url = reverse(
        "dossier_document_revoke", args=[counter_passport.tracking_number, receipt.number]
    )
    client.force_login(personas.supervisor_gitega)
    detail = client.get(reverse("dossier_detail", args=[counter_passport.tracking_number]))
    assert url in detail.text  # the supervisor's "Revoke…" link

    response = client.post(url, {"reason": "Issued to the wrong person by mistake."})

    assert response.status_code == 302
    receipt.refresh_from_db()
    assert receipt.is_revoked
    assert receipt.revoked_by_name
    entry = counter_passport.history.last()
    assert entry.kind == "revoke_document"
    assert entry.comment == "Issued to the wrong person by mistake."
    assert entry.details["number"] == receipt.number


@pytest.mark.django_db
def test_revoking_without_a_reason_or_twice_is_refused_clearly(client, personas, counter_passport):
    receipt = counter_passport.documents.get()
    url = reverse(
        "dossier_document_revoke", args=[counter_passport.tracking_number, receipt.number]
    )
    client.force_login(personas.supervisor_gitega)

    empty = client.post(url, {"reason": "  "})
    assert empty.status_code == 400
    assert empty.context["form"].errors["reason"]
    receipt.refresh_from_db()
    assert not receipt.is_revoked

    client.post(url, {"reason": "Issued by mistake to another person."})
    client.cookies["django_language"] = "en"
    again = client.post(url, {"reason": "Issued by mistake to another person."}, follow=True)
    assert "already been revoked" in again.text


@pytest.mark.django_db
def test_clerks_and_strangers_cannot_revoke(client, personas, counter_passport):
    receipt = counter_passport.documents.get()
    url = reverse(
        "dossier_document_revoke", args=[counter_passport.tracking_number, receipt.number]
    )
    for person in (personas.clerk_gitega, personas.clerk_ngozi, personas.officer_migration):
        client.force_login(person)
        assert (
            client.post(url, {"reason": "Issued by mistake to another person."}).status_code == 404
        )
    receipt.refresh_from_db()
    assert not receipt.is_revoked
    client.force_login(personas.clerk_gitega)
    detail = client.get(reverse("dossier_detail", args=[counter_passport.tracking_number]))
    assert url not in detail.text  # no "Revoke…" link for a clerk
    supervisor_elsewhere = UserFactory(office_supervisor=True, office=personas.office_ngozi)
    client.force_login(supervisor_elsewhere)
    assert client.get(url).status_code == 404


def test_printing_does_not_make_uploads_accept_a_photo_cut_off_halfway():
    from tests.test_uploads import ALL_TYPES, image_bytes, refusal, upload
    from workflows.documents.render import engine

    engine()  # WeasyPrint is imported: it tells Pillow to accept truncated images
    content = image_bytes("PNG", size=(200, 200))

    error = refusal(upload("photo.png", content[: len(content) // 2]), ALL_TYPES)

    assert error.code == "damaged"


def test_a_machine_without_harfbuzz_subset_is_warned_loudly(monkeypatch, caplog):
    from gup.checks import pdf_rendering_is_fast
    from workflows.documents import render

    monkeypatch.setattr(render.ctypes.util, "find_library", lambda name: None)
    render.engine.cache_clear()
    try:
        render.engine()
    finally:
        render.engine.cache_clear()

    assert [problem.id for problem in pdf_rendering_is_fast(None)] == ["gup.W001"]
    assert "libharfbuzz-subset is missing" in caplog.text


def test_a_new_signing_key_is_printed_ready_for_the_settings(settings):
    from io import StringIO

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    from django.core.management import call_command

    out = StringIO()
    call_command("new_signing_key", stdout=out)

    assert isinstance(load_pem_private_key(out.getvalue().encode(), None), Ed25519PrivateKey)


def test_production_without_its_own_signing_key_or_https_address_is_refused(settings):
    from gup.checks import documents_can_be_signed

    settings.GUP_SIGNING_KEY, settings.GUP_SIGNING_KEY_GENERATE = "", False
    settings.GUP_PUBLIC_URL = "http://gup.example"
    assert [problem.id for problem in documents_can_be_signed(None)] == ["gup.E002", "gup.W003"]

    settings.GUP_SIGNING_KEY_GENERATE = True
    settings.GUP_PUBLIC_URL = "https://gup.example"
    assert [problem.id for problem in documents_can_be_signed(None)] == ["gup.W002"]


@pytest.mark.django_db
def test_receipt_numbers_run_per_office_year_and_series(personas):
    from django.db import transaction

    from workflows.numbering import allocate_document_number

    with transaction.atomic():
        first = allocate_document_number(personas.office_gitega, 2026, "R")
        second = allocate_document_number(personas.office_gitega, 2026, "R")
        letter = allocate_document_number(personas.office_gitega, 2026, "L")
        elsewhere = allocate_document_number(personas.office_ngozi, 2026, "R")
        next_year = allocate_document_number(personas.office_gitega, 2027, "R")

    assert (first, second) == ("GIT-2026-R000001", "GIT-2026-R000002")
    assert (letter, elsewhere, next_year) == (
        "GIT-2026-L000001",
        "NGO-2026-R000001",
        "GIT-2027-R000001",
    )


@pytest.mark.django_db
def test_the_document_printed_on_issue_is_the_one_the_catalogue_names(
    personas, django_capture_on_commit_callbacks
):
    from services.models import IssuedDocumentTemplate

    service = personas.passport
    service.issued_document_template = IssuedDocumentTemplate.LAND_TITLE_CERTIFICATE
    service.save()

    dossier = issued(
        django_capture_on_commit_callbacks,
        service=service,
        office=personas.office_gitega,
        counter=True,
        issued=True,
    )

    assert dossier.documents.filter(kind="land_title_certificate").exists()
    assert not dossier.documents.filter(kind="collection_notice").exists()
