"""The labels every document template prints, each in the citizen's language and in French.

Templates read them as ``{{ label.tracking_number|both }}``. A label is declared here once, so
that ``makemessages`` finds it and all templates say the same thing the same way.
"""

from django.utils.translation import gettext_lazy as _

from workflows.documents.bilingual import both_of

REPUBLIC = _("Republic of Burundi")
ONE_STOP_SHOP = _("Provincial one-stop shop (GUP)")
TRACKING_NUMBER = _("Tracking number")
DOCUMENT_NUMBER = _("Document number")
SERVICE = _("Service")
OFFICE = _("Office")
HOLDER = _("Name of the citizen")
ISSUED_ON = _("Issued on")
VALID_UNTIL = _("Valid until")
FILED_ON = _("Filed on")
EXPECTED_DATE = _("Expected date")
FEE = _("Fee")
PAYMENT = _("Payment")
DOCUMENTS_RECEIVED = _("Documents received")
NO_DOCUMENTS = _("No document was handed in.")
VERIFY = _("Check this document: scan the code, or type the code below at")
VERIFY_OFFLINE = _("It can be checked without network with the public keys of GUP.")
PREVIEW = _("PREVIEW: not a document, not signed")
PAGE = _("Page")
ADDRESS = _("Address")
OPENING_HOURS = _("Opening hours")
INSTITUTION = _("Institution")
NATIONAL_ID = _("National ID number")
DATE_OF_BIRTH = _("Date of birth")
DATE_AND_TIME = _("Date and time")
PLACE = _("Place")
WHAT_TO_BRING = _("What to bring")

_ALL = {
    "republic": REPUBLIC,
    "one_stop_shop": ONE_STOP_SHOP,
    "tracking_number": TRACKING_NUMBER,
    "document_number": DOCUMENT_NUMBER,
    "service": SERVICE,
    "office": OFFICE,
    "holder": HOLDER,
    "issued_on": ISSUED_ON,
    "valid_until": VALID_UNTIL,
    "filed_on": FILED_ON,
    "expected_date": EXPECTED_DATE,
    "fee": FEE,
    "payment": PAYMENT,
    "documents_received": DOCUMENTS_RECEIVED,
    "no_documents": NO_DOCUMENTS,
    "verify": VERIFY,
    "verify_offline": VERIFY_OFFLINE,
    "preview": PREVIEW,
    "page": PAGE,
    "address": ADDRESS,
    "opening_hours": OPENING_HOURS,
    "institution": INSTITUTION,
    "national_id": NATIONAL_ID,
    "date_of_birth": DATE_OF_BIRTH,
    "date_and_time": DATE_AND_TIME,
    "place": PLACE,
    "what_to_bring": WHAT_TO_BRING,
}


def for_language(language: str) -> dict:
    return {key: both_of(language, text) for key, text in _ALL.items()}
