"""Filing online: drafts saved step by step, resume tokens, submission, and the citizen's answers.

An online application is a Dossier in state ``draft`` from its first step: the office is chosen,
then the applicant, the service's questions and the documents are saved one page at a time, so a
citizen on a bad connection loses at most the page they were typing. The draft is theirs because
it belongs to their account, or because they hold its secret resume token (a link sent to their
phone or email and shown on screen). Only the token's hash is stored.

Each function below is one transaction. Saving a page writes draft fields under the row lock and
never changes the state; submitting, answering the office and withdrawing run the lifecycle's
transitions through ``workflows.actions`` (``_run``/``perform``), which write the history.
"""

import datetime
import hashlib
import hmac
import logging
import math
import secrets
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import translation
from django.utils.translation import gettext as _

from gup.roles import Role
from services.answers import AnswersForm
from workflows import actions, permissions, uploads
from workflows.applicant import ApplicantForm
from workflows.exceptions import DossierConflict, InvalidInput, NotAllowed, TransitionRefused
from workflows.models import Channel, Dossier
from workflows.permissions import TokenHolder
from workflows.states import DossierState as S

logger = logging.getLogger(__name__)
sms_logger = logging.getLogger("gup.sms")

OFFICE = "office"
APPLICANT = "applicant"
QUESTIONS = "questions"
DOCUMENTS = "documents"
CHECK = "check"

#: A phone screen holds about this many questions without scrolling past the button.
QUESTIONS_PER_PAGE = 4

#: What the citizen answers, by the state that waits for them.
ANSWER_STEP = {S.RETURNED: "resubmit", S.INFORMATION_REQUESTED: "provide_information"}

#: The applicant fields a draft keeps; the same list ApplicantForm validates.
APPLICANT_FIELDS = tuple(ApplicantForm._meta.fields)


# --- The pages of the form --------------------------------------------------------------------


def question_pages(service) -> list[list]:
    """The service's questions cut into pages of at most QUESTIONS_PER_PAGE, of even sizes."""
    fields = list(service.fields.all())
    if not fields:
        return []
    size = math.ceil(len(fields) / math.ceil(len(fields) / QUESTIONS_PER_PAGE))
    return [fields[start : start + size] for start in range(0, len(fields), size)]


def question_step(number: int) -> str:
    return f"{QUESTIONS}-{number}"


def steps_for(service) -> list[str]:
    """The pages of this service's online form, in order. The last one is "check your answers"."""
    steps = [OFFICE, APPLICANT]
    steps += [question_step(n) for n in range(1, len(question_pages(service)) + 1)]
    if list(service.documents.all()):
        steps.append(DOCUMENTS)
    steps.append(CHECK)
    return steps


def next_step(service, step: str) -> str:
    steps = steps_for(service)
    return steps[min(steps.index(step) + 1, len(steps) - 1)]


def reachable(dossier, step: str) -> bool:
    """A citizen may open any page up to the furthest one they reached, not skip ahead."""
    steps = steps_for(dossier.service)
    if step not in steps:
        return False
    current = dossier.current_step if dossier.current_step in steps else APPLICANT
    return steps.index(step) <= steps.index(current)


def resume_step(dossier) -> str:
    steps = steps_for(dossier.service)
    return dossier.current_step if dossier.current_step in steps else APPLICANT


