"""How to pay a dossier's fee: the one place every "how to pay" comes from.

The channels are catalogue data (``services.models.PaymentChannel``, set in the admin): the
operator, the number or account to pay to, national or for one province. The citizen's pages,
the status on /track/, the "fee to pay" SMS and email and the filing receipt all read them
here, so a new merchant number is changed once, by an administrator, and nowhere else.

The reference the citizen quotes is the dossier's tracking number: the clerk who records the
payment finds the dossier with it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from gup.formatting import money
from services.models import PaymentChannel, PaymentOperator


@dataclass(frozen=True)
class Way:
    """One way to pay, as the citizen reads it."""

    operator: str
    label: str
    pay_to: str
    holder: str
    is_mobile_money: bool


@dataclass(frozen=True)
class PaymentInstructions:
    amount: str
    reference: str
    office: str
    mobile_money: tuple[Way, ...]
    bank: tuple[Way, ...]
    #: Cash is taken at the office (a channel says so, or no channel is set at all).
    at_office: bool

    @property
    def remote(self) -> tuple[Way, ...]:
        return self.mobile_money + self.bank


def channels_for(office) -> list[PaymentChannel]:
    """The active channels for an office: its province's, and the national ones whose operator
    the province does not set itself."""
    channels = list(PaymentChannel.objects.for_province(office.province_id))
    provincial = {channel.operator for channel in channels if channel.province_id}
    return [
        channel for channel in channels if channel.province_id or channel.operator not in provincial
    ]


def ways_offered() -> str:
    """The ways to pay offered anywhere, for a page that knows no office yet (the catalogue):
    "Lumicash, EcoCash, Bank transfer, Cash at the office". Empty: no channel is set, the fee
    is paid at the office."""
    labels = dict(PaymentOperator.choices)
    operators = []
    for operator in PaymentChannel.objects.filter(is_active=True).values_list(
        "operator", flat=True
    ):
        if operator not in operators:
            operators.append(operator)
    return ", ".join(str(labels[operator]) for operator in operators)


def _way(channel) -> Way:
    return Way(
        operator=channel.operator,
        label=channel.get_operator_display(),
        pay_to=channel.pay_to,
        holder=channel.holder,
        is_mobile_money=channel.is_mobile_money,
    )


def instructions(office, *, amount_bif, reference: str) -> PaymentInstructions:
    """How to pay ``amount_bif`` for a dossier of ``office`` quoting ``reference``."""
    channels = channels_for(office)
    return PaymentInstructions(
        amount=money(amount_bif),
        reference=reference,
        office=office.name,
        mobile_money=tuple(_way(c) for c in channels if c.is_mobile_money),
        bank=tuple(_way(c) for c in channels if c.operator == PaymentOperator.BANK),
        at_office=not channels or any(c.operator == PaymentOperator.OFFICE for c in channels),
    )


def for_dossier(dossier, *, amount_bif=None) -> PaymentInstructions:
    """How to pay what ``dossier`` owes (``amount_due`` unless ``amount_bif`` is given)."""
    return instructions(
        dossier.office,
        amount_bif=dossier.amount_due() if amount_bif is None else amount_bif,
        reference=dossier.tracking_number or "",
    )


def ways_in_words(how: PaymentInstructions, *, office: str | None = None) -> str:
    """The ways to pay in one sentence: "by Lumicash to 71 000 100, by EcoCash to 72 000 200,
    by bank transfer to BRB 1101-0042-000 or in cash at GUP Gitega". ``office`` replaces the
    office's name (an SMS may shorten it)."""
    parts = [
        _("%(operator)s to %(number)s") % {"operator": way.label, "number": way.pay_to}
        for way in how.remote
    ]
    if how.at_office:
        parts.append(_("in cash at %(office)s") % {"office": office or how.office})
    if len(parts) == 1:
        return parts[0]
    return _("%(ways)s or %(last)s") % {"ways": ", ".join(parts[:-1]), "last": parts[-1]}


def sentence(how: PaymentInstructions, *, office: str | None = None) -> str:
    """The whole instruction: what to pay, how, and the reference to quote."""
    if how.remote:
        return _("Pay %(amount)s by %(ways)s, quoting the reference %(reference)s.") % {
            "amount": how.amount,
            "ways": ways_in_words(how, office=office),
            "reference": how.reference,
        }
    return _("Pay %(amount)s in cash at %(office)s.") % {
        "amount": how.amount,
        "office": office or how.office,
    }
