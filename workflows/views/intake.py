"""Checking a dossier at the office: the completeness checklist's page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from workflows import actions, events, intake_checklist
from workflows.actors import Actor
from workflows.counter_forms import ChecklistForm
from workflows.exceptions import ActionError
from workflows.views.access import office_staff_required
from workflows.views.dossiers import visible_dossier
from workflows.views.refusals import show_refusal


@office_staff_required
@require_http_methods(["GET", "POST"])
def checklist(request, tracking_number):
    """Received, missing or not legible, per required document: recorded as ``record_checklist``."""
    dossier = visible_dossier(request, tracking_number)
    actor = Actor.for_user(request.user)
    event = events.get(intake_checklist.KIND)
    if request.method == "GET" and not intake_checklist.for_page(dossier, actor)["may_record"]:
        messages.error(
            request,
            _("“%(step)s” is not possible for you on this dossier now.") % {"step": event.label},
        )
        return redirect("dossier_detail", tracking_number=dossier.tracking_number)
    form = ChecklistForm(
        dossier,
        request.POST if request.method == "POST" else None,
        initial={"expected_state": dossier.state},
        event=event,
    )
    status = 200 if request.method == "GET" else 400
    if request.method == "POST" and form.is_valid():
        try:
            actions.perform(
                dossier.pk,
                intake_checklist.KIND,
                actor,
                comment=form.cleaned_data["comment"],
                expected_state=form.cleaned_data["expected_state"],
                marks=form.marks(),
            )
        except ActionError as error:
            status = show_refusal(request, error)
        else:
            messages.success(request, _("Checklist recorded."))
            return redirect("dossier_detail", tracking_number=dossier.tracking_number)
    return render(
        request,
        "dossiers/checklist.html",
        {"dossier": dossier, "form": form, "forms": [form], "event": event},
        status=status,
    )
