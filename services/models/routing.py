from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RoutingRuleQuerySet(models.QuerySet):
    def institution_for(self, service, province):
        """The institution that decides on this service for dossiers filed in this province.

        A rule for the service and the province beats a rule for the service alone. None when no
        rule matches: such a dossier cannot be forwarded.
        """
        rule = (
            self.filter(service=service)
            .filter(Q(province=province) | Q(province__isnull=True))
            .select_related("institution")
            .order_by(models.F("province").asc(nulls_last=True))
            .first()
        )
        return rule.institution if rule else None


class RoutingRule(models.Model):
    """Service (and optionally province) → the institution that decides."""

    service = models.ForeignKey(
        "services.Service",
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="routing_rules",
    )
    province = models.ForeignKey(
        "services.Province",
        verbose_name=_("province"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Leave empty for the rule that applies to every province."),
    )
    institution = models.ForeignKey(
        "services.Institution", verbose_name=_("institution"), on_delete=models.PROTECT
    )

    objects = RoutingRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "province"], name="one_rule_per_service_and_province"
            ),
            models.UniqueConstraint(
                fields=["service"],
                condition=Q(province__isnull=True),
                name="one_default_rule_per_service",
            ),
        ]

    def __str__(self):
        where = self.province or _("every province")
        return f"{self.service} / {where} → {self.institution}"
