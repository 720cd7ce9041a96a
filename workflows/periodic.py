"""Scheduled work, run by RQ's cron scheduler (``workflows.schedule``) or by hand
(``manage.py run_periodic``).

Every job here is safe to run twice, or by two schedulers at once: transitions go through the
one door (a draft already expired is refused, and skipped), and each message is written with a
``once_key`` that names it (this dossier's third collection reminder, this clerk's digest of
this day), so a second run owes nothing more.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from workflows import messages, notifications, online, outbox, pending_uploads, retention
from workflows.actions import perform
from workflows.actors import Actor
from workflows.digest import DIGEST_ROLES, overdue_for
from workflows.exceptions import ActionError
from workflows.models import Dossier, Effect, OutboxMessage, OutboxState
from workflows.states import DossierState

logger = logging.getLogger(__name__)

S = DossierState

#: A document waiting at the office is first recalled after a week, then every week, four times.
COLLECTION_REMINDER_EVERY_DAYS = 7
COLLECTION_REMINDERS = 4
#: Dead letters keep their secrets this long, so an administrator can still retry them.
DEAD_SECRETS_KEPT = datetime.timedelta(days=7)


def sweep_outbox() -> int:
    return outbox.sweep()


def expire_abandoned_drafts(now: datetime.datetime | None = None) -> int:
    """Expire the drafts nobody touched for ``online.DRAFT_KEPT_DAYS``. Returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=online.DRAFT_KEPT_DAYS)
    expired = 0
    for dossier_id in Dossier.objects.filter(state=S.DRAFT, updated_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        try:
            perform(dossier_id, "expire", Actor.system(), expected_state=S.DRAFT)
        except ActionError:
            # The citizen is saving it right now, or just did: it is not abandoned.
            continue
        expired += 1
    return expired


def warn_expiring_drafts(now: datetime.datetime | None = None) -> int:
    """Tell citizens whose draft expires within ``DRAFT_WARNING_DAYS``. Returns how many."""
    now = now or timezone.now()
    kept = datetime.timedelta(days=online.DRAFT_KEPT_DAYS - online.DRAFT_WARNING_DAYS)
    drafts = Dossier.objects.filter(state=S.DRAFT, updated_at__lt=now - kept).filter(
        ~Q(applicant_phone="") | ~Q(applicant_email="")
    )
    warned = 0
    for dossier in drafts.select_related("service"):
        # Keyed by the day it expires: a draft touched since is warned again before its new day.
        expires_on = online.draft_expires_on(dossier)
        warned += _tell_citizen(
            dossier, messages.Topic.DRAFT_EXPIRING, f"draft-expiring-{dossier.pk}-{expires_on}"
        )
    return warned


def remind_uncollected_documents(now: datetime.datetime | None = None) -> int:
    """Recall documents waiting at the office: after a week, then weekly. Returns how many."""
    today = timezone.localdate(now or timezone.now())
    waiting = (
        Dossier.objects.filter(state=S.READY_FOR_COLLECTION)
        .annotate(ready_at=Max("history__at", filter=Q(history__kind="dispatch")))
        .filter(ready_at__isnull=False)
    )
    reminded = 0
    for dossier in waiting.select_related("service", "office"):
        days = (today - timezone.localdate(dossier.ready_at)).days
        reminder = days // COLLECTION_REMINDER_EVERY_DAYS
        if not 1 <= reminder <= COLLECTION_REMINDERS:
            continue
        reminded += _tell_citizen(
            dossier, messages.Topic.COLLECTION_REMINDER, f"collection-{dossier.pk}-{reminder}"
        )
    return reminded


def send_overdue_digests(now: datetime.datetime | None = None) -> int:
    """Email each member of staff the overdue dossiers waiting on them. Returns how many."""
    from gup.accounts.models import User

    today = timezone.localdate(now or timezone.now())
    staff = User.objects.filter(is_active=True, role__in=DIGEST_ROLES).exclude(email="")
    sent = 0
    for user in staff:
        if not overdue_for(user, today):
            continue
        with transaction.atomic():
            written = outbox.write(
                Effect.EMAIL,
                topic=messages.Topic.OVERDUE_DIGEST,
                recipient=user.email,
                language=user.preferred_language or settings.LANGUAGE_CODE,
                user=user,
                once_key=f"digest-{user.pk}-{today}",
            )
        sent += written is not None
    return sent


def clean_up(now: datetime.datetime | None = None) -> dict[str, int]:
    """Forget spent secrets: used or expired one-time codes, dead letters' sealed secrets."""
    from gup.accounts import one_time_codes

    now = now or timezone.now()
    forgotten = OutboxMessage.objects.filter(
        status=OutboxState.DEAD, finished_at__lt=now - DEAD_SECRETS_KEPT
    ).exclude(sealed_secrets="")
    return {
        "one_time_codes": one_time_codes.purge_spent(now),
        "dead_letter_secrets": forgotten.update(sealed_secrets=""),
    }


def remove_stale_pending_uploads(now: datetime.datetime | None = None) -> int:
    """Remove the documents kept for counter forms never sent again, and their files."""
    return pending_uploads.purge_stale(now)


def purge_expired_attachments(now: datetime.datetime | None = None) -> int:
    """Remove the files of dossiers final for longer than the retention period (hashes kept)."""
    return retention.purge(now)


def _tell_citizen(dossier, topic: str, once_key: str) -> int:
    written = 0
    with transaction.atomic():
        for effect, recipient in notifications.citizen_channels(dossier):
            written += (
                outbox.write(
                    effect,
                    topic=topic,
                    recipient=recipient,
                    language=dossier.language,
                    dossier=dossier,
                    once_key=f"{once_key}-{effect}",
                )
                is not None
            )
    return written
