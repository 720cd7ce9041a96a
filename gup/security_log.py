"""The security log: who was refused what, when and from where, with personal data masked.

Every record goes to the logger ``gup.security`` as one line of ``key=value`` pairs, e.g.::

    event=sign_in_failed page=/staff/login/ user=12 ip=10.0.0.7
    event=sign_in_failed page=/account/sign-in/ who="+257 79 ** ** 56" ip=10.0.0.7
    event=locked_out page=/admin/login/ who="cl***" ip=10.0.0.7
    event=denied status=404 path=/dossiers/GIT-2026-000123-7/ user=12 ip=10.0.0.7

*Who* is the account's id when the name typed matches an account, otherwise a masked form of
what was typed (a phone number keeps its first and last two digits, ``gup.sms.masking``; an
email its first letter and its domain; anything else its first two characters). Passwords are
never logged. *When* is the record's own time stamp. *From where* is the client address as the
sign-in lockout reads it (``gup.accounts.lockout.client_address``).
"""

import logging

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from gup.sms.masking import mask_phone

log = logging.getLogger("gup.security")

#: Paths whose 404 is worth a line: a dossier or a file outside the user's scope looks like this.
WATCHED_404_PREFIXES = ("/dossiers/", "/my-dossiers/", "/admin/")


def mask_identifier(typed: str | None) -> str:
    """What someone typed as a user name, phone number or email, masked for a log."""
    typed = (typed or "").strip()
    if not typed:
        return "-"
    if "@" in typed:
        local, _, domain = typed.partition("@")
        return f"{local[:1]}***@{domain}"
    if sum(character.isdigit() for character in typed) >= 6:
        return mask_phone(typed)
    return f"{typed[:2]}***"


def client_address(request) -> str:
    from gup.accounts.lockout import client_address as address

    return (address(request) if request is not None else None) or "-"


def _who(account: str | None) -> str:
    """``user=<id>`` when ``account`` names an account (user name, phone or email), else masked."""
    if account:
        users = get_user_model().objects.filter(username=account)
        if "@" in account:
            users = get_user_model().objects.filter(email__iexact=account)
        elif account.startswith("+"):
            users = get_user_model().objects.filter(phone=account)
        pk = users.order_by("pk").values_list("pk", flat=True).first()
        if pk is not None:
            return f"user={pk}"
    return f'who="{mask_identifier(account)}"'


def record(event: str, request, **fields) -> None:
    """One line of the security log."""
    parts = [f"event={event}"]
    parts += [f"{key}={value}" for key, value in fields.items()]
    parts.append(f"ip={client_address(request)}")
    log.warning(" ".join(parts))


@receiver(user_login_failed, dispatch_uid="gup.security_log.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    from gup.accounts.lockout import account_key

    if request is None:
        return  # not a sign-in from the web (the shell, a test's client.login)
    if getattr(request, "axes_locked_out", False):
        return  # logged as locked_out
    account = account_key(request, credentials)
    record("sign_in_failed", request, page=request.path, **_split(_who(account)))


@receiver(user_locked_out, dispatch_uid="gup.security_log.locked_out")
def locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    if request is None:
        return
    record("locked_out", request, page=request.path, **_split(_who(username)))


def _split(pair: str) -> dict:
    key, _, value = pair.partition("=")
    return {key: value}


class DenialLog:
    """Logs the refusals a user meets: every 403, and the 404s of dossiers, files and the admin
    (a dossier outside the user's scope is a 404, like one that does not exist)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        if status == 403 or (status == 404 and request.path.startswith(WATCHED_404_PREFIXES)):
            user = getattr(request, "user", None)
            who = f"user={user.pk}" if user is not None and user.is_authenticated else "user=-"
            record(
                "denied",
                request,
                status=status,
                method=request.method,
                path=request.path,
                **_split(who),
            )
        return response
