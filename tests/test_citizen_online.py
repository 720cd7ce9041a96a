"""The online-filing domain (workflows.online): drafts, tokens, submission, answers, withdrawal."""

import itertools
import logging
import threading

import pytest
from django.core import mail
from django.db import connection

from services.models import FieldKind
from tests.factories import (
    DossierFactory,
    ServiceFactory,
    ServiceFieldFactory,
    UserFactory,
    sample_upload,
)
from workflows import online, permissions
from workflows.exceptions import InvalidInput, NotAllowed, TransitionRefused
from workflows.models import Attachment, Dossier, HistoryEntry
from workflows.permissions import TokenHolder
from workflows.states import DossierState as S

APPLICANT = {
    "applicant_first_name": "Aline",
    "applicant_last_name": "Ndayishimiye",
    "applicant_national_id": "0412/000123",
    "applicant_phone": "+25779123456",
    "applicant_email": "",
    "language": "rn",
}


PHONES = (f"+2577912{n:04d}" for n in itertools.count())


def token_draft(**kwargs):
    """A complete draft without account, held through a token; returns (dossier, raw, holder)."""
    raw, hashed = online.new_token()
    kwargs.setdefault("applicant_phone", next(PHONES))
    dossier = DossierFactory(applicant_account=None, resume_token_hash=hashed, **kwargs)
    return dossier, raw, online.holder_for(dossier, None, {str(dossier.public_id): raw})


# --- Pages of the form ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "sizes"), [(0, []), (1, [1]), (4, [4]), (5, [3, 2]), (9, [3, 3, 3])]
)
@pytest.mark.django_db
def test_questions_are_cut_into_even_pages_of_at_most_four(count, sizes):
    service = ServiceFactory()
    for _n in range(count):
        ServiceFieldFactory(service=service)

    pages = online.question_pages(service)

    assert [len(page) for page in pages] == sizes
    assert online.steps_for(service) == [
        "office",
        "applicant",
        *[f"questions-{n}" for n in range(1, len(sizes) + 1)],
        "documents",
        "check",
    ]


# --- Starting and holding a draft -------------------------------------------------------------


@pytest.mark.django_db
def test_an_anonymous_draft_is_held_by_its_token_only(building_permit, office_gitega):
    dossier, raw = online.start_draft(building_permit, office_gitega, None, language="rn")

    assert dossier.state == S.DRAFT
    assert dossier.language == "rn"
    assert dossier.applicant_account is None
    assert raw not in dossier.resume_token_hash  # only the hash is stored
    assert online.dossier_for_token(raw) == dossier
    holder = online.holder_for(dossier, None, {str(dossier.public_id): raw})
    assert holder == TokenHolder(dossier_id=dossier.pk, name="")
    assert online.holder_for(dossier, None, {str(dossier.public_id): raw + "x"}) is None
    assert online.holder_for(dossier, None, {}) is None
    assert online.dossier_for_token("not-a-token") is None


@pytest.mark.django_db
def test_a_signed_in_citizen_owns_the_draft_with_contact_details_filled_in(
    building_permit, office_gitega, citizen
):
    citizen.phone = "+25779123456"
    dossier, _raw = online.start_draft(building_permit, office_gitega, citizen, language="fr")

    assert dossier.applicant_account == citizen
    assert dossier.applicant_phone == "+25779123456"
    assert dossier.applicant_first_name == "Aline"
    assert online.holder_for(dossier, citizen, {}) == citizen


@pytest.mark.django_db
def test_a_token_opens_its_own_dossier_and_no_other(building_permit, office_gitega):
    first, first_raw = online.start_draft(building_permit, office_gitega, None, language="fr")
    second, _raw = online.start_draft(building_permit, office_gitega, None, language="fr")

    # The first token, presented for the second dossier, proves nothing.
    assert online.holder_for(second, None, {str(second.public_id): first_raw}) is None
    holder = online.holder_for(first, None, {str(first.public_id): first_raw})
    with pytest.raises(NotAllowed):
        online.save_office(second.pk, holder, office_gitega)


@pytest.mark.django_db
def test_staff_and_closed_offices_cannot_start_a_draft_for_a_citizen(
    building_permit, office_gitega, clerk_gitega
):
    dossier, _raw = online.start_draft(building_permit, office_gitega, clerk_gitega, language="fr")
    assert dossier.applicant_account is None  # a clerk browsing the portal files as anyone

    office_gitega.is_active = False
    with pytest.raises(InvalidInput):
        online.start_draft(building_permit, office_gitega, None, language="fr")


# --- The token-holder permission --------------------------------------------------------------


