"""An objection received during a public notice: who objects, when, on what grounds, with what.

A record of its own, written once by the ``record_objection`` event and never changed: the
objection is part of the file the institution decides on. The objector's name, ID and contact
are personal data: staff of the office and the institution see them on the dossier page, the
applicant is only told that an objection was recorded.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ObjectionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("An objection, once recorded, is not changed.")

    def delete(self):
        raise TypeError("An objection, once recorded, is not changed.")


class Objection(models.Model):
    dossier = models.ForeignKey(
        "workflows.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    #: The public notice it was received during.
    notice = models.ForeignKey(
        "workflows.ScheduledStep",
        verbose_name=_("public notice"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    objector_name = models.CharField(_("objector"), max_length=200)
    objector_national_id = models.CharField(_("national ID number"), max_length=32, blank=True)
    objector_contact = models.CharField(_("contact"), max_length=200, blank=True)
    received_on = models.DateField(_("received on"))
    grounds = models.TextField(_("grounds"))
    # The document the objector gave, if any: stored like an attachment, under a generated name
    # outside the static tree, but not one of the dossier's documents (the citizen never
    # downloads it).
    document_name = models.CharField(_("file name"), max_length=255, blank=True)
    document_stored_name = models.CharField(max_length=64, blank=True)
    document_content_type = models.CharField(_("type"), max_length=64, blank=True)
    document_size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by_name = models.CharField(_("recorded by"), max_length=300)
    recorded_at = models.DateTimeField(_("recorded"))

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        ordering = ["dossier", "received_on", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.CheckConstraint(name="objections_have_grounds", condition=~Q(grounds="")),
            models.CheckConstraint(
                name="objections_name_the_objector", condition=~Q(objector_name="")
            ),
            models.UniqueConstraint(
                fields=["document_stored_name"],
                condition=~Q(document_stored_name=""),
                name="one_objection_per_stored_file",
            ),
        ]

    def __str__(self):
        return f"{self.objector_name} ({self.received_on})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("An objection, once recorded, is not changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("An objection, once recorded, is not changed.")

    @property
    def has_document(self) -> bool:
        return bool(self.document_stored_name)

    @property
    def document_path(self):
        name = self.document_stored_name
        return settings.UPLOAD_ROOT / name[:2] / name
