"""What each document says: the facts and sentences its template prints.

``build(kind, dossier, occasion, ...)`` gives a template (``templates/pdf/<kind>.html``) its
context. The part every document shares (title, office, holder, numbers, seal) is built here
once; each kind adds its own facts and paragraphs in a function of its own, registered in
``BUILDERS``. Everything a person reads is a ``Both`` (the citizen's language and French).

An ``Occasion`` is the event the document records, taken from its history row, or, for a
preview, from what the officer is about to submit.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gup.formatting import day, moment, money
from services.translated import localized
from workflows.documents import labels
from workflows.documents.bilingual import Both, both, both_of
from workflows.documents.qr import public_url, qr_svg, verification_url


@dataclass(frozen=True)
class Occasion:
    """The event a document records."""

    event: str
    at: datetime.datetime
    comment: str = ""
    details: dict = field(default_factory=dict)
    actor_name: str = ""

    @classmethod
    def of(cls, entry) -> "Occasion":
        return cls(
            event=entry.kind,
            at=entry.at,
            comment=entry.comment,
            details=dict(entry.details or {}),
            actor_name=entry.actor_name,
        )


@dataclass
class Contents:
    """What a kind adds to the shared context."""

    facts: list[tuple[Both, object]] = field(default_factory=list)
    paragraphs: list[Both] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


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
        "paragraphs": contents.paragraphs,
        "code": code,
        "verification_url": url,
        "qr": qr_svg(url) if url else "",
        "verify_page": public_url(reverse("verify")),
        "is_preview": not code,
        **contents.extra,
    }


def _track_url() -> str:
    return public_url(reverse("track"))


def filing_receipt(dossier, occasion, language) -> Contents:
    attachments = dossier.attachments.select_related("document").order_by("id")
    received = [both(language, partial(_document_name, attachment)) for attachment in attachments]
    fee = dossier.service.fee_bif
    facts = [
        (both_of(language, labels.FILED_ON), both(language, lambda: moment(occasion.at))),
        (both_of(language, labels.EXPECTED_DATE), both(language, lambda: day(dossier.due_date))),
        (
            both_of(language, labels.FEE),
            both(language, lambda: money(fee)) if fee else both_of(language, NO_FEE),
        ),
    ]
    if fee:
        paid = dossier.total_paid()
        payment = (
            both_of(language, PAID, amount=lambda: money(paid))
            if paid >= fee
            else both_of(language, TO_PAY, amount=lambda: money(fee - paid))
        )
        facts.append((both_of(language, labels.PAYMENT), payment))
    track_url = _track_url()
    follow = both_of(language, HOW_TO_FOLLOW, url=track_url, number=dossier.tracking_number)
    return Contents(facts=facts, paragraphs=[follow], extra={"received": received})


NO_FEE = gettext_lazy("No fee")
PAID = gettext_lazy("Paid: %(amount)s")
TO_PAY = gettext_lazy("To pay at the office: %(amount)s")
HOW_TO_FOLLOW = gettext_lazy(
    "Keep this receipt. To follow your dossier, open %(url)s and enter the tracking number "
    "%(number)s, or ask at the office."
)


def _document_name(attachment) -> str:
    if attachment.document is not None:
        return str(attachment.document)
    return _("Additional document: %(name)s") % {"name": attachment.original_name}


BUILDERS: dict[str, Callable] = {
    "filing_receipt": filing_receipt,
}
