"""Catalogue texts exist in French, Kirundi and English, one column per language.

French is the fallback: it is an official language and always filled in.
"""

from django.utils.translation import get_language

CATALOGUE_LANGUAGES = ("fr", "rn", "en")
FALLBACK_LANGUAGE = "fr"


def localized(instance, field: str, language: str | None = None) -> str:
    """The text of ``<field>_<language>``, or the French text when that one is empty."""
    language = (language or get_language() or FALLBACK_LANGUAGE).split("-")[0]
    if language not in CATALOGUE_LANGUAGES:
        language = FALLBACK_LANGUAGE
    return getattr(instance, f"{field}_{language}") or getattr(
        instance, f"{field}_{FALLBACK_LANGUAGE}"
    )


class LocalizedName:
    """Mixin for catalogue models with ``name_fr``, ``name_rn`` and ``name_en``."""

    @property
    def name(self) -> str:
        return localized(self, "name")
