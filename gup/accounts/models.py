from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gup.roles import INSTITUTION_ROLES, OFFICE_ROLES, Role


class User(AbstractUser):
    """Anyone who signs in: citizens and staff. The role and its scope say what they may do."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.CITIZEN)
    office = models.ForeignKey(
        "services.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Required for clerks and office supervisors."),
    )
    institution = models.ForeignKey(
        "services.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Required for ministry officers and supervisors."),
    )
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, default="fr", choices=settings.LANGUAGES
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="office_roles_have_an_office",
                condition=~Q(role__in=sorted(OFFICE_ROLES)) | Q(office__isnull=False),
                violation_error_message=_("Clerks and office supervisors need an office."),
            ),
            models.CheckConstraint(
                name="institution_roles_have_an_institution",
                condition=~Q(role__in=sorted(INSTITUTION_ROLES)) | Q(institution__isnull=False),
                violation_error_message=_("Ministry officers and supervisors need an institution."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        """Keep the phone number in E.164 form: citizens sign in with it, however they type it."""
        super().clean()
        if self.phone:
            # Imported here: workflows' models refer to this one.
            from workflows.applicant import normalize_phone

            try:
                self.phone = normalize_phone(self.phone)
            except ValidationError as error:
                raise ValidationError({"phone": error.messages}) from error

    @property
    def is_office_staff(self) -> bool:
        return self.role in OFFICE_ROLES

    @property
    def is_institution_staff(self) -> bool:
        return self.role in INSTITUTION_ROLES
