"""The outbox: side effects written with the change that causes them, and carried out once.

1. ``write`` adds an ``OutboxMessage`` in the current transaction (the event's), and asks for
   it to be relayed once that transaction commits. A rolled-back event leaves no message.
2. ``relay`` hands committed messages to their queue (``gup.jobs.enqueue``). If Redis is down,
   the message simply waits: nothing is lost.
3. ``run`` is the job. It claims the message (a lease, so that two workers never run it at
   once), carries out its effect, and records the outcome: done; or failed, retried later with
   a doubling backoff; or, after ``GUP_OUTBOX_MAX_ATTEMPTS`` or a refusal that retrying cannot
   fix, a dead letter that an administrator sees and can retry (``retry``).
4. ``sweep`` runs every minute: it relays what is due and was never queued, or whose worker
   died holding it (the lease expired).

Effects are idempotent: a message already done is not run again, and an SMS carries the
message's id as the gateway's idempotency key, so a worker killed between sending and
recording does not make the citizen receive it twice.
"""

import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from redis.exceptions import RedisError

from gup import jobs, sealing
from workflows.models import Effect, OutboxMessage, OutboxState

logger = logging.getLogger(__name__)

#: How long a message may sit in a queue before the sweeper relays it again.
RELAY_AGAIN_AFTER = datetime.timedelta(minutes=5)
#: The longest wait between two attempts.
LONGEST_BACKOFF = datetime.timedelta(hours=1)


class PermanentFailure(Exception):
    """Retrying cannot help (an invalid number, a refused message): a dead letter at once."""


@dataclass(frozen=True)
class Runner:
    queue: str
    #: Dotted path of ``function(message)``, so that importing this module stays light.
    function: str


RUNNERS: Mapping[str, Runner] = {
    Effect.SMS: Runner("notifications", "workflows.notifications.send_sms"),
    Effect.EMAIL: Runner("notifications", "workflows.notifications.send_email"),
    Effect.DOCUMENTS: Runner("documents", "workflows.documents.issuing.print_documents"),
}


# --- Writing ----------------------------------------------------------------------------------


def write(
    effect: str,
    *,
    topic: str = "",
    recipient: str = "",
    language: str = "",
    dossier=None,
    entry=None,
    user=None,
    secrets: Mapping[str, str] | None = None,
    once_key: str | None = None,
) -> OutboxMessage | None:
    """Owe the side effect ``effect``; it is relayed once the current transaction commits.

    ``once_key``: a message with this key is written only once (a reminder, a digest); None is
    returned when it already exists.
    """
    now = timezone.now()
    message = OutboxMessage(
        created_at=now,
        available_at=now,
        effect=effect,
        topic=topic,
        recipient=recipient,
        language=language,
        dossier=dossier,
        history_entry=entry,
        user=user,
        sealed_secrets=sealing.seal(secrets or {}),
        once_key=once_key,
    )
    if once_key is not None:
        with transaction.atomic():
            written, created = OutboxMessage.objects.get_or_create(
                once_key=once_key, defaults=_fields_of(message)
            )
        if not created:
            return None
        message = written
    else:
        message.save()
    transaction.on_commit(lambda: relay([message.pk]), robust=True)
    return message


def _fields_of(message: OutboxMessage) -> dict:
    return {
        field.attname: getattr(message, field.attname)
        for field in OutboxMessage._meta.concrete_fields
        if not field.primary_key and field.name != "once_key"
    }


# --- Relaying ---------------------------------------------------------------------------------


def relay(message_ids: Iterable[int]) -> int:
    """Queue these messages (after the commit). Returns how many were queued."""
    queued = 0
    for message in OutboxMessage.objects.filter(pk__in=list(message_ids)).only("pk", "effect"):
        try:
            jobs.enqueue(
                RUNNERS[message.effect].queue,
                "workflows.outbox.run",
                message.pk,
            )
        except RedisError:
            # The messages are safe in the database: the sweeper relays them when Redis is
            # back. Stop at the first error: a Redis that does not answer would make each of
            # the others wait for the connection timeout, and the citizen with them.
            logger.warning(
                "Redis is down: outbox messages from %s wait for the sweeper", message.pk
            )
            break
        OutboxMessage.objects.filter(pk=message.pk, enqueued_at__isnull=True).update(
            enqueued_at=timezone.now()
        )
        queued += 1
    return queued


