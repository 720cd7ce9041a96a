"""Status by SMS: a citizen texts a tracking number and gets the state and next step back.

Many citizens have a basic phone and no data plan: /track/ is out of their reach, an SMS is not.
The SMS gateway posts each message sent to GUP's number to ``POST /sms/inbound``
(``workflows.views.sms``), signed like every callback (``gup.sms.signing``)::

    POST /sms/inbound
    Content-Type: application/json
    X-GUP-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">

    {"id": "<the gateway's id for the message>", "from": "+25779123456", "text": "GIT-2026-..."}

and GUP answers:

- ``200 {"status": "accepted"}``: taken. The reply, if one is owed, goes out through the outbox
  as an ordinary SMS (``workflows.notifications.send_sms``), with its own delivery reports. The
  same answer whether a reply is owed, already owed (a redelivery) or refused (rate limit).
- ``400 {"error": "..."}``: not JSON, a field missing or not a string, an ``id`` longer than 100
  characters or with spaces or control characters, a ``from`` that is not a phone number.
- ``403 {"error": "bad signature"}``: missing, wrong or stale signature; nothing is read.
- ``405``: anything but POST.

Who gets what:

- The text is read leniently (``parse``): lower case, spaces, dashes or none, extra words
  ("status git 2026 000042 b please"). The digits outside the tracking number, if there are at
  least four, are read as the phone number's last four digits (a whole number works too).
- From the phone number on file, the tracking number alone is enough: ``status_reply``, the
  dossier's state and next step, in the dossier's language.
- From another phone, the tracking number and the last four digits of the phone on file:
  the same ``status_reply``, sent to the phone that asked.
- Anything else (an unknown number, a wrong ending, a draft, a text without a tracking number)
  gets ``status_unknown``: one answer, the same whatever the cause, that names no dossier. Its
  language is the sender's own choice when the sender's phone belongs to a GUP account, the
  default language otherwise (``language_of``).
- One inbound message gets one reply: the reply is owed once per gateway id
  (``once_key="inbound-<id>"``), however often the gateway delivers it.
- Each sender phone is answered at most ``GUP_SMS_STATUS_RATE`` times per period (default
  5 per 15 minutes, a fixed window in the shared cache). Beyond it nothing is looked up and no
  reply is owed: guessing four digits by SMS is slow, and a loop between two robots is cut.

The text itself may hold a tracking number and phone digits: it is never logged, and phone
numbers appear in logs masked (``gup.sms.masking``).
"""

import hmac
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import F
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

from gup.sms.masking import mask_phone
from workflows import outbox, public_status, tracking
from workflows.applicant import normalize_phone
from workflows.models import Dossier, Effect, OutboxMessage

logger = logging.getLogger(__name__)

#: The two answers (``workflows.messages`` topics).
STATUS_REPLY = "status_reply"
STATUS_UNKNOWN = "status_unknown"

RATE_GROUP = "gup.sms_status"
#: Gateway ids: printable ASCII without spaces, short enough for the outbox's once key.
MESSAGE_ID = re.compile(r"[\x21-\x7e]{1,100}")
#: An SMS is at most a few hundred characters; nothing beyond this is read.
LONGEST_TEXT = 1600
#: "GIT 2026 000 042 B": the most words a tracking number is looked for across.
MOST_WORDS_IN_A_NUMBER = 6
WORD = re.compile(r"[0-9A-Z]+")


class InvalidInbound(ValueError):
    """The gateway's message cannot be answered as it is (bad id, sender not a phone number)."""


@dataclass(frozen=True)
class Question:
    """What an SMS asks: a valid tracking number (or ""), and the phone's last four digits (or
    "")."""

    tracking_number: str
    last_digits: str


@dataclass(frozen=True)
class Reply:
    topic: str
    language: str
    dossier: Dossier | None


# --- Reading the text -------------------------------------------------------------------------


