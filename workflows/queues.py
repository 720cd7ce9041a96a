"""The only door to dossiers, for staff and citizens: ``Dossier.objects.visible_to(actor)``.

Deny by default: a role not named here sees nothing.
"""

from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from gup.roles import Role
from workflows.actors import ActorKind, as_actor
from workflows.states import REVIEW_STATES, DossierState

S = DossierState


class DossierQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """The dossiers ``actor`` may see: an Actor, or a request's user (made one here)."""
        actor = as_actor(actor)
        if actor is None:
            return self.none()
        if actor.kind == ActorKind.RESUME_LINK:
            return self.filter(pk=actor.dossier_id)
        if actor.kind == ActorKind.CITIZEN:
            return self.filter(applicant_account_id=actor.user_id)
        if actor.office_id is not None:
            return self.filter(office_id=actor.office_id)
        if actor.staff_institution_id is not None:
            # An institution sees a dossier from the moment it is forwarded to it.
            return self.filter(institution_id=actor.staff_institution_id)
        if actor.kind == ActorKind.INSTITUTION_SYSTEM:
            return self.filter(institution_id=actor.institution_id)
        if actor.kind == ActorKind.STAFF and actor.role == Role.AUDITOR:
            return self.all()
        return self.none()

    def for_queue(self):
        """What a queue row shows (``workflows.queue_rows``), fetched with a fixed number of
        queries: ``last_step`` is the kind of the dossier's latest transition, one subquery per
        row in the same SELECT. Events that leave the state alone (a payment recorded, a note, a
        resume link sent) are not steps: they do not hide that the citizen has answered."""
        from workflows.models import HistoryEntry

        last_step = (
            HistoryEntry.objects.filter(dossier=OuterRef("pk"))
            .exclude(from_state=F("to_state"))
            .order_by("-position")
            .values("kind")[:1]
        )
        # Never filed (drafts, expired or withdrawn drafts): no number, nothing to handle.
        return self.filter(tracking_number__isnull=False).annotate(last_step=Subquery(last_step))

    def queue_values(self):
        """The rows of a page, as ``QUEUE_VALUES`` dicts (after the filters and the counts: the
        joins to names are made for the page alone, never for counting)."""
        return self.values(*QUEUE_VALUES)


#: What a queue row reads (``workflows.queue_rows``), as plain values: not the services'
#: descriptions in three languages, nor the staff's password hashes, and no model instances.
QUEUE_VALUES = (
    "id",
    "tracking_number",
    "state",
    "service_id",
    "applicant_first_name",
    "applicant_last_name",
    "submitted_at",
    "due_date",
    "answer_by",
    "clock_paused_at",
    "last_step",
    "service__name_fr",
    "service__name_rn",
    "service__name_en",
    "office__name",
    *(
        f"{who}__{f}"
        for who in ("officer", "clerk")
        for f in ("first_name", "last_name", "username")
    ),
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
