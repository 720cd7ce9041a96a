"""How long the documents of a finished dossier are kept, and their removal afterwards.

A dossier that reached a final state (collected, closed, withdrawn, expired) more than
``GUP_ATTACHMENT_RETENTION_DAYS`` ago loses its uploaded files: the scheduled job
(``workflows.periodic.purge_expired_attachments``) takes the ``attachments_purged`` event on it,
through the one door, as GUP itself. The attachment rows stay with their SHA-256, size and the
day of removal, and the history gains one row; downloading such a file says it was removed
(410). Issued documents (``DOCUMENT_ROOT``) are the administration's record and are kept.

``0`` keeps every file for ever. The job is idempotent (a dossier without files left is
skipped, and the event refuses to write a second row) and works in batches of ``BATCH_SIZE``
dossiers, so a first run over years of archives never holds a long transaction.
"""

import datetime

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from workflows.actions import perform
from workflows.actors import Actor
from workflows.exceptions import ActionError
from workflows.models import Attachment, Dossier
from workflows.states import FINAL_STATES

BATCH_SIZE = 200


def due_for_purge(now: datetime.datetime | None = None):
    """The dossiers final for longer than the retention period that still hold files (ids).

    "Final since" is the time of the history row that entered the final state: later rows
    (a note, this very purge) leave the state alone and do not restart the count.
    """
    days = settings.GUP_ATTACHMENT_RETENTION_DAYS
    if days <= 0:
        return Dossier.objects.none().values_list("pk", flat=True)
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    files_left = Attachment.objects.filter(dossier=OuterRef("pk"), purged_at__isnull=True)
    return (
        Dossier.objects.filter(state__in=FINAL_STATES)
        .filter(Exists(files_left))
        .annotate(
            final_since=Max(
                "history__at",
                filter=Q(history__to_state__in=FINAL_STATES)
                & ~Q(history__from_state__in=FINAL_STATES),
            )
        )
        .filter(final_since__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def purge(now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Remove the files of every dossier due; one event (one transaction) per dossier.

    Returns how many dossiers lost their files. Each batch re-reads what is left, so a dossier
    done by a concurrent run is simply no longer there.
    """
    purged, skipped = 0, set()
    while True:
        batch = list(due_for_purge(now).exclude(pk__in=skipped)[:batch_size])
        if not batch:
            return purged
        for dossier_id in batch:
            try:
                perform(dossier_id, "attachments_purged", Actor.system())
            except ActionError:
                # Someone holds the dossier right now: the next run takes it.
                skipped.add(dossier_id)
                continue
            purged += 1
