"""One interface for every SMS gateway, and the one GUP uses: ``get_backend()``.

A caller builds an ``OutgoingSms`` and calls ``get_backend().send(sms)``. The backend is named by
``GUP_SMS_BACKEND`` as a dotted path, as Django names its e-mail backends:

- ``gup.sms.backends.file.FileBackend`` (the default): one file per SMS under
  ``GUP_SMS_FILE_PATH``, for the demo and development;
- ``gup.sms.backends.console.ConsoleBackend``: on standard output, for a developer who asks
  (it prints the texts, secrets included);
- ``gup.sms.backends.locmem.LocMemBackend``: in ``locmem.outbox``, for tests;
- ``gup.sms.backends.http_gateway.HttpGatewayBackend``: a real gateway over HTTP, in production.

Sending twice sends nothing twice: the caller gives each message an idempotency key (its outbox
row id) and every backend treats two sends with the same key as one message. A job that died
after the gateway accepted its message may therefore simply run again.
"""

import functools
import logging
import re
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from gup.sms.masking import mask_phone

logger = logging.getLogger("gup.sms")

#: A key names a file and travels in an HTTP header: letters, digits, ".", "_" and "-" only,
#: and not a leading dot (no hidden file, no "..").
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}")


@dataclass(frozen=True)
class OutgoingSms:
    """One message for one phone.

    ``to`` is in E.164 (``+25779123456``). ``idempotency_key`` identifies the message for good
    (the caller's outbox row id): the same key sent twice is one message. ``callback_url`` is
    where the gateway posts its delivery reports, if anywhere.
    """

    to: str
    text: str
    idempotency_key: str
    callback_url: str | None = None

    def __post_init__(self):
        # A programming error, not a refusal by the gateway: fail where the message is built.
        if not isinstance(self.idempotency_key, str) or not IDEMPOTENCY_KEY.fullmatch(
            self.idempotency_key
        ):
            raise ValueError(
                f"An SMS idempotency key is 1 to 100 letters, digits, '.', '_' or '-', "
                f"not {self.idempotency_key!r}."
            )

    def __repr__(self):
        # Tracebacks and logs may show a message: never its text (resume links, one-time codes),
        # and only the masked phone number.
        return (
            f"OutgoingSms(to={mask_phone(self.to)!r}, idempotency_key={self.idempotency_key!r}, "
            f"callback_url={self.callback_url!r})"
        )


class SmsNotSent(Exception):
    """The message did not leave. ``permanent``: sending it again cannot succeed (the gateway
    refused it, the number does not exist); otherwise it may be retried later (timeout, the
    gateway down or busy), with the same idempotency key."""

    def __init__(self, reason: str, permanent: bool):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class SmsBackend:
    """What every backend does; a backend implements ``deliver``.

    ``reaches_phones`` says whether the backend really sends: ``check --deploy`` warns about one
    that does not.
    """

    reaches_phones = False

    def send(self, sms: OutgoingSms) -> str:
        """Send ``sms`` and return the provider's reference for it; ``SmsNotSent`` otherwise."""
        if not is_e164(sms.to):
            raise SmsNotSent("the recipient is not a valid phone number in E.164", permanent=True)
        reference = self.deliver(sms)
        logger.info(
            "SMS %s to %s handed to %s as %s",
            sms.idempotency_key,
            mask_phone(sms.to),
            type(self).__name__,
            reference,
        )
        return reference

    def deliver(self, sms: OutgoingSms) -> str:
        """Carry a message whose number has been checked; return the reference."""
        raise NotImplementedError


def is_e164(number: str) -> bool:
    """Whether ``number`` is a valid phone number written exactly in E.164 (``+25779123456``)."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed) and number == phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.E164
    )


@functools.cache
def get_backend() -> SmsBackend:
    """The backend named by ``GUP_SMS_BACKEND``, made once per process."""
    return import_string(settings.GUP_SMS_BACKEND)()


@receiver(setting_changed)
def forget_backend_on_new_settings(*, setting: str, **kwargs) -> None:
    """Tests change SMS settings with ``override_settings``: the next backend reads them anew."""
    if setting.startswith("GUP_SMS_"):
        get_backend.cache_clear()
