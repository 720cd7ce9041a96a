"""What the SMS gateway reports about the messages it accepted: sent, delivered, not delivered.

The gateway posts a report per message to ``/sms/delivery-report`` (``workflows.views.sms``),
signed with the shared secret, naming the message by the reference GUP gave it (the outbox
message's id, also its idempotency key). Reports can arrive late and out of order: a message
once delivered stays delivered.
"""

from django.db import transaction
from django.utils import timezone

from workflows.models import DeliveryStatus, Effect, OutboxMessage

#: A report never moves a message back: "sent" after "delivered" is a late echo.
_RANK = {"": 0, DeliveryStatus.SENT: 1, DeliveryStatus.FAILED: 2, DeliveryStatus.DELIVERED: 3}


class UnknownReport(Exception):
    """The report names no SMS GUP sent, or a status GUP does not know."""


def record(reference: str, status: str, provider_reference: str = "") -> OutboxMessage:
    """Record the gateway's report ``status`` for the SMS ``reference``."""
    if status not in DeliveryStatus.values:
        raise UnknownReport(f"unknown status {status!r}")
    if not reference.isdigit():
        raise UnknownReport("unknown message")
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=int(reference), effect=Effect.SMS)
            .first()
        )
        if message is None:
            raise UnknownReport("unknown message")
        if _RANK[status] >= _RANK[message.delivery_status]:
            message.delivery_status = status
            message.delivery_reported_at = timezone.now()
            if provider_reference and not message.provider_reference:
                message.provider_reference = provider_reference[:100]
            message.save(
                update_fields=["delivery_status", "delivery_reported_at", "provider_reference"]
            )
    return message
