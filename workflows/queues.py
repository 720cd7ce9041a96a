"""The only door to dossiers for staff and citizen views: ``Dossier.objects.visible_to(user)``.

Deny by default: a role not named here sees nothing.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gup.roles import INSTITUTION_ROLES, OFFICE_ROLES, Role
from workflows.states import REVIEW_STATES, DossierState

S = DossierState


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in OFFICE_ROLES and user.office_id:
            return self.filter(office_id=user.office_id)
        if user.role in INSTITUTION_ROLES and user.institution_id:
            # An institution sees a dossier from the moment it is forwarded to it.
            return self.filter(institution_id=user.institution_id)
        if user.role == Role.CITIZEN and getattr(user, "dossier_id", None) is not None:
            # A resume-link holder (workflows.permissions.TokenHolder): that one dossier.
            return self.filter(pk=user.dossier_id)
        if user.role == Role.CITIZEN:
            return self.filter(applicant_account_id=user.pk)
        if user.role == Role.AUDITOR:
            return self.all()
        return self.none()

    def for_queue(self):
        """What a queue row shows, fetched with a fixed number of queries."""
        return self.select_related("service", "office", "institution", "officer").exclude(
            state=DossierState.DRAFT
        )


#: The counter's tabs, first the work the clerk must act on: key → (label, filter).
COUNTER_TABS = {
    "to-check": (_("To check"), Q(state__in=[S.SUBMITTED, S.INTAKE])),
    "payment": (_("Awaiting payment"), Q(state=S.AWAITING_PAYMENT)),
    "citizen": (_("Waiting for the citizen"), Q(state__in=[S.RETURNED, S.INFORMATION_REQUESTED])),
    "at-institution": (_("At the institution"), Q(state__in=[S.FORWARDED, *REVIEW_STATES])),
    "collection": (_("To hand over"), Q(state__in=[S.READY_FOR_COLLECTION, S.REJECTED])),
    "all": (_("All"), Q()),
}


def review_tabs(user) -> dict:
    """The review queue's tabs for this officer: key → (label, filter)."""
    return {
        "to-claim": (_("To claim"), Q(state=S.FORWARDED)),
        "mine": (_("My dossiers"), Q(officer=user, state__in=REVIEW_STATES)),
        "waiting": (_("Waiting for the citizen"), Q(state=S.INFORMATION_REQUESTED)),
        "decided": (_("Decided, to issue"), Q(state__in=[S.APPROVED, S.ISSUED])),
        "all": (_("All"), Q()),
    }