# --- Resume tokens and who is acting ----------------------------------------------------------


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh secret (for the citizen's link) and its hash (for the database)."""
    raw = secrets.token_urlsafe(24)
    return raw, hash_token(raw)


def dossier_for_token(raw: str):
    """The dossier this resume token opens, or None. Expired drafts are not reopened."""
    if not raw or len(raw) > 64:
        return None
    return (
        Dossier.objects.select_related("service")
        .exclude(state=S.EXPIRED)
        .filter(resume_token_hash=hash_token(raw))
        .first()
    )


def holder_for(dossier, user, tokens: Mapping[str, str]):
    """Who acts on this dossier for the citizen, or None when this visitor may not see it.

    The signed-in citizen whose account owns it acts as themselves; anyone else needs the
    dossier's token among ``tokens`` (public id → raw token, kept in their session).
    """
    if (
        user is not None
        and user.is_authenticated
        and user.role == Role.CITIZEN
        and dossier.applicant_account_id == user.pk
    ):
        return user
    raw = tokens.get(str(dossier.public_id))
    if (
        raw
        and dossier.resume_token_hash
        and hmac.compare_digest(hash_token(raw), dossier.resume_token_hash)
    ):
        return TokenHolder(dossier_id=dossier.pk, name=dossier.applicant_name)
    return None


def dossiers_held(tokens: Mapping[str, str]) -> list[Dossier]:
    """The dossiers whose valid token is among ``tokens`` (public id → raw token)."""
    candidates = Dossier.objects.filter(public_id__in=list(tokens)[:100]).exclude(state=S.EXPIRED)
    return [d for d in candidates if holder_for(d, None, tokens) is not None]


def _account(principal):
    """The account to record as uploader: None for a token holder."""
    return principal if getattr(principal, "pk", None) else None


# --- Starting and saving a draft --------------------------------------------------------------


def _lock_waiting(dossier_id) -> Dossier:
    """Lock the row, waiting for a concurrent request of the same citizen to finish first.

    Staff screens lock with NOWAIT and report a conflict; a citizen's double click must instead
    see the result of their first click (e.g. the dossier already submitted).
    """
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("service", "office__province")
        .get(pk=dossier_id)
    )


def _draft_for_update(dossier_id, principal) -> Dossier:
    dossier = _lock_waiting(dossier_id)
    if not permissions.applicant(dossier, principal):
        raise NotAllowed()
    if dossier.state != S.DRAFT:
        raise TransitionRefused(
            _("This application has been sent already: it can no longer be changed here.")
        )
    return dossier


def _reached(dossier, step: str) -> None:
    """Remember the page after ``step`` as the furthest reached, if it is further."""
    steps = steps_for(dossier.service)
    following = next_step(dossier.service, step)
    current = dossier.current_step if dossier.current_step in steps else APPLICANT
    if steps.index(following) > steps.index(current):
        dossier.current_step = following


def start_draft(service, office, user, *, language: str) -> tuple[Dossier, str]:
    """Open an online application at ``office``; return the draft and its raw resume token.

    A signed-in citizen's draft belongs to their account, with their contact details filled in.
    Anyone else proves it is theirs with the token only.
    """
    if not service.is_active:
        raise InvalidInput(_("This service is not offered at the moment."))
    if not office.is_active:
        raise InvalidInput(_("This office is closed. Choose another one."))
    account = user if user is not None and user.is_authenticated else None
    if account is not None and account.role != Role.CITIZEN:
        account = None
    raw, hashed = new_token()
    prefill = {}
    if account is not None:
        prefill = {
            "applicant_first_name": account.first_name,
            "applicant_last_name": account.last_name,
            "applicant_phone": account.phone,
            "applicant_email": account.email,
        }
    dossier = Dossier.objects.create(
        service=service,
        office=office,
        channel=Channel.ONLINE,
        applicant_account=account,
        created_by=account,
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        resume_token_hash=hashed,
        current_step=APPLICANT,
        **prefill,
    )
    return dossier, raw


@transaction.atomic
def save_office(dossier_id, principal, office) -> Dossier:
    """Change the office where the draft will be filed (and the result collected)."""
    dossier = _draft_for_update(dossier_id, principal)
    if not office.is_active:
        raise InvalidInput(_("This office is closed. Choose another one."))
    dossier.office = office
    _reached(dossier, OFFICE)
    dossier.save()
    return dossier


@transaction.atomic
def save_applicant(dossier_id, principal, data: dict, *, complete: bool) -> Dossier:
    """Keep the applicant fields in ``data`` (validated by ApplicantForm, maybe only some).

    ``complete`` is False when the page had errors: what was valid is still kept, so nothing
    typed correctly is lost, but the citizen stays on the page.
    """
    dossier = _draft_for_update(dossier_id, principal)
    for name, value in data.items():
        if name in APPLICANT_FIELDS:
            setattr(dossier, name, value)
    if complete:
        _reached(dossier, APPLICANT)
    dossier.save()
    return dossier


