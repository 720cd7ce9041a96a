"""The one way to change a dossier.

Views, the admin, jobs and (later) the exchange call these functions; nothing else calls a
transition or saves a dossier's state. Each action is one transaction: lock the row, check the
state the user saw, the permission and the conditions, run the transition, save, and append the
history row. What must happen outside the database is registered to run after commit.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, OperationalError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from gup.formatting import money
from gup.roles import OFFICE_ROLES
from workflows import uploads
from workflows.conditions import unmet
from workflows.deadlines import add_working_days
from workflows.exceptions import DossierConflict, InvalidInput, NotAllowed, TransitionRefused
from workflows.models import Attachment, Channel, Dossier, HistoryEntry, Payment, PaymentMethod
from workflows.numbering import allocate_tracking_number

#: Sent after commit, once per transition: ``sender=Dossier, dossier_id, transition``.
dossier_transitioned = Signal()

LOCK_NOT_AVAILABLE = "55P03"
UNIQUE_VIOLATION = "23505"


# --- Reading a transition's metadata ----------------------------------------------------------


def transition_meta(name: str):
    """The django-fsm Transition objects declared for ``name`` (one per source state)."""
    method = getattr(Dossier, name, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        raise TransitionRefused(_("Unknown step."))
    return meta


def transition_custom(name: str, key: str, default=None):
    meta = transition_meta(name)
    first = next(iter(meta.transitions.values()))
    return first.custom.get(key, default)


def available_transitions(dossier, user) -> list[str]:
    """The names of the steps this user may take on this dossier now: exactly its buttons."""
    return [t.name for t in dossier.get_available_user_state_transitions(user)]


def step_options(dossier, user) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The steps this user may take now, and those whose conditions fail, with the reasons.

    The blocked ones are shown under the buttons, so that a clerk sees *why* "Forward" is not
    there yet. One pass: every condition is evaluated once.
    """
    available, blocked = [], []
    for transition in dossier.get_all_state_transitions():
        if transition.source != dossier.state or not transition.has_perm(dossier, user):
            continue
        problems = unmet(transition.conditions, dossier)
        if problems:
            blocked.append((transition.name, problems))
        else:
            available.append(transition.name)
    return available, blocked


def blocked_transitions(dossier, user) -> list[tuple[str, list[str]]]:
    """The steps of ``step_options`` whose conditions fail, with the reasons."""
    return step_options(dossier, user)[1]


# --- The engine -------------------------------------------------------------------------------


def _lock(dossier_id) -> Dossier:
    try:
        return (
            Dossier.objects.select_for_update(nowait=True, of=("self",))
            .select_related("service", "office__province")
            .get(pk=dossier_id)
        )
    except OperationalError as error:
        if getattr(getattr(error, "__cause__", None), "pgcode", None) == LOCK_NOT_AVAILABLE:
            raise DossierConflict() from error
        raise


def _append_history(dossier, name, from_state, user, comment, at):
    previous = dossier.history.order_by("-position").only("position", "hash").first()
    HistoryEntry.objects.create(
        dossier=dossier,
        position=(previous.position + 1) if previous else 1,
        transition=name,
        from_state=from_state,
        to_state=dossier.state,
        # A citizen acting through a resume token has no account to point to (TokenHolder).
        actor=user if isinstance(user, get_user_model()) else None,
        actor_role=user.role if user is not None else "system",
        actor_name=str(user) if user is not None else "GUP",
        comment=comment,
        is_public=bool(transition_custom(name, "public", True)),
        at=at,
        previous_hash=previous.hash if previous else "",
    )


def _run(dossier, name, user, *, comment, inputs):
    """Check and run one transition on a locked dossier; append its history row."""
    meta = transition_meta(name)
    if not meta.has_transition(dossier.state):
        raise TransitionRefused(
            _("“%(step)s” is not possible while the dossier is “%(state)s”.")
            % {"step": transition_custom(name, "label"), "state": dossier.state_label}
        )
    # Permission before conditions: a user who may not act is not told what the dossier lacks.
    if not meta.has_transition_perm(dossier, dossier.state, user):
        raise NotAllowed()
    problems = unmet(meta.get_transition(dossier.state).conditions, dossier)
    if problems:
        raise TransitionRefused(
            _("“%(step)s” is not possible yet.") % {"step": transition_custom(name, "label")},
            details=problems,
        )
    comment = (comment or "").strip()
    if transition_custom(name, "needs_comment") and not comment:
        raise InvalidInput(details=[_("Please write the reasons or the message.")])
    now = timezone.now()
    kwargs = PREPARE.get(name, _no_arguments)(dossier, user, comment, inputs, now)
    from_state = dossier.state
    getattr(dossier, name)(**kwargs)
    try:
        dossier.save()
    except ConcurrentTransition as error:
        raise DossierConflict() from error
    _append_history(dossier, name, from_state, user, comment, now)
    dossier_id = dossier.pk
    transaction.on_commit(
        lambda: dossier_transitioned.send(sender=Dossier, dossier_id=dossier_id, transition=name)
    )


