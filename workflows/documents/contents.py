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
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gup.formatting import day, moment, money
from services.answers import labelled_answers
from services.translated import localized
from workflows.documents import labels
from workflows.documents.bilingual import Both, both, both_of, both_rows
from workflows.documents.qr import image_source, public_url, verification_url
from workflows.models import Decision, Outcome, PaymentMethod
from workflows.states import DossierState


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
    #: Printed right under the holder's name: what else identifies them.
    holder_facts: list[tuple[Both, object]] = field(default_factory=list)
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
        "holder_facts": contents.holder_facts,
        "paragraphs": contents.paragraphs,
        "code": code,
        "verification_url": url,
        "qr": image_source(url) if url else "",
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
    payments = dossier.payments.filter(recorded_at=occasion.at)
    if "method" in occasion.details:
        payments = payments.filter(
            method=occasion.details["method"], reference=occasion.details.get("reference", "")
        )
    return payments.get()


def _paid_by(dossier, at: datetime.datetime) -> int:
    """What the citizen had paid in all once the payment of ``at`` was in: a receipt printed
    again later still says what was true that day."""
    return sum(dossier.payments.filter(recorded_at__lte=at).values_list("amount_bif", flat=True))


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


# --- The office or the institution asks the citizen -------------------------------------------


def correction_notice(dossier, occasion, language) -> Contents:
    """What the office asks the citizen to correct, and how to answer."""
    office = dossier.office.name
    return _request_to_citizen(dossier, occasion, language, asked_by=office, asks=TO_CORRECT)


def information_request(dossier, occasion, language) -> Contents:
    """The institution's questions, and how to answer them."""
    institution = _institution(dossier, language)
    return _request_to_citizen(dossier, occasion, language, asked_by=institution, asks=QUESTIONS)


def _request_to_citizen(dossier, occasion, language, *, asked_by, asks) -> Contents:
    # No date is printed: the dossier has no deadline for an answer, and a notice must not
    # invent one.
    facts = [(both_of(language, ASKED_BY), asked_by)]
    return Contents(
        facts=facts,
        extra={
            "request_heading": both_of(language, asks),
            "request": occasion.comment,
            "paused": both_of(language, PAUSED),
            "answer_heading": both_of(language, HOW_TO_ANSWER),
            "ways_to_answer": _ways_to_answer(dossier, language),
            "office_heading": both_of(language, WHERE_TO_ANSWER),
        },
    )


def _ways_to_answer(dossier, language) -> list[Both]:
    """Online where the citizen can reach the dossier (account or resume link); always the
    office, where a clerk answers for them."""
    ways = []
    if dossier.applicant_account_id is not None:
        my_dossiers = public_url(reverse("my_dossiers"))
        ways.append(
            both_of(language, ANSWER_WITH_ACCOUNT, url=my_dossiers, number=dossier.tracking_number)
        )
    elif dossier.resume_token_hash:
        ways.append(both_of(language, ANSWER_WITH_LINK))
    ways.append(both_of(language, ANSWER_AT_OFFICE, office=dossier.office.name))
    return ways


TO_CORRECT = gettext_lazy("What you must correct")
QUESTIONS = gettext_lazy("The questions you are asked")
ASKED_BY = gettext_lazy("Asked by")
HOW_TO_ANSWER = gettext_lazy("How to answer")
WHERE_TO_ANSWER = gettext_lazy("Where to answer in person")
#: The same sentence the citizen reads on the tracking page.
PAUSED = gettext_lazy("The delay is paused while the office waits for you.")
ANSWER_WITH_ACCOUNT = gettext_lazy(
    "Online: sign in at %(url)s, open dossier %(number)s and send your answer there."
)
ANSWER_WITH_LINK = gettext_lazy(
    "Online: open the link to your dossier that you received when you filed it, and send your "
    "answer there."
)
ANSWER_AT_OFFICE = gettext_lazy(
    "In person: bring this notice and what you are asked for to %(office)s (address and opening "
    "hours below)."
)


# --- Appointments and site inspections --------------------------------------------------------


def appointment_notice(dossier, occasion, language) -> Contents:
    """When and where the citizen comes in person, and what they bring."""
    office = dossier.office.name
    return _visit(
        dossier,
        occasion,
        language,
        place_unset=office,
        instructions=[
            both_of(language, COME_IN_PERSON),
            both_of(language, IF_YOU_CANNOT_COME, office=office),
        ],
    )


