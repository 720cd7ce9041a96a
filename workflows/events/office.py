"""The office's steps: checking, returning, payment, forwarding, handing over; staff notes."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gup.formatting import money
from workflows import permissions as may
from workflows.events.base import AsksTheCitizen, Event, TransitionEvent
from workflows.models import Payment, PaymentMethod


class StartIntake(TransitionEvent):
    """A clerk starts checking the dossier, and becomes its holder if nobody holds it yet."""

    name = "start_intake"
    label = gettext_lazy("Start checking")

    def arguments(self, dossier, ctx) -> dict:
        return {"clerk": ctx.actor.user}


class ReturnForCorrection(AsksTheCitizen):
    name = "return_for_correction"
    label = gettext_lazy("Return for correction")
    comment_label = gettext_lazy("What must the citizen correct?")


class RecordPayment(TransitionEvent):
    """The clerk records the fee received: cash, bank or a mobile-money reference.

    A reference is accepted once only (also in the database), so a payment is never counted
    twice; the amount must be exactly what is due.
    """

    name = "record_payment"
    label = gettext_lazy("Record payment")
    form = "workflows.forms.RecordPaymentForm"

    def input_problems(self, dossier, ctx) -> list[str]:
        method = ctx.inputs.get("method")
        reference = (ctx.inputs.get("reference") or "").strip()
        amount = ctx.inputs.get("amount_bif")
        due = dossier.amount_due()
        problems = []
        if method not in PaymentMethod.values:
            problems.append(_("Choose how the citizen paid."))
        if method and method != PaymentMethod.CASH and not reference:
            problems.append(_("Enter the bank or mobile-money reference."))
        if not isinstance(amount, int) or isinstance(amount, bool) or amount != due:
            problems.append(_("The amount due is %(due)s.") % {"due": money(due)})
        if reference and Payment.objects.filter(method=method, reference=reference).exists():
            problems.append(
                _("This reference has already been recorded: the payment was not counted twice.")
            )
        ctx.inputs["reference"] = reference
        return problems

    def record(self, dossier, ctx) -> None:
        inputs = ctx.inputs
        Payment.objects.create(
            dossier=dossier,
            amount_bif=inputs["amount_bif"],
            method=inputs["method"],
            reference=inputs["reference"],
            recorded_by=ctx.actor.user,
            recorded_at=ctx.now,
        )
        ctx.details.update(
            amount_bif=inputs["amount_bif"], method=inputs["method"], reference=inputs["reference"]
        )

    def describe(self, entry) -> str:
        details = entry.details
        if "amount_bif" not in details:
            return super().describe(entry)
        method = PaymentMethod(details["method"]).label
        if details.get("reference"):
            return _("Payment recorded: %(amount)s, %(method)s, ref %(reference)s") % {
                "amount": money(details["amount_bif"]),
                "method": method,
                "reference": details["reference"],
            }
        return _("Payment recorded: %(amount)s, %(method)s") % {
            "amount": money(details["amount_bif"]),
            "method": method,
        }


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
    TransitionEvent("hand_over", gettext_lazy("Hand over to the citizen")),
    TransitionEvent("notify_rejection", gettext_lazy("Confirm the citizen was told")),
    NoteAdded(),
)
