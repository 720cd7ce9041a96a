"""Sign-in lockout: repeated failures lock an account, or a client address, for a while.

django-axes watches every sign-in (staff, the admin site, citizens): ``LockoutBackend`` comes
first in ``AUTHENTICATION_BACKENDS`` and refuses to go on while the account or the address is
locked out, and axes counts each ``user_login_failed`` in the database. This module supplies
what axes leaves to the project:

- the account a failure counts against (``account_key``): the user name on the staff and admin
  pages, the phone number or email in its stored form on the citizen page (so "79 12 34 56" and
  "+257 79 12 34 56" are one account), whether or not such an account exists;
- the client address, read as the rate limits of /track/ read it (``RATELIMIT_IP_META_KEY``);
- two limits: ``GUP_SIGN_IN_ACCOUNT_LIMIT`` per account, ``GUP_SIGN_IN_ADDRESS_LIMIT`` (higher:
  an office's staff share one address) per address;
- the page a locked-out client gets (``locked_out``): 429, when to try again, and nothing that
  tells whether the account exists.

Unlock before the cool-off ends: ``manage.py axes_reset_username <user name or +257...>``,
``manage.py axes_reset_ip <address>``, or delete the rows in the admin (Axes → Access attempts).
"""

import math
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import render

from gup.accounts.backends import normalize_identifier


def cool_off(request=None) -> timedelta:
    """How long a lockout lasts after the last attempt (``AXES_COOLOFF_TIME``)."""
    return timedelta(minutes=settings.GUP_SIGN_IN_COOLOFF_MINUTES)


def account_key(request, credentials) -> str | None:
    """The account a sign-in attempt is counted against (``AXES_USERNAME_CALLABLE``)."""
    credentials = credentials or {}
    if credentials.get("username"):
        return str(credentials["username"]).strip()[:255]
    identifier = credentials.get("identifier") or ""
    if not identifier and request is not None:
        identifier = request.POST.get("identifier") or request.POST.get("username") or ""
    identifier = str(identifier).strip()
    if not identifier:
        return None
    try:
        return normalize_identifier(identifier)[1][:255]
    except ValidationError:
        # Neither a phone number nor an email (a staff user name typed here, say): as typed.
        return identifier[:255]


def client_address(request) -> str | None:
    """The client's address, from the header the rate limits trust behind a proxy."""
    key = settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR"
    value = request.META.get(key) or request.META.get("REMOTE_ADDR")
    return value.split(",")[0].strip() if value else None


class LockoutBackend(AxesStandaloneBackend):
    """Axes' guard, which authenticates nobody itself.

    An authentication without a request (the test client's ``login``, the shell) is no sign-in
    from the web: it is let through to the other backends rather than refused.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, with a limit of its own for the client address.

    Axes compares one number to one limit: the most failures counted under any lockout
    parameter. Here the address's failures are scaled so that ``GUP_SIGN_IN_ADDRESS_LIMIT`` of
    them reach ``AXES_FAILURE_LIMIT`` (the account's limit), exactly and not one failure sooner.
    """

    def get_failures(self, request, credentials=None) -> int:
        account, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        limit = settings.AXES_FAILURE_LIMIT
        return max(account, address * limit // max(settings.GUP_SIGN_IN_ADDRESS_LIMIT, 1))


def locked_out(request, original_response=None, credentials=None):
    """The page of a locked-out sign-in: the same whether or not the account exists."""
    seconds = int(cool_off(request).total_seconds())
    response = render(
        request,
        "accounts/locked_out.html",
        {"minutes": math.ceil(seconds / 60)},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response
