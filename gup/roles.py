"""Who uses GUP, and where their authority stops.

A role is data on the user. Clerks and office supervisors act for one office; ministry officers
and supervisors for one institution. Everything else (which dossiers a user sees, which
transitions they may call) is derived from the role and that scope, in one place each:
``workflows.queues`` and ``workflows.permissions``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    CLERK = "clerk", _("Clerk")
    OFFICE_SUPERVISOR = "office_supervisor", _("Office supervisor")
    OFFICER = "officer", _("Ministry officer")
    MINISTRY_SUPERVISOR = "ministry_supervisor", _("Ministry supervisor")
    ADMINISTRATOR = "administrator", _("Administrator")
    AUDITOR = "auditor", _("Auditor")


OFFICE_ROLES = frozenset({Role.CLERK, Role.OFFICE_SUPERVISOR})
INSTITUTION_ROLES = frozenset({Role.OFFICER, Role.MINISTRY_SUPERVISOR})
STAFF_ROLES = OFFICE_ROLES | INSTITUTION_ROLES | {Role.ADMINISTRATOR, Role.AUDITOR}


def works_at_office(user, office_id) -> bool:
    """True when the user is a clerk or supervisor of that very office."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role in OFFICE_ROLES
        and office_id is not None
        and user.office_id == office_id
    )


def works_at_institution(user, institution_id) -> bool:
    """True when the user is an officer or supervisor of that very institution."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role in INSTITUTION_ROLES
        and institution_id is not None
        and user.institution_id == institution_id
    )
