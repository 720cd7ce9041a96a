"""Every kind of document GUP prints, and which event prints which.

A kind names its template (``templates/pdf/<name>.html``), its number series, the version of its
template (raise it when the template changes: stored copies of dossiers not yet handed over are
rendered again), and whether it is archival (PDF/A: kept by the state for decades).
"""

import datetime
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from services.models import IssuedDocumentTemplate


@dataclass(frozen=True)
class DocumentKind:
    name: str
    title: Promise
    #: One letter in the number: GIT-2026-R000042 is a payment receipt.
    series: str
    template_version: int = 1
    archival: bool = False
    #: Printed on a framed page in a larger title (``assets/certificate.css``): the issued
    #: documents themselves, as official certificates are.
    framed: bool = False
    #: Days the document is valid for, when it expires whatever the service.
    validity_days: int | None = None
    #: The issued document of a service: its validity is the service's.
    issued_on_decision: bool = False
    #: The key of the event's history details holding the number the event already allocated
    #: (a payment's receipt number); empty: the document is numbered when it is issued.
    number_from: str = ""

    @property
    def template(self) -> str:
        return f"pdf/{self.name}.html"

    def valid_until(self, dossier, issued_on: datetime.date) -> datetime.date | None:
        days = (
            dossier.service.issued_document_validity_days
            if self.issued_on_decision
            else self.validity_days
        )
        return issued_on + datetime.timedelta(days=days) if days else None


KINDS: dict[str, DocumentKind] = {
    kind.name: kind
    for kind in (
        DocumentKind("filing_receipt", _("Filing receipt"), series="D"),
        DocumentKind(
            "payment_receipt", _("Payment receipt"), series="R", number_from="receipt_number"
        ),
        DocumentKind("correction_notice", _("Request for correction"), series="N"),
        DocumentKind("information_request", _("Request for information"), series="N"),
        DocumentKind("appointment_notice", _("Appointment notice"), series="N"),
        DocumentKind("inspection_notice", _("Site inspection notice"), series="N"),
        DocumentKind("decision_letter", _("Decision letter"), series="L", archival=True),
        DocumentKind(
            "building_permit",
            _("Building permit"),
            series="A",
            archival=True,
            issued_on_decision=True,
            framed=True,
        ),
        DocumentKind(
            "land_title_certificate",
            _("Land-title certificate"),
            series="A",
            archival=True,
            issued_on_decision=True,
            framed=True,
        ),
        DocumentKind(
            "collection_notice",
            _("Collection notice"),
            series="A",
            archival=True,
            issued_on_decision=True,
        ),
    )
}

#: The event (``workflows.events``) → the documents it leaves in the citizen's hands.
#: ``issue`` prints the document the service's catalogue entry names.
PRINTED_BY = {
    "submit": ("filing_receipt",),
    "filed_at_counter": ("filing_receipt",),
    "record_payment": ("payment_receipt",),
    "return_for_correction": ("correction_notice",),
    "request_information": ("information_request",),
    "give_appointment": ("appointment_notice",),
    "schedule_inspection": ("inspection_notice",),
    "reschedule_appointment": ("appointment_notice",),
    "reschedule_inspection": ("inspection_notice",),
    "approve": ("decision_letter",),
    "reject": ("decision_letter",),
    "issue": (),
}

#: Steps whose letter the officer reads before taking them (a preview, never stored).
PREVIEWED_BEFORE = ("approve", "reject")

ISSUED_BY_TEMPLATE = {
    IssuedDocumentTemplate.BUILDING_PERMIT: "building_permit",
    IssuedDocumentTemplate.LAND_TITLE_CERTIFICATE: "land_title_certificate",
    IssuedDocumentTemplate.COLLECTION_NOTICE: "collection_notice",
}


def printed_by(event_name: str, service) -> list[DocumentKind]:
    """The kinds of document the event ``event_name`` prints for a dossier of ``service``."""
    if event_name == "issue":
        return [KINDS[ISSUED_BY_TEMPLATE[service.issued_document_template]]]
    return [KINDS[name] for name in PRINTED_BY.get(event_name, ())]


def get(name: str) -> DocumentKind:
    return KINDS[name]
