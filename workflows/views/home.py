from django.shortcuts import redirect, render

from gup.roles import INSTITUTION_ROLES, OFFICE_ROLES, Role


def home(request):
    """Staff land on their queue; everyone else on the front page."""
    user = request.user
    if user.is_authenticated and user.role in OFFICE_ROLES:
        return redirect("counter_queue")
    if user.is_authenticated and user.role in INSTITUTION_ROLES:
        return redirect("review_queue")
    if user.is_authenticated and user.role == Role.AUDITOR:
        return redirect("audit_dossiers")
    return render(request, "home.html")
