"""Who may call each transition, as data-driven role checks.

django-fsm calls these as ``permission(dossier, user)``. ``user`` is None only for the system
(scheduled jobs), which is allowed exactly the transitions marked ``system_only``.
"""

from dataclasses import dataclass

from django.utils.translation import gettext

from gup.roles import Role, works_at_institution, works_at_office


@dataclass(frozen=True)
class TokenHolder:
    """A citizen without an account who proved, with its secret resume token, that a dossier is
    theirs (``workflows.online.holder_for``). They act on that one dossier and nothing else.

    It has no ``pk`` on purpose: code that expects an account (``visible_to``, ownership checks)
    fails loudly instead of matching every dossier that has no account.
    """

    dossier_id: int
    name: str = ""
    is_authenticated = True
    is_active = True
    role = Role.CITIZEN

    def __str__(self):
        return self.name or gettext("Citizen (resume link)")


def _is_person(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def office_staff(dossier, user) -> bool:
    """A clerk or supervisor of the office where the dossier was filed."""
    return _is_person(user) and works_at_office(user, dossier.office_id)


def applicant(dossier, user) -> bool:
    """The citizen whose account filed the dossier, or who holds its resume token."""
    if not _is_person(user) or user.role != Role.CITIZEN:
        return False
    if isinstance(user, TokenHolder):
        return dossier.pk is not None and user.dossier_id == dossier.pk
    return dossier.applicant_account_id is not None and dossier.applicant_account_id == user.pk


def applicant_or_office_staff(dossier, user) -> bool:
    """The citizen online, or a clerk of the office acting for them at the counter."""
    return applicant(dossier, user) or office_staff(dossier, user)


def institution_staff(dossier, user) -> bool:
    """An officer or supervisor of the institution the dossier was forwarded to."""
    return _is_person(user) and works_at_institution(user, dossier.institution_id)


def handling_officer(dossier, user) -> bool:
    """The officer who claimed the dossier, or a supervisor of that institution.

    Once an officer has claimed a dossier, colleagues cannot decide in their place; their
    supervisor can (and reassigns, in the supervisor's screens).
    """
    if not institution_staff(dossier, user):
        return False
    return user.role == Role.MINISTRY_SUPERVISOR or dossier.officer_id == user.pk


def handling_officer_or_office_staff(dossier, user) -> bool:
    """Attendance is recorded where the citizen shows up: the office, or the institution."""
    return handling_officer(dossier, user) or office_staff(dossier, user)


def system_only(dossier, user) -> bool:
    """Scheduled work, never a person."""
    return user is None
