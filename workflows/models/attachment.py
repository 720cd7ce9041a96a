import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def generated_name() -> str:
    return uuid.uuid4().hex


class Attachment(models.Model):
    """A document uploaded for a dossier, stored under a generated name outside static files."""

    dossier = models.ForeignKey(
        "workflows.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    document = models.ForeignKey(
        "services.RequiredDocument",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for documents given in answer to a request."),
    )
    original_name = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(max_length=64, unique=True, default=generated_name)
    content_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    #: The file was removed at the end of the retention period (``workflows.retention``); the
    #: row keeps its name, size and SHA-256, so the history still says what was given.
    purged_at = models.DateTimeField(_("file removed"), null=True, blank=True)

    class Meta:
        ordering = ["dossier", "uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None

    @property
    def path(self):
        return settings.UPLOAD_ROOT / self.stored_name[:2] / self.stored_name
