"""Signatures on the requests between GUP and its SMS gateway, in both directions.

GUP signs what it posts to the gateway; the gateway signs what it posts back (delivery reports,
inbound SMS), and the views that receive them call ``verify`` before reading anything. Both sides
share one secret, ``GUP_SMS_GATEWAY_SECRET``.

The header, ``X-GUP-Signature``, is written as Stripe writes its own::

    t=1767225600,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd

``t`` is the time of signing in Unix seconds and ``v1`` the hex HMAC-SHA256, under the secret,
of ``"<t>.<raw body>"``. Signing the time with the body lets the receiver refuse a request
replayed later: ``verify`` accepts a timestamp at most ``tolerance`` seconds from its clock, in
either direction. Several ``v1`` entries may be given (a sender changing secrets signs with
both); one match is enough, and entries of other names are ignored, as Stripe does.
"""

import hashlib
import hmac
import re
import time

HEADER = "X-GUP-Signature"
#: Five minutes, Stripe's default: room for clocks a little apart, not for a replay tomorrow.
DEFAULT_TOLERANCE_SECONDS = 300

TIMESTAMP = re.compile(r"[0-9]{1,12}")
HEX_DIGEST = re.compile(r"[0-9a-f]{64}")


def sign(body: bytes, secret: str | bytes, now: float | None = None) -> str:
    """The header value that signs ``body`` at ``now`` (Unix seconds, default: the clock)."""
    if not secret:
        raise ValueError("An empty secret signs nothing: set GUP_SMS_GATEWAY_SECRET.")
    timestamp = int(time.time() if now is None else now)
    return f"t={timestamp},v1={_digest(body, secret, timestamp)}"


def verify(
    body: bytes,
    header: str | None,
    secret: str | bytes,
    now: float | None = None,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """Whether ``header`` signs exactly ``body`` with ``secret``, recently enough.

    False, never an exception, for everything else: no secret configured (an empty secret would
    let anyone sign), a missing or malformed header, a timestamp further than ``tolerance``
    seconds from ``now`` (past or future), or a signature that does not match.
    """
    if not secret or not header:
        return False
    parsed = _parse(header)
    if parsed is None:
        return False
    timestamp, signatures = parsed
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        return False
    expected = _digest(body, secret, timestamp)
    return any(hmac.compare_digest(expected, signature) for signature in signatures)


def _digest(body: bytes, secret: str | bytes, timestamp: int) -> str:
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def _parse(header: str) -> tuple[int, list[str]] | None:
    """``(t, [v1, ...])``, or None when the header is not one timestamp and one signature or more.

    Values are checked against their alphabet before any comparison: ``compare_digest`` refuses
    non-ASCII text, and a malformed header must be a refusal, not an error page.
    """
    timestamps, signatures = [], []
    for part in header.split(","):
        name, equals, value = part.strip().partition("=")
        if not equals:
            return None
        if name == "t":
            timestamps.append(value)
        elif name == "v1":
            signatures.append(value)
    if len(timestamps) != 1 or not TIMESTAMP.fullmatch(timestamps[0]) or not signatures:
        return None
    if not all(HEX_DIGEST.fullmatch(signature) for signature in signatures):
        return None
    return int(timestamps[0]), signatures
