"""The seal printed on every document: its key facts, signed, small enough for a QR code.

A police officer or a bank clerk with no network must be able to tell a genuine document from a
forged one. So the QR code carries the facts themselves (kind, number, tracking number, holder,
issue date, validity, key id) signed with Ed25519, like the EU Digital COVID Certificate; the
verifier needs only the published public keys (``workflows.documents.keys``).

The code (what the QR holds after the verification address, and what a person can type):

    Base32 ( CBOR [version, kind, number, tracking number, holder, issued, valid until, key id]
             || Ed25519 signature of those CBOR bytes )

- CBOR (RFC 8949) is compact, standard and easy to decode in a browser (the offline verifier).
  Dates are days since 1970-01-01; "no end of validity" is null.
- Base32 (RFC 4648, upper case, no padding), not the DCC's Base45: the code sits in a URL
  (``https://…/V/<code>``) and Base45's space, ``%``, ``+`` and ``/`` cannot appear there
  unescaped, which would push the QR out of its alphanumeric mode. Base32 uses only characters of
  that mode, at 5 bits for 5.5 (Base45: 16 for 16.5), and survives being read aloud or typed.
- The holder's name is cut to ``HOLDER_MAX_BYTES`` in the seal (never on the page), so that
  a hostile or very long name cannot push the QR past version 10 at level M.
"""

import base64
import binascii
import datetime
from dataclasses import dataclass
from enum import StrEnum

import cbor2
from cryptography.exceptions import InvalidSignature

from workflows.documents.plain_text import without_direction_controls

FORMAT_VERSION = 1
SIGNATURE_BYTES = 64
HOLDER_MAX_BYTES = 48
#: Longer than any code of ours (about 250 characters): anything longer is not read at all.
MAX_CODE_CHARS = 1000
EPOCH = datetime.date(1970, 1, 1)

#: Stable numbers for the kinds, as they travel in the seal. Append; never renumber.
KIND_NUMBERS = {
    "filing_receipt": 1,
    "payment_receipt": 2,
    "correction_notice": 3,
    "information_request": 4,
    "appointment_notice": 5,
    "inspection_notice": 6,
    "decision_letter": 7,
    "building_permit": 8,
    "land_title_certificate": 9,
    "collection_notice": 10,
}
KIND_NAMES = {number: name for name, number in KIND_NUMBERS.items()}


@dataclass(frozen=True)
class SealedFacts:
    """What the seal asserts; everything else on the page is only as good as the paper."""

    kind: str
    number: str
    tracking_number: str
    holder: str
    issued_on: datetime.date
    valid_until: datetime.date | None
    key_id: str


class Status(StrEnum):
    GENUINE = "genuine"
    MALFORMED = "malformed"  # not a code of ours: mistyped, cut, or made up
    UNKNOWN_KEY = "unknown_key"  # signed with a key that is not (or no longer) published
    FORGED = "forged"  # the signature does not match: a byte was changed
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class Verdict:
    status: Status
    facts: SealedFacts | None = None

    @property
    def is_valid(self) -> bool:
        return self.status == Status.GENUINE


def cut_holder(name: str) -> str:
    """The name as the seal keeps it: in typing order (no direction controls), at most
    HOLDER_MAX_BYTES of UTF-8, cut between letters."""
    encoded = without_direction_controls(name).encode()[:HOLDER_MAX_BYTES]
    return encoded.decode(errors="ignore")


def seal(facts: SealedFacts, private_key) -> str:
    """The code for ``facts``, signed with ``private_key`` (whose id ``facts.key_id`` names)."""
    message = cbor2.dumps(
        [
            FORMAT_VERSION,
            KIND_NUMBERS[facts.kind],
            facts.number,
            facts.tracking_number,
            cut_holder(facts.holder),
            _days(facts.issued_on),
            _days(facts.valid_until) if facts.valid_until else None,
            bytes.fromhex(facts.key_id),
        ]
    )
    signature = private_key.sign(message)
    return base64.b32encode(message + signature).decode().rstrip("=")


def read(code: str, public_keys, *, today: datetime.date, revoked=frozenset()) -> Verdict:
    """Check ``code`` against ``public_keys`` ({key id: Ed25519PublicKey}), offline.

    ``revoked`` holds the numbers of documents revoked since (when the verifier has the list).
    Never raises on bad input: anything that is not a well-formed code of ours is MALFORMED.
    """
    raw = _decode(code)
    if raw is None or len(raw) <= SIGNATURE_BYTES:
        return Verdict(Status.MALFORMED)
    message, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    facts = _facts(message)
    if facts is None:
        return Verdict(Status.MALFORMED)
    public_key = public_keys.get(facts.key_id)
    if public_key is None:
        return Verdict(Status.UNKNOWN_KEY, facts)
    try:
        public_key.verify(signature, message)
    except InvalidSignature:
        return Verdict(Status.FORGED, facts)
    if facts.number in revoked:
        return Verdict(Status.REVOKED, facts)
    if facts.valid_until is not None and today > facts.valid_until:
        return Verdict(Status.EXPIRED, facts)
    return Verdict(Status.GENUINE, facts)


SEAL_ADDRESS_MARKERS = ("/V/", "/verify/", "/VERIFY/")


def is_seal_address(text: str) -> bool:
    """Whether a QR code's text is a verification address (a receipt also carries one that
    opens the status page, which holds no seal)."""
    return any(marker in (text or "") for marker in SEAL_ADDRESS_MARKERS)


def normalize(text: str) -> str:
    """The code out of what a person pasted: a whole verification URL, spaces, lower case."""
    text = (text or "").strip()
    for marker in (*SEAL_ADDRESS_MARKERS, "/v/"):
        if marker in text:
            text = text.rsplit(marker, 1)[1]
    return "".join(text.split()).strip("/").upper()


def _decode(code: str) -> bytes | None:
    code = normalize(code)
    if not code or len(code) > MAX_CODE_CHARS:
        return None
    try:
        return base64.b32decode(code + "=" * (-len(code) % 8))
    except (binascii.Error, ValueError):
        return None


def _facts(message: bytes) -> SealedFacts | None:
    try:
        fields = cbor2.loads(message)
    except (cbor2.CBORDecodeError, ValueError, TypeError, OverflowError, RecursionError):
        return None
    if not isinstance(fields, list) or len(fields) != 8 or fields[0] != FORMAT_VERSION:
        return None
    _version, kind, number, tracking, holder, issued, valid_until, key_id = fields
    if (
        kind not in KIND_NAMES
        or not all(isinstance(text, str) for text in (number, tracking, holder))
        or not isinstance(issued, int)
        or not (valid_until is None or isinstance(valid_until, int))
        or not isinstance(key_id, bytes)
    ):
        return None
    try:
        return SealedFacts(
            kind=KIND_NAMES[kind],
            number=number,
            tracking_number=tracking,
            holder=holder,
            issued_on=_date(issued),
            valid_until=_date(valid_until) if valid_until is not None else None,
            key_id=key_id.hex(),
        )
    except (OverflowError, ValueError):
        return None


def _days(day: datetime.date) -> int:
    return (day - EPOCH).days


def _date(days: int) -> datetime.date:
    return EPOCH + datetime.timedelta(days=days)
