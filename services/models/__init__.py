from services.models.geography import Commune, Office, Province
from services.models.institution import Institution
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
    "Office",
    "Province",
    "RequiredDocument",
    "RoutingRule",
    "Service",
    "ServiceField",
]
