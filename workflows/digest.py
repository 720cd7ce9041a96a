"""The daily digest: each member of staff is emailed the overdue dossiers that wait on them.

Overdue: the expected date has passed, the dossier is not decided yet, and it is not waiting
for the citizen (the clock stops then). Whose: a clerk's or office supervisor's are those of
their office still at the office; an officer's, those they hold and those of their institution
nobody has claimed yet; a ministry supervisor's, all of their institution's.
"""

from django.db.models import Q
from django.utils import timezone

from gup.db_routers import reporting
from gup.roles import Role
from workflows.models import Dossier
from workflows.states import REVIEW_STATES, DossierState

S = DossierState

#: Decided or waiting for the citizen: the office and the institution owe nothing on these.
_STILL_OWED = (S.SUBMITTED, S.INTAKE, S.FORWARDED, *REVIEW_STATES)
_AT_THE_OFFICE = (S.SUBMITTED, S.INTAKE)

DIGEST_ROLES = (Role.CLERK, Role.OFFICE_SUPERVISOR, Role.OFFICER, Role.MINISTRY_SUPERVISOR)


@reporting()  # a digest may lag the primary by a moment: read from the replica, if any
def overdue_for(user, today=None) -> list[Dossier]:
    """The overdue dossiers waiting on ``user``, most overdue first."""
    today = today or timezone.localdate()
    whose = _waiting_on(user)
    if whose is None:
        return []
    dossiers = (
        Dossier.objects.visible_to(user)
        .filter(whose, state__in=_STILL_OWED, due_date__lt=today)
        .select_related("service", "office")
        .order_by("due_date", "pk")
    )
    return list(dossiers)


def _waiting_on(user) -> Q | None:
    if user.role in (Role.CLERK, Role.OFFICE_SUPERVISOR):
        return Q(state__in=_AT_THE_OFFICE)
    if user.role == Role.OFFICER:
        return Q(officer=user) | Q(state=S.FORWARDED)
    if user.role == Role.MINISTRY_SUPERVISOR:
        return Q()
    return None
