"""The side steps an institution schedules: a site inspection, an appointment, a public notice.

Each is a record of its own, with its date and time, its place and what to bring, and, once it
has happened, its outcome. A dossier may go through the same kind of step more than once (a
second inspection); the open one is the latest without an outcome.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StepKind(models.TextChoices):
    INSPECTION = "inspection", _("Site inspection")
    APPOINTMENT = "appointment", _("Appointment")
    PUBLIC_NOTICE = "public_notice", _("Public notice")


class ScheduledStep(models.Model):
    dossier = models.ForeignKey(
        "workflows.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="scheduled_steps",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=StepKind.choices)
    starts_at = models.DateTimeField(_("date and time"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    what_to_bring = models.TextField(_("what to bring"), blank=True)
    scheduled_by_name = models.CharField(_("scheduled by"), max_length=300)
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)
    #: Nobody came (the citizen to the appointment, or to let the inspector in): the dossier
    #: stays in its state and waits for a new date (``record_no_show``, then ``reschedule_*``).
    no_show = models.BooleanField(_("nobody came"), default=False)

    class Meta:
        ordering = ["dossier", "starts_at", "id"]
        verbose_name = _("scheduled step")
        verbose_name_plural = _("scheduled steps")
        indexes = [models.Index(fields=["dossier", "-id"], name="scheduled_step_latest")]
        constraints = [
            models.CheckConstraint(
                name="no_show_is_an_outcome",
                condition=models.Q(no_show=False) | models.Q(recorded_at__isnull=False),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.recorded_at is None
