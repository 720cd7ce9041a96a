"""Staff sessions: they end after a while, everywhere at once on request, and on a new password.

- ``StaffSessionTimeout``: a staff session (every role but the citizen's) ends after
  ``GUP_STAFF_SESSION_IDLE_MINUTES`` without a request, and ``GUP_STAFF_SESSION_MAX_HOURS``
  after signing in however busy it was; the next request is sent to the sign-in page with a
  message saying why, and back to where it was going after. Citizens keep Django's two weeks
  (``SESSION_COOKIE_AGE``): their own phone, reaching their own dossiers only.
- ``sign_out_everywhere``: raises the user's ``session_generation``, which every session's
  proof includes (``User._get_session_auth_hash``): every browser is signed out, this one too.
- ``change_password``: Django's page, which keeps the current session
  (``update_session_auth_hash``) while the new password hash ends all the others.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import PasswordChangeView, redirect_to_login
from django.db.models import F
from django.dispatch import receiver
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from gup import security_log
from gup.roles import Role

SIGNED_IN_AT = "gup_signed_in_at"
SEEN_AT = "gup_seen_at"
#: The last request is written to the session at most this often (one write a minute, not one
#: a request).
SEEN_PRECISION = timedelta(minutes=1)


def is_staff_session(user) -> bool:
    return user.is_authenticated and (user.role != Role.CITIZEN or user.is_staff)


@receiver(user_logged_in, dispatch_uid="gup.accounts.sessions.signed_in")
def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[SIGNED_IN_AT] = now
        request.session[SEEN_AT] = now


def expiry_reason(session, now) -> str:
    """ "idle", "max_age" or "" for a staff session at ``now`` (a datetime)."""
    stamp = now.timestamp()
    signed_in = session.get(SIGNED_IN_AT)
    seen = session.get(SEEN_AT)
    if signed_in is None or seen is None:
        # A session opened before this existed: its clock starts now.
        return ""
    if stamp - signed_in >= settings.GUP_STAFF_SESSION_MAX_HOURS * 3600:
        return "max_age"
    if stamp - seen >= settings.GUP_STAFF_SESSION_IDLE_MINUTES * 60:
        return "idle"
    return ""


class StaffSessionTimeout:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and is_staff_session(user):
            now = timezone.now()
            reason = expiry_reason(request.session, now)
            if reason:
                security_log.record(
                    "session_expired", request, reason=reason, user=user.pk, path=request.path
                )
                logout(request)
                messages.info(request, _ended_message(reason))
                if request.path.startswith("/admin/"):
                    return redirect_to_login(request.get_full_path(), reverse("admin:login"))
                return redirect_to_login(request.get_full_path())
            stamp = now.timestamp()
            request.session.setdefault(SIGNED_IN_AT, stamp)
            if stamp - request.session.get(SEEN_AT, 0) >= SEEN_PRECISION.total_seconds():
                request.session[SEEN_AT] = stamp
        return self.get_response(request)


def _ended_message(reason: str) -> str:
    if reason == "idle":
        return _(
            "You were signed out after %(minutes)s minutes without activity. Sign in again to "
            "go on."
        ) % {"minutes": settings.GUP_STAFF_SESSION_IDLE_MINUTES}
    return _(
        "You were signed out: a session lasts at most %(hours)s hours. Sign in again to go on."
    ) % {"hours": settings.GUP_STAFF_SESSION_MAX_HOURS}


def _staff_only(user):
    if not is_staff_session(user):
        raise Http404


@login_required
@require_http_methods(["GET"])
def account(request):
    """The staff member's own page: change the password, sign out everywhere."""
    _staff_only(request.user)
    return render(request, "accounts/staff_account.html")


@login_required
@require_http_methods(["POST"])
def sign_out_everywhere(request):
    _staff_only(request.user)
    user = request.user
    get_user_model().objects.filter(pk=user.pk).update(
        session_generation=F("session_generation") + 1
    )
    security_log.record("signed_out_everywhere", request, user=user.pk)
    logout(request)
    messages.success(request, _("You are signed out on every device and browser."))
    return redirect("login")


class ChangePassword(PasswordChangeView):
    """Django's page: the current session stays, every other one ends."""

    template_name = "accounts/change_password.html"
    success_url = reverse_lazy("staff_account")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _staff_only(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forms"] = [context["form"]]
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        security_log.record("password_changed", self.request, user=self.request.user.pk)
        messages.success(
            self.request,
            gettext_lazy("Your password is changed. Your other sessions are signed out."),
        )
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


change_password = ChangePassword.as_view()
