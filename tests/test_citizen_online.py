"""The online-filing domain: drafts, tokens, submission, answers, withdrawal, all through
``workflows.actions.perform``; the citizen's access (``workflows.citizen_access``)."""

import itertools
import threading

import pytest
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.db import SessionStore
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
from workflows import events, online, permissions
from workflows.actions import perform
from workflows.actors import Actor, as_actor
from workflows.citizen_access import SESSION_TOKENS, actor_for, dossier_for_token, new_token
from workflows.exceptions import InvalidInput, NotAllowed, TransitionRefused
from workflows.models import Attachment, Dossier, HistoryEntry
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
    raw, hashed = new_token()
    kwargs.setdefault("applicant_phone", next(PHONES))
    dossier = DossierFactory(applicant_account=None, resume_token_hash=hashed, **kwargs)
    return dossier, raw, actor_for(dossier, None, {str(dossier.public_id): raw})


def start_draft(service, office, user, *, language):
    """Start an online draft as the start page does; returns (dossier, raw token)."""
    raw, token_hash = new_token()
    dossier = perform(
        None,
        "draft_started",
        Actor.for_user(user) if user is not None else None,
        service=service,
        office=office,
        language=language,
        token_hash=token_hash,
    )
    return dossier, raw


def save(dossier, actor, page, *, complete=True, **inputs):
    return perform(dossier.pk, "draft_saved", actor, page=page, complete=complete, **inputs)


def answer_office(dossier, actor, **kwargs):
    """The citizen answers the office with the step the dossier waits for."""
    event = events.answer_step(dossier, as_actor(actor))
    if event is None:
        raise TransitionRefused()
    return perform(dossier.pk, event.name, actor, **kwargs)


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
    dossier, raw = start_draft(building_permit, office_gitega, None, language="rn")

    assert dossier.state == S.DRAFT
    assert dossier.language == "rn"
    assert dossier.applicant_account is None
    assert raw not in dossier.resume_token_hash  # only the hash is stored
    assert dossier_for_token(raw) == dossier
    holder = actor_for(dossier, None, {str(dossier.public_id): raw})
    assert holder == Actor.resume_link(dossier.pk)
    assert actor_for(dossier, None, {str(dossier.public_id): raw + "x"}) is None
    assert actor_for(dossier, None, {}) is None
    assert dossier_for_token("not-a-token") is None


@pytest.mark.django_db
def test_a_signed_in_citizen_owns_the_draft_with_contact_details_filled_in(
    building_permit, office_gitega, citizen
):
    citizen.phone = "+25779123456"
    dossier, _raw = start_draft(building_permit, office_gitega, citizen, language="fr")

    assert dossier.applicant_account == citizen
    assert dossier.applicant_phone == "+25779123456"
    assert dossier.applicant_first_name == "Aline"
    assert actor_for(dossier, citizen, {}) == Actor.for_user(citizen)


@pytest.mark.django_db
def test_a_token_opens_its_own_dossier_and_no_other(building_permit, office_gitega):
    first, first_raw = start_draft(building_permit, office_gitega, None, language="fr")
    second, _raw = start_draft(building_permit, office_gitega, None, language="fr")

    # The first token, presented for the second dossier, proves nothing.
    assert actor_for(second, None, {str(second.public_id): first_raw}) is None
    holder = actor_for(first, None, {str(first.public_id): first_raw})
    with pytest.raises(NotAllowed):
        save(second, holder, "office", office=office_gitega)


@pytest.mark.django_db
def test_staff_and_closed_offices_cannot_start_a_draft_for_a_citizen(
    building_permit, office_gitega, clerk_gitega
):
    dossier, _raw = start_draft(building_permit, office_gitega, clerk_gitega, language="fr")
    assert dossier.applicant_account is None  # a clerk browsing the portal files as anyone

    office_gitega.is_active = False
    with pytest.raises(InvalidInput):
        start_draft(building_permit, office_gitega, None, language="fr")


# --- The token-holder permission --------------------------------------------------------------


@pytest.mark.django_db
def test_the_applicant_permission_accepts_the_token_holder_of_that_dossier_only():
    dossier, _raw, holder = token_draft()
    other = DossierFactory()

    assert permissions.applicant(dossier, holder)
    assert not permissions.applicant(other, holder)
    assert not permissions.office_staff(dossier, holder)
    assert not permissions.institution_staff(dossier, holder)
    # So no code can mistake it for an account.
    assert holder.user is None and holder.user_id is None
    assert not hasattr(holder, "pk")


