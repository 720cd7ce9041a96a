"""The SLA clock's records: closures of the calendar, suspensions and the extension.

The arithmetic is in ``workflows.sla`` (pure); what moves the clock is in ``workflows.clock``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from workflows.states import WAITING_FOR_CITIZEN_STATES, DossierState


class Closure(models.Model):
    """Days on which an office, or every office (a national closure), does not work.

    Declared by an administrator: a day of national mourning, an office closed for works, a
    movable holiday the ``holidays`` package placed on the wrong day. These days do not count
    towards a dossier's expected date, from the next event that moves it.
    """

    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"), help_text=_("The same as the first for one day."))
    office = models.ForeignKey(
        "services.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        help_text=_("Empty for a national closure: every office."),
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["-first_day"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(
                name="closure_last_day_not_before_first",
                condition=Q(last_day__gte=F("first_day")),
                violation_error_message=_("The last day cannot come before the first day."),
            )
        ]

    def __str__(self):
        return f"{self.first_day}–{self.last_day}: {self.reason}"

    def clean(self):
        super().clean()
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError({"last_day": _("The last day cannot come before the first day.")})


class ClockSuspension(models.Model):
    """The clock of a dossier paused while it waited for the citizen, and what that moved."""

    dossier = models.ForeignKey(
        "workflows.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="clock_suspensions",
    )
    waiting_state = models.CharField(
        _("waiting in"),
        max_length=32,
        choices=[(s.value, s.label) for s in DossierState if s in WAITING_FOR_CITIZEN_STATES],
    )
    paused_at = models.DateTimeField(_("paused"))
    resumed_at = models.DateTimeField(_("resumed"), null=True, blank=True)
    moved_by = models.PositiveSmallIntegerField(
        _("expected date moved by (working days)"), null=True, blank=True
    )

    class Meta:
        ordering = ["paused_at", "id"]
        verbose_name = _("clock suspension")
        verbose_name_plural = _("clock suspensions")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(resumed_at__isnull=True),
                name="one_open_clock_suspension",
            ),
            models.CheckConstraint(
                name="clock_resumed_after_paused",
                condition=Q(resumed_at__isnull=True) | Q(resumed_at__gte=F("paused_at")),
            ),
        ]

    def __str__(self):
        return f"{self.dossier_id}: {self.paused_at:%Y-%m-%d}–{self.resumed_at or ''}"


class DeadlineExtension(models.Model):
    """A supervisor gave the dossier more working days: once per dossier, with a reason."""

    dossier = models.OneToOneField(
        "workflows.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="deadline_extension",
    )
    working_days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted"))

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        constraints = [
            models.CheckConstraint(
                name="extension_of_at_least_one_day", condition=Q(working_days__gte=1)
            )
        ]

    def __str__(self):
        return f"{self.dossier_id}: +{self.working_days}"
