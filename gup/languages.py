"""Kirundi is a language of this project although Django does not ship it."""

from django.conf import locale

KIRUNDI = {
    "bidi": False,
    "code": "rn",
    "name": "Kirundi",
    "name_local": "Ikirundi",
}


def register_kirundi() -> None:
    """Tell Django how to name Kirundi, so language menus and get_language_info() work."""
    locale.LANG_INFO.setdefault("rn", KIRUNDI)
