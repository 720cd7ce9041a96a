"""The SLA clock of a dossier: what moves it, and what the screens say about it.

The arithmetic and its rules are in ``workflows.sla`` (pure, property-tested). Here:

- ``calendar_for(office)``: the working-day calendar of an office, its closures and the national
  ones loaded in one query;
- ``after_transition``: every transition (``TransitionEvent.apply``) pauses the clock when the
  dossier starts waiting for the citizen and resumes it when it stops, moving the expected date;
  the history row of the transition says so (``details["clock"]``, read by ``describe``);
- the rules of an extension and of the day a citizen is asked to answer by, shared by the events
  (whatever the channel) and the forms (which show a problem beside its field);
- ``summary`` and ``no_answer_since``: what the staff and citizen pages show.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gup.formatting import day
from workflows import sla
from workflows.models import ClockSuspension, Closure, DeadlineExtension
from workflows.states import FINAL_STATES, WAITING_FOR_CITIZEN_STATES, DossierState

S = DossierState

#: The latest answer-by day an officer may set, in working days from today.
MAX_ANSWER_WORKING_DAYS = 60

#: The requests the citizen answers (a payment is not "an answer": it has no answer-by day).
ASKING_STATES = (S.RETURNED, S.INFORMATION_REQUESTED)


def calendar_for(office_id) -> sla.Calendar:
    """Weekends, public holidays, the national closures and those of this office: one query."""
    closures = Closure.objects.filter(Q(office__isnull=True) | Q(office_id=office_id))
    return sla.Calendar(closures=tuple(closures.values_list("first_day", "last_day")))


def _local(moment) -> datetime.date:
    return timezone.localdate(moment)


def promised_days(dossier) -> int:
    """The delay promised at filing (the catalogue's, for dossiers filed before it was kept)."""
    return dossier.target_working_days or dossier.service.target_working_days


def closed_suspensions(dossier) -> list[sla.Suspension]:
    return [
        sla.Suspension(_local(paused), _local(resumed))
        for paused, resumed in dossier.clock_suspensions.filter(
            resumed_at__isnull=False
        ).values_list("paused_at", "resumed_at")
    ]


def extension_days(dossier) -> int:
    extension = DeadlineExtension.objects.filter(dossier=dossier).first()
    return extension.working_days if extension else 0


def recomputed_due_date(dossier, calendar: sla.Calendar) -> datetime.date:
    """The expected date from the rules (``workflows.sla.expected_date``) and the records."""
    return sla.expected_date(
        _local(dossier.submitted_at),
        promised_days(dossier),
        closed_suspensions(dossier),
        extension_days(dossier),
        calendar,
    )


# --- Pausing and resuming ---------------------------------------------------------------------


def after_transition(dossier, from_state: str, ctx) -> None:
    """Pause or resume the clock when a transition starts or stops waiting for the citizen."""
    waited = from_state in WAITING_FOR_CITIZEN_STATES
    waits = dossier.state in WAITING_FOR_CITIZEN_STATES
    if waits and not waited:
        dossier.clock_paused_at = ctx.now
        ClockSuspension.objects.create(
            dossier=dossier, waiting_state=dossier.state, paused_at=ctx.now
        )
        ctx.details["clock"] = {"paused": True}
    elif waited and not waits:
        suspension = dossier.clock_suspensions.filter(resumed_at__isnull=True).first()
        dossier.clock_paused_at = None
        if suspension is None:
            # Paused before the clock was kept: nothing to resume.
            return
        suspension.resumed_at = ctx.now
        if dossier.state in FINAL_STATES or dossier.submitted_at is None:
            suspension.save(update_fields=["resumed_at"])
            return
        calendar = calendar_for(dossier.office_id)
        before = dossier.due_date
        # Saved first: the recomputation reads the closed suspensions back.
        suspension.save(update_fields=["resumed_at"])
        dossier.due_date = recomputed_due_date(dossier, calendar)
        moved = max(calendar.working_days_between(before, dossier.due_date), 0) if before else 0
        suspension.moved_by = moved
        suspension.save(update_fields=["moved_by"])
        ctx.details["clock"] = {
            "resumed": True,
            "moved_by": moved,
            "due_date": dossier.due_date.isoformat(),
        }


def describe_clock(details: dict) -> str:
    """What a history row adds about the clock ("" when it did not touch it)."""
    clock = details.get("clock") if isinstance(details, dict) else None
    if not clock:
        return ""
    if clock.get("paused"):
        return _("Clock paused (waiting for the citizen)")
    if clock.get("resumed"):
        date = day(datetime.date.fromisoformat(clock["due_date"]))
        if clock.get("moved_by"):
            return _("Clock resumed: expected date moved to %(date)s") % {"date": date}
        return _("Clock resumed: expected date unchanged, %(date)s") % {"date": date}
    return ""


# --- The day the citizen answers by ----------------------------------------------------------


def default_answer_by(dossier, now) -> datetime.date:
    """Today plus the service's time to answer, in working days of the office's calendar."""
    calendar = calendar_for(dossier.office_id)
    return calendar.add_working_days(_local(now), dossier.service.information_answer_working_days)


def answer_by_problems(answer_by, today: datetime.date, calendar: sla.Calendar) -> list[str]:
    """Why ``answer_by`` cannot be the day the citizen is asked to answer by."""
    if not isinstance(answer_by, datetime.date) or isinstance(answer_by, datetime.datetime):
        return [_("Choose the day by which the citizen must answer.")]
    if answer_by <= today:
        return [_("The day to answer by must come after today.")]
    if not calendar.is_working_day(answer_by):
        return [
            _("The day to answer by must be a working day (not a weekend, holiday or closure).")
        ]
    latest = calendar.add_working_days(today, MAX_ANSWER_WORKING_DAYS)
    if answer_by > latest:
        return [
            _("The day to answer by can be at most %(days)s working days away (%(date)s).")
            % {"days": MAX_ANSWER_WORKING_DAYS, "date": day(latest)}
        ]
    return []


def no_answer_since(dossier, today: datetime.date) -> datetime.date | None:
    """The day the citizen was asked, when they have not answered by the day they were given."""
    if dossier.state not in ASKING_STATES or dossier.answer_by is None:
        return None
    if today <= dossier.answer_by:
        return None
    return _local(dossier.clock_paused_at) if dossier.clock_paused_at else dossier.answer_by


# --- Extensions -------------------------------------------------------------------------------


def extension_refusal(dossier) -> str:
    """Why the dossier's expected date cannot be extended at all ("" when it can)."""
    if dossier.service.max_extension_working_days == 0:
        return _("This service allows no extension of the expected date.")
    if DeadlineExtension.objects.filter(dossier=dossier).exists():
        return _("The expected date of this dossier has already been extended: only once.")
    return ""


def extension_days_problems(service, days) -> list[str]:
    """Why ``days`` cannot be the length of an extension for this service."""
    limit = service.max_extension_working_days
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        return [_("Give at least 1 working day.")]
    if days > limit:
        return [
            ngettext(
                "This service allows at most %(limit)s working day.",
                "This service allows at most %(limit)s working days.",
                limit,
            )
            % {"limit": limit}
        ]
    return []


# --- What the pages show ----------------------------------------------------------------------


@dataclass(frozen=True)
class ClockSummary:
    paused_since: datetime.date | None
    due_date: datetime.date | None
    answer_by: datetime.date | None
    no_answer_since: datetime.date | None
    extension: object
    elapsed: sla.Elapsed | None


def summary(dossier, today: datetime.date | None = None) -> ClockSummary:
    """The clock as the staff's dossier page shows it (a few queries, none per day)."""
    today = today or timezone.localdate()
    elapsed = None
    if dossier.submitted_at is not None:
        calendar = calendar_for(dossier.office_id)
        suspensions = [
            sla.Suspension(
                _local(paused),
                min(_local(resumed), today) if resumed else today,
            )
            for paused, resumed in dossier.clock_suspensions.values_list("paused_at", "resumed_at")
            if _local(paused) <= today
        ]
        # A reverse one-to-one with no row raises an AttributeError: getattr's default.
        decision = getattr(dossier, "decision", None)
        elapsed = sla.elapsed(
            _local(dossier.submitted_at),
            today,
            calendar,
            suspensions,
            forwarded_on=_local(dossier.forwarded_at) if dossier.forwarded_at else None,
            decided_on=_local(decision.decided_at) if decision else None,
        )
    return ClockSummary(
        paused_since=paused_since(dossier),
        due_date=dossier.due_date,
        answer_by=dossier.answer_by if dossier.state in ASKING_STATES else None,
        no_answer_since=no_answer_since(dossier, today),
        # Read with the dossier when the caller selected it (a missing row: getattr's default).
        extension=getattr(dossier, "deadline_extension", None),
        elapsed=elapsed,
    )


def paused_since(dossier) -> datetime.date | None:
    """The day the clock stopped, while the dossier waits for the citizen."""
    if dossier.state in WAITING_FOR_CITIZEN_STATES and dossier.clock_paused_at:
        return _local(dossier.clock_paused_at)
    return None
