from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentOperator(models.TextChoices):
    """How a citizen pays: two mobile-money operators, a bank, or cash at the office."""

    LUMICASH = "lumicash", "Lumicash"
    ECOCASH = "ecocash", "EcoCash"
    BANK = "bank", _("Bank transfer")
    OFFICE = "office", _("Cash at the office")


MOBILE_MONEY = frozenset({PaymentOperator.LUMICASH, PaymentOperator.ECOCASH})


class PaymentChannelQuerySet(models.QuerySet):
    def for_province(self, province_id):
        """The active channels a citizen of ``province_id`` may use: the province's own and the
        national ones (no province). ``services.payment_instructions`` picks among them."""
        return self.filter(is_active=True).filter(
            models.Q(province__isnull=True) | models.Q(province_id=province_id)
        )


class PaymentChannel(models.Model):
    """Where the fees are paid: an operator and the number or account to pay to, for one
    province or the whole country. The one source of every "how to pay" GUP writes (the
    citizen's pages, the SMS and emails, the filing receipt), set by an administrator."""

    operator = models.CharField(_("operator"), max_length=16, choices=PaymentOperator.choices)
    pay_to = models.CharField(
        _("number or account to pay to"),
        max_length=60,
        blank=True,
        help_text=_(
            "The merchant number (mobile money) or the account number (bank). Empty only for "
            "cash at the office."
        ),
    )
    holder = models.CharField(
        _("account holder"),
        max_length=100,
        blank=True,
        help_text=_("The name the payer's phone or bank shows before confirming, e.g. GUP."),
    )
    province = models.ForeignKey(
        "services.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Empty: national. A province's channel replaces the national one of the same "
            "operator for the offices of that province."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = PaymentChannelQuerySet.as_manager()

    class Meta:
        ordering = ["position", "operator", "id"]
        verbose_name = _("payment channel")
        verbose_name_plural = _("payment channels")
        constraints = [
            models.CheckConstraint(
                name="payment_channel_pays_somewhere",
                condition=models.Q(operator="office") | ~models.Q(pay_to=""),
                violation_error_message=_("Give the number or account to pay to."),
            ),
        ]

    def __str__(self):
        where = self.province.name if self.province_id else _("national")
        return f"{self.get_operator_display()} {self.pay_to} ({where})".replace("  ", " ")

    @property
    def is_mobile_money(self) -> bool:
        return self.operator in MOBILE_MONEY
