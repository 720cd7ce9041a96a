"""Rules for text written to a citizen: the reasons for a rejection, a return or a request.

A citizen must be able to act on what the office writes, so a reason is a sentence, not "ok",
"non" or "....". The rules are deliberately simple (length, at least two words made of letters)
and language-neutral: French, Kirundi and English all pass the same way, apostrophes included
("ry’itongo", "n'amatazirano").
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# A word is a run of letters in any script, possibly joined by apostrophes: "n'amatazirano" and
# "aujourd’hui" are one word each. Digits and underscores are not letters.
_LETTERS = r"[^\W\d_]+"
WORD = re.compile(rf"{_LETTERS}(?:['’ʼ]{_LETTERS})*")

MINIMUM_WORDS = 2


def reasons_problems(text: str, *, minimum: int = 20) -> list[str]:
    """What is wrong with ``text`` as reasons written for a citizen; empty when it will do.

    Refused: fewer than ``minimum`` characters once stripped, no letters at all (only digits or
    punctuation), or fewer than two words. Messages are in the active language.
    """
    stripped = (text or "").strip()
    problems = []
    if len(stripped) < minimum:
        problems.append(
            ngettext(
                "Write at least %(minimum)d character, so the citizen knows what to do.",
                "Write at least %(minimum)d characters, so the citizen knows what to do.",
                minimum,
            )
            % {"minimum": minimum}
        )
    words = WORD.findall(stripped)
    if not words:
        problems.append(_("Write the reasons in words, not only digits or punctuation."))
    elif len(words) < MINIMUM_WORDS:
        problems.append(_("Write the reasons as a sentence of at least two words."))
    return problems