@transaction.atomic
def save_answers(dossier_id, principal, step: str, answers: dict, codes, *, complete) -> Dossier:
    """Keep the answers to the questions ``codes`` of page ``step``.

    A code in ``codes`` but not in ``answers`` was left empty: its old answer is removed. Codes
    of questions that failed validation are not in ``codes``, so their last good answer stays.
    """
    dossier = _draft_for_update(dossier_id, principal)
    steps = steps_for(dossier.service)
    if step not in steps or not step.startswith(QUESTIONS):
        raise InvalidInput(_("Unknown step."))
    page = question_pages(dossier.service)[steps.index(step) - steps.index(question_step(1))]
    allowed = {spec.code for spec in page}
    stored = dict(dossier.answers)
    for code in set(codes) & allowed:
        if code in answers:
            stored[code] = answers[code]
        else:
            stored.pop(code, None)
    dossier.answers = stored
    if complete:
        _reached(dossier, step)
    dossier.save()
    return dossier


def save_documents(dossier_id, principal, documents: dict, *, complete: bool) -> Dossier:
    """Attach the uploads in ``documents`` (RequiredDocument → InspectedUpload) to the draft.

    A new file for a document replaces the previous one. Files are written before commit and
    removed again if the transaction fails; replaced files are removed once it has committed.
    """
    stored, replaced = [], []
    try:
        with transaction.atomic():
            dossier = _draft_for_update(dossier_id, principal)
            for document, inspected in documents.items():
                if document.service_id != dossier.service_id:
                    raise InvalidInput(_("This document does not belong to this service."))
                previous = dossier.attachments.filter(document=document)
                replaced += list(previous.values_list("stored_name", flat=True))
                previous.delete()
                stored.append(actions._attach(dossier, inspected, document, _account(principal)))
            if complete and not dossier.missing_mandatory_documents():
                _reached(dossier, DOCUMENTS)
            dossier.save()
            transaction.on_commit(lambda: [uploads.discard(name) for name in replaced])
    except BaseException:
        for name in stored:
            uploads.discard(name)
        raise
    return dossier


# --- Submitting -------------------------------------------------------------------------------


def _form_data(prefix: str, values: dict) -> dict:
    """Stored values as the POST data a form would receive, to validate them again."""
    data = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, datetime.date):
            value = value.isoformat()
        data[f"{prefix}-{name}"] = value
    return data


def problems_before_submit(dossier) -> list[tuple[str, str]]:
    """What still stops this draft from being filed, as (page to fix, message), in page order.

    Everything is validated again, as it is stored: a page saved before the catalogue changed,
    or left with errors, is caught here rather than by the database.
    """
    problems = []
    applicant = ApplicantForm(
        _form_data("applicant", model_to_dict(dossier, fields=APPLICANT_FIELDS))
    )
    for name, errors in (applicant.errors if not applicant.is_valid() else {}).items():
        label = applicant.fields[name].label if name in applicant.fields else ""
        problems += [(APPLICANT, f"{label}: {error}" if label else error) for error in errors]
    answers = AnswersForm(dossier.service, _form_data("answer", dossier.answers))
    if not answers.is_valid():
        page_of = {
            spec.code: question_step(number)
            for number, page in enumerate(question_pages(dossier.service), start=1)
            for spec in page
        }
        for code, errors in answers.errors.items():
            label = answers.fields[code].label if code in answers.fields else ""
            problems += [(page_of.get(code, CHECK), f"{label}: {error}") for error in errors]
    for document in dossier.missing_mandatory_documents():
        problems.append(
            (DOCUMENTS, _("%(document)s: this document is missing.") % {"document": document.name})
        )
    order = steps_for(dossier.service)
    return sorted(problems, key=lambda item: order.index(item[0]) if item[0] in order else 0)


def submit(dossier_id, principal) -> Dossier:
    """File the draft: it gets its tracking number and expected date.

    Idempotent: a double click or a form sent twice finds the dossier already submitted (the
    second request waits for the first on the row lock) and returns it unchanged, so there is
    never a second dossier nor a second history row.
    """
    with transaction.atomic():
        dossier = _lock_waiting(dossier_id)
        if not permissions.applicant(dossier, principal):
            raise NotAllowed()
        if dossier.state != S.DRAFT:
            if dossier.submitted_at is not None:
                return dossier
            raise TransitionRefused(_("This application was abandoned and cannot be sent."))
        problems = problems_before_submit(dossier)
        if problems:
            raise InvalidInput(
                _("Your application is not complete yet."),
                details=[message for _step, message in problems],
            )
        dossier.current_step = CHECK
        actions._run(dossier, "submit", principal, comment="", inputs={})
    return dossier


