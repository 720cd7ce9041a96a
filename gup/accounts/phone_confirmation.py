"""Confirming a citizen account's phone number with a one-time code.

A number typed at sign-up proves nothing: anyone can type anyone's number. Until the citizen
types the code sent to it, the account is offered none of the dossiers filed with that number
(``workflows.citizen_access.offered_by_phone``), and may link none of them
(``workflows.permissions.phone_owner``). Meanwhile the citizen may file online as usual: their
pages remind them to confirm.
"""

from django.utils import timezone

from gup.accounts import one_time_codes
from gup.accounts.models import CodePurpose, OneTimeCode, User


def scope_of(user) -> str:
    return f"user:{user.pk}"


def send_code(user) -> OneTimeCode:
    """Send a code to the account's phone, in its language. Raises ``CodeRefused`` when too
    soon or too often (``one_time_codes``)."""
    return one_time_codes.issue(
        user.phone, CodePurpose.VERIFY_PHONE, scope_of(user), user.preferred_language
    )


def seconds_before_resend(user) -> int:
    return one_time_codes.seconds_before_resend(
        user.phone, CodePurpose.VERIFY_PHONE, scope_of(user)
    )


def code_waiting(user) -> bool:
    return one_time_codes.is_waiting(user.phone, CodePurpose.VERIFY_PHONE, scope_of(user))


def confirm(user, typed: str) -> None:
    """Mark the phone confirmed when ``typed`` is the code sent to it; ``CodeRefused`` if not.

    Not to be called inside a transaction that a refusal rolls back: the wrong try must stay
    counted (``one_time_codes.check`` commits it before raising).
    """
    one_time_codes.check(user.phone, CodePurpose.VERIFY_PHONE, scope_of(user), typed)
    now = timezone.now()
    # Only the number the code went to: had it changed meanwhile, it would stay unconfirmed.
    User.objects.filter(pk=user.pk, phone=user.phone).update(phone_verified_at=now)
    user.phone_verified_at = now
