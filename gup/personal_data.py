"""Personal data as lists and logs may show it: enough to tell two people apart, not to use it.

Where each page stands (SECURITY.md, "Personal data"):

- the dossier page, the intake checklist, the collection step: the national ID and the phone
  whole, since the clerk compares them with the card and calls the citizen;
- staff lists (queues, search results, supervision, assignment): the applicant's name only;
  a list that needs more uses the ``masked_national_id`` and ``masked_phone`` filters;
- public pages (``/track/``, ``/verify/``): neither, or the phone masked (``/track/`` says
  where the SMS code goes);
- logs: every record passes ``gup.log_redaction.HideSecrets``, which masks phone numbers and
  national ID numbers found in the message with the functions below.
"""

import re

from gup.sms.masking import HIDDEN, mask_phone

#: What a masked national ID keeps: its first four and its last three characters.
KEPT_AT_START = 4
KEPT_AT_END = 3

__all__ = ["HIDDEN", "mask_national_id", "mask_phone", "mask_in_text"]


def mask_national_id(number: str | None) -> str:
    """``"0412/123.678"`` → ``"0412/***.678"``: separators stay, the middle goes.

    A number too short to keep anything of it safely (fewer than ten letters and digits) is
    hidden whole.
    """
    number = number or ""
    characters = [c for c in number if c.isalnum()]
    if len(characters) < KEPT_AT_START + KEPT_AT_END + 3:
        return HIDDEN
    masked, seen = [], 0
    for character in number:
        if not character.isalnum():
            masked.append(character)
            continue
        keep = seen < KEPT_AT_START or seen >= len(characters) - KEPT_AT_END
        masked.append(character if keep else "*")
        seen += 1
    return "".join(masked)


#: A phone number in E.164, as GUP stores and logs them.
PHONE_IN_TEXT = re.compile(r"\+\d{8,15}\b")
#: A national ID as cards print them: groups of digits joined by "/" or "." (at least one "/").
NATIONAL_ID_IN_TEXT = re.compile(r"(?<![\w/.])\d{3,4}(?:[./]\d{3,6}){1,2}(?![\w/])")


def mask_in_text(text: str) -> str:
    """Every phone number and national ID number in ``text``, masked."""
    text = PHONE_IN_TEXT.sub(lambda found: mask_phone(found.group()), text)
    return NATIONAL_ID_IN_TEXT.sub(
        lambda found: mask_national_id(found.group()) if "/" in found.group() else found.group(),
        text,
    )
