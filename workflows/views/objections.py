"""Objections on the dossier page, and the objector's document: for the office and the
institution only."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from workflows import permissions as may
from workflows.actors import Actor
from workflows.models import StepKind
from workflows.views.access import staff_required
from workflows.views.files import private_file


def objections_shown(dossier, actor) -> list | None:
    """The dossier's objections for staff of its office or institution; None for anyone else
    (the section is not shown), an empty list when none was recorded during a notice."""
    if not may.staff_handling(dossier, actor):
        return None
    # An objection is received during a public notice of the dossier: without one, there is
    # nothing to read (and the scheduled steps are often prefetched by the page).
    if not any(step.kind == StepKind.PUBLIC_NOTICE for step in dossier.scheduled_steps.all()):
        return None
    return list(dossier.objections.order_by("received_on", "id"))


@staff_required
def objection_document(request, tracking_number, objection_id):
    from workflows.views.dossiers import visible_dossier

    dossier = visible_dossier(request, tracking_number)
    if not may.staff_handling(dossier, Actor.for_user(request.user)):
        raise Http404
    objection = get_object_or_404(dossier.objections, pk=objection_id)
    if not objection.has_document:
        raise Http404
    return private_file(
        objection.document_path,
        filename=objection.document_name,
        content_type=objection.document_content_type,
    )
