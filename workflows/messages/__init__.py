"""What GUP tells citizens (and staff), by SMS and by email, in the dossier's language.

``compose(topic, language, ...)`` writes one message: an SMS that fits in two GSM-7 messages
(``workflows.messages.sms``) and an email with every detail in full. The outbox jobs call it
with the dossier as it is now and the history row of the event that caused the message
(``TOPIC_OF_EVENT`` says which topic each event sends); secrets (a resume link, a one-time
code) are handed over for the one message and never stored.

One module per family of topics, each topic a function ``(Inputs) -> Composed``:

- ``filing``: filed, resume_link, draft_expiring;
- ``asking``: payment_requested, returned, information_requested;
- ``visits``: appointment, inspection;
- ``decision``: approved, rejected;
- ``collection``: ready_for_collection, collection_reminder;
- ``access``: one_time_code, status_reply, status_unknown;
- ``digest``: the overdue digest for staff (``compose_digest``).

The words are shared with the status page and the documents where they say the same thing, so a
citizen reads one wording on paper, on screen and on their phone.
"""

import datetime
from collections.abc import Callable, Mapping

from django.utils import translation

from workflows.messages import access, asking, collection, decision, filing, visits
from workflows.messages.base import NO_SECRETS, Composed, Inputs
from workflows.messages.digest import compose_digest
from workflows.messages.topics import TOPIC_OF_EVENT, TOPICS, Topic

WRITERS: dict[str, Callable[[Inputs], Composed]] = {
    Topic.FILED: filing.filed,
    Topic.PAYMENT_REQUESTED: asking.payment_requested,
    Topic.RETURNED: asking.returned,
    Topic.INFORMATION_REQUESTED: asking.information_requested,
    Topic.APPOINTMENT: visits.appointment,
    Topic.INSPECTION: visits.inspection,
    Topic.APPROVED: decision.approved,
    Topic.REJECTED: decision.rejected,
    Topic.READY_FOR_COLLECTION: collection.ready_for_collection,
    Topic.COLLECTION_REMINDER: collection.collection_reminder,
    Topic.DRAFT_EXPIRING: filing.draft_expiring,
    Topic.RESUME_LINK: filing.resume_link,
    Topic.ONE_TIME_CODE: access.one_time_code,
    Topic.STATUS_REPLY: access.status_reply,
    Topic.STATUS_UNKNOWN: access.status_unknown,
}
#: Topics written without a dossier.
WITHOUT_DOSSIER = frozenset({Topic.ONE_TIME_CODE, Topic.STATUS_UNKNOWN})


def compose(
    topic: str,
    language: str,
    *,
    dossier=None,
    entry=None,
    secrets: Mapping[str, str] = NO_SECRETS,
    recipient_name: str = "",
    expires_on: datetime.date | None = None,
) -> Composed:
    """The message of ``topic`` in ``language`` ("rn", "fr" or "en": the dossier's language).

    ``entry`` is the history row of the event that caused it (its details hold the date and
    place of an appointment, its comment the reasons of a refusal); ``secrets`` holds ``link``
    for resume_link and ``code`` for one_time_code; ``recipient_name`` greets the reader of the
    email (the applicant's name by default); ``expires_on`` is the day a draft is deleted, for
    draft_expiring. ``status_unknown`` reads none of these, so that it cannot differ.
    """
    writer = WRITERS.get(topic)
    if writer is None:
        raise ValueError(f"Unknown message topic {topic!r}; overdue digests: compose_digest().")
    if dossier is None and topic not in WITHOUT_DOSSIER:
        raise ValueError(f"A {topic} message is about a dossier: pass dossier=.")
    if topic == Topic.STATUS_UNKNOWN:
        inputs = Inputs()
    else:
        inputs = Inputs(dossier, entry, secrets, recipient_name, expires_on)
    with translation.override(language):
        return writer(inputs)


__all__ = [
    "TOPICS",
    "TOPIC_OF_EVENT",
    "Composed",
    "Topic",
    "compose",
    "compose_digest",
]
