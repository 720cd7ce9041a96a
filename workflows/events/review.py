"""The institution's steps: claiming, asking the citizen, side steps, deciding, issuing."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gup.formatting import day, moment
from workflows.calendar import recorded_too_early, scheduling_problems
from workflows.events.base import AsksTheCitizen, TransitionEvent
from workflows.events.filing import CitizenAnswer
from workflows.models import Decision, Outcome, ScheduledStep, StepKind
from workflows.working_days import working_days_to_decide


class Receive(TransitionEvent):
    name = "receive"
    label = gettext_lazy("Claim and start review")

    def arguments(self, dossier, ctx) -> dict:
        return {"officer": ctx.actor.user}


class RequestInformation(AsksTheCitizen):
    name = "request_information"
    label = gettext_lazy("Ask the citizen for information")
    comment_label = gettext_lazy("Questions for the citizen")
    form = "workflows.clock_forms.InformationRequestForm"


class ProvideInformation(CitizenAnswer):
    name = "provide_information"
    label = gettext_lazy("Send the answer")
    history_label = gettext_lazy("Information sent")
    comment_label = gettext_lazy("The citizen's answer")
    citizen_comment_label = gettext_lazy("Your answer")
    comment_required = True


# --- Side steps with a date -------------------------------------------------------------------


class VisitDetails:
    """A side step with a date and time, a place and what to bring, checked against the calendar
    (a working day, office hours, not in the past) and kept as a ``ScheduledStep``: the first
    date (``ScheduleStep``, a transition) or a new one after a no-show
    (``workflows.events.visits``).
    """

    kind = ""
    place_required = False
    #: What the form proposes the citizen brings; the officer may change it.
    what_to_bring_default = ""
    form = "workflows.forms.ScheduleForm"

    def input_problems(self, dossier, ctx) -> list[str]:
        when = ctx.inputs.get("scheduled_for")
        if not isinstance(when, datetime.datetime) or timezone.is_naive(when):
            return [_("Choose a date and time.")]
        problems = scheduling_problems(when, ctx.now)
        place = (ctx.inputs.get("place") or "").strip()
        if self.place_required and not place:
            problems.append(_("Say where the citizen must come."))
        ctx.inputs["place"] = place
        ctx.inputs["what_to_bring"] = (ctx.inputs.get("what_to_bring") or "").strip()
        return problems

    def record(self, dossier, ctx) -> None:
        step = ScheduledStep.objects.create(
            dossier=dossier,
            kind=self.kind,
            starts_at=ctx.inputs["scheduled_for"],
            place=ctx.inputs["place"],
            what_to_bring=ctx.inputs["what_to_bring"],
            scheduled_by_name=ctx.actor.display_name,
        )
        ctx.details.update(
            starts_at=step.starts_at.isoformat(),
            place=step.place,
            what_to_bring=step.what_to_bring,
        )

    def describe(self, entry) -> str:
        details = entry.details
        if "starts_at" not in details:
            return super().describe(entry)
        when = moment(datetime.datetime.fromisoformat(details["starts_at"]))
        text = f"{self.history_label or self.label}: {when}"
        if details.get("place"):
            text += ", " + details["place"]
        if details.get("what_to_bring"):
            text += ". " + _("Bring: %(things)s") % {"things": details["what_to_bring"]}
        return text


class ScheduleStep(VisitDetails, TransitionEvent):
    """The first date of an inspection or an appointment: the dossier enters that state."""


class RecordStepOutcome(TransitionEvent):
    """The side step took place: its outcome closes the open ``ScheduledStep``."""

    kind = ""

    def input_problems(self, dossier, ctx) -> list[str]:
        step = dossier.open_scheduled_step()
        ctx.inputs["step"] = step
        if step is None or step.kind != self.kind:
            return []
        problem = recorded_too_early(step.starts_at, ctx.now)
        return [problem] if problem else []

    def record(self, dossier, ctx) -> None:
        step = ctx.inputs["step"]
        if step is None:
            return
        step.outcome = ctx.comment or str(self.history_label or self.label)
        step.recorded_at = ctx.now
        step.save(update_fields=["outcome", "recorded_at"])


class ScheduleInspection(ScheduleStep):
    name = "schedule_inspection"
    kind = StepKind.INSPECTION
    label = gettext_lazy("Schedule site inspection")
    history_label = gettext_lazy("Site inspection")


class RecordInspection(RecordStepOutcome):
    name = "record_inspection"
    kind = StepKind.INSPECTION
    label = gettext_lazy("Record inspection report")
    history_label = gettext_lazy("Inspection report recorded")
    comment_label = gettext_lazy("Inspection findings")
    comment_required = True


class OpenPublicNotice(TransitionEvent):
    name = "open_public_notice"
    label = gettext_lazy("Open public notice")

    def record(self, dossier, ctx) -> None:
        ends_on = timezone.localdate(ctx.now) + datetime.timedelta(
            days=dossier.service.public_notice_days
        )
        ScheduledStep.objects.create(
            dossier=dossier,
            kind=StepKind.PUBLIC_NOTICE,
            starts_at=ctx.now,
            ends_on=ends_on,
            scheduled_by_name=ctx.actor.display_name,
        )
        ctx.details["ends_on"] = ends_on.isoformat()

    def describe(self, entry) -> str:
        if "ends_on" not in entry.details:
            return super().describe(entry)
        return _("Public notice until %(date)s") % {
            "date": day(datetime.date.fromisoformat(entry.details["ends_on"]))
        }


class ClosePublicNotice(RecordStepOutcome):
    """Once the whole period is over (a condition of the transition), the officer closes it.

    Objections are recorded one by one while the notice runs (``record_objection``), so the
    comment is optional: the history row counts the objections recorded ("no objection" is a
    recorded fact, not something the officer must type).
    """

    name = "close_public_notice"
    kind = StepKind.PUBLIC_NOTICE
    label = gettext_lazy("Close public notice")
    history_label = gettext_lazy("Public notice closed")
    comment_label = gettext_lazy("Remarks on the objections (optional)")

    def record(self, dossier, ctx) -> None:
        step = ctx.inputs["step"]
        super().record(dossier, ctx)
        if step is not None:
            ctx.details["objections"] = step.objections.count()

    def describe(self, entry) -> str:
        if "objections" not in entry.details:
            return super().describe(entry)
        count = entry.details["objections"]
        if not count:
            return _("Public notice closed: no objection recorded")
        return ngettext(
            "Public notice closed: %(count)d objection recorded",
            "Public notice closed: %(count)d objections recorded",
            count,
        ) % {"count": count}


class GiveAppointment(ScheduleStep):
    name = "give_appointment"
    kind = StepKind.APPOINTMENT
    place_required = True
    what_to_bring_default = gettext_lazy("Your national ID card")
    label = gettext_lazy("Give an appointment")
    history_label = gettext_lazy("Appointment")


class RecordAttendance(RecordStepOutcome):
    name = "record_attendance"
    kind = StepKind.APPOINTMENT
    label = gettext_lazy("Record attendance")
    history_label = gettext_lazy("The citizen came to the appointment")


# --- The decision -----------------------------------------------------------------------------


class Decide(TransitionEvent):
    """The decision is a record of its own: outcome, reasons, who decided and when."""

    outcome = ""

    def record(self, dossier, ctx) -> None:
        actor = ctx.actor
        Decision.objects.create(
            dossier=dossier,
            outcome=self.outcome,
            reasons=ctx.comment,
            decided_by=actor.user,
            decided_by_name=actor.display_name,
            decided_at=ctx.now,
            institution_id=dossier.institution_id,
            service_id=dossier.service_id,
            working_days=working_days_to_decide(dossier.forwarded_at, ctx.now),
        )


class Approve(Decide):
    name = "approve"
    outcome = Outcome.APPROVED
    label = gettext_lazy("Approve")
    comment_label = gettext_lazy("Remarks (optional)")


class Reject(Decide):
    name = "reject"
    outcome = Outcome.REJECTED
    label = gettext_lazy("Reject")
    comment_label = gettext_lazy("Reasons for the rejection, written for the citizen")
    comment_required = True
    comment_is_reasons = True


EVENTS = (
    Receive(),
    RequestInformation(),
    ProvideInformation(),
    ScheduleInspection(),
    RecordInspection(),
    OpenPublicNotice(),
    ClosePublicNotice(),
    GiveAppointment(),
    RecordAttendance(),
    Approve(),
    Reject(),
    TransitionEvent("issue", gettext_lazy("Issue the document")),
    TransitionEvent("dispatch", gettext_lazy("Send to the office")),
)
