"""Tracking numbers a person can read out over the phone: ``GIT-2026-000042-B``.

Office code, year, sequence within the office and year, and a check character computed with the
Luhn mod N algorithm over the alphabet 0-9A-Z. It catches every single mistyped character, and
every swap of two adjacent characters but ``0``/``Z``, which this layout never puts side by side
(letters and digits sit in separate groups). A clerk who mistypes a number gets "unknown" instead
of someone else's dossier.
"""

import re

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
TRACKING_PATTERN = re.compile(
    r"^(?P<office>[A-Z]{3})-(?P<year>\d{4})-(?P<seq>\d{6,})-(?P<check>[0-9A-Z])$"
)


def check_character(payload: str) -> str:
    """Luhn mod 36 check character of ``payload`` (characters from ALPHABET only)."""
    base = len(ALPHABET)
    total = 0
    factor = 2
    for char in reversed(payload):
        addend = factor * ALPHABET.index(char)
        total += addend // base + addend % base
        factor = 1 if factor == 2 else 2
    return ALPHABET[(base - total % base) % base]


def format_tracking_number(office_code: str, year: int, sequence: int) -> str:
    payload = f"{office_code}{year:04d}{sequence:06d}"
    return f"{office_code}-{year:04d}-{sequence:06d}-{check_character(payload)}"


def normalize(raw: str) -> str:
    """Accept what people type: lower case, spaces, missing or extra dashes."""
    compact = re.sub(r"[^0-9A-Za-z]", "", raw or "").upper()
    if len(compact) < 14:
        return compact
    return f"{compact[:3]}-{compact[3:7]}-{compact[7:-1]}-{compact[-1]}"


def is_valid(tracking_number: str) -> bool:
    """Well formed, and the check character matches."""
    match = TRACKING_PATTERN.match(tracking_number or "")
    if not match:
        return False
    payload = match["office"] + match["year"] + match["seq"]
    return check_character(payload) == match["check"]
