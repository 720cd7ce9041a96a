"""What must follow each event, registered in one readable place.

``AFTER`` maps an event's name (``workflows.events``) to the side effects it causes: telling
the citizen, printing a document, delivering to an institution. The engine declares them as
each event is taken; each effect owes its work to the outbox (``workflows.outbox``) in the
event's own transaction, so a rolled-back event owes nothing and a committed one loses nothing,
whatever happens to Redis or the workers afterwards.

An effect receives the event's name, the dossier, the history row, and the transient values the
event handed over (such as a secret link), which the outbox keeps sealed until delivered.
"""

from collections.abc import Callable, Mapping

from workflows import messages, notifications, outbox
from workflows.documents import kinds
from workflows.models import Effect

SideEffect = Callable[[str, object, object, Mapping[str, str]], None]


def print_documents(kind: str, dossier, entry, transient: Mapping[str, str]) -> None:
    """Owe the documents the event prints (``workflows.documents.kinds.PRINTED_BY``)."""
    if kinds.printed_by(kind, dossier.service):
        outbox.write(Effect.DOCUMENTS, dossier=dossier, entry=entry, topic=kind)


def _effects_of(kind: str) -> tuple[SideEffect, ...]:
    found = []
    if kind in messages.TOPIC_OF_EVENT:
        found.append(notifications.notify_citizen)
    if kind in kinds.PRINTED_BY:
        found.append(print_documents)
    return tuple(found)


AFTER: dict[str, tuple[SideEffect, ...]] = {
    kind: _effects_of(kind) for kind in {*messages.TOPIC_OF_EVENT, *kinds.PRINTED_BY}
}


def declare(kind: str, dossier, entry, transient: Mapping) -> None:
    """Owe the side effects of ``kind``, in the event's transaction."""
    for effect in AFTER.get(kind, ()):
        effect(kind, dossier, entry, transient)