def parse(text: str) -> Question:
    """The tracking number and phone ending in what a person typed.

    The number is looked for across consecutive words, so that "git 2026 000042 b" and
    "GIT2026000042B" read alike (``tracking.normalize``), and only a number whose check
    character matches counts. Its check character may be typed against the phone digits
    ("...-B3456"). The digits of the other all-digit words are the phone number, of which the
    last four count. Without a valid number, nothing is read.
    """
    words = WORD.findall((text or "")[:LONGEST_TEXT].upper())
    for start in range(len(words)):
        for end in range(start + 1, min(start + MOST_WORDS_IN_A_NUMBER, len(words)) + 1):
            compact = "".join(words[start:end])
            last = words[end - 1]
            if len(last) == 5 and last[1:].isdigit() and _is_number(compact[:-4]):
                rest = [*words[:start], last[1:], *words[end:]]
                return Question(tracking.normalize(compact[:-4]), _last_four(rest))
            if _is_number(compact):
                rest = [*words[:start], *words[end:]]
                return Question(tracking.normalize(compact), _last_four(rest))
    return Question("", "")  # without a number, digits prove nothing


def _is_number(compact: str) -> bool:
    return tracking.is_valid(tracking.normalize(compact))


def _last_four(words: list[str]) -> str:
    digits = "".join(word for word in words if word.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


# --- Deciding the answer ----------------------------------------------------------------------


def decide(sender: str, question: Question) -> Reply:
    """The answer owed to ``sender`` (E.164) for ``question``.

    Both proofs (the phone on file, the phone's last four digits) are checked in constant
    time, and both are checked whatever the first says.
    """
    dossier = public_status.filed_dossier(question.tracking_number)
    from_phone_on_file = _is_phone_on_file(dossier, sender)
    knows_the_ending = public_status.phone_ends_with(dossier, question.last_digits)
    if dossier is not None and (from_phone_on_file or knows_the_ending):
        return Reply(STATUS_REPLY, dossier.language, dossier)
    return Reply(STATUS_UNKNOWN, language_of(sender), None)


def _is_phone_on_file(dossier: Dossier | None, sender: str) -> bool:
    on_file = _e164(dossier.applicant_phone) if dossier else ""
    return hmac.compare_digest(on_file.encode(), sender.encode()) and bool(on_file)


def _e164(phone: str) -> str:
    try:
        return normalize_phone(phone)
    except ValidationError:
        return ""


def language_of(sender: str) -> str:
    """The language to answer "nothing found" in: the sender's account's, else the default.

    This leaks nothing: the answer goes to the sender's phone, whose owner chose that language;
    someone who forges the sender's number never sees it. And it does not depend on the dossier
    asked about, so "unknown" reads the same whatever the cause. (The language of dossiers filed
    with that phone would be a signal too, but dossiers have no index on the phone number.)
    """
    chosen = (
        get_user_model()
        .objects.filter(phone=sender, is_active=True)
        .order_by(F("last_login").desc(nulls_last=True), "-pk")
        .values_list("preferred_language", flat=True)
        .first()
    )
    known = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in known else settings.LANGUAGE_CODE


# --- Receiving --------------------------------------------------------------------------------


def receive(message_id: str, sender: str, text: str) -> OutboxMessage | None:
    """Answer the inbound SMS ``message_id`` from ``sender``: owe the reply to the outbox.

    Returns the reply owed, or None when none is: the message was already answered (the gateway
    delivered it again), or the sender is over the rate limit. Raises ``InvalidInbound`` for an
    id or sender that cannot be used.
    """
    if not MESSAGE_ID.fullmatch(message_id):
        raise InvalidInbound("'id' must be 1 to 100 printable characters without spaces")
    phone = _e164(sender)
    if not phone:
        raise InvalidInbound("'from' is not a phone number")
    once_key = f"inbound-{message_id}"
    if OutboxMessage.objects.filter(once_key=once_key).exists():
        return None  # a redelivery: it does not count against the sender either
    if _over_the_limit(phone):
        logger.warning("Status by SMS: %s is over the rate limit, not answered", mask_phone(phone))
        return None
    reply = decide(phone, parse(text))
    message = outbox.write(
        Effect.SMS,
        topic=reply.topic,
        recipient=phone,
        language=reply.language,
        dossier=reply.dossier,
        once_key=once_key,
    )
    if message is not None:
        logger.info("Status by SMS: %s answered with %s", mask_phone(phone), reply.topic)
    return message


def _over_the_limit(phone: str) -> bool:
    """Count this message against ``phone``; True once it is past the allowed number."""
    usage = get_usage(
        None,
        group=RATE_GROUP,
        key=lambda group, request: phone,
        rate=settings.GUP_SMS_STATUS_RATE,
        method=ALL,
        increment=True,
    )
    return usage is not None and usage["should_limit"]
