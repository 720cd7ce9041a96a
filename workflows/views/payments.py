"""Reversing a payment: a page of its own for the office's supervisor (``reverse_payment``)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from workflows import actions
from workflows.exceptions import ActionError
from workflows.forms import ReversePaymentForm
from workflows.views.access import staff_required
from workflows.views.dossiers import visible_dossier
from workflows.views.refusals import show_refusal


@staff_required
@require_http_methods(["GET", "POST"])
def reverse(request, tracking_number, payment_id):
    dossier = visible_dossier(request, tracking_number)
    payment = get_object_or_404(dossier.payments, pk=payment_id)
    form = ReversePaymentForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.perform(
                    dossier.pk,
                    "reverse_payment",
                    request.user,
                    comment=form.cleaned_data["reason"],
                    payment_id=payment.pk,
                )
            except ActionError as error:
                status = show_refusal(request, error)
            else:
                messages.success(
                    request,
                    _("The payment is reversed: it no longer counts towards the fee."),
                )
                return redirect("dossier_detail", tracking_number=dossier.tracking_number)
    return render(
        request,
        "dossiers/reverse_payment.html",
        {"dossier": dossier, "payment": payment, "form": form, "forms": [form]},
        status=status,
    )
