"""The documents GUP issued for a dossier: printed by staff, downloaded by the citizen, previewed
by the officer before deciding, revoked by a supervisor.

Who may see a document is who may see its dossier: the staff scoping of the dossier pages
(``visible_dossier``) and the citizen's access (their account, or the resume link this browser
holds, or the SMS code typed on /track/). Anyone else gets a 404, whether the document exists
or not.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from workflows import citizen_access, citizen_files, events
from workflows import permissions as may
from workflows.actors import Actor
from workflows.documents import issuing, kinds
from workflows.documents.contents import Occasion
from workflows.forms import RevokeDocumentForm, step_form
from workflows.models import Dossier
from workflows.views.access import staff_required
from workflows.views.citizen import citizen_dossier
from workflows.views.dossiers import visible_dossier
from workflows.views.files import attachment_file, private_file, private_pdf
from workflows.views.reasoned import reasoned_step

PDF = "application/pdf"


@staff_required
def staff_document(request, tracking_number, number):
    """Shown in the browser (inline), where the clerk prints it for the citizen."""
    dossier = visible_dossier(request, tracking_number)
    document = get_object_or_404(dossier.documents, number=number)
    return private_file(
        issuing.stored_file(document),
        filename=document.file_name,
        content_type=PDF,
        inline=True,
    )


def citizen_document(request, public_id, number):
    """The citizen's copy, downloaded: from their account, the resume link this browser holds,
    or the SMS code typed on /track/ for this dossier (``citizen_access.grant_documents``)."""
    if citizen_access.documents_granted(request, public_id):
        dossier = get_object_or_404(Dossier, public_id=public_id)
    else:
        dossier, _actor = citizen_dossier(request, public_id)
    # A revoked document is listed as revoked, never handed out again: it no longer holds.
    document = get_object_or_404(dossier.documents, number=number, revoked_at__isnull=True)
    return private_file(
        issuing.stored_file(document), filename=document.file_name, content_type=PDF
    )


def citizen_file(request, public_id, stored_name):
    """A file the citizen sent (``workflows.citizen_files``), downloaded: from their account or
    the resume link this browser holds. Anyone else, or a file that is not theirs, gets a 404."""
    dossier, _actor = citizen_dossier(request, public_id)
    sent = get_object_or_404(citizen_files.citizens_files(dossier), stored_name=stored_name)
    return attachment_file(request, sent)


@staff_required
@require_POST
def preview(request, tracking_number, step):
    """The letter the decision being written would print, from the decision form's data."""
    dossier = visible_dossier(request, tracking_number)
    actor = Actor.for_user(request.user)
    if step not in kinds.PREVIEWED_BEFORE or step not in events.available_names(dossier, actor):
        raise Http404
    form = step_form(events.get(step), actor, data=request.POST)
    form.is_valid()
    occasion = Occasion(
        event=step,
        at=timezone.now(),
        comment=form.cleaned_data.get("comment", "").strip(),
        actor_name=actor.display_name,
    )
    (kind,) = kinds.printed_by(step, dossier.service)
    return private_pdf(issuing.preview(dossier, kind, occasion), "preview.pdf")


@staff_required
@require_http_methods(["GET", "POST"])
def revoke(request, tracking_number, number):
    dossier = visible_dossier(request, tracking_number)
    document = get_object_or_404(dossier.documents, number=number)
    if not may.supervisor_handling(dossier, Actor.for_user(request.user)):
        raise Http404
    form = RevokeDocumentForm(request.POST if request.method == "POST" else None)
    return reasoned_step(
        request,
        dossier,
        "revoke_document",
        form,
        template="dossiers/revoke.html",
        context={"document": document},
        done=_("Document %(number)s is revoked: every check now says so.")
        % {"number": document.number},
        number=document.number,
    )
