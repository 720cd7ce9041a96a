"""The QR code printed on documents: the verification address with the seal's code in it.

The whole text is upper case (``HTTPS://GUP.GOV.BI/V/<code>``) so that the QR encodes it in
alphanumeric mode (5.5 bits a character instead of 8): with the seal's Base32 code that keeps a
receipt at version 9 or 10, level M, readable printed 25 mm wide. Host names and schemes are
case-insensitive, and ``/V/`` is routed to the verification page like ``/verify/``.

Printed as a one-pixel-per-module PNG, scaled without smoothing (``image-rendering:
pixelated``), so the modules stay sharp at any size: WeasyPrint draws it at once, where an SVG
path of the same code cost a fifth of a whole render. The template names it by its text
(``gup-qr:<text>``) and the renderer's fetcher draws it (``render.ProjectFilesOnly``): nothing
is read from a disk or a network.
"""

import functools
import io
from urllib.parse import quote, unquote

import segno
from django.conf import settings
from PIL import Image

SCHEME = "gup-qr:"

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


def image_source(text: str) -> str:
    """What a template puts in ``<img src>`` to print the QR code of ``text``."""
    _png(text)  # encoded now, while the document's contents are built; refused if too dense
    return SCHEME + quote(text, safe="")


def png_for(source: str) -> bytes | None:
    """The PNG an ``image_source`` names (quiet zone included), or None for any other URL."""
    if not source.startswith(SCHEME):
        return None
    return _png(unquote(source[len(SCHEME) :]))


@functools.lru_cache(maxsize=32)
def _png(text: str) -> bytes:
    # Encoding is the slow part (segno tries eight masks in Python): once per code.
    code = make(text)
    if code.version > MAX_VERSION:
        raise ValueError(f"The QR code would be version {code.version}, above {MAX_VERSION}.")
    bilevel = io.BytesIO()
    code.save(bilevel, kind="png", scale=1, border=4)
    # As 8-bit grey, which WeasyPrint embeds as it is: a one-bit PNG it first converts to RGB
    # and encodes again (twice the work at every render, three times the bytes in the PDF).
    image = io.BytesIO()
    Image.open(bilevel).convert("L").save(image, format="PNG")
    return image.getvalue()
