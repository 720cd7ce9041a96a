"""Documents speak two languages: the citizen's, and French beside it.

A document is read by the citizen and by whoever checks it (a police officer, a bank, a court),
who reads French. So every label and sentence is printed in the dossier's language with its
French text beside it, unless the dossier's language is French.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation

FRENCH = "fr"


@dataclass(frozen=True)
class Both:
    """A text in the citizen's language, and in French when that is another language."""

    text: str
    french: str = ""

    def __str__(self):
        return self.text


def both(language: str, make: Callable[[], object]) -> Both:
    """Call ``make`` (which uses gettext and the formatting helpers) in each language."""
    with translation.override(language):
        text = str(make())
    if language == FRENCH:
        return Both(text)
    with translation.override(FRENCH):
        french = str(make())
    return Both(text, "" if french == text else french)


def both_of(language: str, lazy_text, **params) -> Both:
    """A lazy gettext string in both languages, with its ``%(name)s`` parameters filled in.

    A parameter may be a callable, called in each language: ``amount=lambda: money(fee)``
    writes the amount the way each language writes money.
    """

    def make():
        if not params:
            return str(lazy_text)
        values = {name: value() if callable(value) else value for name, value in params.items()}
        return str(lazy_text) % values

    return both(language, make)
