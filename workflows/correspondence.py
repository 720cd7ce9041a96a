"""What GUP told the citizen about a dossier, as staff see it on the dossier's page.

"I never got a message" is one of the complaints this software must answer: the office can see
each SMS and email owed for the dossier, what it was about, where it went, and whether it
arrived (the gateway's delivery reports, ``workflows.delivery_reports``) or failed for good.

Never the text: it may hold a secret (a resume link, a one-time code). Phone numbers are shown
masked in the middle, as logs show them (``gup.sms.masking``): the page already shows the
applicant's number in full, and a status reply may have gone to another phone, someone who knew
the tracking number and the last four digits, whose number the office has no use for. A mark
says when a message went to the phone or email on file. Email addresses are shown whole: they
are only ever the applicant's own.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from gup.sms.masking import mask_phone
from workflows.models import DeliveryStatus, Effect, OutboxMessage, OutboxState

#: The most recent messages shown; a dossier rarely has more than a dozen.
SHOWN = 50
#: How much of the last error staff are shown.
ERROR_SHOWN = 300

#: What each message was about (``workflows.messages`` topics), for staff.
TOPIC_LABELS = {
    "filed": _("Dossier filed"),
    "payment_requested": _("Payment requested"),
    "returned": _("Returned for correction"),
    "information_requested": _("Information requested"),
    "appointment": _("Appointment"),
    "inspection": _("Site inspection"),
    "approved": _("Approved"),
    "rejected": _("Rejected"),
    "ready_for_collection": _("Ready for collection"),
    "collection_reminder": _("Reminder to collect"),
    "draft_expiring": _("Draft about to expire"),
    "resume_link": _("Link to resume the application"),
    "status_reply": _("Status, asked by SMS"),
}

#: What became of a message, from the citizen's side: the key names a CSS class.
WAITING, SENDING, SENT, DELIVERED, NOT_DELIVERED, FAILED = (
    "waiting",
    "sending",
    "sent",
    "delivered",
    "not-delivered",
    "failed",
)
STATE_LABELS = {
    WAITING: OutboxState.PENDING.label,
    SENDING: OutboxState.RUNNING.label,
    SENT: DeliveryStatus.SENT.label,
    DELIVERED: DeliveryStatus.DELIVERED.label,
    NOT_DELIVERED: DeliveryStatus.FAILED.label,
    FAILED: OutboxState.DEAD.label,
}


@dataclass(frozen=True)
class SentMessage:
    at: datetime.datetime
    channel: str
    topic: str
    recipient: str
    to_contact_on_file: bool
    state: str
    state_label: str
    #: When the gateway last reported on it.
    reported_at: datetime.datetime | None
    attempts: int
    #: Why the last attempt failed: shown while retrying and once it failed for good.
    last_error: str
    next_attempt_at: datetime.datetime | None

    @property
    def went_wrong(self) -> bool:
        return self.state in (FAILED, NOT_DELIVERED)


@dataclass(frozen=True)
class Correspondence:
    messages: tuple[SentMessage, ...]
    #: More were sent than are shown.
    more: bool


def state_of(message: OutboxMessage) -> str:
    """What became of ``message``: a report from the gateway says most; the outbox the rest."""
    if message.delivery_status == DeliveryStatus.DELIVERED:
        return DELIVERED
    if message.delivery_status == DeliveryStatus.FAILED:
        return NOT_DELIVERED
    if message.status == OutboxState.DEAD:
        return FAILED
    if message.status == OutboxState.RUNNING:
        return SENDING
    if message.status == OutboxState.PENDING:
        return WAITING
    return SENT


def for_dossier(dossier) -> Correspondence:
    """The SMS and emails owed for ``dossier``, newest first: one query.

    ``dossier`` is one the caller may see (``Dossier.objects.visible_to``): the messages are
    reached through it, so they are scoped as it is.
    """
    found = list(
        OutboxMessage.objects.filter(dossier=dossier, effect__in=[Effect.SMS, Effect.EMAIL])
        .order_by("-created_at", "-pk")
        .only(
            "created_at",
            "effect",
            "topic",
            "recipient",
            "status",
            "attempts",
            "last_error",
            "available_at",
            "delivery_status",
            "delivery_reported_at",
        )[: SHOWN + 1]
    )
    on_file = {dossier.applicant_phone, dossier.applicant_email} - {""}
    return Correspondence(
        messages=tuple(_row(message, on_file) for message in found[:SHOWN]),
        more=len(found) > SHOWN,
    )


def _row(message: OutboxMessage, on_file: set[str]) -> SentMessage:
    state = state_of(message)
    retrying = state == WAITING and message.attempts > 0
    is_sms = message.effect == Effect.SMS
    return SentMessage(
        at=message.created_at,
        channel=message.get_effect_display(),
        topic=TOPIC_LABELS.get(message.topic, message.topic),
        recipient=mask_phone(message.recipient) if is_sms else message.recipient,
        to_contact_on_file=message.recipient in on_file,
        state=state,
        state_label=STATE_LABELS[state],
        reported_at=message.delivery_reported_at if is_sms else None,
        attempts=message.attempts,
        last_error=message.last_error[:ERROR_SHOWN] if retrying or state == FAILED else "",
        next_attempt_at=message.available_at if retrying else None,
    )
