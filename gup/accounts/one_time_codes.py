"""One-time codes: six digits sent by SMS that prove, for a few minutes, that a phone is at hand.

Used to confirm a citizen account's phone number (after which the dossiers filed with that
number are offered to the account) and to let whoever follows a dossier on /track/ download its
documents. The rules, in one place:

- a code is six random digits (``secrets``), sent through the outbox
  (``workflows.notifications.send_code``), where it is sealed until the SMS leaves;
- only its HMAC-SHA256 is stored, keyed with a key derived from ``SECRET_KEY`` and bound to the
  phone, purpose and scope: a copy of the database does not give the codes away, even though a
  million candidates are quickly tried against a plain hash;
- it is valid ``LIFETIME`` (10 minutes), for ``MAX_ATTEMPTS`` wrong tries (5), once; a new code
  for the same phone, purpose and scope replaces the earlier ones;
- a phone is sent at most ``MAX_CODES_PER_PHONE`` codes (5) per ``CODES_WINDOW`` (an hour),
  whatever they are for, and a new code for the same purpose and scope waits ``RESEND_AFTER``
  (a minute). Both are counted on the rows themselves, under a lock per phone, so they hold
  across processes and servers;
- neither the code nor the phone number in clear ever reaches a log (``mask_phone``).

Every refusal is a ``CodeRefused`` whose ``message`` tells the citizen what to do next.
``purge_spent`` deletes the codes spent more than a day ago (run daily by the scheduler).
"""

import datetime
import hashlib
import logging
import math
import re
import secrets
from hmac import compare_digest

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gup.accounts.code_lifetime import LIFETIME_MINUTES
from gup.accounts.models import CodePurpose, OneTimeCode
from gup.sms.masking import mask_phone

__all__ = [
    "CODES_WINDOW",
    "LENGTH",
    "LIFETIME",
    "LIFETIME_MINUTES",
    "MAX_ATTEMPTS",
    "MAX_CODES_PER_PHONE",
    "RESEND_AFTER",
    "CodeExpired",
    "CodePurpose",
    "CodeRefused",
    "NoCode",
    "TooManyAttempts",
    "TooManyCodes",
    "TooSoon",
    "WrongCode",
    "check",
    "is_waiting",
    "issue",
    "purge_spent",
    "seconds_before_resend",
]

logger = logging.getLogger(__name__)

LENGTH = 6
LIFETIME = datetime.timedelta(minutes=LIFETIME_MINUTES)
MAX_ATTEMPTS = 5
MAX_CODES_PER_PHONE = 5
CODES_WINDOW = datetime.timedelta(hours=1)
RESEND_AFTER = datetime.timedelta(minutes=1)
#: Spent codes are kept this long (they count towards the limit per phone), then purged.
KEEP_SPENT_FOR = datetime.timedelta(days=1)

HMAC_SALT = "gup.accounts.one_time_codes"
WELL_FORMED = re.compile(rf"[0-9]{{{LENGTH}}}")


# --- Refusals ---------------------------------------------------------------------------------


class CodeRefused(Exception):
    """The code was not sent, or not accepted. ``message`` says why, for the citizen."""

    @property
    def message(self) -> str:  # pragma: no cover - every refusal below says its own
        return _("This code cannot be used.")


class NoCode(CodeRefused):
    """No code is waiting: none was sent, or it was used already."""

    @property
    def message(self) -> str:
        return _("There is no code waiting to be typed. Ask for a new code.")


class WrongCode(CodeRefused):
    """Not the code sent; ``attempts_left`` more tries before the code is dead."""

    def __init__(self, attempts_left: int):
        self.attempts_left = attempts_left
        super().__init__(attempts_left)

    @property
    def message(self) -> str:
        return ngettext(
            "This is not the code we sent. Check the digits: %(count)s more try.",
            "This is not the code we sent. Check the digits: %(count)s more tries.",
            self.attempts_left,
        ) % {"count": self.attempts_left}


class CodeExpired(CodeRefused):
    @property
    def message(self) -> str:
        return ngettext(
            "This code has expired (a code works for %(count)s minute). Ask for a new code.",
            "This code has expired (a code works for %(count)s minutes). Ask for a new code.",
            LIFETIME_MINUTES,
        ) % {"count": LIFETIME_MINUTES}


class TooManyAttempts(CodeRefused):
    @property
    def message(self) -> str:
        return _("Too many wrong tries: this code no longer works. Ask for a new code.")


