"""The auditor's door: every dossier, read-only, found by tracking number."""

from django.shortcuts import redirect, render

from gup.db_routers import reporting_view
from gup.roles import Role
from workflows import tracking
from workflows.models import Dossier
from workflows.queue_rows import queue_rows
from workflows.views.access import requires_role
from workflows.views.paging import keyset_page

auditor_required = requires_role({Role.AUDITOR})


@reporting_view  # reads from the replica, when one is configured
@auditor_required
def dossiers(request):
    """Every filed dossier, latest filed first (``dossier_by_filing``), paged by keyset."""
    wanted = tracking.normalize(request.GET.get("number", ""))
    visible = Dossier.objects.visible_to(request.user).for_queue()
    if wanted and visible.filter(tracking_number=wanted).exists():
        return redirect("dossier_detail", tracking_number=wanted)
    page = keyset_page(
        visible.filter(submitted_at__isnull=False).queue_values(),
        "submitted_at",
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        descending=True,
    )
    return render(
        request,
        "audit/dossiers.html",
        {
            "page": page,
            "rows": queue_rows(page.rows),
            "number": request.GET.get("number", ""),
            "not_found": bool(wanted),
            "current": "all",
            "show_office": True,
        },
    )
