"""The only door to dossiers for staff and citizen views: ``Dossier.objects.visible_to(user)``.

Deny by default: a role not named here sees nothing.
"""

from django.db import models

from gup.roles import INSTITUTION_ROLES, OFFICE_ROLES, Role
from workflows.states import DossierState


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in OFFICE_ROLES and user.office_id:
            return self.filter(office_id=user.office_id)
        if user.role in INSTITUTION_ROLES and user.institution_id:
            # An institution sees a dossier from the moment it is forwarded to it.
            return self.filter(institution_id=user.institution_id)
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