def sweep(now: datetime.datetime | None = None) -> int:
    """Relay what is owed and due but sits in no queue. Returns how many were relayed."""
    now = now or timezone.now()
    not_in_a_queue = Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - RELAY_AGAIN_AFTER)
    due = OutboxMessage.objects.filter(
        Q(status=OutboxState.PENDING, available_at__lte=now) & not_in_a_queue
        | Q(status=OutboxState.RUNNING, lease_until__lt=now)
    )
    ids = list(due.order_by("available_at").values_list("pk", flat=True)[:5000])
    if ids:
        # Marked first: the relay only stamps messages that were never queued.
        OutboxMessage.objects.filter(pk__in=ids).update(enqueued_at=None)
    return relay(ids)


# --- Running ----------------------------------------------------------------------------------


def run(message_id: int) -> None:
    """The job: carry out one message's effect, once."""
    message = _claim(message_id)
    if message is None:
        return
    try:
        jobs.resolve(RUNNERS[message.effect].function)(message)
    except PermanentFailure as failure:
        _give_up(message, failure)
    except Exception as error:  # noqa: BLE001 - whatever failed is recorded and retried
        logger.warning(
            "Outbox message %s (%s) failed, attempt %s: %s",
            message.pk,
            message.effect,
            message.attempts,
            type(error).__name__,
        )
        _failed(message, error)
    else:
        _done(message)


def _claim(message_id: int) -> OutboxMessage | None:
    now = timezone.now()
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        )
        if message is None or message.status in (OutboxState.DONE, OutboxState.DEAD):
            return None
        if message.status == OutboxState.RUNNING and message.lease_until > now:
            return None  # another worker holds it
        if message.available_at > now:
            return None  # relayed early; its own retry comes at its time
        message.status = OutboxState.RUNNING
        message.attempts += 1
        message.lease_until = now + datetime.timedelta(seconds=settings.GUP_OUTBOX_LEASE_SECONDS)
        message.save(update_fields=["status", "attempts", "lease_until"])
    return message


def _done(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxState.DONE,
        finished_at=timezone.now(),
        lease_until=None,
        last_error="",
        sealed_secrets="",
    )


def _failed(message: OutboxMessage, error: Exception) -> None:
    if message.attempts >= settings.GUP_OUTBOX_MAX_ATTEMPTS:
        _give_up(message, error)
        return
    wait = backoff(message.attempts)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxState.PENDING,
        available_at=timezone.now() + wait,
        lease_until=None,
        enqueued_at=timezone.now(),
        last_error=_describe(error),
    )
    try:
        jobs.enqueue(
            RUNNERS[message.effect].queue,
            "workflows.outbox.run",
            message.pk,
            delay=wait,
        )
    except RedisError:
        logger.warning("Redis is unavailable: outbox message %s waits for the sweeper", message.pk)


def _give_up(message: OutboxMessage, error: Exception) -> None:
    logger.error(
        "Outbox message %s (%s) failed for good after %s attempts",
        message.pk,
        message.effect,
        message.attempts,
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxState.DEAD,
        finished_at=timezone.now(),
        lease_until=None,
        last_error=_describe(error),
    )


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failure: 30 s, 1 min, 2 min... at most an hour."""
    first = datetime.timedelta(seconds=settings.GUP_OUTBOX_FIRST_BACKOFF_SECONDS)
    return min(first * 2 ** max(attempts - 1, 0), LONGEST_BACKOFF)


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


# --- Administrators ---------------------------------------------------------------------------


def retry(messages: Iterable[OutboxMessage]) -> int:
    """Give dead letters another round of attempts. Returns how many were revived."""
    ids = [message.pk for message in messages if message.is_dead]
    with transaction.atomic():
        revived = OutboxMessage.objects.filter(pk__in=ids, status=OutboxState.DEAD).update(
            status=OutboxState.PENDING,
            attempts=0,
            available_at=timezone.now(),
            enqueued_at=None,
            finished_at=None,
        )
        transaction.on_commit(lambda: relay(ids), robust=True)
    return revived


def secrets_of(message: OutboxMessage) -> dict[str, str]:
    """The secrets the message carries. Unreadable (``SECRET_KEY`` changed): retrying is useless."""
    try:
        return sealing.open_sealed(message.sealed_secrets)
    except sealing.InvalidToken as error:
        raise PermanentFailure("The message's secrets can no longer be read.") from error
