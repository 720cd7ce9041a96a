"""The institution's review queue."""

from workflows.models import Dossier
from workflows.queues import review_tabs
from workflows.views.access import institution_staff_required
from workflows.views.paging import render_queue


@institution_staff_required
def queue(request):
    dossiers = Dossier.objects.visible_to(request.user)
    return render_queue(request, "review/queue.html", dossiers, review_tabs(request.user))
