"""Kirundi is a language of this project although Django does not ship it, and the language a
visitor is shown when nothing they sent names one of ours."""

from django.conf import locale, settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from gup.roles import Role

KIRUNDI = {
    "bidi": False,
    "code": "rn",
    "name": "Kirundi",
    "name_local": "Ikirundi",
}
# The national language: what a citizen sees when neither a cookie nor the browser names
# French, Kirundi or English (most phones sold in Burundi ask for English, French or nothing).
VISITOR_DEFAULT = "rn"


def register_kirundi() -> None:
    """Tell Django how to name Kirundi, so language menus and get_language_info() work."""
    locale.LANG_INFO.setdefault("rn", KIRUNDI)


def asked_language(request) -> str | None:
    """The language the visitor asked for, among ours: the switcher's cookie first, then the
    browser's ``Accept-Language`` in its order of preference; None when neither names one."""
    candidates = [request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or ""]
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if code == "*":
            break
        candidates.append(code)
    for code in candidates:
        if not code:
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def default_language(request) -> str:
    """Kirundi for citizens and anonymous visitors; the back office (staff roles, and anyone
    let into the admin site) keeps ``LANGUAGE_CODE``, French, the working language of the offices
    and ministries."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and (user.role != Role.CITIZEN or user.is_staff):
        return settings.LANGUAGE_CODE
    return VISITOR_DEFAULT


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except for its fallback: a visitor who names none of our
    languages gets Kirundi rather than ``LANGUAGE_CODE``. GUP has no language prefix in its URLs.
    Placed after AuthenticationMiddleware, since the fallback depends on who is signed in."""

    def process_request(self, request):
        translation.activate(asked_language(request) or default_language(request))
        request.LANGUAGE_CODE = translation.get_language()


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
