"""Signing a citizen in with the phone number or email address they gave, however it is written.

A citizen's account is found by its contact details, not by its user name: the phone number is
stored in E.164 form (``+25779123456``) in ``User.phone``, the email in ``User.email``, and what
the citizen types ("79 12 34 56", "+257 79 12 34 56", "79123456", " Aline@Example.BI ") is
brought to the same form first. Accounts made by sign-up also use that form as their user name;
others (the demo citizen ``citizen``, an account an administrator created) need not.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q

from gup.roles import Role
from workflows.applicant import normalize_phone


def normalize_identifier(raw: str) -> tuple[str, str]:
    """("email" or "phone", the form it is stored in); ValidationError if it is neither."""
    raw = (raw or "").strip()
    if "@" in raw:
        validate_email(raw)
        return "email", raw.lower()
    return "phone", normalize_phone(raw)


def citizen_accounts(kind: str, identifier: str):
    """Citizen accounts whose phone (``kind="phone"``, E.164) or email is ``identifier``.

    The user name counts too, for accounts whose contact field was left empty.
    """
    if kind == "email":
        match = Q(email__iexact=identifier) | Q(username__iexact=identifier)
    else:
        match = Q(phone=identifier) | Q(username=identifier)
    return get_user_model().objects.filter(match, role=Role.CITIZEN).order_by("pk")


class CitizenBackend(ModelBackend):
    """``authenticate(request, identifier=..., password=...)`` for the citizen sign-in page.

    Staff never sign in here (their page passes ``username``, which this backend does not take).
    """

    def authenticate(self, request, identifier=None, password=None):
        if not identifier or password is None:
            return None
        try:
            kind, normalized = normalize_identifier(identifier)
        except ValidationError:
            return None
        candidates = list(citizen_accounts(kind, normalized))
        if not candidates:
            # Hash anyway, so that an unknown number takes as long as a wrong password.
            get_user_model()().set_password(password)
            return None
        # Sign-up refuses a second account for the same number, but older or hand-made accounts
        # may share one: the password tells them apart.
        for user in candidates:
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        return None
