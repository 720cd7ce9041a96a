"""The institution's review queue."""

from workflows.actors import Actor
from workflows.models import Dossier
from workflows.queues import review_tabs
from workflows.views.access import institution_staff_required
from workflows.views.paging import render_queue


@institution_staff_required
def queue(request):
    actor = Actor.for_user(request.user)
    dossiers = Dossier.objects.visible_to(actor)
    return render_queue(request, "review/queue.html", dossiers, review_tabs(request.user), actor)
