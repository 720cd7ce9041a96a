"""Fitting a text message in two SMS: what may be shortened, and how.

Every SMS GUP sends is at most ``MAX_SEGMENTS`` messages long, in GSM-7 (``gup.sms.gsm``). A
message's fixed words are written to fit; what varies in length (a clerk's request of up to 4000
characters, a service's or an office's name, a place) is shortened, with "...", only as much as
needed, and the message says where the whole text is. Tracking numbers, dates, amounts, links
and codes are never shortened.
"""

from collections.abc import Callable

from gup.sms.gsm import segments, to_gsm

#: Every message but the one-time code starts with it: the reader knows who writes at once.
PREFIX = "GUP: "
MAX_SEGMENTS = 2
ELLIPSIS = "..."
#: A cut moves back to the end of a word if that end is this close.
WORD_SLACK = 15
#: What a shortened value keeps before the next one is touched: enough to recognise it.
READABLE = 40


def fits(text: str) -> bool:
    return segments(text).count <= MAX_SEGMENTS


def flat(text: str) -> str:
    """One line: a request typed in paragraphs is read on a phone as one text."""
    return " ".join(text.split())


def shorten(text: str, length: int) -> str:
    """``text`` if it has at most ``length`` characters, else its start (whole words where the
    end of a word is near) followed by "..."."""
    if len(text) <= length:
        return text
    cut = text[:length]
    if not text[length].isspace():
        space = cut.rfind(" ")
        if space > 0 and space >= length - WORD_SLACK:
            cut = cut[:space]
    return cut.rstrip(" ,;:.-") + ELLIPSIS


def fit(write: Callable[..., str], *, prefix: str = PREFIX, **stretchable: str) -> str:
    """The SMS ``write(**stretchable)`` writes, in GSM characters, in at most two messages.

    When the whole text is too long, the stretchable values are shortened in the order given,
    the least needed first, each only as much as needed: first each down to ``READABLE``
    characters (what to bring before the place, a clerk's request before the office's name),
    then, if that is not enough, each down to "...". If even that is too long, the shortest
    text is returned as it is (the tests hold every topic and language to two messages with the
    longest real values).
    """
    originals = {name: to_gsm(flat(value)) for name, value in stretchable.items()}
    values = dict(originals)

    def text(**changed) -> str:
        written = to_gsm(prefix + write(**{**values, **changed}))
        return written.replace(ELLIPSIS + ".", ELLIPSIS)

    whole = text()
    if fits(whole):
        return whole
    for floor, ceiling in ((READABLE, None), (0, READABLE)):
        for name, original in originals.items():
            if len(original) <= floor:
                continue
            # The longest start of this value that fits, the others as they are now.
            longest = len(original) if ceiling is None else min(len(original), ceiling)
            best, low, high = None, floor, longest - 1
            while low <= high:
                middle = (low + high) // 2
                candidate = text(**{name: shorten(original, middle)})
                if fits(candidate):
                    best, low = candidate, middle + 1
                else:
                    high = middle - 1
            if best is not None:
                return best
            values[name] = shorten(original, floor)
    return text()
