from workflows.models.attachment import Attachment
from workflows.models.dossier import Channel, Dossier
from workflows.models.history import HistoryEntry, HistoryHead
from workflows.models.payment import Payment, PaymentMethod
from workflows.models.tracking_counter import TrackingCounter

__all__ = [
    "Attachment",
    "Channel",
    "Dossier",
    "HistoryEntry",
    "HistoryHead",
    "Payment",
    "PaymentMethod",
    "TrackingCounter",
]
