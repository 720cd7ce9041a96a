"""Reversing a payment: a page of its own for the office's supervisor (``reverse_payment``)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from workflows import permissions as may
from workflows.actors import Actor
from workflows.forms import ReversePaymentForm
from workflows.views.access import staff_required
from workflows.views.dossiers import visible_dossier
from workflows.views.reasoned import reasoned_step


@staff_required
@require_http_methods(["GET", "POST"])
def reverse(request, tracking_number, payment_id):
    dossier = visible_dossier(request, tracking_number)
    payment = get_object_or_404(dossier.payments, pk=payment_id)
    if not may.office_supervisor(dossier, Actor.for_user(request.user)):
        # The page asks for a reason to a write this user may never make: not offered at all.
        raise PermissionDenied
    form = ReversePaymentForm(request.POST if request.method == "POST" else None)
    return reasoned_step(
        request,
        dossier,
        "reverse_payment",
        form,
        template="dossiers/reverse_payment.html",
        context={"payment": payment},
        done=_("The payment is reversed: it no longer counts towards the fee."),
        payment_id=payment.pk,
    )
