"""/track/'s documents: after the look-up, a code sent to the dossier's phone opens its
documents in this browser for a while (``workflows.citizen_access``).

Whoever found the dossier by its tracking number and phone digits may ask for the code; only
whoever holds the phone can type it. The phone number is shown masked, never whole. Anyone else
gets a 404, whether the dossier exists or not; the downloads themselves are the citizen's
(``workflows.views.documents.citizen_document``), which accepts this grant too.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gup.accounts import one_time_codes
from gup.accounts.forms import OneTimeCodeForm
from gup.accounts.one_time_codes import CodeRefused, TooManyAttempts, WrongCode
from gup.sms.masking import mask_phone
from workflows import citizen_access, public_status
from workflows.documents import handing
from workflows.models import Dossier
from workflows.views.refusals import too_many_attempts


def _tracked_dossier(request, public_id):
    """The dossier this browser found on /track/ (or whose documents it opened); 404 else."""
    allowed = citizen_access.was_tracked(request, public_id) or citizen_access.documents_granted(
        request, public_id
    )
    dossier = (
        Dossier.objects.select_related("service", "office").filter(public_id=public_id).first()
        if allowed
        else None
    )
    if dossier is None or not dossier.applicant_phone:
        raise Http404
    return dossier


def _locked_out(request, group):
    seconds = public_status.locked_for(request, group)
    return too_many_attempts(request, seconds) if seconds else None


@require_POST
def send_code(request, public_id):
    dossier = _tracked_dossier(request, public_id)
    locked = _locked_out(request, public_status.CODES_SENT_GROUP)
    if locked:
        return locked
    try:
        citizen_access.send_documents_code(dossier)
    except CodeRefused as refusal:
        messages.error(request, refusal.message)
    else:
        # Every SMS counts against the client, like a failed guess: sending costs, and a flood
        # of codes to many dossiers' phones must stop too.
        public_status.record_failure(request, public_status.CODES_SENT_GROUP)
        messages.success(
            request,
            _("We sent a code by SMS to %(phone)s.")
            % {"phone": mask_phone(dossier.applicant_phone)},
        )
    return redirect("track_code", public_id=dossier.public_id)


@require_http_methods(["GET", "POST"])
def enter_code(request, public_id):
    """Type the code; each refusal says what to do next, and what was typed stays."""
    dossier = _tracked_dossier(request, public_id)
    if request.method == "GET" and citizen_access.documents_granted(request, public_id):
        return redirect("track_documents", public_id=dossier.public_id)
    locked = _locked_out(request, public_status.CODE_GROUP)
    if locked:
        return locked
    form = OneTimeCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            citizen_access.check_documents_code(request, dossier, form.cleaned_data["code"])
        except CodeRefused as refusal:
            if isinstance(refusal, WrongCode | TooManyAttempts):
                public_status.record_failure(request, public_status.CODE_GROUP)
            form.add_error("code", refusal.message)
        else:
            return redirect("track_documents", public_id=dossier.public_id)
    return render(
        request,
        "citizen/track_code.html",
        {
            "dossier": dossier,
            "phone": mask_phone(dossier.applicant_phone),
            "form": form,
            "forms": [form],
            "code_waiting": citizen_access.documents_code_waiting(dossier),
            "resend_in": citizen_access.documents_code_wait(dossier),
            "lifetime": one_time_codes.LIFETIME_MINUTES,
        },
        status=400 if form.errors else 200,
    )


@require_GET
def documents(request, public_id):
    if not citizen_access.documents_granted(request, public_id):
        # Found on /track/ but the code not typed yet (or its half hour is over): ask for it.
        if citizen_access.was_tracked(request, public_id):
            return redirect("track_code", public_id=public_id)
        raise Http404
    dossier = _tracked_dossier(request, public_id)
    return render(
        request,
        "citizen/track_documents.html",
        {
            "dossier": dossier,
            "documents": handing.issued(dossier),
            "minutes": int(citizen_access.DOCUMENTS_FOR.total_seconds() // 60),
        },
    )
