"""Screens shared by the counter, the review queue and the auditor: one dossier, its steps."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from services.answers import labelled_answers
from workflows import actions
from workflows.exceptions import ActionError, DossierConflict, NotAllowed
from workflows.forms import step_form
from workflows.models import Dossier
from workflows.views.access import staff_required

ERROR_STATUS = {DossierConflict: 409, NotAllowed: 403}


def visible_dossier(request, tracking_number) -> Dossier:
    """The dossier if this user may see it; 404 otherwise, whether or not it exists."""
    return get_object_or_404(
        Dossier.objects.visible_to(request.user).select_related(
            "service", "office__province", "institution", "officer", "applicant_commune"
        ),
        tracking_number=tracking_number,
    )


def step_buttons(dossier, names) -> list[dict]:
    return [
        {
            "name": name,
            "label": actions.transition_custom(name, "label"),
            "form": step_form(
                name,
                bool(actions.transition_custom(name, "needs_comment")),
                initial={"expected_state": dossier.state},
            ),
        }
        for name in names
    ]


@staff_required
def detail(request, tracking_number):
    dossier = visible_dossier(request, tracking_number)
    available, blocked = actions.step_options(dossier, request.user)
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "answers": labelled_answers(dossier.service, dossier.answers),
            "attachments": dossier.attachments.select_related("document"),
            "payments": dossier.payments.all(),
            "history": dossier.history.select_related("actor"),
            "steps": step_buttons(dossier, available),
            "blocked_steps": [
                {"label": actions.transition_custom(name, "label"), "reasons": reasons}
                for name, reasons in blocked
            ],
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def take_step(request, tracking_number, step):
    dossier = visible_dossier(request, tracking_number)
    try:
        needs_comment = bool(actions.transition_custom(step, "needs_comment"))
    except ActionError as error:
        raise Http404 from error
    label = actions.transition_custom(step, "label")
    if request.method == "GET" and step not in actions.available_transitions(dossier, request.user):
        # A stale link, or a step that is not (or no longer) this user's to take.
        messages.error(
            request,
            _("“%(step)s” is not possible for you on this dossier now.") % {"step": label},
        )
        return redirect("dossier_detail", tracking_number=dossier.tracking_number)
    form = step_form(
        step,
        needs_comment,
        data=request.POST if request.method == "POST" else None,
        initial={"expected_state": dossier.state},
    )
    status = 200
    if request.method == "POST":
        status = 400
    if request.method == "POST" and form.is_valid():
        try:
            actions.perform(
                dossier.pk,
                step,
                request.user,
                comment=form.cleaned_data["comment"],
                expected_state=form.cleaned_data["expected_state"],
                **form.inputs(),
            )
        except ActionError as error:
            status = ERROR_STATUS.get(type(error), 400)
            messages.error(request, error.message)
            for detail_message in error.details:
                messages.error(request, detail_message)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": label})
            return redirect("dossier_detail", tracking_number=dossier.tracking_number)
    return render(
        request,
        "dossiers/step.html",
        {"dossier": dossier, "form": form, "forms": [form], "step": step, "label": label},
        status=status,
    )


@staff_required
def attachment(request, tracking_number, stored_name):
    dossier = visible_dossier(request, tracking_number)
    document = get_object_or_404(dossier.attachments, stored_name=stored_name)
    try:
        handle = open(document.path, "rb")  # noqa: SIM115  (FileResponse closes it)
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
