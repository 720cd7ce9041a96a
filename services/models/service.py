"""The catalogue: what a citizen can ask for, what it takes, what it costs and how long it lasts.

An administrator adds a service in the admin, without code, as long as it uses the existing field
kinds and optional steps.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from services.translated import LocalizedName, localized


class IssuedDocumentTemplate(models.TextChoices):
    """What GUP prints when the institution issues the result (``workflows.documents``)."""

    BUILDING_PERMIT = "building_permit", _("Building permit")
    LAND_TITLE_CERTIFICATE = "land_title_certificate", _("Land-title certificate")
    COLLECTION_NOTICE = (
        "collection_notice",
        _("Collection notice (the institution makes the document itself, e.g. a passport)"),
    )


#: What the forms built from a service read: its questions and its documents. A request that
#: shows or checks several of them prefetches these once (``catalogue_lookups``) and hands the
#: service on, so the catalogue is read once per request whatever the number of questions.
CATALOGUE = ("fields", "documents")


def catalogue_lookups(path_to_service: str = "") -> list[str]:
    """``prefetch_related`` lookups for the catalogue of the service at ``path_to_service``
    (``"service"`` from a dossier; empty from the service itself)."""
    prefix = f"{path_to_service}__" if path_to_service else ""
    return [prefix + name for name in CATALOGUE]


class Service(LocalizedName, models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_rn = models.CharField(_("name (Kirundi)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_rn = models.TextField(_("description (Kirundi)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    fee_bif = models.PositiveIntegerField(
        _("fee (BIF)"),
        null=True,
        blank=True,
        help_text=_("Burundian francs, no minor unit. Empty while the fee is not published."),
    )
    target_working_days = models.PositiveSmallIntegerField(
        _("target delay (working days)"), validators=[MinValueValidator(1)]
    )
    max_extension_working_days = models.PositiveSmallIntegerField(
        _("longest extension (working days)"),
        default=10,
        validators=[MaxValueValidator(60)],
        help_text=_(
            "A supervisor may extend a dossier's expected date once, by up to this many working "
            "days. 0: no extension."
        ),
    )
    information_answer_working_days = models.PositiveSmallIntegerField(
        _("time to answer a request (working days)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "What the citizen is given by default to correct a returned dossier or answer a "
            "request for information."
        ),
    )
    has_inspection = models.BooleanField(_("site inspection"), default=False)
    has_appointment = models.BooleanField(_("appointment (e.g. biometrics)"), default=False)
    public_notice_days = models.PositiveSmallIntegerField(
        _("public notice (days)"),
        default=0,
        validators=[MaxValueValidator(365)],
        help_text=_("0 when the service has no public-notice period."),
    )
    issued_document_fr = models.CharField(_("issued document (French)"), max_length=200)
    issued_document_rn = models.CharField(
        _("issued document (Kirundi)"), max_length=200, blank=True
    )
    issued_document_en = models.CharField(
        _("issued document (English)"), max_length=200, blank=True
    )
    issued_document_template = models.CharField(
        _("document printed on issue"),
        max_length=32,
        choices=IssuedDocumentTemplate.choices,
        default=IssuedDocumentTemplate.COLLECTION_NOTICE,
        help_text=_(
            "The paper GUP prints and signs when the document is issued: the document itself, "
            "or a notice telling the citizen to collect what the institution made."
        ),
    )
    issued_document_validity_days = models.PositiveIntegerField(
        _("validity of the printed document (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty when it does not expire."),
    )
    is_active = models.BooleanField(_("offered"), default=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["display_order", "name_fr"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self):
        return self.name

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def issued_document(self) -> str:
        return localized(self, "issued_document")

    @property
    def has_public_notice(self) -> bool:
        return self.public_notice_days > 0

    @property
    def requires_payment(self) -> bool:
        return bool(self.fee_bif)


class FieldKind(models.TextChoices):
    TEXT = "text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    INTEGER = "integer", _("Whole number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice from a list")
    YES_NO = "yes_no", _("Yes or no")


class ServiceField(models.Model):
    """One question of a service's form, with its type, label and validation."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="fields"
    )
    code = models.SlugField(
        _("code"), max_length=40, help_text=_("Key under which the answer is stored.")
    )
    kind = models.CharField(_("type"), max_length=16, choices=FieldKind.choices)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    label_rn = models.CharField(_("label (Kirundi)"), max_length=200, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    help_fr = models.CharField(_("help (French)"), max_length=300, blank=True)
    help_rn = models.CharField(_("help (Kirundi)"), max_length=300, blank=True)
    help_en = models.CharField(_("help (English)"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    min_value = models.IntegerField(
        _("minimum"),
        null=True,
        blank=True,
        help_text=_(
            "Smallest number, or shortest text length. For a date: the earliest date allowed, "
            "in days from today (0: not in the past; -7: up to a week ago)."
        ),
    )
    max_value = models.IntegerField(
        _("maximum"),
        null=True,
        blank=True,
        help_text=_(
            "Largest number, or longest text length. For a date: the latest date allowed, "
            "in days from today (0: not in the future; 90: up to 90 days ahead)."
        ),
    )
    pattern = models.CharField(
        _("pattern"),
        max_length=200,
        blank=True,
        help_text=_("Regular expression a text answer must match entirely."),
    )
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_('For a choice: [{"value": "...", "fr": "...", "rn": "...", "en": "..."}].'),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "code"], name="unique_field_code_per_service"
            ),
            models.CheckConstraint(
                name="field_min_not_above_max",
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                violation_error_message=_("The minimum cannot be above the maximum."),
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        """Tell the administrator when a date's earliest day comes after its latest day.

        The database constraint says the same in general terms; for a date the limits are days
        from today, which is worth spelling out.
        """
        super().clean()
        if (
            self.kind == FieldKind.DATE
            and self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            message = _(
                "For a date, the maximum (the latest day, %(maximum)s days from today) cannot "
                "come before the minimum (the earliest day, %(minimum)s days from today)."
            )
            params = {"minimum": self.min_value, "maximum": self.max_value}
            raise ValidationError(
                {"max_value": ValidationError(message, code="date_range", params=params)}
            )

    @property
    def label(self) -> str:
        return localized(self, "label")

    @property
    def help_text(self) -> str:
        return localized(self, "help")

    def choice_pairs(self) -> list[tuple[str, str]]:
        return [(choice["value"], localized_choice(choice)) for choice in self.choices]


def localized_choice(choice: dict) -> str:
    from django.utils.translation import get_language

    language = (get_language() or "fr").split("-")[0]
    return choice.get(language) or choice.get("fr") or choice["value"]


class DocumentType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"


def default_accepted_types() -> list[str]:
    return [DocumentType.PDF, DocumentType.JPEG, DocumentType.PNG]


def validate_accepted_types(value) -> None:
    if not isinstance(value, list) or not value or not set(value) <= set(DocumentType.values):
        raise ValidationError(
            _("Give a non-empty list among %(types)s."),
            params={"types": ", ".join(DocumentType.values)},
        )


class RequiredDocument(models.Model):
    """A document the citizen brings or uploads for a service."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="documents"
    )
    code = models.SlugField(_("code"), max_length=40)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_rn = models.CharField(_("name (Kirundi)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    accepted_types = models.JSONField(
        _("accepted file types"),
        default=default_accepted_types,
        validators=[validate_accepted_types],
        help_text=_('A list among "application/pdf", "image/jpeg", "image/png".'),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "code"], name="unique_document_code_per_service"
            )
        ]

    def __str__(self):
        return localized(self, "name")

    @property
    def name(self) -> str:
        return localized(self, "name")
