"""The keys that sign documents, and the public keys that verify them.

- The signing key (Ed25519, PEM, PKCS#8) comes from ``GUP_SIGNING_KEY`` or from the file named by
  ``GUP_SIGNING_KEY_FILE``. Where neither is set and ``GUP_SIGNING_KEY_GENERATE`` is on (the
  embedded default, the tests), one is generated on first use and kept under
  ``$GUP_VAR_DIR/keys/``, so that the demo signs without any set-up.
- Public keys still accepted besides the current one (keys used before a rotation) come from
  ``GUP_VERIFY_KEYS`` / ``GUP_VERIFY_KEYS_FILE``: the JSON published at ``/verify/keys.json``
  by the instance that used them. Rotating is: publish the old key there, set the new signing
  key; documents signed with the old key keep verifying.
- A key's id is the first 4 bytes of the SHA-256 of its raw public key, in hex: it travels in
  every seal so that the verifier picks the right key.
"""

import base64
import functools
import hashlib
import json
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

GENERATED_KEY_NAME = "document-signing-key.pem"


def key_id(public_key: Ed25519PublicKey) -> str:
    return hashlib.sha256(_raw(public_key)).digest()[:4].hex()


def signing_key() -> tuple[str, Ed25519PrivateKey]:
    """(key id, private key) of the key that signs new documents."""
    return _signing_key()


def public_keys() -> dict[str, Ed25519PublicKey]:
    """Every key a seal may have been signed with: the current one and those published before."""
    return dict(_public_keys())


def published() -> dict:
    """The JSON published at ``/verify/keys.json`` (and embedded in the offline verifier)."""
    current_id, _private = signing_key()
    return {
        "algorithm": "Ed25519",
        "keys": [
            {
                "kid": kid,
                "public_key": base64.urlsafe_b64encode(_raw(key)).decode().rstrip("="),
                "current": kid == current_id,
            }
            for kid, key in sorted(public_keys().items())
        ],
    }


def from_published(key_list) -> dict[str, Ed25519PublicKey]:
    """The keys of a key list as published at ``/verify/keys.json``, by key id.

    The ids are computed from the keys, not read from the list: a list that names a key wrongly
    cannot make a seal verify with it. Raises ValueError when ``key_list`` is not such a list.
    """
    keys = {}
    try:
        for entry in key_list["keys"]:
            raw = base64.urlsafe_b64decode(entry["public_key"] + "==")
            public_key = Ed25519PublicKey.from_public_bytes(raw)
            keys[key_id(public_key)] = public_key
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"not a published key list ({error!r})") from None
    return keys


def new_private_pem() -> bytes:
    """A new Ed25519 private key, PEM (PKCS#8), unencrypted: keep it readable by GUP only."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def forget() -> None:
    """Drop the keys read so far (after a change of settings, in tests)."""
    _signing_key.cache_clear()
    _public_keys.cache_clear()


@functools.cache
def _signing_key() -> tuple[str, Ed25519PrivateKey]:
    pem = settings.GUP_SIGNING_KEY
    if not pem:
        if not settings.GUP_SIGNING_KEY_GENERATE:
            raise ImproperlyConfigured(
                "Set GUP_SIGNING_KEY or GUP_SIGNING_KEY_FILE: documents cannot be signed."
            )
        pem = _generated_key_pem()
    try:
        private_key = serialization.load_pem_private_key(pem.encode(), password=None)
    except ValueError as error:
        raise ImproperlyConfigured(f"GUP_SIGNING_KEY is not a PEM private key: {error}") from None
    if not isinstance(private_key, Ed25519PrivateKey):
        raise ImproperlyConfigured("GUP_SIGNING_KEY must be an Ed25519 key.")
    return key_id(private_key.public_key()), private_key


@functools.cache
def _public_keys() -> dict[str, Ed25519PublicKey]:
    keys = {}
    if settings.GUP_VERIFY_KEYS:
        try:
            keys = from_published(json.loads(settings.GUP_VERIFY_KEYS))
        except ValueError as error:
            raise ImproperlyConfigured(f"GUP_VERIFY_KEYS is not a key list: {error}") from None
    current_id, private_key = _signing_key()
    keys[current_id] = private_key.public_key()
    return keys


def _generated_key_pem() -> str:
    """The demo's own key: made once, kept readable by this user only."""
    path = settings.VAR_DIR / "keys" / GENERATED_KEY_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = new_private_pem()
        # O_EXCL: two processes starting together keep one key, the first one written.
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "wb") as file:
                file.write(pem)
    return path.read_text()


def _raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