@pytest.mark.django_db
def test_the_applicant_permission_accepts_the_token_holder_of_that_dossier_only():
    dossier, _raw, holder = token_draft()
    other = DossierFactory()

    assert permissions.applicant(dossier, holder)
    assert not permissions.applicant(other, holder)
    assert not permissions.office_staff(dossier, holder)
    assert not permissions.institution_staff(dossier, holder)
    assert not hasattr(holder, "pk")  # so no code can mistake it for an account


# --- Saving pages -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_page_with_errors_keeps_what_was_valid_without_moving_on(building_permit, office_gitega):
    dossier, raw = online.start_draft(building_permit, office_gitega, None, language="fr")
    holder = online.holder_for(dossier, None, {str(dossier.public_id): raw})

    online.save_applicant(dossier.pk, holder, {"applicant_first_name": "Aline"}, complete=False)
    dossier.refresh_from_db()
    assert dossier.applicant_first_name == "Aline"
    assert dossier.current_step == "applicant"

    online.save_applicant(dossier.pk, holder, APPLICANT, complete=True)
    dossier.refresh_from_db()
    assert dossier.applicant_national_id == "0412/000123"
    assert dossier.current_step == "questions-1"


@pytest.mark.django_db
def test_answers_are_saved_per_page_and_a_cleared_answer_is_removed(office_gitega):
    service = ServiceFactory()
    ServiceFieldFactory(service=service, code="plot", position=1)
    ServiceFieldFactory(service=service, code="note", required=False, position=2)
    dossier, raw = online.start_draft(service, office_gitega, None, language="fr")
    holder = online.holder_for(dossier, None, {str(dossier.public_id): raw})

    online.save_answers(
        dossier.pk,
        holder,
        "questions-1",
        {"plot": "12", "note": "x"},
        ["plot", "note"],
        complete=True,
    )
    # "note" cleared; "plot" failed validation, so it is not among the codes: it stays.
    online.save_answers(dossier.pk, holder, "questions-1", {}, ["note", "other"], complete=False)

    dossier.refresh_from_db()
    assert dossier.answers == {"plot": "12"}
    with pytest.raises(InvalidInput):
        online.save_answers(dossier.pk, holder, "questions-9", {}, [], complete=True)


@pytest.mark.django_db
def test_a_new_file_for_a_document_replaces_the_previous_one(
    building_permit, office_gitega, django_capture_on_commit_callbacks
):
    dossier, raw = online.start_draft(building_permit, office_gitega, None, language="fr")
    holder = online.holder_for(dossier, None, {str(dossier.public_id): raw})
    plans = building_permit.documents.get(code="plans")

    online.save_documents(dossier.pk, holder, {plans: sample_upload()}, complete=False)
    first = Attachment.objects.get(dossier=dossier)
    with django_capture_on_commit_callbacks(execute=True):
        online.save_documents(dossier.pk, holder, {plans: sample_upload()}, complete=False)

    second = Attachment.objects.get(dossier=dossier)
    assert second.pk != first.pk
    assert second.uploaded_by is None
    assert not first.path.exists()
    assert second.path.exists()


@pytest.mark.django_db
def test_a_filed_dossier_can_no_longer_be_edited_as_a_draft(citizen):
    dossier = DossierFactory(submitted=True, applicant_account=citizen)

    with pytest.raises(TransitionRefused):
        online.save_applicant(dossier.pk, citizen, APPLICANT, complete=True)


@pytest.mark.django_db
def test_another_citizen_cannot_save_into_a_draft(citizen, other_citizen):
    dossier = DossierFactory(applicant_account=citizen)

    with pytest.raises(NotAllowed):
        online.save_applicant(dossier.pk, other_citizen, APPLICANT, complete=True)


# --- Submitting -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_submitting_twice_files_one_dossier_with_one_history_row():
    dossier, _raw, holder = token_draft()

    first = online.submit(dossier.pk, holder)
    second = online.submit(dossier.pk, holder)

    assert first.state == S.SUBMITTED
    assert second.tracking_number == first.tracking_number
    assert first.due_date is not None
    entry = HistoryEntry.objects.get(dossier=dossier)
    assert (entry.actor, entry.actor_role, entry.transition) == (None, "citizen", "submit")
    assert entry.actor_name == dossier.applicant_name


@pytest.mark.django_db
def test_an_incomplete_draft_is_not_submitted_and_says_what_is_missing(
    building_permit, office_gitega
):
    dossier, raw = online.start_draft(building_permit, office_gitega, None, language="fr")
    holder = online.holder_for(dossier, None, {str(dossier.public_id): raw})

    with pytest.raises(InvalidInput) as refused:
        online.submit(dossier.pk, holder)

    dossier.refresh_from_db()
    assert dossier.state == S.DRAFT
    steps = {step for step, _message in online.problems_before_submit(dossier)}
    assert steps == {"applicant", "questions-1", "documents"}
    assert len(refused.value.details) >= 3


