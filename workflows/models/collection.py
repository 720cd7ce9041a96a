"""Who collected the result: the applicant, or a proxy with their ID and an authorisation."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Collector(models.TextChoices):
    APPLICANT = "applicant", _("The applicant")
    PROXY = "proxy", _("A proxy, on behalf of the applicant")


class Collection(models.Model):
    """The hand-over of a dossier's result, recorded by the ``hand_over`` step: once per dossier.

    The applicant proves who they are with their national ID card, whose number the clerk types
    and GUP checks against the dossier's; a proxy gives their name, their national ID number and
    the applicant's written authorisation, scanned and kept as an attachment of the dossier.
    """

    dossier = models.OneToOneField(
        "workflows.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="collection",
    )
    collector = models.CharField(_("collected by"), max_length=16, choices=Collector.choices)
    collector_name = models.CharField(_("name of the collector"), max_length=201)
    collector_national_id = models.CharField(_("national ID of the collector"), max_length=32)
    authorisation = models.OneToOneField(
        "workflows.Attachment",
        verbose_name=_("authorisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    handed_over_at = models.DateTimeField(_("handed over"))

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        constraints = [
            models.CheckConstraint(
                name="collections_name_the_collector",
                condition=~Q(collector_name="") & ~Q(collector_national_id=""),
            ),
            models.CheckConstraint(
                name="proxies_bring_an_authorisation",
                condition=Q(collector="applicant") | Q(authorisation__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.collector_name} ({self.collector_national_id})"

    @property
    def by_proxy(self) -> bool:
        return self.collector == Collector.PROXY
