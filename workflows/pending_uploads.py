"""Documents that survive a counter form's errors.

When the counter form comes back with errors, every document that was chosen and passed the
upload checks (``workflows.uploads.inspect_upload``) is kept: stored as a ``PendingUpload``
bound to the form's ``filing_key`` and to the clerk, for ``PENDING_UPLOAD_KEPT``. The form shows
it as kept; sending the corrected form files the dossier with it; a newly chosen file replaces
it. Only the clerk who chose a file can use it: every look-up here is by key *and* clerk.

Once the dossier is filed, the event releases them (``release``, in the filing's transaction;
the files go after the commit). What is left by forms never sent again is removed, files
included, by the periodic job (``purge_stale``).
"""

import datetime
import hashlib
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from workflows.models import PendingUpload
from workflows.models.pending_upload import PENDING_UPLOAD_KEPT
from workflows.uploads import InspectedUpload, discard, store

logger = logging.getLogger(__name__)


def kept_for(filing_key, user, now: datetime.datetime | None = None) -> dict:
    """The documents kept for this form and clerk, not expired: RequiredDocument id → row."""
    if filing_key is None or user is None or not user.is_authenticated:
        return {}
    rows = PendingUpload.objects.filter(
        filing_key=filing_key, uploaded_by=user, expires_at__gt=now or timezone.now()
    ).select_related("document")
    return {row.document_id: row for row in rows}


def keep(filing_key, user, document, inspected: InspectedUpload, now=None) -> PendingUpload:
    """Keep ``inspected`` for this form, clerk and document, replacing what was kept before."""
    now = now or timezone.now()
    stored_name = store(inspected)
    try:
        with transaction.atomic():
            replaced = list(
                PendingUpload.objects.select_for_update()
                .filter(filing_key=filing_key, uploaded_by=user, document=document)
                .values_list("stored_name", flat=True)
            )
            PendingUpload.objects.filter(
                filing_key=filing_key, uploaded_by=user, document=document
            ).delete()
            row = PendingUpload.objects.create(
                filing_key=filing_key,
                uploaded_by=user,
                document=document,
                created_at=now,
                expires_at=now + PENDING_UPLOAD_KEPT,
                **inspected.stored_as(stored_name),
            )
            transaction.on_commit(lambda: [discard(name) for name in replaced])
    except IntegrityError:
        # The same form sent twice at the same moment: the other request kept its copy.
        discard(stored_name)
        return PendingUpload.objects.get(filing_key=filing_key, uploaded_by=user, document=document)
    except BaseException:
        discard(stored_name)
        raise
    return row


def keep_chosen(filing_key, user, chosen: dict, removed_document_ids=()) -> dict:
    """After a form with errors: keep the new files that passed the checks (``chosen``:
    RequiredDocument → InspectedUpload), drop those the clerk removed; return what is kept now,
    as ``kept_for`` does."""
    forget(filing_key, user, removed_document_ids)
    for document, inspected in chosen.items():
        keep(filing_key, user, document, inspected)
    return kept_for(filing_key, user)


def forget(filing_key, user, document_ids) -> None:
    """The clerk removed kept documents from the form: rows now, files after the commit."""
    if not document_ids:
        return
    _delete(
        PendingUpload.objects.filter(
            filing_key=filing_key, uploaded_by=user, document_id__in=document_ids
        )
    )


def as_inspected(row: PendingUpload) -> InspectedUpload | None:
    """The kept file read back, as the upload checks left it; None if it is gone or altered."""
    try:
        content = row.path.read_bytes()
    except OSError:
        logger.warning("Kept upload %s is missing its file", row.pk)
        return None
    if hashlib.sha256(content).hexdigest() != row.sha256:
        logger.warning("Kept upload %s no longer matches its checksum", row.pk)
        return None
    return InspectedUpload(
        content=content,
        content_type=row.content_type,
        original_name=row.original_name,
        sha256=row.sha256,
    )


def release(filing_key, user) -> None:
    """The form was filed: its kept documents are copied into the dossier; remove them.

    Called inside the filing's transaction: if the filing fails, they stay for the next try.
    """
    _delete(PendingUpload.objects.filter(filing_key=filing_key, uploaded_by=user))


def purge_stale(now: datetime.datetime | None = None) -> int:
    """Remove the kept documents whose time has passed, and their files. Returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        return _delete(PendingUpload.objects.filter(expires_at__lte=now))


def _delete(rows) -> int:
    names = list(rows.values_list("stored_name", flat=True))
    if names:
        rows.delete()
        transaction.on_commit(lambda: [discard(name) for name in names])
    return len(names)
