"""Telling people: the SMS and emails GUP owes, and how each is delivered.

``notify_citizen`` is the side effect of the events a citizen must hear about
(``workflows.effects``): it owes an SMS to the applicant's phone and, where an address is
known, an email, in the dossier's language, through the outbox. ``send_sms`` and
``send_email`` are the outbox's runners: they compose the text when it is sent (from what the
dossier says then) and hand it to the SMS gateway or to Django's email backend.

Texts can carry a secret (a resume link, a one-time code): they are never logged, and phone
numbers appear in logs masked.
"""

import logging
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from gup.sms.backends import OutgoingSms, SmsNotSent, get_backend
from gup.sms.masking import mask_phone
from workflows import messages, online, outbox
from workflows.models import DeliveryStatus, Effect, OutboxMessage

logger = logging.getLogger(__name__)


# --- Owing --------------------------------------------------------------------------------


def notify_citizen(kind: str, dossier, entry, transient: Mapping[str, str]) -> None:
    """Owe the applicant the message about event ``kind``: by SMS, and by email if known."""
    topic = messages.TOPIC_OF_EVENT[kind]
    for effect, recipient in citizen_channels(dossier):
        outbox.write(
            effect,
            topic=topic,
            recipient=recipient,
            language=dossier.language,
            dossier=dossier,
            entry=entry,
            secrets=transient,
        )


def citizen_channels(dossier) -> list[tuple[str, str]]:
    """Where the applicant is told: their phone always (when known), their email too."""
    channels = []
    if dossier.applicant_phone:
        channels.append((Effect.SMS, dossier.applicant_phone))
    if dossier.applicant_email:
        channels.append((Effect.EMAIL, dossier.applicant_email))
    return channels


def send_code(phone: str, code: str, language: str) -> None:
    """Owe a one-time code to ``phone`` (``gup.accounts`` one-time codes)."""
    outbox.write(
        Effect.SMS,
        topic=messages.Topic.ONE_TIME_CODE,
        recipient=phone,
        language=language,
        secrets={"code": code},
    )


# --- Delivering (the outbox's runners) ------------------------------------------------------


def send_sms(message: OutboxMessage) -> None:
    composed = _compose(message)
    sms = OutgoingSms(
        to=message.recipient,
        text=composed.sms,
        idempotency_key=str(message.pk),
        callback_url=delivery_report_url(),
    )
    try:
        reference = get_backend().send(sms)
    except SmsNotSent as refusal:
        if refusal.permanent:
            raise outbox.PermanentFailure(str(refusal)) from refusal
        raise
    OutboxMessage.objects.filter(pk=message.pk).update(
        provider_reference=reference[:100],
        delivery_status=DeliveryStatus.SENT,
        delivery_reported_at=timezone.now(),
    )
    logger.info("SMS %s (%s) sent to %s", message.pk, message.topic, mask_phone(message.recipient))


def send_email(message: OutboxMessage) -> None:
    composed = _compose(message)
    email = EmailMessage(
        composed.subject,
        composed.body,
        to=[message.recipient],
        # The same id on a second attempt: mail clients show a resent message once.
        headers={"Message-ID": f"<outbox-{message.pk}@{_mail_domain()}>"},
    )
    email.send()
    OutboxMessage.objects.filter(pk=message.pk).update(delivery_status=DeliveryStatus.SENT)


def _compose(message: OutboxMessage) -> messages.Composed:
    if message.topic == messages.Topic.OVERDUE_DIGEST:
        from workflows.digest import overdue_for

        return messages.compose_digest(message.user, overdue_for(message.user), message.language)
    dossier = message.dossier
    if dossier is not None:
        dossier = (
            type(dossier).objects.select_related("service", "office__province").get(pk=dossier.pk)
        )
    draft_expiring = message.topic == messages.Topic.DRAFT_EXPIRING
    return messages.compose(
        message.topic,
        message.language or settings.LANGUAGE_CODE,
        dossier=dossier,
        entry=message.history_entry,
        secrets=outbox.secrets_of(message),
        expires_on=online.draft_expires_on(dossier) if draft_expiring else None,
    )


def delivery_report_url() -> str:
    return settings.GUP_PUBLIC_URL.rstrip("/") + reverse("sms_delivery_report")


def _mail_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].rstrip(">") or "gup.gov.bi"
