"""Receipts: what was filed, and what was paid."""

import datetime
from functools import partial
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gup.formatting import day, moment, money
from services import payment_instructions
from workflows.documents import labels
from workflows.documents.bilingual import both, both_of
from workflows.documents.contents.base import Contents, status_page_address
from workflows.documents.qr import image_source, public_url
from workflows.models import PaymentMethod


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
        if paid < fee:
            # Built in each language: the amount is written the way that language writes money.
            def how_to_pay():
                how = payment_instructions.for_dossier(dossier, amount_bif=fee - paid)
                return payment_instructions.sentence(how)

            facts.append((both_of(language, HOW_TO_PAY), both(language, how_to_pay)))
    track_url = status_page_address()
    follow = both_of(language, HOW_TO_FOLLOW, url=track_url, number=dossier.tracking_number)
    # The status page with the tracking number filled in: the citizen adds four digits.
    status_page = public_url(
        reverse("track") + "?" + urlencode({"number": dossier.tracking_number})
    )
    return Contents(
        extra={"received": received, "follow": follow, "follow_qr": image_source(status_page)},
        facts=facts,
    )


NO_FEE = gettext_lazy("No fee")
PAID = gettext_lazy("Paid: %(amount)s")
TO_PAY = gettext_lazy("To pay at the office: %(amount)s")
HOW_TO_PAY = gettext_lazy("How to pay")
HOW_TO_FOLLOW = gettext_lazy(
    "Keep this receipt. To follow your dossier, open %(url)s and enter the tracking number "
    "%(number)s, or ask at the office."
)


def _document_name(attachment) -> str:
    if attachment.document is not None:
        return str(attachment.document)
    return _("Additional document: %(name)s") % {"name": attachment.original_name}


# --- Payment receipt --------------------------------------------------------------------------


def payment_receipt(dossier, occasion, language) -> Contents:
    """The money received: how much, how, its reference, when, who took it, and what is left."""
    payment = recorded_payment(dossier, occasion)
    fee = dossier.service.fee_bif or 0
    paid = _paid_by(dossier, payment.recorded_at)
    rest = fee - paid
    facts = [
        (both_of(language, AMOUNT_RECEIVED), both(language, lambda: money(payment.amount_bif))),
        (both_of(language, METHOD), both_of(language, PaymentMethod(payment.method).label)),
    ]
    if payment.reference:
        facts.append((both_of(language, REFERENCE), payment.reference))
    facts += [
        (both_of(language, PAID_ON), both(language, lambda: moment(payment.recorded_at))),
        (both_of(language, RECORDED_BY), occasion.actor_name),
        (both_of(language, labels.FEE), both(language, lambda: money(fee))),
        (both_of(language, TOTAL_PAID), both(language, lambda: money(paid))),
        (
            both_of(language, STILL_TO_PAY),
            both(language, lambda: money(rest)) if rest > 0 else both_of(language, FEE_PAID),
        ),
    ]
    return Contents(facts=facts, paragraphs=[both_of(language, KEEP_PAYMENT_RECEIPT)])


def recorded_payment(dossier, occasion):
    """The payment the event recorded: written in the same transaction, at the same moment, with
    the method and reference its history row kept."""
    if occasion.details.get("receipt_number"):
        return dossier.payments.get(receipt_number=occasion.details["receipt_number"])
    payments = dossier.payments.filter(recorded_at=occasion.at)
    if "method" in occasion.details:
        payments = payments.filter(
            method=occasion.details["method"], reference=occasion.details.get("reference", "")
        )
    return payments.get()


def _paid_by(dossier, at: datetime.datetime) -> int:
    """What the citizen had paid in all once the payment of ``at`` was in: a receipt printed
    again later still says what was true that day."""
    counted_then = Q(reversed_at__isnull=True) | Q(reversed_at__gt=at)
    payments = dossier.payments.filter(counted_then, recorded_at__lte=at)
    return sum(payments.values_list("amount_bif", flat=True))


AMOUNT_RECEIVED = gettext_lazy("Amount received")
METHOD = gettext_lazy("Paid by")
REFERENCE = gettext_lazy("Payment reference")
PAID_ON = gettext_lazy("Paid on")
RECORDED_BY = gettext_lazy("Received by")
TOTAL_PAID = gettext_lazy("Paid in all for this dossier")
STILL_TO_PAY = gettext_lazy("Still to pay")
FEE_PAID = gettext_lazy("Nothing: the fee is paid in full")
KEEP_PAYMENT_RECEIPT = gettext_lazy(
    "Keep this receipt: it proves that you paid. Nobody may ask you to pay this amount again."
)
