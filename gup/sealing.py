"""Secrets kept only until they are delivered: sealed with a key derived from ``SECRET_KEY``.

A resume link or a one-time code must reach the citizen even if the first attempt to send it
fails, so the outbox keeps it until the message is sent, and forgets it then. Sealed (Fernet:
AES and an HMAC) rather than in clear, so that a copy of the database, or an administrator
reading the outbox, learns nothing from it.
"""

import base64
import json
from collections.abc import Mapping

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

__all__ = ["InvalidToken", "open_sealed", "seal"]


def _fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"gup outbox secrets").derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(values: Mapping[str, str]) -> str:
    """The values, sealed; empty when there is nothing to keep."""
    if not values:
        return ""
    return _fernet().encrypt(json.dumps(dict(values)).encode()).decode()


def open_sealed(sealed: str) -> dict[str, str]:
    """The values back. Raises ``InvalidToken`` when ``SECRET_KEY`` changed since."""
    if not sealed:
        return {}
    return json.loads(_fernet().decrypt(sealed.encode()))