class _Wait(CodeRefused):
    def __init__(self, seconds: int):
        self.seconds = max(math.ceil(seconds), 1)
        super().__init__(self.seconds)

    @property
    def minutes(self) -> int:
        return -(-self.seconds // 60)


class TooSoon(_Wait):
    """A code for the same thing was sent less than ``RESEND_AFTER`` ago."""

    @property
    def message(self) -> str:
        return ngettext(
            "A code was sent a moment ago: wait for it, or ask again in %(count)s second.",
            "A code was sent a moment ago: wait for it, or ask again in %(count)s seconds.",
            self.seconds,
        ) % {"count": self.seconds}


class TooManyCodes(_Wait):
    """This phone was sent ``MAX_CODES_PER_PHONE`` codes within ``CODES_WINDOW``."""

    @property
    def message(self) -> str:
        return ngettext(
            "This phone has received too many codes. Ask again in %(count)s minute.",
            "This phone has received too many codes. Ask again in %(count)s minutes.",
            self.minutes,
        ) % {"count": self.minutes}


# --- Sending ----------------------------------------------------------------------------------


def issue(phone: str, purpose: str, scope: str, language: str) -> OneTimeCode:
    """Send a new code for ``purpose`` and ``scope`` to ``phone`` (E.164), in ``language``.

    Earlier codes of the same phone, purpose and scope stop working. Raises ``TooSoon`` or
    ``TooManyCodes`` (nothing is sent then). The SMS leaves once the transaction commits.
    """
    purpose = CodePurpose(purpose)
    with transaction.atomic():
        _lock_phone(phone)
        now = timezone.now()
        latest = _codes(phone, purpose, scope).first()
        if latest is not None and now < latest.created_at + RESEND_AFTER:
            raise TooSoon((latest.created_at + RESEND_AFTER - now).total_seconds())
        recent = OneTimeCode.objects.filter(phone=phone, created_at__gt=now - CODES_WINDOW)
        if recent.count() >= MAX_CODES_PER_PHONE:
            oldest = recent.order_by("created_at").values_list("created_at", flat=True)[0]
            raise TooManyCodes((oldest + CODES_WINDOW - now).total_seconds())
        _codes(phone, purpose, scope).filter(used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        code = f"{secrets.randbelow(10**LENGTH):0{LENGTH}d}"
        one_time_code = OneTimeCode.objects.create(
            phone=phone,
            purpose=purpose,
            scope=scope,
            code_hash=_hash(phone, purpose, scope, code),
            created_at=now,
            expires_at=now + LIFETIME,
        )
        # Imported here: the notifications' texts read the dossiers' status, whose modules
        # (citizen access) use these codes.
        from workflows import notifications

        notifications.send_code(phone, code, language)
    logger.info("One-time code %s (%s) issued for %s", one_time_code.pk, purpose, mask_phone(phone))
    return one_time_code


def seconds_before_resend(phone: str, purpose: str, scope: str) -> int:
    """How long before a new code may be asked for this purpose and scope (0: now)."""
    latest = _codes(phone, purpose, scope).values_list("created_at", flat=True).first()
    if latest is None:
        return 0
    return max(math.ceil((latest + RESEND_AFTER - timezone.now()).total_seconds()), 0)


def is_waiting(phone: str, purpose: str, scope: str) -> bool:
    """A code was sent for this purpose and scope and may still be typed."""
    code = _codes(phone, purpose, scope).first()
    return (
        code is not None
        and code.used_at is None
        and code.attempts < MAX_ATTEMPTS
        and timezone.now() < code.expires_at
    )


# --- Checking ---------------------------------------------------------------------------------


def check(phone: str, purpose: str, scope: str, typed: str) -> bool:
    """True when ``typed`` is the live code of this phone, purpose and scope; it is used up.

    Otherwise raises ``NoCode``, ``CodeExpired``, ``TooManyAttempts`` or ``WrongCode`` (the
    wrong try is counted, and the fifth kills the code). Compared in constant time.
    """
    typed = (typed or "").strip()
    with transaction.atomic():
        code = _codes(phone, purpose, scope).select_for_update().first()
        now = timezone.now()
        if code is None or code.used_at is not None:
            # The same work as a real comparison, so that the answer's timing tells nothing.
            compare_digest(_hash(phone, purpose, scope, typed), "0" * 64)
            refusal = NoCode()
        elif code.attempts >= MAX_ATTEMPTS:
            refusal = TooManyAttempts()
        elif now >= code.expires_at:
            refusal = CodeExpired()
        elif WELL_FORMED.fullmatch(typed) and compare_digest(
            _hash(phone, purpose, scope, typed), code.code_hash
        ):
            code.used_at = now
            code.save(update_fields=["used_at"])
            refusal = None
        else:
            code.attempts += 1
            code.save(update_fields=["attempts"])
            left = MAX_ATTEMPTS - code.attempts
            refusal = WrongCode(left) if left > 0 else TooManyAttempts()
    # Raised once the transaction is committed: a wrong try must stay counted.
    if refusal is not None:
        logger.info(
            "One-time code (%s) refused for %s: %s",
            purpose,
            mask_phone(phone),
            type(refusal).__name__,
        )
        raise refusal
    return True


# --- Housekeeping -----------------------------------------------------------------------------


def purge_spent(now: datetime.datetime | None = None) -> int:
    """Delete the codes expired or used more than a day ago; return how many. Run daily.

    A day, not at once: the rows of the last hour count the codes each phone was sent.
    """
    limit = (now or timezone.now()) - KEEP_SPENT_FOR
    deleted, _by_model = OneTimeCode.objects.filter(
        Q(expires_at__lt=limit) | Q(used_at__lt=limit)
    ).delete()
    if deleted:
        logger.info("Purged %s spent one-time codes", deleted)
    return deleted


# --- Inside -----------------------------------------------------------------------------------


def _codes(phone: str, purpose: str, scope: str):
    """The codes of this phone, purpose and scope, latest first."""
    return OneTimeCode.objects.filter(phone=phone, purpose=purpose, scope=scope).order_by(
        "-created_at", "-id"
    )


def _hash(phone: str, purpose: str, scope: str, code: str) -> str:
    """HMAC-SHA256 of the code, bound to what it is for, keyed from ``SECRET_KEY``."""
    message = "\n".join((str(purpose), scope, phone, code))
    return salted_hmac(HMAC_SALT, message, algorithm="sha256").hexdigest()


def _lock_phone(phone: str) -> None:
    """Serialise the sending of codes to one phone until the transaction ends.

    A PostgreSQL advisory lock: two requests at the same moment cannot both find room under
    the limit. (SQLite, the embedded first look, lets one writer in at a time anyway.)
    """
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(f"{HMAC_SALT}:{phone}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)]
        )
