"""The 400 and 500 pages, in the visitor's language, rendered from the request's headers alone.

Django renders both without the request (no context processors), rightly: what failed may be the
session, the database or a context processor. They may also come before LocaleMiddleware has run
(a wrong Host header is refused in CommonMiddleware), so the language is worked out here again.
403, 404 and the CSRF failure use Django's own views with templates/403.html, 404.html and
403_csrf.html, which get the request as every page does.
"""

from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.template import loader
from django.utils import translation

from gup.languages import VISITOR_DEFAULT, asked_language


def _language(request) -> str:
    return getattr(request, "LANGUAGE_CODE", None) or asked_language(request) or VISITOR_DEFAULT


def _render_without_request(request, template_name: str) -> str:
    with translation.override(_language(request)):
        return loader.get_template(template_name).render()


def bad_request(request, exception):
    return HttpResponseBadRequest(_render_without_request(request, "400.html"))


def server_error(request):
    return HttpResponseServerError(_render_without_request(request, "500.html"))
