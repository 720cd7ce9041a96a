from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
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
    #: When the citizen proved, with a one-time code, that ``phone`` is theirs. Until then the
    #: dossiers filed with that number are not offered to the account.
    phone_verified_at = models.DateTimeField(
        _("phone number confirmed at"), null=True, blank=True, editable=False
    )
    #: Raised by "Sign out everywhere": every session signed in before no longer matches.
    session_generation = models.PositiveIntegerField(
        _("session generation"), default=0, editable=False
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
        """Keep the phone number in E.164 form: citizens sign in with it, however they type it.

        A new number is not confirmed yet: the confirmation was for the number it replaces.
        """
        super().clean()
        if self.phone:
            # Imported here: workflows' models refer to this one.
            from workflows.applicant import normalize_phone

            try:
                self.phone = normalize_phone(self.phone)
            except ValidationError as error:
                raise ValidationError({"phone": error.messages}) from error
        if self.pk and self.phone_verified_at is not None:
            before = type(self).objects.filter(pk=self.pk).values_list("phone", flat=True).first()
            if before != self.phone:
                self.phone_verified_at = None

    def _get_session_auth_hash(self, secret=None):
        """What each session keeps to prove it is still valid (Django compares it on every
        request): the password hash, as in Django, so a password change ends the other sessions,
        and ``session_generation``, so "Sign out everywhere" ends them all. At generation 0 it
        is Django's own hash: the sessions open before this existed stay open."""
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "gup.accounts.User.session",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def has_verified_phone(self) -> bool:
        """The account's phone number was confirmed with a one-time code."""
        return bool(self.phone) and self.phone_verified_at is not None

    @property
    def must_confirm_phone(self) -> bool:
        """A citizen whose phone number is not confirmed yet (the pages remind them)."""
        return self.role == Role.CITIZEN and bool(self.phone) and self.phone_verified_at is None

    @property
    def is_office_staff(self) -> bool:
        return self.role in OFFICE_ROLES

    @property
    def is_institution_staff(self) -> bool:
        return self.role in INSTITUTION_ROLES


class CodePurpose(models.TextChoices):
    """What a one-time code proves (``gup.accounts.one_time_codes``)."""

    VERIFY_PHONE = "verify_phone", _("Confirm an account's phone number")
    TRACK_DOCUMENTS = "track_documents", _("Download a dossier's documents from /track/")


class OneTimeCode(models.Model):
    """Six digits sent by SMS to prove that a phone is at hand, for a few minutes.

    Only an HMAC of the code is kept (six digits are guessed in a second from a plain hash).
    The rows also count how many codes a phone was sent lately, which is why spent codes stay a
    day before ``one_time_codes.purge_spent`` deletes them. Written by that module only.
    """

    phone = models.CharField(_("phone number"), max_length=20)
    purpose = models.CharField(_("purpose"), max_length=32, choices=CodePurpose.choices)
    #: What the code opens, e.g. ``user:12`` (the account confirming its phone) or ``dossier:34``.
    scope = models.CharField(_("scope"), max_length=64)
    code_hash = models.CharField(_("code (HMAC)"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [
            # The code being checked: the latest of a phone, purpose and scope.
            models.Index(
                fields=["phone", "purpose", "scope", "-created_at"], name="one_time_code_lookup"
            ),
            # How many codes a phone was sent in the last hour.
            models.Index(fields=["phone", "created_at"], name="one_time_code_per_phone"),
            models.Index(fields=["expires_at"], name="one_time_code_expiry"),
        ]
        constraints = [
            models.CheckConstraint(
                name="one_time_code_expires_after_creation",
                condition=Q(expires_at__gte=models.F("created_at")),
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.created_at:%Y-%m-%d %H:%M})"
