"""What each document says: the facts and sentences its template prints.

``build(kind, dossier, occasion, ...)`` gives a template (``templates/pdf/<kind>.html``) its
context. The part every document shares (title, office, holder, numbers, seal) is built here
once; each kind adds its own facts and paragraphs in a function of its own, registered in
``BUILDERS``. Everything a person reads is a ``Both`` (the citizen's language and French).

An ``Occasion`` is the event the document records, taken from its history row, or, for a
preview, from what the officer is about to submit.
"""

import datetime

from django.urls import reverse

from gup.formatting import day
from services.translated import localized
from workflows.documents import labels
from workflows.documents.bilingual import both, both_of
from workflows.documents.contents import decision, issued, receipts, requests, visits
from workflows.documents.contents.base import Contents, Occasion
from workflows.documents.qr import image_source, public_url, verification_url


def build(
    kind,
    dossier,
    occasion: Occasion,
    *,
    number: str,
    code: str,
    issued_at: datetime.datetime,
    valid_until: datetime.date | None,
) -> dict:
    """The template context of a document. ``code`` is empty for a preview (no seal)."""
    language = dossier.language
    contents = BUILDERS[kind.name](dossier, occasion, language)
    office = dossier.office
    url = verification_url(code) if code else ""
    return {
        "kind": kind,
        "language": language,
        "title": both_of(language, kind.title),
        "label": labels.for_language(language),
        "dossier": dossier,
        "service": both(language, lambda: localized(dossier.service, "name")),
        "office": office,
        "holder": dossier.applicant_name,
        "number": number,
        "issued": both(language, lambda: day(issued_at)),
        "valid_until": both(language, lambda: day(valid_until)) if valid_until else None,
        "facts": contents.facts,
        "holder_facts": contents.holder_facts,
        "paragraphs": contents.paragraphs,
        "code": code,
        "verification_url": url,
        "qr": image_source(url) if url else "",
        "verify_page": public_url(reverse("verify")),
        "is_preview": not code,
        **contents.extra,
    }


BUILDERS = {
    "filing_receipt": receipts.filing_receipt,
    "payment_receipt": receipts.payment_receipt,
    "correction_notice": requests.correction_notice,
    "information_request": requests.information_request,
    "appointment_notice": visits.appointment_notice,
    "inspection_notice": visits.inspection_notice,
    "decision_letter": decision.decision_letter,
    "building_permit": issued.building_permit,
    "land_title_certificate": issued.land_title_certificate,
    "collection_notice": issued.collection_notice,
}

__all__ = ["BUILDERS", "Contents", "Occasion", "build"]