def inspection_notice(dossier, occasion, language) -> Contents:
    """When the institution inspects the site, and that the citizen must be there."""
    office = dossier.office.name
    return _visit(
        dossier,
        occasion,
        language,
        place_unset=both_of(language, THE_SITE),
        instructions=[
            both_of(
                language,
                INSPECTOR_VISITS,
                institution=partial(_institution_name, dossier),
            ),
            both_of(language, BE_AT_THE_SITE),
            both_of(language, IF_YOU_CANNOT_COME, office=office),
        ],
    )


def _visit(dossier, occasion, language, *, place_unset, instructions) -> Contents:
    """The date, time and place the event recorded (``ScheduleStep``: its details)."""
    details = occasion.details
    starts_at = datetime.datetime.fromisoformat(details["starts_at"])
    return Contents(
        facts=[(both_of(language, labels.INSTITUTION), _institution(dossier, language))],
        paragraphs=instructions,
        extra={
            "when": both(language, lambda: _weekday_and_moment(starts_at)),
            "place": details.get("place") or place_unset,
            "what_to_bring": details.get("what_to_bring", ""),
        },
    )


def _weekday_and_moment(value: datetime.datetime) -> str:
    """``Wednesday 2 December 2026, 10:00``: the weekday guards against a misread date."""
    weekday = formats.date_format(timezone.localtime(value), "l")
    return f"{weekday} {moment(value)}"


COME_IN_PERSON = gettext_lazy("Come in person, on time, with this notice.")
THE_SITE = gettext_lazy("The site described in your request")
INSPECTOR_VISITS = gettext_lazy(
    "An inspector of %(institution)s will visit the site at the date and time above."
)
BE_AT_THE_SITE = gettext_lazy(
    "Be present at the site, with this notice, so that the inspector can get in and see "
    "everything the request describes."
)
IF_YOU_CANNOT_COME = gettext_lazy("If you cannot be there, tell %(office)s before that day.")


# --- The decision -----------------------------------------------------------------------------


def decision_letter(dossier, occasion, language) -> Contents:
    """Approval, or rejection with its reasons, who decided and when, and what comes next.

    Reads the occasion, never ``dossier.decision``: a preview is drawn before the decision
    exists.
    """
    approved = occasion.event == "approve"
    institution = _institution(dossier, language)
    outcome = Outcome.APPROVED if approved else Outcome.REJECTED
    facts = [
        (both_of(language, DECISION), both_of(language, outcome.label)),
        (both_of(language, labels.INSTITUTION), institution),
        (both_of(language, DECIDED_BY), occasion.actor_name),
        (both_of(language, DECIDED_ON), both(language, lambda: moment(occasion.at))),
    ]
    document = partial(localized, dossier.service, "issued_document")
    if approved:
        statement = both_of(language, APPROVED, institution=partial(_institution_name, dossier))
        comment_heading = REMARKS
        next_steps = [
            both_of(
                language,
                NEXT_WHEN_APPROVED,
                document=document,
                url=_track_url(),
                number=dossier.tracking_number,
                office=dossier.office.name,
            )
        ]
    else:
        statement = both_of(language, REJECTED, institution=partial(_institution_name, dossier))
        comment_heading = REASONS
        next_steps = [
            both_of(language, NEXT_FILE_AGAIN),
            both_of(language, NEXT_ASK_THE_OFFICE, office=dossier.office.name),
        ]
    return Contents(
        facts=facts,
        extra={
            "statement": statement,
            "comment_heading": both_of(language, comment_heading),
            "comment": occasion.comment,
            "next_heading": both_of(language, WHAT_NEXT),
            "next_steps": next_steps,
        },
    )


DECISION = gettext_lazy("Decision")
DECIDED_BY = gettext_lazy("Decided by")
DECIDED_ON = gettext_lazy("Decided on")
REASONS = gettext_lazy("Reasons")
REMARKS = gettext_lazy("Remarks of the institution")
WHAT_NEXT = gettext_lazy("What happens now")
APPROVED = gettext_lazy("%(institution)s has approved your request.")
REJECTED = gettext_lazy("%(institution)s has rejected your request, for the reasons below.")
NEXT_WHEN_APPROVED = gettext_lazy(
    "Your document (%(document)s) is being prepared. Follow your dossier at %(url)s with the "
    "tracking number %(number)s: it will say when you can collect it at %(office)s."
)
NEXT_FILE_AGAIN = gettext_lazy(
    "If what the reasons point out can be put right, you may file a new request for this "
    "service with the corrections."
)
NEXT_ASK_THE_OFFICE = gettext_lazy(
    "If you want the decision explained, ask at %(office)s and bring this letter."
)


# --- The documents issued: permits and certificates, or a notice to collect -------------------


