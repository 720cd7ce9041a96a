"""Filing online through the pages: office, applicant, questions, documents, check, submit."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import MINIMAL_PDF, ONLINE_APPLICANT_POST, UserFactory, png_bytes
from workflows.models import Dossier, HistoryEntry
from workflows.states import DossierState as S


def pdf(name="plans.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def step_url(dossier, step):
    return reverse("citizen_step", args=[dossier.public_id, step])


@pytest.fixture
def draft(client, building_permit, office_gitega, commune_gitega):
    """A draft started in ``client``'s browser, at the applicant page."""
    response = client.post(
        reverse("citizen_start", args=["building-permit"]), {"office": office_gitega.pk}
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert response.url == step_url(dossier, "applicant")
    return dossier


def applicant_data(commune):
    return {**ONLINE_APPLICANT_POST, "applicant-applicant_commune": commune.pk}


def fill_everything(client, dossier, commune):
    """Walk the pages of the building permit up to "check your answers"."""
    assert client.post(step_url(dossier, "applicant"), applicant_data(commune)).status_code == 302
    answers = {"answer-plot_number": "Parcelle 12"}
    assert client.post(step_url(dossier, "questions-1"), answers).status_code == 302
    files = {"document-plans": pdf(), "document-national-id": pdf("id.pdf")}
    response = client.post(step_url(dossier, "documents"), files)
    assert response.url == step_url(dossier, "check")


# --- Starting -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_start_page_lists_the_offices_with_their_province(
    client, building_permit, office_ngozi
):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("citizen_start", args=["building-permit"])).content.decode()

    assert "GUP Ngozi — Ngozi (Butanyerera)" in page
    assert 'type="radio"' in page


@pytest.mark.django_db
def test_a_tampered_office_id_is_refused_with_a_message(client, building_permit, office_gitega):
    client.cookies["django_language"] = "en"
    response = client.post(reverse("citizen_start", args=["building-permit"]), {"office": 999999})

    assert response.status_code == 400
    assert "Choose one of the offices in the list." in response.content.decode()
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_starting_without_choosing_an_office_says_so(client, building_permit, office_gitega):
    client.cookies["django_language"] = "en"
    response = client.post(reverse("citizen_start", args=["building-permit"]), {})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


# --- The whole journey ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_citizen_files_online_page_by_page_and_gets_a_tracking_number(
    client, draft, commune_gitega
):
    fill_everything(client, draft, commune_gitega)

    check = client.get(step_url(draft, "check")).content.decode()
    for step in ("office", "applicant", "questions-1", "documents"):
        assert f"{step_url(draft, step)}?return=check" in check  # a change link per page
    assert "Parcelle 12" in check and "0412/000123" in check

    response = client.post(reverse("citizen_submit", args=[draft.public_id]))

    assert response.url == reverse("citizen_done", args=[draft.public_id])
    draft.refresh_from_db()
    assert draft.state == S.SUBMITTED
    assert draft.applicant_phone == "+25779123456"
    done = client.get(response.url).content.decode()
    assert draft.tracking_number in done
    assert draft.due_date.strftime("%Y") in done


@pytest.mark.django_db
def test_a_second_submission_lands_on_the_same_confirmation(client, draft, commune_gitega):
    fill_everything(client, draft, commune_gitega)
    submit = reverse("citizen_submit", args=[draft.public_id])

    first = client.post(submit)
    second = client.post(submit)

    assert first.url == second.url == reverse("citizen_done", args=[draft.public_id])
    assert Dossier.objects.count() == 1
    assert HistoryEntry.objects.filter(kind="submit").count() == 1


@pytest.mark.django_db
def test_an_incomplete_application_cannot_be_sent_and_says_where_to_fix_it(client, draft):
    client.cookies["django_language"] = "en"
    draft.current_step = "check"
    draft.save()

    response = client.post(reverse("citizen_submit", args=[draft.public_id]))

    assert response.status_code == 400
    page = response.content.decode()
    assert "Your application is not complete yet." in page
    assert f"{step_url(draft, 'documents')}?return=check" in page
    draft.refresh_from_db()
    assert draft.state == S.DRAFT


