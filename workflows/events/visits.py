"""When nobody comes: a missed appointment, an inspector who found nobody, and the new date.

A no-show does not move the dossier: it stays in its state (appointment, site inspection), the
visit is closed with the outcome "no-show", and the dossier waits for a new date. The new date
is given with the same rules as the first (``workflows.calendar``), and the citizen is told it
as they were told the first: SMS and email in their language, and a new notice to print.
Neither event is a transition, so the state machine (``workflows.states``) stays the only way a
state changes; both are listed among a dossier's steps (``available_steps``) in those states.
"""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gup.formatting import moment
from workflows import conditions as can
from workflows import permissions as may
from workflows.calendar import recorded_too_early
from workflows.events.base import Event
from workflows.events.review import GiveAppointment, VisitDetails
from workflows.models import StepKind
from workflows.states import DossierState

S = DossierState


class RecordNoShow(Event):
    """The citizen did not come to the appointment, or the inspector found nobody on site.

    Only once the scheduled time has passed. Taken by whoever records what happened at that
    visit (``permissions.visit_outcome_recorder``).
    """

    name = "record_no_show"
    label = gettext_lazy("Record a no-show")
    comment_label = gettext_lazy("What happened (optional; the citizen reads it)")
    states = (S.APPOINTMENT, S.INSPECTION)
    offered_with_transitions = True
    permission = staticmethod(may.visit_outcome_recorder)
    conditions = (can.visit_scheduled,)

    def input_problems(self, dossier, ctx) -> list[str]:
        step = dossier.open_scheduled_step()
        ctx.inputs["step"] = step
        problem = recorded_too_early(step.starts_at, ctx.now)
        return [problem] if problem else []

    def apply(self, dossier, ctx) -> None:
        step = ctx.inputs["step"]
        step.no_show = True
        step.outcome = ctx.comment or str(_("No-show"))
        step.recorded_at = ctx.now
        step.save(update_fields=["no_show", "outcome", "recorded_at"])
        ctx.details.update(visit=step.kind, starts_at=step.starts_at.isoformat())

    def describe(self, entry) -> str:
        details = entry.details
        if "starts_at" not in details:
            return super().describe(entry)
        when = moment(datetime.datetime.fromisoformat(details["starts_at"]))
        if details.get("visit") == StepKind.INSPECTION:
            return _(
                "Nobody was at the site for the inspection of %(date)s: a new date follows"
            ) % {"date": when}
        return _("The citizen did not come to the appointment of %(date)s: a new date follows") % {
            "date": when
        }


class Reschedule(VisitDetails, Event):
    """After a no-show, the officer gives a new date, checked like the first one."""

    permission = staticmethod(may.handling_officer)
    conditions = (can.waiting_for_new_date,)
    offered_with_transitions = True

    def apply(self, dossier, ctx) -> None:
        self.record(dossier, ctx)


class RescheduleAppointment(Reschedule):
    name = "reschedule_appointment"
    kind = StepKind.APPOINTMENT
    states = (S.APPOINTMENT,)
    # The new date asks for what the first one asked.
    place_required = GiveAppointment.place_required
    what_to_bring_default = GiveAppointment.what_to_bring_default
    label = gettext_lazy("Give a new appointment date")
    history_label = gettext_lazy("New appointment")


class RescheduleInspection(Reschedule):
    name = "reschedule_inspection"
    kind = StepKind.INSPECTION
    states = (S.INSPECTION,)
    label = gettext_lazy("Give a new inspection date")
    history_label = gettext_lazy("New site inspection date")


EVENTS = (RecordNoShow(), RescheduleAppointment(), RescheduleInspection())