def building_permit(dossier, occasion, language) -> Contents:
    return _certificate(dossier, occasion, language, statement=PERMIT_GRANTED)


def land_title_certificate(dossier, occasion, language) -> Contents:
    return _certificate(dossier, occasion, language, statement=TITLE_CERTIFIED)


def _certificate(dossier, occasion, language, *, statement) -> Contents:
    """The issued document itself: who holds it, what it covers (the citizen's answers, which
    describe the building or the plot), who decided and when."""
    decision = _decision(dossier)
    decided_at = decision.decided_at if decision else occasion.at
    # The statement names the institution and the date of its decision: not repeated as facts.
    facts = [(both_of(language, DECIDED_BY), decision.decided_by_name)] if decision else []
    return Contents(
        facts=facts,
        holder_facts=_identity(dossier, language),
        extra={
            "statement": both_of(
                language,
                statement,
                institution=partial(_institution_name, dossier),
                date=lambda: day(decided_at),
            ),
            "described_heading": both_of(language, DESCRIPTION),
            "described": both_rows(
                language, lambda: labelled_answers(dossier.service, dossier.answers)
            ),
            "remarks_heading": both_of(language, REMARKS),
            "remarks": decision.reasons if decision else "",
        },
    )


def collection_notice(dossier, occasion, language) -> Contents:
    """The institution made the document itself (a passport): where to collect it, and what
    to bring."""
    document = partial(localized, dossier.service, "issued_document")
    facts = [
        (both_of(language, DOCUMENT_TO_COLLECT), both(language, document)),
        (both_of(language, labels.INSTITUTION), _institution(dossier, language)),
    ]
    ready = partial(str, DossierState.READY_FOR_COLLECTION.label)
    return Contents(
        facts=facts,
        holder_facts=_identity(dossier, language),
        paragraphs=[
            both_of(
                language,
                COLLECT_WHEN_READY,
                state=ready,
                url=_track_url(),
                number=dossier.tracking_number,
            )
        ],
        extra={
            "statement": both_of(
                language, DOCUMENT_MADE, institution=partial(_institution_name, dossier)
            ),
            "office_heading": both_of(language, WHERE_TO_COLLECT),
            "to_bring": [both_of(language, NATIONAL_ID_CARD), both_of(language, THIS_NOTICE)],
        },
    )


def _identity(dossier, language) -> list[tuple[Both, object]]:
    """What identifies the holder besides their name, as on their national ID card."""
    return [
        (both_of(language, labels.NATIONAL_ID), dossier.applicant_national_id),
        (
            both_of(language, labels.DATE_OF_BIRTH),
            both(language, lambda: day(dossier.applicant_birth_date)),
        ),
    ]


def _decision(dossier):
    return Decision.objects.filter(dossier=dossier).first()


PERMIT_GRANTED = gettext_lazy(
    "By its decision of %(date)s, %(institution)s grants the citizen named above this permit "
    "to build as described below."
)
TITLE_CERTIFIED = gettext_lazy(
    "By its decision of %(date)s, %(institution)s certifies that the plot described below is "
    "registered in the name of the citizen named above."
)
DESCRIPTION = gettext_lazy("Description")
DOCUMENT_TO_COLLECT = gettext_lazy("Document to collect")
WHERE_TO_COLLECT = gettext_lazy("Where to collect it")
DOCUMENT_MADE = gettext_lazy(
    "%(institution)s has issued your document. It is sent to the GUP office below, where you "
    "collect it."
)
#: The same words as the tracking page's "Ready for collection".
COLLECT_WHEN_READY = gettext_lazy(
    "Come when your dossier says “%(state)s”: follow it at %(url)s with the tracking number "
    "%(number)s, or ask at the office."
)
NATIONAL_ID_CARD = gettext_lazy("Your national ID card")
THIS_NOTICE = gettext_lazy("This notice")


# --- Shared pieces ----------------------------------------------------------------------------


def _institution_name(dossier) -> str:
    """The deciding institution's name in the active language: a parameter of ``both_of``."""
    institution = dossier.institution
    return localized(institution, "name") if institution is not None else ""


def _institution(dossier, language) -> Both:
    return both(language, partial(_institution_name, dossier))


BUILDERS: dict[str, Callable] = {
    "filing_receipt": filing_receipt,
    "payment_receipt": payment_receipt,
    "correction_notice": correction_notice,
    "information_request": information_request,
    "appointment_notice": appointment_notice,
    "inspection_notice": inspection_notice,
    "decision_letter": decision_letter,
    "building_permit": building_permit,
    "land_title_certificate": land_title_certificate,
    "collection_notice": collection_notice,
}
