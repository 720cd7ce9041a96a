"""After filing: the citizen's dossier page, answering the office, withdrawing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import MINIMAL_PDF, STEP_COMMENTS, DossierFactory, UserFactory
from workflows.citizen_access import new_token
from workflows.states import DossierState as S


@pytest.fixture
def english(client, citizen):
    client.cookies["django_language"] = "en"
    client.force_login(citizen)
    return client


def url(name, dossier):
    return reverse(name, args=[dossier.public_id])


@pytest.mark.django_db
def test_the_dossier_page_shows_the_request_and_the_answer_button(english, citizen):
    dossier = DossierFactory(information_requested=True, applicant_account=citizen)

    page = english.get(url("citizen_follow", dossier)).content.decode()

    assert STEP_COMMENTS["request_information"] in page
    assert url("citizen_answer", dossier) in page
    assert url("citizen_withdraw", dossier) in page
    assert "Information requested" in page


@pytest.mark.django_db
def test_answering_a_return_with_a_document_resubmits_the_dossier(english, citizen):
    dossier = DossierFactory(returned=True, applicant_account=citizen)
    before = dossier.attachments.count()
    document = dossier.service.documents.first()

    response = english.post(
        url("citizen_answer", dossier),
        {
            "reply-comment": "Here is the right plan.",
            "reply-expected_state": S.RETURNED,
            f"reply-{document.code}": SimpleUploadedFile("plan.pdf", MINIMAL_PDF),
        },
    )

    assert response.url == url("citizen_follow", dossier)
    dossier.refresh_from_db()
    assert dossier.state == S.SUBMITTED
    assert dossier.attachments.count() == before + 1
    assert dossier.history.last().comment == "Here is the right plan."


@pytest.mark.django_db
def test_answering_an_information_request_sends_it_back_to_the_officer(english, citizen):
    dossier = DossierFactory(information_requested=True, applicant_account=citizen)

    english.post(
        url("citizen_answer", dossier),
        {"reply-comment": "Ground floor.", "reply-expected_state": S.INFORMATION_REQUESTED},
    )

    dossier.refresh_from_db()
    assert dossier.state == S.IN_REVIEW


@pytest.mark.django_db
def test_a_bad_answer_gets_messages_and_keeps_the_text(english, citizen):
    dossier = DossierFactory(information_requested=True, applicant_account=citizen)

    missing = english.post(
        url("citizen_answer", dossier), {"reply-expected_state": S.INFORMATION_REQUESTED}
    )
    disguised = english.post(
        url("citizen_answer", dossier),
        {
            "reply-comment": "See the attached file.",
            "reply-expected_state": S.INFORMATION_REQUESTED,
            "reply-other": SimpleUploadedFile("photo.jpg", b"#!/bin/sh\nrm -rf /\n"),
        },
    )

    assert missing.status_code == disguised.status_code == 400
    assert "This field is required." in missing.content.decode()
    page = disguised.content.decode()
    assert "whatever its name says" in page
    assert "See the attached file." in page
    dossier.refresh_from_db()
    assert dossier.state == S.INFORMATION_REQUESTED


@pytest.mark.django_db
def test_a_stale_or_tampered_state_is_refused_without_changes(english, citizen):
    dossier = DossierFactory(returned=True, applicant_account=citizen)

    response = english.post(
        url("citizen_answer", dossier),
        {"reply-comment": "x", "reply-expected_state": S.INFORMATION_REQUESTED},
    )
    tampered = english.post(
        url("citizen_answer", dossier), {"reply-comment": "x", "reply-expected_state": "hacked"}
    )

    assert response.status_code == 409  # a conflict: the dossier moved on since it was shown
    assert tampered.status_code == 400
    assert "Someone else is handling this dossier" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == S.RETURNED


@pytest.mark.django_db
def test_nothing_to_answer_leads_back_to_the_dossier(english, citizen):
    dossier = DossierFactory(in_review=True, applicant_account=citizen)

    response = english.get(url("citizen_answer", dossier))

    assert response.url == url("citizen_follow", dossier)


@pytest.mark.django_db
def test_withdrawing_asks_for_confirmation_then_withdraws(english, citizen):
    dossier = DossierFactory(in_review=True, applicant_account=citizen)

    confirmation = english.get(url("citizen_withdraw", dossier))
    assert "This cannot be undone." in confirmation.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == S.IN_REVIEW

    english.post(url("citizen_withdraw", dossier), {"expected_state": S.IN_REVIEW})
    dossier.refresh_from_db()
    assert dossier.state == S.WITHDRAWN
    assert "Withdrawn" in english.get(url("citizen_follow", dossier)).content.decode()


@pytest.mark.django_db
def test_a_decided_dossier_cannot_be_withdrawn(english, citizen):
    dossier = DossierFactory(approved=True, applicant_account=citizen)

    response = english.post(url("citizen_withdraw", dossier), {"expected_state": S.APPROVED})

    assert response.url == url("citizen_follow", dossier)
    dossier.refresh_from_db()
    assert dossier.state == S.APPROVED


@pytest.mark.django_db
def test_another_citizens_dossier_is_404_everywhere(english, other_citizen):
    dossier = DossierFactory(returned=True, applicant_account=other_citizen)

    for name in ("citizen_follow", "citizen_answer", "citizen_withdraw"):
        assert english.get(url(name, dossier)).status_code == 404
    post = {"reply-comment": "x", "reply-expected_state": S.RETURNED, "expected_state": S.RETURNED}
    assert english.post(url("citizen_answer", dossier), post).status_code == 404
    assert english.post(url("citizen_withdraw", dossier), post).status_code == 404
    dossier.refresh_from_db()
    assert dossier.state == S.RETURNED


@pytest.mark.django_db
def test_a_citizen_without_account_answers_through_the_resume_link(db):
    raw, hashed = new_token()
    dossier = DossierFactory(
        information_requested=True, applicant_account=None, resume_token_hash=hashed
    )
    browser = Client()

    assert browser.get(url("citizen_follow", dossier)).status_code == 404
    assert browser.get(f"/resume/{raw}/").url == url("citizen_follow", dossier)
    browser.post(
        url("citizen_answer", dossier),
        {"reply-comment": "Ground floor.", "reply-expected_state": S.INFORMATION_REQUESTED},
    )

    dossier.refresh_from_db()
    assert dossier.state == S.IN_REVIEW
    entry = dossier.history.last()
    assert (entry.actor_user, entry.actor_role, entry.actor_kind) == (
        None,
        "citizen",
        "resume_link",
    )


@pytest.mark.django_db
def test_staff_cannot_act_as_the_citizen_through_the_portal(client, citizen, office_gitega):
    dossier = DossierFactory(returned=True, applicant_account=citizen, office=office_gitega)
    client.force_login(UserFactory(clerk=True, office=office_gitega))

    assert client.get(url("citizen_follow", dossier)).status_code == 404
