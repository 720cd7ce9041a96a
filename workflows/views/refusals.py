"""The one way a refused action is shown, on every front-end: its message and its details."""

import math

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render

from workflows.exceptions import DossierConflict, NotAllowed

STATUS = {DossierConflict: 409, NotAllowed: 403}


def show_refusal(request, error, *, strangers_get_404: bool = False, form=None) -> int:
    """Tell the user why the action was refused, every detail included; return the HTTP status.

    ``strangers_get_404``: on the citizen portal, someone who may not act on a dossier is not
    told it exists. ``form``: the problems of its fields (``InvalidInput.fields``) are shown
    beside them, and only the others at the top of the page.
    """
    if strangers_get_404 and isinstance(error, NotAllowed):
        raise Http404 from error
    placed = _place_beside_fields(error, form) if form is not None else []
    details = [detail for detail in error.details if detail not in placed]
    if details or not placed:
        messages.error(request, error.message)
    for detail in details:
        messages.error(request, detail)
    return STATUS.get(type(error), 400)


def _place_beside_fields(error, form) -> list:
    placed = []
    for name, problems in getattr(error, "fields", {}).items():
        if name not in form.fields:
            continue
        for problem in problems:
            form.add_error(name, problem)
            placed.append(problem)
    return placed


def too_many_attempts(request, seconds: int, template: str = "citizen/too_many_attempts.html"):
    """429 for a client that guessed too often: how long to wait, on the page and in
    ``Retry-After``."""
    response = render(request, template, {"minutes": math.ceil(seconds / 60)}, status=429)
    response["Retry-After"] = str(seconds)
    return response
