"""Who holds a dossier, and to whom a supervisor may hand it.

A dossier has one holder on each side of its journey:

- the office's, ``Dossier.clerk``: a clerk (or supervisor) of the office where it was filed, from
  the moment they start checking it until the citizen collects the result;
- the institution's, ``Dossier.officer``: the officer who claims it (``receive``) and decides.

The side is the actor's: staff of an office hold, filter and assign on the office's side, staff
of an institution on the institution's. A supervisor assigns with the event ``assign``
(``workflows.events.assignment``), through ``workflows.actions.perform`` like every write.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from gup.roles import INSTITUTION_ROLES, OFFICE_ROLES, Role
from workflows.states import FINAL_STATES, REVIEW_STATES, DossierState

S = DossierState

#: Filed and not finished: the office may hand a dossier to another clerk at any of these, the
#: result still comes back to the office to be handed over.
OFFICE_ASSIGNABLE_STATES = tuple(
    state for state in DossierState if state != S.DRAFT and state not in FINAL_STATES
)
#: Forwarded to the institution and not yet issued: someone there must claim, review or decide.
INSTITUTION_ASSIGNABLE_STATES = (S.FORWARDED, S.INFORMATION_REQUESTED, *REVIEW_STATES, S.APPROVED)


@dataclass(frozen=True)
class Side:
    """One side of the dossier's journey: which field holds it, and who may be given it."""

    #: The dossier's field naming the holder.
    field: str
    #: The user's field naming their office or institution (the same name on the dossier).
    scope: str
    #: Who may hold a dossier here (the colleagues a queue filters by).
    holder_roles: frozenset
    #: Who a supervisor may assign a dossier to.
    assignee_roles: frozenset
    #: The supervisor who assigns.
    supervisor_role: str
    #: The states in which a supervisor may assign or reassign.
    states: tuple
    #: What refusing an assignee says.
    outside_scope: str


OFFICE = Side(
    field="clerk",
    scope="office_id",
    holder_roles=OFFICE_ROLES,
    assignee_roles=OFFICE_ROLES,
    supervisor_role=Role.OFFICE_SUPERVISOR,
    states=OFFICE_ASSIGNABLE_STATES,
    outside_scope=_("Choose an active clerk or supervisor of this office."),
)
INSTITUTION = Side(
    field="officer",
    scope="institution_id",
    holder_roles=INSTITUTION_ROLES,
    assignee_roles=frozenset({Role.OFFICER}),
    supervisor_role=Role.MINISTRY_SUPERVISOR,
    states=INSTITUTION_ASSIGNABLE_STATES,
    outside_scope=_("Choose an active officer of this institution."),
)


def side_of(actor) -> Side | None:
    """The side this actor works on; None for anyone who works on neither (deny by default)."""
    if actor is None:
        return None
    if actor.office_id is not None:
        return OFFICE
    if actor.staff_institution_id is not None:
        return INSTITUTION
    return None


def scope_id(actor, side: Side):
    return actor.office_id if side is OFFICE else actor.staff_institution_id


def colleagues(actor, *, assignees: bool = False):
    """The active people of the actor's own office or institution who may hold a dossier (or,
    with ``assignees``, be assigned one), ordered by name. Nobody for an actor of neither."""
    users = get_user_model().objects
    side = side_of(actor)
    if side is None:
        return users.none()
    roles = side.assignee_roles if assignees else side.holder_roles
    return users.filter(
        **{side.scope: scope_id(actor, side)}, role__in=sorted(roles), is_active=True
    ).order_by("last_name", "first_name", "username")


def holder(dossier, side: Side):
    """Who holds ``dossier`` on ``side`` (a user), or None."""
    return getattr(dossier, side.field)


def name_of(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""
