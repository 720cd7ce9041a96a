"""Handing work over: a supervisor assigns a dossier to a colleague, or reassigns it.

- An office supervisor gives a dossier of their office, filed and not finished, to an active
  clerk or supervisor of that office (``Dossier.clerk``).
- A ministry supervisor gives a dossier forwarded to their institution, from its arrival until
  the document is issued, to an active officer of that institution (``Dossier.officer``).

Assigning a dossier that was forwarded and not claimed yet claims it for the officer: the
dossier goes to "In review" through the lifecycle's own ``receive`` transition, as if the
officer had claimed it. Otherwise the officer would see it among "To claim", where any colleague
could claim it over the supervisor's choice. The history row is the assignment's ("Assigned to
X, who starts the review"), kept for staff only: it names colleagues, and the citizen's page
shows the state reached anyway.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows import assignment
from workflows import permissions as may
from workflows.events.base import Event
from workflows.exceptions import NotAllowed, TransitionRefused
from workflows.states import DossierState


class Assign(Event):
    """A supervisor hands the dossier to a colleague (``assignee``: a user or their id)."""

    name = "assign"
    label = gettext_lazy("Assign")
    comment_label = gettext_lazy("Note for colleagues (optional)")
    is_public = False
    offered = False

    def check(self, dossier, ctx) -> None:
        side = assignment.side_of(ctx.actor)
        if (
            side is None
            or ctx.actor.role != side.supervisor_role
            or not may.supervisor_handling(dossier, ctx.actor)
        ):
            raise NotAllowed(_("Only a supervisor of the office or of the institution assigns."))
        if dossier.state not in side.states:
            raise TransitionRefused(
                _("A dossier that is “%(state)s” cannot be assigned.")
                % {"state": dossier.state_label}
            )

    def input_problems(self, dossier, ctx) -> list[str]:
        side = assignment.side_of(ctx.actor)
        raw = ctx.inputs.get("assignee")
        if raw is None or raw == "":
            return [_("Choose who will handle this dossier.")]
        try:
            pk = int(getattr(raw, "pk", raw))
        except (TypeError, ValueError):
            return [str(side.outside_scope)]
        user = get_user_model().objects.filter(pk=pk).first()
        if (
            user is None
            or getattr(user, side.scope) != assignment.scope_id(ctx.actor, side)
            or user.role not in side.assignee_roles
        ):
            return [str(side.outside_scope)]
        name = assignment.name_of(user)
        if not user.is_active:
            return [_("%(name)s's account is not active: choose someone else.") % {"name": name}]
        if getattr(dossier, f"{side.field}_id") == user.pk:
            return [_("This dossier is already assigned to %(name)s.") % {"name": name}]
        ctx.inputs["assignee"] = user
        return []

    def apply(self, dossier, ctx) -> None:
        side = assignment.side_of(ctx.actor)
        user = ctx.inputs["assignee"]
        previous = assignment.holder(dossier, side)
        setattr(dossier, side.field, user)
        claimed = side is assignment.INSTITUTION and dossier.state == DossierState.FORWARDED
        if claimed:
            dossier.receive(officer=user)
        ctx.details.update(
            holder=side.field,
            to=assignment.name_of(user),
            to_id=user.pk,
            previous=assignment.name_of(previous),
            previous_id=previous.pk if previous is not None else None,
            claimed=claimed,
        )

    def describe(self, entry) -> str:
        details = entry.details
        if "to" not in details:
            return str(self.label)
        if details.get("claimed"):
            return _("Assigned to %(to)s, who starts the review") % details
        if details.get("previous"):
            return _("Reassigned from %(previous)s to %(to)s") % details
        return _("Assigned to %(to)s") % details


EVENTS = (Assign(),)
