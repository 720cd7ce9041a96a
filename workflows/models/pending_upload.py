import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: How long a document chosen on a counter form that had errors is kept for that form.
PENDING_UPLOAD_KEPT = datetime.timedelta(hours=12)


class PendingUpload(models.Model):
    """A document chosen on a counter form that had errors, kept for that form only.

    Bound to the form's ``filing_key`` and to the clerk who chose it: sending the corrected form
    files the dossier with it, without choosing it again. Another clerk never sees it. Written
    and removed by ``workflows.pending_uploads`` only; gone once the dossier is filed, or removed
    with its file by the periodic job once ``expires_at`` has passed.
    """

    filing_key = models.UUIDField(_("filing key"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    document = models.ForeignKey(
        "services.RequiredDocument",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    original_name = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("chosen at"))
    expires_at = models.DateTimeField(_("kept until"))

    class Meta:
        verbose_name = _("document kept for a counter form")
        verbose_name_plural = _("documents kept for counter forms")
        constraints = [
            # One kept file per document of a form and clerk: a new one replaces it.
            models.UniqueConstraint(
                fields=["filing_key", "uploaded_by", "document"],
                name="pending_upload_one_per_document",
            ),
            models.CheckConstraint(
                name="pending_upload_expires_after_creation",
                condition=Q(expires_at__gt=models.F("created_at")),
            ),
        ]
        indexes = [models.Index(fields=["expires_at"], name="pending_upload_expiry")]

    def __str__(self):
        return self.original_name

    @property
    def path(self):
        return settings.UPLOAD_ROOT / self.stored_name[:2] / self.stored_name
