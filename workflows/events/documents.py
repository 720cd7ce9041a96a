"""The documents of a dossier: issued after the events that print them, rendered again when their
template changes, revoked by a supervisor. Each is an event in the dossier's history.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows import permissions as may
from workflows.documents import issuing, kinds
from workflows.events.base import AlreadyDone, Event
from workflows.exceptions import TransitionRefused
from workflows.models import HistoryEntry, IssuedDocument


class AboutADocument(Event):
    """An event about one document: its history line names the document and its number."""

    #: The history line, with ``%(document)s`` and ``%(number)s``.
    history_text = ""

    def describe(self, entry) -> str:
        details = entry.details
        if "number" not in details:
            return str(self.label)
        return str(self.history_text) % {
            "document": kinds.get(details["kind"]).title,
            "number": details["number"],
        }


class DocumentIssued(AboutADocument):
    """GUP numbers, seals, renders and stores a document (``workflows.documents.issuing``)."""

    name = "document_issued"
    label = gettext_lazy("Issue a document")
    history_text = gettext_lazy("%(document)s issued, no. %(number)s")
    offered = False
    # A background effect: it may wait for a clerk's transaction rather than fail.
    waits = True
    permission = staticmethod(may.system_only)

    def check(self, dossier, ctx) -> None:
        super().check(dossier, ctx)
        already = IssuedDocument.objects.filter(
            source_entry_id=ctx.inputs["source_entry_id"], kind=ctx.inputs["document_kind"]
        )
        if already.exists():
            raise AlreadyDone(dossier)

    def apply(self, dossier, ctx) -> None:
        kind = kinds.get(ctx.inputs["document_kind"])
        source = HistoryEntry.objects.get(pk=ctx.inputs["source_entry_id"], dossier=dossier)
        document = issuing.issue(dossier, kind, source, ctx)
        ctx.details.update(kind=kind.name, number=document.number, sha256=document.sha256)


class DocumentRenderedAgain(Event):
    """The document's template changed: the same document, same number and seal, new layout."""

    name = "document_rendered_again"
    label = gettext_lazy("Document printed again with its new layout")
    offered = False
    is_public = False
    waits = True
    permission = staticmethod(may.system_only)

    def apply(self, dossier, ctx) -> None:
        document = ctx.inputs["document"]
        issuing.render_again(document, ctx)
        ctx.details.update(number=document.number, sha256=document.sha256)


class RevokeDocument(AboutADocument):
    """A supervisor withdraws a document's validity (issued in error, obtained by fraud...).

    The document keeps its number and its file; every verifier now says "revoked", with the date.
    """

    name = "revoke_document"
    label = gettext_lazy("Revoke a document")
    history_text = gettext_lazy("%(document)s no. %(number)s revoked")
    comment_label = gettext_lazy("Why is this document revoked?")
    comment_required = True
    comment_is_reasons = True
    offered = False
    permission = staticmethod(may.supervisor_handling)

    def input_problems(self, dossier, ctx) -> list[str]:
        document = (
            IssuedDocument.objects.filter(dossier=dossier, number=ctx.inputs.get("number"))
            .select_for_update()
            .first()
        )
        if document is None:
            return [_("This dossier has no document with that number.")]
        if document.is_revoked:
            raise TransitionRefused(_("This document has already been revoked."))
        ctx.inputs["document"] = document
        return []

    def apply(self, dossier, ctx) -> None:
        document = ctx.inputs["document"]
        document.revoked_at = ctx.now
        document.revoked_reason = ctx.comment
        document.revoked_by_name = ctx.actor.display_name
        document.save(update_fields=["revoked_at", "revoked_reason", "revoked_by_name"])
        ctx.details.update(kind=document.kind, number=document.number)


EVENTS = (DocumentIssued(), DocumentRenderedAgain(), RevokeDocument())
