"""The institution's review queue."""

from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from workflows.models import Dossier
from workflows.states import REVIEW_STATES
from workflows.states import DossierState as S
from workflows.views.access import institution_staff_required
from workflows.views.paging import page_of


def review_filters(user):
    return {
        "to-claim": (gettext_lazy("To claim"), Q(state=S.FORWARDED)),
        "mine": (gettext_lazy("My dossiers"), Q(officer=user, state__in=REVIEW_STATES)),
        "waiting": (
            gettext_lazy("Waiting for the citizen"),
            Q(state=S.INFORMATION_REQUESTED),
        ),
        "decided": (
            gettext_lazy("Decided, to issue"),
            Q(state__in=[S.APPROVED, S.ISSUED]),
        ),
        "all": (gettext_lazy("All"), Q()),
    }


@institution_staff_required
def queue(request):
    filters = review_filters(request.user)
    current = request.GET.get("show", "to-claim")
    if current not in filters:
        current = "to-claim"
    dossiers = (
        Dossier.objects.visible_to(request.user)
        .for_queue()
        .filter(filters[current][1])
        .order_by("due_date", "id")
    )
    return render(
        request,
        "review/queue.html",
        {
            "page": page_of(dossiers, request.GET.get("page")),
            "filters": [(key, label) for key, (label, _q) in filters.items()],
            "current": current,
        },
    )