# --- After submitting: answering the office, withdrawing --------------------------------------


def answer_office(
    dossier_id, principal, *, comment: str, documents: dict, expected_state
) -> Dossier:
    """The citizen answers a return for correction or a request for information.

    Their message goes in the history; the documents they upload (RequiredDocument or None for
    "another document" → InspectedUpload) are attached; the dossier goes back to the office
    (``resubmit``) or to the officer (``provide_information``). One transaction.
    """
    stored = []
    try:
        with transaction.atomic():
            dossier = actions._lock(dossier_id)
            if expected_state and dossier.state != expected_state:
                raise DossierConflict()
            if not permissions.applicant(dossier, principal):
                raise NotAllowed()
            step = ANSWER_STEP.get(dossier.state)
            if step is None:
                raise TransitionRefused(_("Nobody is waiting for an answer on this dossier."))
            for document, inspected in documents.items():
                if document is not None and document.service_id != dossier.service_id:
                    raise InvalidInput(_("This document does not belong to this service."))
                stored.append(actions._attach(dossier, inspected, document, _account(principal)))
            actions._run(dossier, step, principal, comment=comment, inputs={})
    except BaseException:
        for name in stored:
            uploads.discard(name)
        raise
    return dossier


def withdraw(dossier_id, principal, *, comment: str = "", expected_state=None) -> Dossier:
    """The citizen gives up an undecided dossier (or abandons a draft)."""
    return actions.perform(
        dossier_id, "withdraw", principal, comment=comment, expected_state=expected_state
    )


@transaction.atomic
def link_to_account(user, dossier_ids) -> int:
    """Give the account the dossiers its owner proved to hold (tokens in their session).

    Called when a citizen who filed without an account signs up or signs in, so the dossiers
    show in "my dossiers". Dossiers that already belong to an account are left alone.
    """
    if not user.is_authenticated or user.role != Role.CITIZEN or not dossier_ids:
        return 0
    return Dossier.objects.filter(pk__in=list(dossier_ids), applicant_account__isnull=True).update(
        applicant_account=user
    )


# --- Telling the citizen ----------------------------------------------------------------------


def send_sms(phone: str, text: str) -> None:
    """Placeholder until the SMS gateway arrives: the message goes to the "gup.sms" log."""
    sms_logger.info("SMS to %s: %s", phone, text)


def send_resume_link(dossier_id, principal, link: str) -> list[str]:
    """Send the resume link to the applicant's phone (SMS) and email, after commit.

    Returns where it went, to say so on screen. The link is the only copy of the token the
    citizen gets besides the screen, so we send it again whenever the contact details change.
    """
    with transaction.atomic():
        dossier = _lock_waiting(dossier_id)
        if not permissions.applicant(dossier, principal):
            raise NotAllowed()
        destinations = [d for d in (dossier.applicant_phone, dossier.applicant_email) if d]
        if not destinations:
            return []
        with translation.override(dossier.language):
            subject = _("Your application on GUP: %(service)s") % {"service": dossier.service.name}
            text = _(
                "To continue or follow your application (%(service)s), open this link: %(link)s "
                "Keep it secret: it opens your dossier."
            ) % {"service": dossier.service.name, "link": link}
        phone, email = dossier.applicant_phone, dossier.applicant_email
        dossier.resume_link_sent_to = ", ".join(destinations)
        dossier.save(update_fields=["resume_link_sent_to", "updated_at"])

        def deliver():
            if phone:
                send_sms(phone, text)
            if email:
                try:
                    send_mail(subject, text, None, [email])
                except OSError:
                    logger.exception("The resume link could not be emailed for %s", dossier_id)

        transaction.on_commit(deliver)
    return destinations


def should_send_resume_link(dossier) -> bool:
    """True when the contact details differ from where the link was last sent."""
    destinations = ", ".join(d for d in (dossier.applicant_phone, dossier.applicant_email) if d)
    return bool(destinations) and destinations != dossier.resume_link_sent_to
