from services.models.geography import Commune, Office, Province
from services.models.institution import Institution
from services.models.payment_channel import MOBILE_MONEY, PaymentChannel, PaymentOperator
from services.models.routing import RoutingRule
from services.models.service import (
    FieldKind,
    IssuedDocumentTemplate,
    RequiredDocument,
    Service,
    ServiceField,
)

__all__ = [
    "Commune",
    "FieldKind",
    "IssuedDocumentTemplate",
    "Institution",
    "MOBILE_MONEY",
    "Office",
    "PaymentChannel",
    "PaymentOperator",
    "Province",
    "RequiredDocument",
    "RoutingRule",
    "Service",
    "ServiceField",
]
