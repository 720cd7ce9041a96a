"""GSM 03.38: which characters an SMS can carry in 7 bits, and how many messages a text costs.

A text made only of the GSM default alphabet is sent in GSM-7: 160 septets in one message, 153
per part once it must be split (the other 7 carry the header that joins the parts). The
extension table (``^ { } \\ [ ~ ] | €`` and the form feed) costs two septets a character: an
escape, then the character. One character outside both tables and the whole text goes as UCS-2:
70 UTF-16 code units in one message, 67 per part, and a character beyond the Basic Multilingual
Plane (an emoji) takes two units.

A part never ends between the two halves of an escape or of a surrogate pair, so a long text
with such a character at a boundary can need one more part than a plain division says;
``segments`` counts the way gateways split.

``to_gsm`` keeps French and Kirundi in GSM-7: it writes accented letters the alphabet lacks
without their accent (``ê`` → ``e``; ``é``, ``è``, ``à`` and ``Ç`` stay), and typographic
punctuation (curly apostrophes, dashes, no-break spaces) as its plain form. A character with no
plain form stays as it is: the text then costs UCS-2, and ``segments`` says so.
"""

import math
import re
import unicodedata
from dataclasses import dataclass

GSM_7 = "GSM-7"
UCS_2 = "UCS-2"

#: The default alphabet, in the order of its code points (0x1B, the escape, left out).
BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
) - {"\x1b"}
#: Sent as an escape and the character: two septets each.
EXTENSION = frozenset("\f^{}\\[~]|€")
ALPHABET = BASIC | EXTENSION

SINGLE_SEPTETS = 160
PART_SEPTETS = 153
SINGLE_UNITS = 70
PART_UNITS = 67

#: Replacements that taking the accent off does not find.
REPLACEMENTS = {
    # Apostrophes and quotation marks.
    "\u2018": "'",  # ‘
    "\u2019": "'",  # ’ (the Kirundi apostrophe: n’, y’, ry’...)
    "\u201a": "'",  # ‚
    "\u201b": "'",  # ‛
    "\u2032": "'",  # ′
    "\u00b4": "'",  # ´
    "`": "'",
    "\u201c": '"',  # “
    "\u201d": '"',  # ”
    "\u201e": '"',  # „
    "\u201f": '"',  # ‟
    "\u2033": '"',  # ″
    "\u00ab": '"',  # «
    "\u00bb": '"',  # »
    "\u2039": "'",  # ‹
    "\u203a": "'",  # ›
    # Dashes, hyphens and bullets.
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2013": "-",  # –
    "\u2014": "-",  # —
    "\u2015": "-",  # ―
    "\u2212": "-",  # minus sign
    "\u2022": "-",  # •
    "\u00b7": ".",  # ·
    # Spaces; invisible characters disappear.
    "\t": " ",
    "\u00a0": " ",  # no-break space (between thousands, and before "BIF")
    "\u202f": " ",  # narrow no-break space (before ":" in French)
    "\u2007": " ",  # figure space
    "\u2009": " ",  # thin space
    "\u200a": " ",  # hair space
    "\u00ad": "",  # soft hyphen
    "\u200b": "",  # zero-width space
    "\u200c": "",  # zero-width non-joiner
    "\u200d": "",  # zero-width joiner
    "\u2060": "",  # word joiner
    "\ufeff": "",  # byte-order mark
    # Letters without a decomposition.
    "\u0153": "oe",  # œ
    "\u0152": "OE",  # Œ
    "\u0142": "l",  # ł
    "\u0141": "L",  # Ł
    "\u0111": "d",  # đ
    "\u0110": "D",  # Đ
    "\u0131": "i",  # dotless i
    "\u00d7": "x",  # ×
    "\u00b0": "o",  # ° as in "n° 12", as French addresses write it
}


FRENCH_QUOTES = re.compile("«[ \u00a0\u202f]?|[ \u00a0\u202f]?»")


def _plain(char: str) -> str | None:
    """``char`` in GSM characters, or None when it has no plain form."""
    if char in REPLACEMENTS:
        return REPLACEMENTS[char]
    # NFKD separates the accent from its letter (ê → e + ◌̂) and writes compatibility forms
    # plainly (… → ..., ﬁ → fi, ² → 2, full-width letters): keep what is left if it is GSM.
    decomposed = unicodedata.normalize("NFKD", char)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = "".join(REPLACEMENTS.get(c, c) for c in plain)
    if plain and all(c in ALPHABET for c in plain):
        return plain
    return None


def to_gsm(text: str) -> str:
    """``text`` with every character outside GSM 03.38 written as its closest GSM equivalent.

    Characters of the alphabet are kept (``é``, ``è``, ``à``, ``ù``, ``Ç``, ``ä``, ``ñ``...);
    the others lose their accent (``ê`` → ``e``, ``ç`` → ``c``, ``À`` → ``A``) or take their
    plain form (``’`` → ``'``, ``–`` → ``-``, ``…`` → ``...``, a no-break space → a space).
    What has no equivalent (Greek small letters, Cyrillic, emoji...) is left unchanged.
    """
    # Composed first, so that "e" followed by a combining acute is the GSM "é". French quotes
    # lose the spaces inside them: « oui » is "oui".
    text = FRENCH_QUOTES.sub('"', unicodedata.normalize("NFC", text))
    out = []
    for char in text:
        if char in ALPHABET:
            out.append(char)
        elif unicodedata.combining(char) and out and out[-1] and out[-1][-1] in ALPHABET:
            # An accent left over on a letter already written plainly: drop it.
            continue
        else:
            plain = _plain(char)
            out.append(char if plain is None else plain)
    return "".join(out)


def is_gsm(text: str) -> bool:
    """True when ``text`` can be sent in GSM-7 as it is."""
    return all(char in ALPHABET for char in text)


@dataclass(frozen=True)
class SmsLength:
    """What a text costs: its encoding, its length in that encoding, and the messages billed.

    ``units`` are septets in GSM-7 (two for an extension character) and UTF-16 code units in
    UCS-2 (two for a character beyond the Basic Multilingual Plane).
    """

    encoding: str
    units: int
    count: int


def segments(text: str) -> SmsLength:
    """How ``text`` is sent, exactly as it is (pass it through ``to_gsm`` first to save).

    An empty text counts as one message: what a gateway bills for sending it, and the answer
    that keeps the count growing with the text. GUP never sends one.
    """
    if is_gsm(text):
        sizes = [2 if char in EXTENSION else 1 for char in text]
        return SmsLength(GSM_7, sum(sizes), _parts(sizes, SINGLE_SEPTETS, PART_SEPTETS))
    sizes = [2 if ord(char) > 0xFFFF else 1 for char in text]
    return SmsLength(UCS_2, sum(sizes), _parts(sizes, SINGLE_UNITS, PART_UNITS))


def _parts(sizes: list[int], single: int, part: int) -> int:
    """Messages needed for characters of these sizes: one if all fit in ``single`` units,
    otherwise parts of at most ``part`` units, none splitting a character."""
    total = sum(sizes)
    if total <= single:
        return 1
    if all(size == 1 for size in sizes):
        return math.ceil(total / part)
    count, used = 1, 0
    for size in sizes:
        if used + size > part:
            count, used = count + 1, 0
        used += size
    return count
