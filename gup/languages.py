"""Kirundi is a language of this project although Django does not ship it."""

from django.conf import locale, settings

KIRUNDI = {
    "bidi": False,
    "code": "rn",
    "name": "Kirundi",
    "name_local": "Ikirundi",
}


def register_kirundi() -> None:
    """Tell Django how to name Kirundi, so language menus and get_language_info() work."""
    locale.LANG_INFO.setdefault("rn", KIRUNDI)


def remember_language(response, code: str):
    """Make ``code`` the visitor's language from the next page on, as the switcher does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response