# --- Saving pages -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_page_with_errors_keeps_what_was_valid_without_moving_on(building_permit, office_gitega):
    dossier, raw = start_draft(building_permit, office_gitega, None, language="fr")
    holder = actor_for(dossier, None, {str(dossier.public_id): raw})

    save(dossier, holder, "applicant", applicant={"applicant_first_name": "Aline"}, complete=False)
    dossier.refresh_from_db()
    assert dossier.applicant_first_name == "Aline"
    assert dossier.current_step == "applicant"

    save(dossier, holder, "applicant", applicant=APPLICANT, complete=True)
    dossier.refresh_from_db()
    assert dossier.applicant_national_id == "0412/000123"
    assert dossier.current_step == "questions-1"


@pytest.mark.django_db
def test_answers_are_saved_per_page_and_a_cleared_answer_is_removed(office_gitega):
    service = ServiceFactory()
    ServiceFieldFactory(service=service, code="plot", position=1)
    ServiceFieldFactory(service=service, code="note", required=False, position=2)
    dossier, raw = start_draft(service, office_gitega, None, language="fr")
    holder = actor_for(dossier, None, {str(dossier.public_id): raw})

    save(
        dossier,
        holder,
        "questions-1",
        answers={"plot": "12", "note": "x"},
        codes=["plot", "note"],
        complete=True,
    )
    # "note" cleared; "plot" failed validation, so it is not among the codes: it stays.
    save(dossier, holder, "questions-1", answers={}, codes=["note", "other"], complete=False)

    dossier.refresh_from_db()
    assert dossier.answers == {"plot": "12"}
    with pytest.raises(InvalidInput):
        save(dossier, holder, "questions-9", answers={}, codes=[], complete=True)


@pytest.mark.django_db
def test_a_new_file_for_a_document_replaces_the_previous_one(
    building_permit, office_gitega, django_capture_on_commit_callbacks
):
    dossier, raw = start_draft(building_permit, office_gitega, None, language="fr")
    holder = actor_for(dossier, None, {str(dossier.public_id): raw})
    plans = building_permit.documents.get(code="plans")

    save(dossier, holder, "documents", documents={plans: sample_upload()}, complete=False)
    first = Attachment.objects.get(dossier=dossier)
    with django_capture_on_commit_callbacks(execute=True):
        save(dossier, holder, "documents", documents={plans: sample_upload()}, complete=False)

    second = Attachment.objects.get(dossier=dossier)
    assert second.pk != first.pk
    assert second.uploaded_by is None
    assert not first.path.exists()
    assert second.path.exists()


@pytest.mark.django_db
def test_a_filed_dossier_can_no_longer_be_edited_as_a_draft(citizen):
    dossier = DossierFactory(submitted=True, applicant_account=citizen)

    with pytest.raises(TransitionRefused):
        save(dossier, citizen, "applicant", applicant=APPLICANT, complete=True)


@pytest.mark.django_db
def test_another_citizen_cannot_save_into_a_draft(citizen, other_citizen):
    dossier = DossierFactory(applicant_account=citizen)

    with pytest.raises(NotAllowed):
        save(dossier, other_citizen, "applicant", applicant=APPLICANT, complete=True)


# --- Submitting -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_submitting_twice_files_one_dossier_with_one_history_row():
    dossier, _raw, holder = token_draft()

    first = perform(dossier.pk, "submit", holder, idempotent=True)
    second = perform(dossier.pk, "submit", holder, idempotent=True)

    assert first.state == S.SUBMITTED
    assert second.tracking_number == first.tracking_number
    assert first.due_date is not None
    entry = HistoryEntry.objects.get(dossier=dossier)
    assert (entry.actor_user, entry.actor_role, entry.kind) == (None, "citizen", "submit")
    assert entry.actor_name == dossier.applicant_name


@pytest.mark.django_db
def test_an_incomplete_draft_is_not_submitted_and_says_what_is_missing(
    building_permit, office_gitega
):
    dossier, raw = start_draft(building_permit, office_gitega, None, language="fr")
    holder = actor_for(dossier, None, {str(dossier.public_id): raw})

    with pytest.raises(InvalidInput) as refused:
        perform(dossier.pk, "submit", holder, idempotent=True)

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
            results.append(perform(dossier.pk, "submit", holder, idempotent=True).tracking_number)
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
    assert HistoryEntry.objects.filter(dossier=dossier, kind="submit").count() == 1


# --- Answering the office, withdrawing --------------------------------------------------------


