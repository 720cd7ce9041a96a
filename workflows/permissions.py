"""Who may take each step, as data-driven checks on an actor (``workflows.actors.Actor``).

django-fsm calls these as ``permission(dossier, actor)``; the events that are not transitions
(``workflows.events``) name one of them too. Deny by default: each returns True only for the
actors it names.
"""

from gup.roles import Role
from workflows.actors import ActorKind


def office_staff(dossier, actor) -> bool:
    """A clerk or supervisor of the office where the dossier was filed."""
    return actor.office_id is not None and actor.office_id == dossier.office_id


def applicant(dossier, actor) -> bool:
    """The citizen whose account owns the dossier, or who holds its resume link."""
    if actor.kind == ActorKind.RESUME_LINK:
        return dossier.pk is not None and actor.dossier_id == dossier.pk
    if actor.kind == ActorKind.CITIZEN:
        return dossier.applicant_account_id is not None and dossier.applicant_account_id == (
            actor.user_id
        )
    return False


def phone_owner(dossier, actor) -> bool:
    """The citizen whose account's phone number, confirmed with a one-time code, is the one the
    filed dossier names (``applicant_phone``): they proved they hold that phone now.

    Filed dossiers only: a draft is reopened with its resume link, and has no receipt yet.
    """
    user = actor.user if actor.kind == ActorKind.CITIZEN else None
    return (
        user is not None
        and user.role == Role.CITIZEN
        and user.has_verified_phone
        and dossier.tracking_number is not None
        and dossier.applicant_phone == user.phone
    )


def applicant_or_office_staff(dossier, actor) -> bool:
    """The citizen online, or a clerk of the office acting for them at the counter."""
    return applicant(dossier, actor) or office_staff(dossier, actor)


def institution_staff(dossier, actor) -> bool:
    """An officer or supervisor of the institution the dossier was forwarded to."""
    institution_id = actor.staff_institution_id
    return institution_id is not None and institution_id == dossier.institution_id


def institution(dossier, actor) -> bool:
    """The staff of the deciding institution, or its own information system (the exchange)."""
    if actor.kind == ActorKind.INSTITUTION_SYSTEM:
        return actor.institution_id is not None and actor.institution_id == dossier.institution_id
    return institution_staff(dossier, actor)


def handling_officer(dossier, actor) -> bool:
    """The officer who claimed the dossier, a supervisor of that institution, or its system.

    Once an officer has claimed a dossier, colleagues cannot decide in their place; their
    supervisor can (and reassigns, in the supervisor's screens).
    """
    if actor.kind == ActorKind.INSTITUTION_SYSTEM:
        return institution(dossier, actor)
    if not institution_staff(dossier, actor):
        return False
    return actor.role == Role.MINISTRY_SUPERVISOR or dossier.officer_id == actor.user_id


def handling_officer_or_office_staff(dossier, actor) -> bool:
    """Attendance is recorded where the citizen shows up: the office, or the institution."""
    return handling_officer(dossier, actor) or office_staff(dossier, actor)


def staff_handling(dossier, actor) -> bool:
    """Anyone whose queue holds the dossier now: its office, or its institution."""
    return office_staff(dossier, actor) or institution_staff(dossier, actor)


def system_only(dossier, actor) -> bool:
    """Scheduled work, never a person."""
    return actor.kind == ActorKind.SYSTEM


def supervisor_handling(dossier, actor) -> bool:
    """The supervisor of the dossier's office, or of the institution deciding on it."""
    if actor.role == Role.OFFICE_SUPERVISOR:
        return office_staff(dossier, actor)
    if actor.role == Role.MINISTRY_SUPERVISOR:
        return institution_staff(dossier, actor)
    return False


def supervisor_of_current_stage(dossier, actor) -> bool:
    """The supervisor of whoever holds the dossier now: its office's until it is forwarded,
    the deciding institution's afterwards."""
    if dossier.institution_id is None:
        return actor.role == Role.OFFICE_SUPERVISOR and office_staff(dossier, actor)
    return actor.role == Role.MINISTRY_SUPERVISOR and institution_staff(dossier, actor)
