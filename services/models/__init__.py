from services.models.geography import Commune, Office, Province
from services.models.institution import Institution
from services.models.payment_channel import MOBILE_MONEY, PaymentChannel, PaymentOperator
from services.models.routing import RoutingRule
from services.models.service import (
    CATALOGUE,
    FieldKind,
    IssuedDocumentTemplate,
    RequiredDocument,
    Service,
    ServiceField,
    catalogue_lookups,
)

__all__ = [
    "CATALOGUE",
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
    "catalogue_lookups",
]
