"""Documents given to the citizen (receipts, notices, letters, permits), each stored once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflows.models.attachment import generated_name


class IssuedDocument(models.Model):
    """One PDF the state gave a citizen, with the seal that proves it (``workflows.documents``).

    Rendered once, stored under a generated name with its SHA-256, and served again. Its number
    and its seal never change; the file is rendered again only when its template changed and the
    dossier has not been handed over (``workflows.documents.issuing``).
    """

    dossier = models.ForeignKey(
        "workflows.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=32)
    number = models.CharField(_("document number"), max_length=32, unique=True)
    #: The event the document records (the payment, the decision...): one document per kind each.
    source_entry = models.ForeignKey(
        "workflows.HistoryEntry",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded event"),
    )
    holder_name = models.CharField(_("holder"), max_length=201)
    language = models.CharField(_("language"), max_length=8)
    issued_at = models.DateTimeField(_("issued"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    code = models.CharField(_("seal"), max_length=600, editable=False)
    key_id = models.CharField(_("signing key"), max_length=8, editable=False)
    template_version = models.PositiveSmallIntegerField(editable=False)
    archival = models.BooleanField(_("PDF/A"), default=False, editable=False)
    stored_name = models.CharField(max_length=64, unique=True, default=generated_name)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by_name = models.CharField(_("revoked by"), max_length=300, blank=True)

    class Meta:
        ordering = ["dossier", "issued_at", "id"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        constraints = [
            models.UniqueConstraint(
                fields=["source_entry", "kind"], name="one_document_per_event_and_kind"
            ),
            models.CheckConstraint(
                name="revocations_have_reasons",
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def path(self):
        return settings.DOCUMENT_ROOT / self.stored_name[:2] / f"{self.stored_name}.pdf"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def title(self) -> str:
        from workflows.documents.kinds import KINDS

        return KINDS[self.kind].title

    @property
    def file_name(self) -> str:
        """What the browser saves it as: the number says what it is, and it is unique."""
        return f"{self.number}.pdf"


class DocumentCounter(models.Model):
    """The last number used per office, year and series (receipts, letters...)."""

    office = models.ForeignKey("services.Office", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=1)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "series"], name="one_document_counter_per_series"
            )
        ]

    def __str__(self):
        return f"{self.office_id}/{self.year}/{self.series}: {self.last_value}"
