"""A generic HTTP SMS gateway, for production.

The contract, in both directions (summed up in ``README.md``, "Configuration"):

GUP posts each message to ``GUP_SMS_GATEWAY_URL``::

    POST <GUP_SMS_GATEWAY_URL>
    Content-Type: application/json; charset=utf-8
    Authorization: Bearer <GUP_SMS_GATEWAY_TOKEN>      (left out when no token is set)
    Idempotency-Key: <key>
    X-GUP-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">   (gup.sms.signing)

    {"to": "+25779123456", "text": "...", "reference": "<key>",
     "callback_url": "https://..." or null}

The gateway must treat two requests with the same ``Idempotency-Key`` as one message, and answer
2xx with a JSON object carrying its reference for the message as ``id`` (or ``reference``)::

    {"id": "abc123"}

Any 2xx is an acceptance. 429, 408, 5xx, a redirection, no answer within
``GUP_SMS_GATEWAY_TIMEOUT`` seconds or no connection at all are temporary failures: the message
is sent again later, with the same key, so nothing goes out twice. Any other 4xx is a refusal that
sending again cannot fix (a number the gateway rejects, a text it refuses). A 2xx without a
reference is treated as temporary too: the same key makes the retry harmless.

The gateway posts delivery reports to the message's ``callback_url`` and inbound SMS to GUP,
signed with the same secret and header; GUP's views check them with ``signing.verify``.

Only the standard library is used: one POST per message needs no HTTP client dependency.
"""

import http.client
import json
import urllib.error
import urllib.request

from django.conf import settings

from gup.sms import signing
from gup.sms.backends import OutgoingSms, SmsBackend, SmsNotSent

#: Statuses under 500 that still mean "try again later": the gateway timed out or is throttling.
RETRYABLE_CLIENT_STATUSES = {408, 429}
#: The gateway's answer is a small JSON object; read no more than this of it.
MAX_ANSWER_BYTES = 64 * 1024


class _RedirectsAreAnswers(urllib.request.HTTPRedirectHandler):
    """urllib would follow a redirection of a POST as a GET without the body, and report that
    page's success; a gateway that redirects has not taken the message."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


# No global state but the handlers: one opener serves every thread.
_opener = urllib.request.build_opener(_RedirectsAreAnswers)


class HttpGatewayBackend(SmsBackend):
    reaches_phones = True

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        secret: str | None = None,
        timeout: float | None = None,
    ):
        self.url = settings.GUP_SMS_GATEWAY_URL if url is None else url
        self.token = settings.GUP_SMS_GATEWAY_TOKEN if token is None else token
        self.secret = settings.GUP_SMS_GATEWAY_SECRET if secret is None else secret
        self.timeout = settings.GUP_SMS_GATEWAY_TIMEOUT if timeout is None else timeout

    def deliver(self, sms: OutgoingSms) -> str:
        if not self.url or not self.secret:
            # The settings will be fixed; the message should wait for that, not be lost.
            raise SmsNotSent(
                "the SMS gateway is not configured (GUP_SMS_GATEWAY_URL, GUP_SMS_GATEWAY_SECRET)",
                permanent=False,
            )
        body = json.dumps(
            {
                "to": sms.to,
                "text": sms.text,
                "reference": sms.idempotency_key,
                "callback_url": sms.callback_url,
            },
            ensure_ascii=False,
        ).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "User-Agent": "GUP",
            "Idempotency-Key": sms.idempotency_key,
            signing.HEADER: signing.sign(body, self.secret),
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with _opener.open(request, timeout=self.timeout) as response:
                answer = response.read(MAX_ANSWER_BYTES)
        except urllib.error.HTTPError as error:
            error.close()
            # Neither the answer's body nor the text goes into the reason: the outbox keeps it,
            # and a gateway may echo the message back.
            raise SmsNotSent(
                f"the SMS gateway answered {error.code} {error.reason}",
                permanent=is_refusal(error.code),
            ) from error
        except (OSError, http.client.HTTPException) as error:
            # Refused or reset connections, DNS, TLS, timeouts (socket timeouts are OSErrors,
            # wrapped in URLError or not), answers cut short.
            raise SmsNotSent(
                f"the SMS gateway could not be reached: {error}", permanent=False
            ) from error
        reference = provider_reference(answer)
        if reference is None:
            raise SmsNotSent(
                "the SMS gateway accepted the message without giving its reference",
                permanent=False,
            )
        return reference


def is_refusal(status: int) -> bool:
    """Whether an HTTP error status means that sending the same message again cannot succeed."""
    return 400 <= status < 500 and status not in RETRYABLE_CLIENT_STATUSES


def provider_reference(answer: bytes) -> str | None:
    """The gateway's ``id`` (or ``reference``) from its JSON answer; None if it gave none."""
    try:
        data = json.loads(answer)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    for name in ("id", "reference"):
        value = data.get(name)
        # A number is accepted as a reference; a boolean is not one.
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
            return str(value)
    return None
