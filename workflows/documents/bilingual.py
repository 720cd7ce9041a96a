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


def both_rows(language: str, make: Callable[[], list[tuple]]) -> list[tuple[Both, ...]]:
    """A table made by ``make`` in each language, every cell a ``Both``.

    For tables whose labels and values are each translated (a service's questions and the
    citizen's answers to them): ``make`` is called once per language and must give the same rows
    in the same order each time.
    """
    with translation.override(language):
        rows = [tuple(str(cell) for cell in row) for row in make()]
    if language == FRENCH:
        return [tuple(Both(cell) for cell in row) for row in rows]
    with translation.override(FRENCH):
        french_rows = [tuple(str(cell) for cell in row) for row in make()]
    return [
        tuple(
            Both(text, "" if french == text else french)
            for text, french in zip(row, french_row, strict=True)
        )
        for row, french_row in zip(rows, french_rows, strict=True)
    ]
