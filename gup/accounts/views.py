"""Citizen sign-up and sign-in. Staff keep their own sign-in page (staff/login/)."""

from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from gup.accounts.forms import SignInForm, SignUpForm
from gup.languages import remember_language
from workflows import public_status

SIGN_IN_GROUP = "gup.sign_in"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _signed_in(request, user):
    """Sign in. (The applications this browser holds a link for become the account's: the
    dossiers' domain listens to the sign-in, see ``workflows.citizen_access``.)"""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    response = redirect(_next_url(request) or "my_dossiers")
    # Their pages speak the language they chose when they signed up, on any device.
    remember_language(response, user.preferred_language)
    return response


def sign_up(request):
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return _signed_in(request, form.save(language=request.LANGUAGE_CODE))
    return render(
        request,
        "accounts/sign_up.html",
        {"form": form, "forms": [form], "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


def sign_in(request):
    if public_status.is_locked_out(request, SIGN_IN_GROUP):
        return render(request, "citizen/too_many_attempts.html", status=429)
    form = SignInForm(request, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            return _signed_in(request, form.user)
        public_status.record_failure(request, SIGN_IN_GROUP)
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "forms": [form], "next": _next_url(request)},
        status=400 if form.errors else 200,
    )
