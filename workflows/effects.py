"""What must follow each event, registered in one readable place.

``AFTER`` maps an event's name (``workflows.events``) to the side effects it causes: telling
the citizen, rendering a document, delivering to an institution. The engine declares them as
each event is taken; they run only once the transaction has committed, so a rolled-back event
never sends anything. (The notifications work turns this seam into an outbox written in the
same transaction; the callers will not change.)

An effect receives an ``Occurrence``: ids, not objects (it re-reads what it needs), plus the
transient values the event handed over (such as a secret link), which are never stored.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db import transaction

from workflows import notifications
from workflows.documents import kinds
from workflows.documents.issuing import print_documents


@dataclass(frozen=True)
class Occurrence:
    kind: str
    dossier_id: int
    history_entry_id: int
    transient: Mapping = field(default_factory=dict, repr=False)


AFTER: dict[str, tuple[Callable[[Occurrence], None], ...]] = {
    "resume_link_sent": (notifications.send_resume_link,),
    # Receipts, notices, letters and issued documents (workflows.documents.kinds).
    **dict.fromkeys(kinds.PRINTED_BY, (print_documents,)),
}


def declare(kind: str, dossier, entry, transient: Mapping) -> None:
    """Run the side effects of ``kind`` once the current transaction has committed."""
    occurrence = Occurrence(kind, dossier.pk, entry.pk, dict(transient))
    for effect in AFTER.get(kind, ()):
        # robust: a failed SMS must not turn the citizen's committed action into an error page.
        transaction.on_commit(_bound(effect, occurrence), robust=True)


def _bound(effect, occurrence):
    """``effect(occurrence)``, named after the effect in the logs when it fails."""

    def run():
        effect(occurrence)

    run.__qualname__ = effect.__qualname__
    return run
