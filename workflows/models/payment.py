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


class PaymentQuerySet(models.QuerySet):
    def counted(self):
        """The payments that count towards the fee: those not reversed."""
        return self.filter(reversed_at__isnull=True)


class Payment(models.Model):
    """Money received for a dossier. A bank or mobile-money reference is accepted only once.

    Each payment gets its receipt number when it is recorded (``GIT-2026-R000042``: unique per
    office, year and series, the number its printed receipt carries). A payment is never
    deleted: a supervisor reverses it, with a reason; it then no longer counts, but its row, its
    receipt number and its reference stay (a reversed reference cannot be recorded again).
    """

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
    # Null only for the payments recorded before receipts were numbered with their payment.
    receipt_number = models.CharField(
        _("receipt number"), max_length=32, unique=True, null=True, blank=True, editable=False
    )
    reversed_at = models.DateTimeField(_("reversed"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reversed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reversal_reason = models.TextField(_("reason for the reversal"), blank=True)

    objects = PaymentQuerySet.as_manager()

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
            models.CheckConstraint(
                name="payment_reversals_have_who_and_why",
                condition=Q(reversed_at__isnull=True, reversed_by__isnull=True, reversal_reason="")
                | (
                    Q(reversed_at__isnull=False, reversed_by__isnull=False) & ~Q(reversal_reason="")
                ),
            ),
        ]

    def __str__(self):
        return f"{self.amount_bif} BIF ({self.get_method_display()})"

    @property
    def is_reversed(self) -> bool:
        return self.reversed_at is not None
