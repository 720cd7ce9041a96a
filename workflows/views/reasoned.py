"""A step confirmed on a page of its own with a written reason: reversing a payment, revoking a
document. One way to parse, perform, report and redirect, whatever the step."""

from django.contrib import messages
from django.shortcuts import redirect, render

from workflows import actions
from workflows.exceptions import ActionError
from workflows.views.refusals import show_refusal


def reasoned_step(request, dossier, kind, form, *, template, context, done, **inputs):
    """Show ``form`` (its ``reason`` field) on ``template``; on a valid POST take the event
    ``kind`` with the reason as its comment, say ``done`` and go back to the dossier."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.perform(
                    dossier.pk, kind, request.user, comment=form.cleaned_data["reason"], **inputs
                )
            except ActionError as error:
                status = show_refusal(request, error)
            else:
                messages.success(request, done)
                return redirect("dossier_detail", tracking_number=dossier.tracking_number)
    return render(
        request,
        template,
        {"dossier": dossier, "form": form, "forms": [form], **context},
        status=status,
    )
