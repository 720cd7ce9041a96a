from workflows.models.attachment import Attachment
from workflows.models.clock import ClockSuspension, Closure, DeadlineExtension
from workflows.models.collection import Collection, Collector
from workflows.models.decision import Decision, Outcome
from workflows.models.dossier import Channel, Dossier
from workflows.models.history import HistoryEntry, HistoryHead
from workflows.models.issued_document import DocumentCounter, IssuedDocument
from workflows.models.objection import Objection
from workflows.models.outbox import DeliveryStatus, Effect, OutboxMessage, OutboxState
from workflows.models.payment import Payment, PaymentMethod
from workflows.models.pending_upload import PendingUpload
from workflows.models.scheduled_step import ScheduledStep, StepKind
from workflows.models.tracking_counter import TrackingCounter

__all__ = [
    "Attachment",
    "Channel",
    "ClockSuspension",
    "Closure",
    "DeadlineExtension",
    "Collection",
    "Collector",
    "Decision",
    "DeliveryStatus",
    "DocumentCounter",
    "Effect",
    "Dossier",
    "HistoryEntry",
    "HistoryHead",
    "IssuedDocument",
    "Objection",
    "OutboxMessage",
    "OutboxState",
    "Payment",
    "Outcome",
    "PaymentMethod",
    "PendingUpload",
    "ScheduledStep",
    "StepKind",
    "TrackingCounter",
]
