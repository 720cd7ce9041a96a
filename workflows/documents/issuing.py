"""Issuing a document: number it, seal it, render it once, store it, record it.

``print_documents`` carries out the side effect of the events that leave a paper in the
citizen's hands (``kinds.PRINTED_BY``): the outbox runs it after the event has committed, and it
takes the event ``document_issued`` through the one door (``workflows.actions.perform``), which
calls ``issue`` inside the transaction that also writes the history row. A document is issued
once per event and kind: a retry finds it and does nothing.

``stored_file`` serves a document: the stored bytes, or, when its template changed since and
the dossier has not been handed over yet, the same document (same number, same seal) rendered
again with the new template.
"""

import hashlib
import logging

from django.template.loader import render_to_string
from django.utils import timezone

from workflows.documents import contents, keys, kinds, seal
from workflows.documents.contents import Occasion
from workflows.documents.render import render_pdf
from workflows.models.attachment import generated_name
from workflows.numbering import allocate_document_number
from workflows.states import DossierState

logger = logging.getLogger(__name__)

#: Once the citizen holds the paper, the stored file is what they were given: never re-rendered.
HANDED_OVER_STATES = (DossierState.COLLECTED,)


def print_documents(message) -> None:
    """The outbox's runner for documents (``workflows.effects``): issue the event's documents.

    The outbox message names the event (``topic``) and its history row. Each document is issued
    once: on a retry, those already issued are found and skipped (``document_issued``).
    """
    from workflows.actions import perform
    from workflows.actors import Actor

    service = message.dossier.service
    for kind in kinds.printed_by(message.topic, service):
        perform(
            message.dossier_id,
            "document_issued",
            Actor.system(),
            document_kind=kind.name,
            source_entry_id=message.history_entry_id,
        )


def issue(dossier, kind, source_entry, ctx):
    """Create, seal, render and store the document ``kind`` for the event ``source_entry``."""
    from workflows.models import IssuedDocument

    issued_at = ctx.now
    issued_on = timezone.localdate(issued_at)
    key_id, private_key = keys.signing_key()
    document = IssuedDocument(
        dossier=dossier,
        kind=kind.name,
        number=_number(dossier, kind, source_entry, issued_on),
        source_entry=source_entry,
        holder_name=dossier.applicant_name,
        language=dossier.language,
        issued_at=issued_at,
        valid_until=kind.valid_until(dossier, issued_on),
        key_id=key_id,
        template_version=kind.template_version,
        archival=kind.archival,
    )
    facts = seal.SealedFacts(
        kind=kind.name,
        number=document.number,
        tracking_number=dossier.tracking_number,
        holder=document.holder_name,
        issued_on=issued_on,
        valid_until=document.valid_until,
        key_id=key_id,
    )
    document.code = seal.seal(facts, private_key)
    pdf = render(document, dossier, Occasion.of(source_entry))
    _keep(document, pdf)
    ctx.files.write(document.path, pdf)
    document.save()
    return document


def _number(dossier, kind, source_entry, issued_on) -> str:
    """The number the event gave the document (a payment's receipt number), or a new one."""
    given = (source_entry.details or {}).get(kind.number_from) if kind.number_from else None
    return given or allocate_document_number(dossier.office, issued_on.year, kind.series)


def render(document, dossier, occasion) -> bytes:
    return _pdf(
        kinds.get(document.kind),
        dossier,
        occasion,
        number=document.number,
        code=document.code,
        issued_at=document.issued_at,
        valid_until=document.valid_until,
    )


def preview(dossier, kind, occasion) -> bytes:
    """What the document would look like (a decision letter before deciding): no number, no
    seal, marked as a preview on the page, stored nowhere."""
    return _pdf(
        kind,
        dossier,
        occasion,
        number="—",
        code="",
        issued_at=occasion.at,
        valid_until=kind.valid_until(dossier, timezone.localdate(occasion.at)),
    )


def _pdf(kind, dossier, occasion, **identity) -> bytes:
    context = contents.build(kind, dossier, occasion, **identity)
    # A preview is never archived: PDF/A only for the documents the state keeps.
    archival = kind.archival and bool(identity["code"])
    return render_pdf(
        render_to_string(kind.template, context), archival=archival, framed=kind.framed
    )


def stored_file(document):
    """The path of the document's PDF, rendered again first if its template is out of date."""
    stale = document.template_version != kinds.get(document.kind).template_version
    if stale and document.dossier.state not in HANDED_OVER_STATES:
        _render_again(document)
        document.refresh_from_db()
    return document.path


def _render_again(document) -> None:
    from workflows.actions import perform
    from workflows.actors import Actor
    from workflows.exceptions import ActionError

    try:
        perform(document.dossier_id, "document_rendered_again", Actor.system(), document=document)
    except ActionError:
        # Someone holds the dossier right now: serve the stored file, it is still genuine.
        logger.info("Document %s kept its previous layout for now", document.number)


def render_again(document, ctx) -> None:
    """Inside ``document_rendered_again``: a new file for the same document."""
    old_path = document.path
    document.stored_name = generated_name()
    pdf = render(document, document.dossier, Occasion.of(document.source_entry))
    _keep(document, pdf)
    document.template_version = kinds.get(document.kind).template_version
    ctx.files.write(document.path, pdf)
    document.save(update_fields=["stored_name", "sha256", "size", "template_version"])
    ctx.files.discard_after_commit(old_path)


def _keep(document, pdf: bytes) -> None:
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.size = len(pdf)
