"""PLACEHOLDER until the messages branch merges."""

from dataclasses import dataclass

ONE_TIME_CODE = "one_time_code"
OVERDUE_DIGEST = "overdue_digest"
DRAFT_EXPIRING = "draft_expiring"
COLLECTION_REMINDER = "collection_reminder"
TOPIC_OF_EVENT = {
    "submit": "filed",
    "filed_at_counter": "filed",
    "request_payment": "payment_requested",
    "return_for_correction": "returned",
    "request_information": "information_requested",
    "give_appointment": "appointment",
    "schedule_inspection": "inspection",
    "approve": "approved",
    "reject": "rejected",
    "dispatch": "ready_for_collection",
    "resume_link_sent": "resume_link",
}


@dataclass(frozen=True)
class Composed:
    sms: str
    subject: str
    body: str


def compose(topic, language, *, dossier=None, entry=None, secrets=None, recipient_name=""):
    secrets = secrets or {}
    text = f"GUP: {topic} {getattr(dossier, 'tracking_number', '')} {' '.join(secrets.values())}"
    return Composed(text, topic, text)


def compose_digest(user, dossiers, language):
    return Composed("", f"{len(dossiers)} overdue", "\n".join(d.tracking_number for d in dossiers))
