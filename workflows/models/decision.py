"""The decision on a dossier: a record of its own, written once and never changed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class DecisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("A decision is final.")

    def delete(self):
        raise TypeError("A decision is final.")


class Decision(models.Model):
    """What the institution decided, why, who decided and when. Immutable once made."""

    dossier = models.OneToOneField(
        "workflows.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="decision",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the institution's own system decided."),
    )
    decided_by_name = models.CharField(_("decided by (name)"), max_length=300)
    decided_at = models.DateTimeField(_("decided"))
    # The dossier's institution when it decided: a ministry supervisor's medians read their
    # institution's decisions of the window from their own index, not every institution's.
    institution = models.ForeignKey(
        "services.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        # (institution, decided_at) below serves the lookups by institution too.
        db_index=False,
    )

    # Written when the decision is taken, so that a ministry supervisor's medians are one read
    # of their institution's index (``decision_institution_at`` covers both), not a join of
    # thousands of decisions to their dossiers.
    service = models.ForeignKey(
        "services.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    working_days = models.PositiveSmallIntegerField(
        _("working days to decide"),
        null=True,
        blank=True,
        help_text=_(
            "Working days from the dossier's forwarding to this decision; empty when it was"
            " never forwarded."
        ),
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        # A ministry supervisor's medians read their institution's decisions of the last 90
        # days, service and working days included: from this index alone.
        indexes = [
            models.Index(
                fields=["institution", "decided_at"],
                include=["service", "working_days"],
                name="decision_institution_at",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="rejections_have_reasons",
                condition=~Q(outcome=Outcome.REJECTED) | ~Q(reasons=""),
            ),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.dossier_id})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("A decision is final.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("A decision is final.")

    @property
    def is_approval(self) -> bool:
        return self.outcome == Outcome.APPROVED
