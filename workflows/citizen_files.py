"""The files a citizen sent for their dossier, as they read them: one line per document asked.

A dossier may hold several files for one required document: the citizen (or the clerk relaying
their answer) sent a new one after a return for correction. The latest counts; the earlier ones
stay in the dossier (the history refers to them) and are shown marked "replaced". Files sent
as "other documents" each count. A proxy's authorisation, scanned when someone collected for
the applicant, is the office's record of the proxy, not a file the citizen sent: never listed.
"""

from dataclasses import dataclass

from workflows.models import Attachment, Collection


@dataclass(frozen=True)
class SentFile:
    attachment: Attachment
    #: A later file was sent for the same document: this one no longer counts.
    replaced: bool

    @property
    def label(self):
        return self.attachment.document


def citizens_files(dossier):
    """The dossier's attachments the citizen may see and download (a queryset)."""
    proxies = Collection.objects.filter(dossier=dossier, authorisation__isnull=False).values(
        "authorisation_id"
    )
    return dossier.attachments.exclude(pk__in=proxies)


def sent_files(dossier) -> list[SentFile]:
    """The files sent, the required documents first in the catalogue's order, each followed by
    the files it replaced (latest first), then the other documents in the order received."""
    files = list(citizens_files(dossier).select_related("document").order_by("-uploaded_at", "-id"))
    order = {document.pk: rank for rank, document in enumerate(dossier.service.documents.all())}
    seen = set()
    rows = []
    for attachment in files:
        key = attachment.document_id
        replaced = key is not None and key in seen
        seen.add(key)
        rows.append(SentFile(attachment=attachment, replaced=replaced))

    def position(row):
        document_id = row.attachment.document_id
        if document_id is None:
            return (1, 0, row.attachment.uploaded_at, row.attachment.pk)
        # Within a document: the one that counts first, then what it replaced, newest first.
        return (0, order.get(document_id, len(order)), row.replaced, 0)

    rows.sort(key=position)
    return rows
