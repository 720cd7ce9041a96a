"""The one way a refused action is shown, on every front-end: its message and its details."""

from django.contrib import messages
from django.http import Http404

from workflows.exceptions import DossierConflict, NotAllowed

STATUS = {DossierConflict: 409, NotAllowed: 403}


def show_refusal(request, error, *, strangers_get_404: bool = False) -> int:
    """Tell the user why the action was refused, every detail included; return the HTTP status.

    ``strangers_get_404``: on the citizen portal, someone who may not act on a dossier is not
    told it exists.
    """
    if strangers_get_404 and isinstance(error, NotAllowed):
        raise Http404 from error
    messages.error(request, error.message)
    for detail in error.details:
        messages.error(request, detail)
    return STATUS.get(type(error), 400)
