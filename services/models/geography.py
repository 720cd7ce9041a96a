"""The administrative map (2025: 5 provinces, 42 communes) and the GUP offices. Data, not code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)
    capital = models.CharField(_("capital"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self):
        return self.name


class Commune(models.Model):
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="communes"
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="unique_commune_per_province")
        ]

    def __str__(self):
        return self.name


class Office(models.Model):
    """A GUP office. Its code starts every tracking number filed there."""

    code = models.CharField(
        _("code"),
        max_length=3,
        unique=True,
        help_text=_("Three capital letters, printed at the start of tracking numbers."),
    )
    name = models.CharField(_("name"), max_length=100)
    town = models.CharField(_("town"), max_length=100)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="offices"
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    is_active = models.BooleanField(_("open"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("GUP office")
        verbose_name_plural = _("GUP offices")
        constraints = [
            models.CheckConstraint(
                name="office_code_is_three_capitals",
                condition=models.Q(code__regex=r"^[A-Z]{3}$"),
                violation_error_message=_("The office code is three capital letters, e.g. GIT."),
            )
        ]

    def __str__(self):
        return self.name
