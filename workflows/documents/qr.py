"""The QR code printed on documents: the verification address with the seal's code in it.

The whole text is upper case (``HTTPS://GUP.GOV.BI/V/<code>``) so that the QR encodes it in
alphanumeric mode (5.5 bits a character instead of 8): with the seal's Base32 code that keeps a
receipt at version 9 or 10, level M, readable printed 25 mm wide. Host names and schemes are
case-insensitive, and ``/V/`` is routed to the verification page like ``/verify/``.

Drawn as inline SVG: WeasyPrint prints it as vectors (sharp at any size) and fetches nothing.
"""

import segno
from django.conf import settings

ERROR_CORRECTION = "m"
MAX_VERSION = 10


def public_url(path: str) -> str:
    """The absolute address of ``path`` on the public site (``GUP_PUBLIC_URL``)."""
    return settings.GUP_PUBLIC_URL.rstrip("/") + path


def verification_url(code: str) -> str:
    return (settings.GUP_PUBLIC_URL.rstrip("/") + "/V/" + code).upper()


def make(text: str):
    """The QR code of ``text``, refused past version 10 (too dense to read printed small)."""
    return segno.make_qr(text, error=ERROR_CORRECTION, boost_error=False)


def qr_svg(text: str) -> str:
    code = make(text)
    if code.version > MAX_VERSION:
        raise ValueError(f"The QR code would be version {code.version}, above {MAX_VERSION}.")
    return code.svg_inline(scale=1, border=4, omitsize=True, dark="#000", light="#fff")
