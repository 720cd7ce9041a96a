"""Retention: the files of a dossier closed long ago are removed, their trace is kept.

``attachments_purged`` is taken by GUP itself (``workflows.retention``), never by a person: it
removes the uploaded files of a dossier that reached a final state more than
``GUP_ATTACHMENT_RETENTION_DAYS`` ago. Each attachment row stays, with its name, size and
SHA-256 and the day its file was purged, so the history's references and the file hashes still
hold; the files themselves go after the commit.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from workflows import permissions as may
from workflows.events.base import AlreadyDone, Event
from workflows.states import FINAL_STATES


class PurgeAttachments(Event):
    """Remove the files of a final dossier past the retention period; keep their hashes."""

    name = "attachments_purged"
    label = gettext_lazy("Documents removed at the end of the retention period")
    offered = False
    is_public = False
    permission = staticmethod(may.system_only)
    states = FINAL_STATES

    def apply(self, dossier, ctx) -> None:
        kept = dossier.attachments.filter(purged_at__isnull=True)
        names = list(kept.values_list("stored_name", flat=True))
        if not names:
            # Run twice, or by two schedulers: the first one did it.
            raise AlreadyDone(dossier)
        kept.update(purged_at=ctx.now)
        ctx.files.replaced += names
        ctx.files.discard_replaced_after_commit()
        ctx.details.update(files=len(names), purged_on=timezone.localdate(ctx.now).isoformat())

    def describe(self, entry) -> str:
        count = entry.details.get("files")
        if not count:
            return str(self.label)
        return ngettext(
            "%(count)s document removed at the end of the retention period (its hash is kept)",
            "%(count)s documents removed at the end of the retention period (their hashes are "
            "kept)",
            count,
        ) % {"count": count}


EVENTS = (PurgeAttachments(),)
