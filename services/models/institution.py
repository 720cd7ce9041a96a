from django.db import models
from django.utils.translation import gettext_lazy as _

from services.translated import LocalizedName


class Institution(LocalizedName, models.Model):
    """A ministry or agency that decides on dossiers, through its review queue."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_rn = models.CharField(_("name (Kirundi)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self):
        return self.name
