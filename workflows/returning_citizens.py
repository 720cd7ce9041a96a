"""Returning citizens at the counter: their details found by national ID, to prefill the form.

Where the details come from, and why that is allowed:

- the citizen's latest filed dossier **at the clerk's own office**, read through
  ``Dossier.objects.visible_to(actor)`` and further narrowed to that office: a clerk never reads
  another office's dossiers, not even to copy a name;
- a citizen account would be the next source (what the citizen gave GUP themselves is national
  data, not another office's file), but accounts hold no national ID today
  (``gup.accounts.models.User``), so there is nothing to match on. Matching an account by the
  dossiers linked to it would read those dossiers, whatever their office: not done.

The clerk checks every prefilled value with the citizen and can change any of them: a lookup
writes nothing.
"""

from dataclasses import dataclass

from workflows.actors import as_actor
from workflows.applicant import APPLICANT_FIELDS
from workflows.models import Dossier


@dataclass(frozen=True)
class Found:
    """The applicant details to prefill, and the dossier they were taken from."""

    details: dict
    tracking_number: str
    filed_at: object


def latest_details(actor, national_id: str) -> Found | None:
    """The applicant details of the latest dossier filed with ``national_id`` at the actor's
    office, or None (nobody found, or an actor without an office). ``national_id`` is normalised
    already (``applicant.normalize_national_id``)."""
    actor = as_actor(actor)
    if actor is None or actor.office_id is None:
        return None
    dossier = (
        Dossier.objects.visible_to(actor)
        .filter(office_id=actor.office_id, applicant_national_id=national_id)
        .exclude(tracking_number=None)
        .order_by("-submitted_at", "-id")
        .only(*APPLICANT_FIELDS, "tracking_number", "submitted_at")
        .first()
    )
    if dossier is None:
        return None
    details = {name: getattr(dossier, name) for name in APPLICANT_FIELDS}
    details["applicant_commune"] = dossier.applicant_commune_id
    return Found(
        details=details, tracking_number=dossier.tracking_number, filed_at=dossier.submitted_at
    )
