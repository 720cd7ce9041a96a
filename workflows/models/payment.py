from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash at the counter")
    BANK = "bank", _("Bank deposit")
    LUMICASH = "lumicash", _("Lumicash")
    ECOCASH = "ecocash", _("EcoCash")


class Payment(models.Model):
    """Money received for a dossier. A bank or mobile-money reference is accepted only once."""

    dossier = models.ForeignKey(
        "workflows.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    amount_bif = models.PositiveIntegerField(_("amount (BIF)"), validators=[MinValueValidator(1)])
    method = models.CharField(_("method"), max_length=16, choices=PaymentMethod.choices)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["dossier", "recorded_at"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(
                fields=["method", "reference"],
                condition=~Q(reference=""),
                name="payment_reference_used_once",
            ),
            models.CheckConstraint(
                name="non_cash_payments_have_a_reference",
                condition=Q(method="cash") | ~Q(reference=""),
            ),
            models.CheckConstraint(name="payment_amount_positive", condition=Q(amount_bif__gt=0)),
        ]

    def __str__(self):
        return f"{self.amount_bif} BIF ({self.get_method_display()})"