@pytest.mark.django_db
def test_answering_a_return_resubmits_with_the_new_document():
    dossier, _raw, holder = token_draft(returned=True)
    document = dossier.service.documents.first()

    assert events.answer_step(dossier, holder).name == "resubmit"
    answered = answer_office(
        dossier,
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

    assert events.answer_step(dossier, Actor.for_user(citizen)).name == "provide_information"
    with pytest.raises(InvalidInput):  # the answer itself is required
        answer_office(dossier, citizen, comment="", documents={}, expected_state=dossier.state)
    answered = answer_office(
        dossier, citizen, comment="Ground floor.", documents={}, expected_state=dossier.state
    )

    assert answered.state == S.IN_REVIEW


@pytest.mark.django_db
def test_nobody_answers_a_dossier_that_waits_for_nobody(citizen, other_citizen):
    dossier = DossierFactory(submitted=True, applicant_account=citizen)

    assert events.answer_step(dossier, Actor.for_user(citizen)) is None
    with pytest.raises(TransitionRefused):
        perform(dossier.pk, "resubmit", citizen, comment="x", documents={})
    returned = DossierFactory(returned=True, applicant_account=citizen)
    attached = returned.attachments.count()
    assert events.answer_step(returned, Actor.for_user(other_citizen)) is None
    with pytest.raises(NotAllowed):
        perform(
            returned.pk,
            "resubmit",
            other_citizen,
            comment="x",
            documents={None: sample_upload()},
        )
    assert returned.attachments.count() == attached


@pytest.mark.django_db
def test_a_citizen_withdraws_an_undecided_dossier_but_not_a_decided_one(citizen):
    dossier, _raw, holder = token_draft(in_review=True)
    approved = DossierFactory(approved=True, applicant_account=citizen)

    withdrawn = perform(dossier.pk, "withdraw", holder, expected_state=S.IN_REVIEW)
    assert withdrawn.state == S.WITHDRAWN
    with pytest.raises(TransitionRefused):
        perform(approved.pk, "withdraw", citizen)


# --- Accounts and the resume link -------------------------------------------------------------


@pytest.mark.django_db
def test_signing_in_links_the_dossiers_held_by_token_to_the_account(citizen, rf):
    held, held_raw, _holder = token_draft()
    owned_by_other = DossierFactory()
    other_raw, other_hash = new_token()
    Dossier.objects.filter(pk=owned_by_other.pk).update(resume_token_hash=other_hash)
    stale, _raw, _holder = token_draft()
    request = rf.get("/")
    # A real session: every receiver of the signal (the sign-in lockout's too) reads it.
    request.session = SessionStore()
    request.session[SESSION_TOKENS] = {
        str(held.public_id): held_raw,
        str(owned_by_other.public_id): other_raw,
        str(stale.public_id): "not-its-token",
    }

    user_logged_in.send(sender=type(citizen), request=request, user=citizen)

    assert list(Dossier.objects.visible_to(citizen)) == [held]
    entry = held.history.order_by("-position").first()
    assert (entry.kind, entry.actor_user) == ("linked_to_account", citizen)
    assert not entry.is_public

    # Staff signing in on a shared computer take no citizen's dossier.
    clerk = UserFactory(clerk=True)
    request.session = SessionStore()
    request.session[SESSION_TOKENS] = {str(stale.public_id): _raw}
    user_logged_in.send(sender=type(clerk), request=request, user=clerk)
    stale.refresh_from_db()
    assert stale.applicant_account is None


@pytest.mark.django_db
def test_the_resume_link_goes_by_sms_and_email_after_commit_and_never_to_a_log(
    django_capture_on_commit_callbacks, every_log, sms_outbox
):
    dossier, raw, holder = token_draft(applicant_email="aline@example.bi", language="en")
    link = f"https://gup.example/resume/{raw}/"
    assert online.should_send_resume_link(dossier)

    with django_capture_on_commit_callbacks(execute=True):
        sent = perform(dossier.pk, "resume_link_sent", holder, link=link)

    phone = dossier.applicant_phone
    assert online.link_destinations(sent) == [phone, "aline@example.bi"]
    assert sent.resume_link_sent_to == f"{phone}, aline@example.bi"
    assert [message.to for message in mail.outbox] == [["aline@example.bi"]]
    assert link in mail.outbox[0].body
    assert [sms.to for sms in sms_outbox] == [phone]
    assert link in sms_outbox[0].text
    # Kept sealed until sent, then forgotten.
    assert not dossier.outbox_messages.exclude(sealed_secrets="").exists()
    for record in every_log.records:
        assert raw not in record.getMessage(), record.name
        assert raw not in str(record.args), record.name
    entry = dossier.history.order_by("-position").first()
    assert entry.kind == "resume_link_sent"
    assert raw not in str(entry.details)
    dossier.refresh_from_db()
    assert not online.should_send_resume_link(dossier)