@pytest.mark.django_db
def test_answers_that_no_longer_match_the_catalogue_are_caught_before_filing():
    dossier, _raw, holder = token_draft()
    ServiceFieldFactory(service=dossier.service, code="floors", kind=FieldKind.INTEGER)

    problems = online.problems_before_submit(dossier)

    assert [step for step, _message in problems] == ["questions-1"]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_file_one_dossier():
    dossier, _raw, holder = token_draft()
    results, errors = [], []

    def submit():
        try:
            results.append(online.submit(dossier.pk, holder).tracking_number)
        except Exception as error:  # noqa: BLE001  (collected and asserted below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(results)) == 1
    assert HistoryEntry.objects.filter(dossier=dossier, transition="submit").count() == 1


# --- Answering the office, withdrawing --------------------------------------------------------


@pytest.mark.django_db
def test_answering_a_return_resubmits_with_the_new_document():
    dossier, _raw, holder = token_draft(returned=True)
    document = dossier.service.documents.first()

    answered = online.answer_office(
        dossier.pk,
        holder,
        comment="Corrected.",
        documents={document: sample_upload(document.accepted_types), None: sample_upload()},
        expected_state=S.RETURNED,
    )

    assert answered.state == S.SUBMITTED
    assert answered.citizen_request == ""
    assert dossier.attachments.count() == 3
    assert dossier.history.last().comment == "Corrected."


@pytest.mark.django_db
def test_answering_an_information_request_sends_the_dossier_back_to_review(citizen):
    dossier = DossierFactory(information_requested=True, applicant_account=citizen)

    with pytest.raises(InvalidInput):  # the answer itself is required
        online.answer_office(
            dossier.pk, citizen, comment="", documents={}, expected_state=dossier.state
        )
    answered = online.answer_office(
        dossier.pk, citizen, comment="Ground floor.", documents={}, expected_state=dossier.state
    )

    assert answered.state == S.IN_REVIEW


@pytest.mark.django_db
def test_nobody_answers_a_dossier_that_waits_for_nobody(citizen, other_citizen):
    dossier = DossierFactory(submitted=True, applicant_account=citizen)

    with pytest.raises(TransitionRefused):
        online.answer_office(dossier.pk, citizen, comment="x", documents={}, expected_state=None)
    returned = DossierFactory(returned=True, applicant_account=citizen)
    attached = returned.attachments.count()
    with pytest.raises(NotAllowed):
        online.answer_office(
            returned.pk, other_citizen, comment="x", documents={}, expected_state=None
        )
    assert returned.attachments.count() == attached


@pytest.mark.django_db
def test_a_citizen_withdraws_an_undecided_dossier_but_not_a_decided_one(citizen):
    dossier, _raw, holder = token_draft(in_review=True)
    approved = DossierFactory(approved=True, applicant_account=citizen)

    assert online.withdraw(dossier.pk, holder, expected_state=S.IN_REVIEW).state == S.WITHDRAWN
    with pytest.raises(TransitionRefused):
        online.withdraw(approved.pk, citizen)


# --- Accounts and the resume link -------------------------------------------------------------


@pytest.mark.django_db
def test_signing_in_links_the_dossiers_held_by_token_to_the_account(citizen):
    held, _raw, _holder = token_draft()
    owned_by_other = DossierFactory()

    linked = online.link_to_account(citizen, [held.pk, owned_by_other.pk])

    assert linked == 1
    assert list(Dossier.objects.visible_to(citizen)) == [held]
    assert online.link_to_account(UserFactory(clerk=True), [held.pk]) == 0


@pytest.mark.django_db
def test_the_resume_link_goes_by_sms_and_email_after_commit(
    django_capture_on_commit_callbacks, caplog
):
    dossier, raw, holder = token_draft(applicant_email="aline@example.bi", language="en")
    link = f"https://gup.example/resume/{raw}/"
    assert online.should_send_resume_link(dossier)

    with (
        caplog.at_level(logging.INFO, logger="gup.sms"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sent_to = online.send_resume_link(dossier.pk, holder, link)

    assert sent_to == [dossier.applicant_phone, "aline@example.bi"]
    assert link in mail.outbox[0].body
    assert any(link in record.getMessage() for record in caplog.records)
    dossier.refresh_from_db()
    assert not online.should_send_resume_link(dossier)
