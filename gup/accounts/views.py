"""Citizen sign-up and sign-in, and confirming the account's phone number. Staff keep their own
sign-in page (staff/login/)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from gup.accounts import one_time_codes, phone_confirmation
from gup.accounts.forms import LinkDossiersForm, OneTimeCodeForm, SignInForm, SignUpForm
from gup.accounts.one_time_codes import CodeRefused, TooManyAttempts, WrongCode
from gup.formatting import phone
from gup.languages import remember_language
from gup.roles import Role
from workflows import actions, public_status
from workflows.citizen_access import offered_by_phone
from workflows.exceptions import ActionError

CODE_GROUP = public_status.CODE_GROUP
#: At most this many dossiers are offered for linking on one page.
LINK_AT_ONCE = 50


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _signed_in(request, user, *, to: str = ""):
    """Sign in. (The applications this browser holds a link for become the account's: the
    dossiers' domain listens to the sign-in, see ``workflows.citizen_access``.)"""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    response = redirect(to or _next_url(request) or "my_dossiers")
    # Their pages speak the language they chose when they signed up, on any device.
    remember_language(response, user.preferred_language)
    return response


def sign_up(request):
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.save(language=request.LANGUAGE_CODE)
        if not user.phone:
            return _signed_in(request, user)
        # A phone number: the code that confirms it leaves now, and the next page asks for it.
        try:
            phone_confirmation.send_code(user)
        except CodeRefused as refusal:
            messages.error(request, refusal.message)
        confirm = _with_next(reverse("confirm_phone"), _next_url(request))
        return _signed_in(request, user, to=confirm)
    return render(
        request,
        "accounts/sign_up.html",
        {"form": form, "forms": [form], "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


def sign_in(request):
    """Repeated failures lock the account and the address out for a while, as on the staff
    sign-in: django-axes counts them (gup.accounts.lockout) and answers with its own page."""
    form = SignInForm(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return _signed_in(request, form.user)
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "forms": [form], "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


# --- Confirming the phone number --------------------------------------------------------------


def citizen_with_phone(view):
    """Signed-in citizens with a phone number; others are sent to sign in, or get a 404."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("citizen_sign_in"))
        if user.role != Role.CITIZEN or not user.phone:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _after_confirmation(request, user):
    """The dossiers filed with the phone, to link, if there are any; else where they were going."""
    if offered_by_phone(user).exists():
        return redirect("link_dossiers")
    return redirect(_next_url(request) or "my_dossiers")


@citizen_with_phone
@require_http_methods(["GET", "POST"])
def confirm_phone(request):
    """Type the code sent to the account's phone. Each refusal says what to do next, and the
    code typed stays in the field."""
    user = request.user
    if user.has_verified_phone:
        return _after_confirmation(request, user)
    if public_status.is_locked_out(request, CODE_GROUP):
        return render(request, "citizen/too_many_attempts.html", status=429)
    form = OneTimeCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            phone_confirmation.confirm(user, form.cleaned_data["code"])
        except CodeRefused as refusal:
            if isinstance(refusal, WrongCode | TooManyAttempts):
                public_status.record_failure(request, CODE_GROUP)
            form.add_error("code", refusal.message)
        else:
            messages.success(request, _("Thank you: your phone number is confirmed."))
            return _after_confirmation(request, user)
    return render(
        request,
        "accounts/confirm_phone.html",
        {
            "form": form,
            "forms": [form],
            "next": _next_url(request),
            "phone": phone(user.phone),
            "code_waiting": phone_confirmation.code_waiting(user),
            "resend_in": phone_confirmation.seconds_before_resend(user),
            "lifetime": one_time_codes.LIFETIME_MINUTES,
        },
        status=400 if form.errors else 200,
    )


@citizen_with_phone
@require_POST
def resend_code(request):
    user = request.user
    if not user.has_verified_phone:
        try:
            phone_confirmation.send_code(user)
        except CodeRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("A new code is on its way to %(phone)s. The earlier codes no longer work.")
                % {"phone": phone(user.phone)},
            )
    return redirect(_with_next(reverse("confirm_phone"), _next_url(request)))


@citizen_with_phone
@require_http_methods(["GET", "POST"])
def link_dossiers(request):
    """The dossiers filed with the confirmed phone number, offered to the account: the citizen
    ticks theirs, and each is linked through the one door (``linked_to_account``)."""
    user = request.user
    if not user.has_verified_phone:
        return redirect("confirm_phone")
    # The most recent first, a page's worth: once these are linked, the next ones show.
    offered = offered_by_phone(user).select_related("service", "office")
    offered = offered.order_by("-submitted_at")[:LINK_AT_ONCE]
    form = LinkDossiersForm(offered, request.POST if request.method == "POST" else None)
    if not form.offered:
        return redirect("my_dossiers")
    if request.method == "POST" and form.is_valid():
        linked = 0
        for dossier in form.chosen():
            try:
                result = actions.perform(dossier.pk, "linked_to_account", user, by_phone=True)
            except ActionError:
                continue
            # Another account may have taken it meanwhile: it simply stays out of this one.
            linked += result.applicant_account_id == user.pk
        messages.success(
            request,
            ngettext(
                "%(count)s dossier was added to your account.",
                "%(count)s dossiers were added to your account.",
                linked,
            )
            % {"count": linked},
        )
        return redirect("my_dossiers")
    chosen = set(form["dossiers"].value() or [])
    return render(
        request,
        "accounts/link_dossiers.html",
        {
            "form": form,
            "forms": [form],
            "offered": [(dossier, str(dossier.public_id) in chosen) for dossier in form.offered],
        },
        status=400 if form.errors else 200,
    )