def perform(dossier_id, name, user, *, comment="", expected_state=None, **inputs) -> Dossier:
    """Take the step ``name`` on the dossier, as ``user`` (None for the system).

    ``expected_state`` is the state the user saw when they chose the step. If the dossier has
    moved on since, the step is refused as a conflict rather than applied to a state they never
    saw. Raises an ActionError subclass; on any error nothing is changed.
    """
    transition_meta(name)
    try:
        with transaction.atomic():
            dossier = _lock(dossier_id)
            if expected_state and dossier.state != expected_state:
                raise DossierConflict()
            _run(dossier, name, user, comment=comment, inputs=inputs)
    except IntegrityError as error:
        # Two clerks recording the same mobile-money reference at the same moment, for example.
        # Any other integrity error is a bug, not a conflict: let it surface.
        if _is_unique_violation(error):
            raise DossierConflict() from error
        raise
    return dossier


def _is_unique_violation(error) -> bool:
    pgcode = getattr(error.__cause__, "pgcode", None)
    return pgcode == UNIQUE_VIOLATION or "UNIQUE constraint failed" in str(error)


# --- What each transition needs ---------------------------------------------------------------


def _no_arguments(dossier, user, comment, inputs, now):
    return {}


def _prepare_submit(dossier, user, comment, inputs, now):
    today = timezone.localdate(now)
    return {
        "tracking_number": allocate_tracking_number(dossier.office, today.year),
        "submitted_at": now,
        "due_date": add_working_days(today, dossier.service.target_working_days),
    }


def _prepare_return(dossier, user, comment, inputs, now):
    return {"reasons": comment}


def _prepare_request_information(dossier, user, comment, inputs, now):
    return {"questions": comment}


def _prepare_record_payment(dossier, user, comment, inputs, now):
    method = inputs.get("method")
    reference = (inputs.get("reference") or "").strip()
    amount = inputs.get("amount_bif")
    errors = []
    due = (dossier.service.fee_bif or 0) - dossier.total_paid()
    if method not in PaymentMethod.values:
        errors.append(_("Choose how the citizen paid."))
    if method and method != PaymentMethod.CASH and not reference:
        errors.append(_("Enter the bank or mobile-money reference."))
    if not isinstance(amount, int) or amount != due:
        errors.append(_("The amount due is %(due)s.") % {"due": money(due)})
    if reference and Payment.objects.filter(method=method, reference=reference).exists():
        errors.append(
            _("This reference has already been recorded: the payment was not counted twice.")
        )
    if errors:
        raise InvalidInput(details=errors)
    Payment.objects.create(
        dossier=dossier,
        amount_bif=amount,
        method=method,
        reference=reference,
        recorded_by=user,
        recorded_at=now,
    )
    return {}


def _prepare_forward(dossier, user, comment, inputs, now):
    return {"institution": dossier.routed_institution(), "forwarded_at": now}


def _prepare_receive(dossier, user, comment, inputs, now):
    return {"officer": user}


def _scheduled_for(inputs, now):
    when = inputs.get("scheduled_for")
    if not isinstance(when, datetime.datetime) or when <= now:
        raise InvalidInput(details=[_("Choose a date and time in the future.")])
    return {"scheduled_for": when}


def _prepare_scheduled_step(dossier, user, comment, inputs, now):
    return _scheduled_for(inputs, now)


def _prepare_public_notice(dossier, user, comment, inputs, now):
    days = dossier.service.public_notice_days
    return {"ends_on": timezone.localdate(now) + datetime.timedelta(days=days)}


def _prepare_decision(dossier, user, comment, inputs, now):
    return {"decided_by": user, "decided_at": now, "reasons": comment}


PREPARE = {
    "submit": _prepare_submit,
    "return_for_correction": _prepare_return,
    "request_information": _prepare_request_information,
    "record_payment": _prepare_record_payment,
    "forward": _prepare_forward,
    "receive": _prepare_receive,
    "schedule_inspection": _prepare_scheduled_step,
    "give_appointment": _prepare_scheduled_step,
    "open_public_notice": _prepare_public_notice,
    "approve": _prepare_decision,
    "reject": _prepare_decision,
}


# --- Filing -----------------------------------------------------------------------------------


def _attach(dossier, inspected, document, user) -> str:
    stored_name = uploads.store(inspected)
    Attachment.objects.create(
        dossier=dossier,
        document=document,
        original_name=inspected.original_name,
        stored_name=stored_name,
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        uploaded_by=user,
    )
    return stored_name


def do_file_at_counter(clerk, service, *, applicant: dict, answers: dict, documents: dict):
    """A clerk files a dossier for a walk-in citizen: created, submitted and taken for checking.

    ``applicant`` and ``answers`` are already validated (ApplicantForm, AnswersForm);
    ``documents`` maps RequiredDocument → InspectedUpload. One transaction: a failure leaves
    neither a dossier nor a stored file behind.
    """
    if clerk.role not in OFFICE_ROLES or clerk.office_id is None or not clerk.is_active:
        raise NotAllowed(_("Only the staff of a GUP office file at the counter."))
    if not service.is_active:
        raise InvalidInput(_("This service is not offered at the moment."))
    stored = []
    try:
        with transaction.atomic():
            dossier = Dossier.objects.create(
                service=service,
                office=clerk.office,
                channel=Channel.COUNTER,
                created_by=clerk,
                answers=answers,
                **applicant,
            )
            for document, inspected in documents.items():
                stored.append(_attach(dossier, inspected, document, clerk))
            dossier = Dossier.objects.select_related("service", "office__province").get(
                pk=dossier.pk
            )
            _run(dossier, "submit", clerk, comment="", inputs={})
            _run(dossier, "start_intake", clerk, comment="", inputs={})
    except BaseException:
        for name in stored:
            uploads.discard(name)
        raise
    return dossier
