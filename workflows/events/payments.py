"""Reversing a payment: never deleted, marked reversed by a supervisor, with the reason.

A payment recorded in error (the wrong dossier, money that never arrived, a cheque that
bounced) is reversed by the office's supervisor. The row stays, with who reversed it, when and
why; it no longer counts towards the fee (``Dossier.total_paid``), so a dossier that is now
unpaid cannot be forwarded (``conditions.fee_is_settled``) and the clerk asks for payment again.
Its receipt is revoked at the same time: every check of the printed receipt then says so.

Decisions:

- Only while the dossier is still at the office (``REVERSIBLE_STATES``): once forwarded, the
  institution works on a paid dossier, and taking it back is a matter for the supervisors of
  both sides, outside GUP, not a silent change of what the institution was told.
- A reversed reference stays used: the same bank or mobile-money reference is never counted
  again, on this dossier or another. A payment recorded on the wrong dossier is therefore
  recorded on the right one by the citizen's new payment, or, once the money is traced, by a
  supervisor outside this step: counting a reference twice is the fraud the rule prevents.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gup.formatting import money
from workflows import permissions as may
from workflows.events.base import Event
from workflows.exceptions import NotAllowed, TransitionRefused
from workflows.models import IssuedDocument, Payment
from workflows.states import DossierState as S

#: The dossier is still at the office: its payments may be reversed.
REVERSIBLE_STATES = (S.SUBMITTED, S.INTAKE, S.RETURNED, S.AWAITING_PAYMENT)


class ReversePayment(Event):
    name = "reverse_payment"
    label = gettext_lazy("Reverse a payment")
    comment_label = gettext_lazy("Why is this payment reversed?")
    comment_required = True
    offered = False
    permission = staticmethod(may.office_supervisor)
    states = REVERSIBLE_STATES

    def check(self, dossier, ctx) -> None:
        if not self.permission(dossier, ctx.actor):
            raise NotAllowed(_("Only a supervisor of the dossier's office can reverse a payment."))
        if dossier.state not in self.states:
            raise TransitionRefused(
                _(
                    "This dossier has left the office (“%(state)s”): a payment can be "
                    "reversed only before the dossier is forwarded."
                )
                % {"state": dossier.state_label}
            )
        super().check(dossier, ctx)

    def comment_problems(self, ctx) -> list[str]:
        if not ctx.comment:
            return [_("Give the reason for the reversal: it is kept in the history.")]
        return super().comment_problems(ctx)

    def input_problems(self, dossier, ctx) -> list[str]:
        payment = (
            Payment.objects.select_for_update()
            .filter(dossier=dossier, pk=ctx.inputs.get("payment_id"))
            .first()
        )
        if payment is None:
            return [_("This dossier has no such payment.")]
        if payment.is_reversed:
            raise TransitionRefused(_("This payment has already been reversed."))
        ctx.inputs["payment"] = payment
        return []

    def apply(self, dossier, ctx) -> None:
        payment = ctx.inputs["payment"]
        payment.reversed_at = ctx.now
        payment.reversed_by = ctx.actor.user
        payment.reversal_reason = ctx.comment
        payment.save(update_fields=["reversed_at", "reversed_by", "reversal_reason"])
        revoked = []
        if payment.receipt_number:
            receipts = IssuedDocument.objects.filter(
                dossier=dossier, number=payment.receipt_number, revoked_at__isnull=True
            )
            revoked = list(receipts.values_list("number", flat=True))
            receipts.update(
                revoked_at=ctx.now,
                revoked_reason=ctx.comment,
                revoked_by_name=ctx.actor.display_name,
            )
        ctx.details.update(
            payment_id=payment.pk,
            receipt_number=payment.receipt_number or "",
            amount_bif=payment.amount_bif,
            method=payment.method,
            reference=payment.reference,
            receipt_revoked=bool(revoked),
        )

    def describe(self, entry) -> str:
        details = entry.details
        if "amount_bif" not in details:
            return str(self.label)
        if details.get("receipt_number"):
            return _("Payment reversed: %(amount)s, receipt no. %(number)s") % {
                "amount": money(details["amount_bif"]),
                "number": details["receipt_number"],
            }
        return _("Payment reversed: %(amount)s") % {"amount": money(details["amount_bif"])}


EVENTS = (ReversePayment(),)
