"""The office's steps: checking, returning, payment, forwarding, handing over; staff notes."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gup.formatting import money
from workflows import intake_checklist
from workflows import permissions as may
from workflows.documents import kinds
from workflows.events.base import AsksTheCitizen, Event, TransitionEvent
from workflows.models import Payment, PaymentMethod
from workflows.numbering import allocate_document_number


class StartIntake(TransitionEvent):
    """A clerk starts checking the dossier, and becomes its holder if nobody holds it yet."""

    name = "start_intake"
    label = gettext_lazy("Start checking")

    def arguments(self, dossier, ctx) -> dict:
        return {"clerk": ctx.actor.user}


class ReturnForCorrection(AsksTheCitizen):
    """The office sends the dossier back to the citizen with what to correct.

    Its text starts from the current completeness checklist (``workflows.intake_checklist``),
    which the history row records beside it.
    """

    name = "return_for_correction"
    label = gettext_lazy("Return for correction")
    comment_label = gettext_lazy("What must the citizen correct?")

    def initial(self, dossier, actor) -> dict:
        checklist = intake_checklist.current(dossier)
        if checklist is None or not checklist.to_correct and not checklist.remark:
            return {}
        return {"comment": intake_checklist.reasons(dossier, checklist)}

    def record(self, dossier, ctx) -> None:
        checklist = intake_checklist.current(dossier)
        if checklist is not None:
            ctx.details["checklist"] = checklist.entry.details["checklist"]
            ctx.details["checklist_position"] = checklist.entry.position


class RecordPayment(TransitionEvent):
    """The clerk records the fee received: cash, bank or a mobile-money reference.

    A reference is accepted once only (also in the database), so a payment is never counted
    twice, even once reversed; the amount must be exactly what is due. The payment gets its
    receipt number here, in the event's transaction: the printed receipt carries that number.
    """

    name = "record_payment"
    label = gettext_lazy("Record payment")
    form = "workflows.forms.RecordPaymentForm"

    def initial(self, dossier, actor) -> dict:
        return {"amount_bif": dossier.amount_due()}

    def field_problems(self, dossier, ctx) -> dict[str, list[str]]:
        method = ctx.inputs.get("method")
        reference = (ctx.inputs.get("reference") or "").strip()
        amount = ctx.inputs.get("amount_bif")
        due = dossier.amount_due()
        problems = {"method": [], "reference": [], "amount_bif": []}
        if method not in PaymentMethod.values:
            problems["method"].append(_("Choose how the citizen paid."))
        if method and method != PaymentMethod.CASH and not reference:
            problems["reference"].append(_("Enter the bank or mobile-money reference."))
        if not isinstance(amount, int) or isinstance(amount, bool) or amount != due:
            problems["amount_bif"].append(_("The amount due is %(due)s.") % {"due": money(due)})
        used = Payment.objects.filter(method=method, reference=reference).first()
        if reference and used is not None:
            if used.is_reversed:
                problems["reference"].append(
                    _(
                        "This reference was recorded before and that payment was reversed: "
                        "it cannot be counted again. Ask for a new payment."
                    )
                )
            else:
                problems["reference"].append(
                    _(
                        "This reference has already been recorded: "
                        "the payment was not counted twice."
                    )
                )
        ctx.inputs["reference"] = reference
        return problems

    def record(self, dossier, ctx) -> None:
        inputs = ctx.inputs
        receipt_number = allocate_document_number(
            dossier.office, timezone.localdate(ctx.now).year, kinds.get("payment_receipt").series
        )
        Payment.objects.create(
            dossier=dossier,
            amount_bif=inputs["amount_bif"],
            method=inputs["method"],
            reference=inputs["reference"],
            recorded_by=ctx.actor.user,
            recorded_at=ctx.now,
            receipt_number=receipt_number,
        )
        ctx.details.update(
            amount_bif=inputs["amount_bif"],
            method=inputs["method"],
            reference=inputs["reference"],
            receipt_number=receipt_number,
        )

    def describe(self, entry) -> str:
        details = entry.details
        if "amount_bif" not in details:
            return super().describe(entry)
        method = PaymentMethod(details["method"]).label
        if details.get("reference"):
            text = _("Payment recorded: %(amount)s, %(method)s, ref %(reference)s") % {
                "amount": money(details["amount_bif"]),
                "method": method,
                "reference": details["reference"],
            }
        else:
            text = _("Payment recorded: %(amount)s, %(method)s") % {
                "amount": money(details["amount_bif"]),
                "method": method,
            }
        if details.get("receipt_number"):
            text = _("%(payment)s, receipt no. %(number)s") % {
                "payment": text,
                "number": details["receipt_number"],
            }
        return text


class Forward(TransitionEvent):
    name = "forward"
    label = gettext_lazy("Forward to the institution")

    def arguments(self, dossier, ctx) -> dict:
        return {"institution": dossier.routed_institution(), "forwarded_at": ctx.now}


class NoteAdded(Event):
    """Staff keep a note on the dossier for colleagues. The citizen never sees it."""

    name = "note_added"
    label = gettext_lazy("Add a note")
    history_label = gettext_lazy("Note")
    comment_label = gettext_lazy("Note for colleagues (not shown to the citizen)")
    comment_required = True
    is_public = False
    offered = False
    permission = staticmethod(may.staff_handling)


EVENTS = (
    StartIntake(),
    ReturnForCorrection(),
    TransitionEvent("request_payment", gettext_lazy("Ask for payment")),
    RecordPayment(),
    Forward(),
    TransitionEvent("notify_rejection", gettext_lazy("Confirm the citizen was told")),
    NoteAdded(),
)
