"""The SLA clock's own event: a supervisor extends the expected date (``workflows.clock``).

Pausing and resuming are not events of their own: every transition keeps the clock
(``TransitionEvent.apply``), and its history row says when it paused or resumed.
"""

import datetime

from django.utils.translation import gettext_lazy, ngettext

from gup.formatting import day
from workflows import clock
from workflows import permissions as may
from workflows.events.base import Event
from workflows.exceptions import TransitionRefused
from workflows.models import DeadlineExtension
from workflows.states import UNDECIDED_STATES
from workflows.states import DossierState as S

#: Filed and not decided yet: the expected date still means something.
RUNNING_STATES = tuple(state for state in UNDECIDED_STATES if state != S.DRAFT)


class ExtendDeadline(Event):
    """A supervisor of the dossier's current stage gives it more working days: once per
    dossier (also in the database), with a reason, up to the service's limit.

    ``inputs["working_days"]``: how many. The expected date is recomputed from the rules
    (``workflows.sla``), so the extension skips the days the clock was paused.
    """

    name = "extend_deadline"
    label = gettext_lazy("Extend the expected date")
    comment_label = gettext_lazy("Reason for the extension (the citizen reads it)")
    comment_required = True
    form = "workflows.clock_forms.ExtensionForm"
    offered_with_transitions = True
    permission = staticmethod(may.supervisor_of_current_stage)
    states = RUNNING_STATES

    def check(self, dossier, ctx) -> None:
        super().check(dossier, ctx)
        refusal = clock.extension_refusal(dossier)
        if refusal:
            raise TransitionRefused(refusal)

    def input_problems(self, dossier, ctx) -> list[str]:
        return clock.extension_days_problems(dossier.service, ctx.inputs.get("working_days"))

    def apply(self, dossier, ctx) -> None:
        days = ctx.inputs["working_days"]
        DeadlineExtension.objects.create(
            dossier=dossier,
            working_days=days,
            reason=ctx.comment,
            granted_by=ctx.actor.user,
            granted_at=ctx.now,
        )
        before = dossier.due_date
        dossier.due_date = clock.recomputed_due_date(dossier, clock.calendar_for(dossier.office_id))
        ctx.details.update(
            working_days=days,
            due_date=dossier.due_date.isoformat(),
            previous_due_date=before.isoformat() if before else None,
        )

    def describe(self, entry) -> str:
        details = entry.details
        if "working_days" not in details:
            return str(self.label)
        days = details["working_days"]
        return ngettext(
            "Expected date extended by %(days)s working day, to %(date)s",
            "Expected date extended by %(days)s working days, to %(date)s",
            days,
        ) % {"days": days, "date": day(datetime.date.fromisoformat(details["due_date"]))}


EVENTS = (ExtendDeadline(),)
