"""Which documents a dossier page offers, and which the citizen should be handed right now."""

from dataclasses import dataclass

from django.utils import timezone

from workflows.documents import kinds


@dataclass(frozen=True)
class ToHandOver:
    """The papers of the dossier's latest printing event (a filing, a payment, a decision...).

    ``pending`` while some are still being prepared (documents are made after the event).
    """

    documents: list
    pending: bool


def issued(dossier) -> list:
    return list(dossier.documents.select_related("source_entry").order_by("issued_at", "id"))


def to_hand_over(dossier, documents, history=None) -> ToHandOver | None:
    """None when the latest printing event is not from today: papers are handed the same day,
    later ones are in the list of the dossier's documents. ``history``: the dossier's entries,
    when the caller has read them all already (the dossier page shows them)."""
    if history is None:
        latest = dossier.history.filter(kind__in=kinds.PRINTED_BY).order_by("-id").first()
    else:
        printing = [entry for entry in history if entry.kind in kinds.PRINTED_BY]
        latest = max(printing, key=lambda entry: entry.pk, default=None)
    if latest is None or timezone.localdate(latest.at) != timezone.localdate():
        return None
    expected = kinds.printed_by(latest.kind, dossier.service)
    papers = [document for document in documents if document.source_entry_id == latest.pk]
    return ToHandOver(documents=papers, pending=len(papers) < len(expected))
