"""What GUP tells people about, and which event of a dossier's history tells what."""

from enum import StrEnum


class Topic(StrEnum):
    FILED = "filed"
    PAYMENT_REQUESTED = "payment_requested"
    RETURNED = "returned"
    INFORMATION_REQUESTED = "information_requested"
    APPOINTMENT = "appointment"
    INSPECTION = "inspection"
    APPROVED = "approved"
    REJECTED = "rejected"
    READY_FOR_COLLECTION = "ready_for_collection"
    COLLECTION_REMINDER = "collection_reminder"
    DRAFT_EXPIRING = "draft_expiring"
    RESUME_LINK = "resume_link"
    ONE_TIME_CODE = "one_time_code"
    STATUS_REPLY = "status_reply"
    STATUS_UNKNOWN = "status_unknown"
    #: Staff only, by email: ``compose_digest``.
    OVERDUE_DIGEST = "overdue_digest"


TOPICS = tuple(Topic)

#: The message each event of ``workflows.events`` sends the citizen. Reminders, expiring drafts,
#: codes and replies to a text have no event: the jobs that send them name their topic.
TOPIC_OF_EVENT: dict[str, str] = {
    "submit": Topic.FILED,
    "filed_at_counter": Topic.FILED,
    "request_payment": Topic.PAYMENT_REQUESTED,
    "return_for_correction": Topic.RETURNED,
    "request_information": Topic.INFORMATION_REQUESTED,
    "give_appointment": Topic.APPOINTMENT,
    "schedule_inspection": Topic.INSPECTION,
    "reschedule_appointment": Topic.APPOINTMENT,
    "reschedule_inspection": Topic.INSPECTION,
    "approve": Topic.APPROVED,
    "reject": Topic.REJECTED,
    "dispatch": Topic.READY_FOR_COLLECTION,
    "resume_link_sent": Topic.RESUME_LINK,
}
