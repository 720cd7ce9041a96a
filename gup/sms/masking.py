"""Phone numbers as logs may show them: enough to tell two messages apart, not to call anyone.

``mask_phone("+25779123456")`` is ``"+257 79 ** ** 56"``: the country code, the first two and the
last two digits of the national number, written in pairs as on screen (``gup.formatting.phone``).
The /track/ page asks for the last four digits of the phone number; a log shows only two of them.
"""

import phonenumbers

from gup import formatting

#: What stands for a number that cannot be read: nothing of it is shown.
HIDDEN = "***"
SHOWN_AT_EACH_END = 2


def mask_phone(number: str | None) -> str:
    """``"+25779123456"`` → ``"+257 79 ** ** 56"``; anything that is not a valid number → ``***``.

    An invalid number is hidden whole: a short or mistyped one would be mostly shown otherwise.
    """
    try:
        parsed = phonenumbers.parse(number or "", formatting.PHONE_REGION)
    except phonenumbers.NumberParseException:
        return HIDDEN
    if not phonenumbers.is_valid_number(parsed):
        return HIDDEN
    written = formatting.phone(number)  # valid, so in its international form: "+257 79 12 34 56"
    country = f"+{parsed.country_code}"
    if not written.startswith(country):
        return HIDDEN
    national = written[len(country) :]
    digits = sum(character.isdigit() for character in national)
    masked, seen = [], 0
    for character in national:
        if character.isdigit():
            keep = seen < SHOWN_AT_EACH_END or seen >= digits - SHOWN_AT_EACH_END
            masked.append(character if keep else "*")
            seen += 1
        else:
            masked.append(character)
    return country + "".join(masked)