@pytest.mark.django_db
def test_a_change_link_brings_the_citizen_back_to_the_summary(client, draft, commune_gitega):
    fill_everything(client, draft, commune_gitega)

    response = client.post(
        step_url(draft, "questions-1") + "?return=check", {"answer-plot_number": "Parcelle 13"}
    )

    assert response.url == step_url(draft, "check")
    draft.refresh_from_db()
    assert draft.answers == {"plot_number": "Parcelle 13"}


@pytest.mark.django_db
def test_pages_cannot_be_skipped(client, draft):
    response = client.get(step_url(draft, "documents"))

    assert response.url == step_url(draft, "applicant")
    assert client.get(step_url(draft, "nonsense")).status_code == 302


# --- Bad input loses nothing ------------------------------------------------------------------


@pytest.mark.django_db
def test_bad_phone_and_national_id_get_messages_and_the_valid_fields_are_kept(
    client, draft, commune_gitega
):
    client.cookies["django_language"] = "en"
    data = applicant_data(commune_gitega)
    data["applicant-applicant_phone"] = "12"
    data["applicant-applicant_national_id"] = "??"

    response = client.post(step_url(draft, "applicant"), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page  # the summary at the top
    assert "Enter the number as printed on the national ID card" in page
    assert "phone number" in page.lower()
    assert 'value="Aline"' in page  # what was typed is still in the form
    draft.refresh_from_db()
    assert draft.applicant_first_name == "Aline"  # and what was valid is saved
    assert draft.applicant_phone == ""
    assert draft.current_step == "applicant"


@pytest.mark.django_db
def test_a_failed_page_does_not_erase_what_was_saved_before(client, draft, commune_gitega):
    client.post(step_url(draft, "applicant"), applicant_data(commune_gitega))
    data = applicant_data(commune_gitega)
    data["applicant-applicant_phone"] = "not a phone"

    client.post(step_url(draft, "applicant"), data)

    draft.refresh_from_db()
    assert draft.applicant_phone == "+25779123456"


@pytest.mark.django_db
def test_disguised_and_oversized_uploads_are_refused_and_good_files_kept(
    client, draft, commune_gitega, settings
):
    client.cookies["django_language"] = "en"
    fill_answers = {"answer-plot_number": "Parcelle 12"}
    client.post(step_url(draft, "applicant"), applicant_data(commune_gitega))
    client.post(step_url(draft, "questions-1"), fill_answers)
    settings.UPLOAD_MAX_BYTES = 10_000

    response = client.post(
        step_url(draft, "documents"),
        {
            "document-plans": SimpleUploadedFile("plans.pdf", b"MZ\x90\x00 not a pdf at all"),
            "document-national-id": pdf("id.pdf"),
            "document-site-photo": SimpleUploadedFile("site.png", png_bytes() + b"0" * 20_000),
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "whatever its name says" in page
    assert "the limit is" in page
    assert "Received: id.pdf" in page
    assert [a.document.code for a in draft.attachments.all()] == ["national-id"]

    response = client.post(step_url(draft, "documents"), {"document-plans": pdf()})
    assert response.url == step_url(draft, "check")  # the ID card was not asked for again


# --- Who may open a draft ---------------------------------------------------------------------


@pytest.mark.django_db
def test_another_browser_or_citizen_gets_404_on_every_page_of_the_draft(
    client, draft, commune_gitega
):
    fill_everything(client, draft, commune_gitega)
    anonymous, other_citizen = Client(), Client()
    other_citizen.force_login(UserFactory())
    urls = [step_url(draft, step) for step in ("office", "applicant", "check")] + [
        reverse("citizen_done", args=[draft.public_id]),
        reverse("citizen_follow", args=[draft.public_id]),
        reverse("citizen_withdraw", args=[draft.public_id]),
    ]

    for other in (anonymous, other_citizen):
        for url in urls:
            assert other.get(url).status_code == 404, url
        assert other.post(reverse("citizen_submit", args=[draft.public_id])).status_code == 404
    draft.refresh_from_db()
    assert draft.state == S.DRAFT


# --- Resuming ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_resume_link_is_shown_sent_never_logged_and_opens_the_draft_elsewhere(
    client, draft, commune_gitega, every_log, django_capture_on_commit_callbacks, sms_outbox
):
    client.cookies["django_language"] = "en"
    data = {**applicant_data(commune_gitega), "applicant-applicant_email": "aline@example.bi"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(step_url(draft, "applicant"), data)
    page = client.get(response.url).content.decode()
    link = re.search(r'href="(http://testserver/resume/([^"/]+)/)"', page)
    link, token = link.group(1), link.group(2)
    # Sent by SMS and by email, and the page says where, the phone written as people read it.
    assert [message.to for message in mail.outbox] == [["aline@example.bi"]]
    assert link in mail.outbox[0].body
    assert [sms.to for sms in sms_outbox] == ["+25779123456"]
    assert link in sms_outbox[0].text
    where = "+257 79 12 34 56, aline@example.bi"
    assert f"We sent the link to continue your application to {where}." in page

    other = Client()
    response = other.get(link)

    assert response.url == step_url(draft, "questions-1")  # where they left off
    assert other.get(step_url(draft, "applicant")).status_code == 200
    assert other.get("/resume/not-a-token/").status_code == 404
    # The secret never reaches a log, whoever logs it.
    for record in every_log.records:
        assert token not in record.getMessage(), record.name
        assert token not in str(record.args), record.name


@pytest.mark.django_db
def test_a_resume_link_speaks_the_dossiers_language_until_the_visitor_switches(
    client, draft, commune_gitega
):
    client.post(
        step_url(draft, "applicant"), {**applicant_data(commune_gitega), "applicant-language": "rn"}
    )
    page = client.get(step_url(draft, "questions-1")).content.decode()
    link = re.search(r'href="(http://testserver/resume/[^"]+/)"', page).group(1)
    other = Client()
    other.cookies["django_language"] = "fr"

    response = other.get(link)

    assert response.cookies["django_language"].value == "rn"
    assert '<html lang="rn">' in other.get(response.url).content.decode()
    assert '<html lang="rn">' in other.get(step_url(draft, "applicant")).content.decode()
    # The language switcher still decides from then on.
    other.post(reverse("set_language"), {"language": "en", "next": step_url(draft, "applicant")})
    assert '<html lang="en">' in other.get(step_url(draft, "applicant")).content.decode()


@pytest.mark.django_db
def test_a_signed_in_citizen_finds_the_draft_in_my_dossiers(
    client, building_permit, office_gitega, citizen
):
    client.force_login(citizen)
    client.post(reverse("citizen_start", args=["building-permit"]), {"office": office_gitega.pk})
    dossier = Dossier.objects.get()

    assert dossier.applicant_account == citizen
    page = client.get(reverse("my_dossiers")).content.decode()
    assert reverse("citizen_follow", args=[dossier.public_id]) in page
    # The start page offers to continue it rather than to start again.
    page = client.get(reverse("citizen_start", args=["building-permit"])).content.decode()
    assert reverse("citizen_follow", args=[dossier.public_id]) in page


@pytest.mark.django_db
def test_a_submitted_dossier_leaves_the_form_for_its_own_page(client, draft, commune_gitega):
    fill_everything(client, draft, commune_gitega)
    client.post(reverse("citizen_submit", args=[draft.public_id]))

    response = client.get(step_url(draft, "applicant"))

    assert response.url == reverse("citizen_follow", args=[draft.public_id])
