"""The security headers of every page: a strict Content-Security-Policy and its companions.

The policy itself is a setting (``CONTENT_SECURITY_POLICY`` in ``gup/settings/base.py``, read by
django-csp): scripts, styles, images, fonts, frames and requests from this site only, and
nothing inline, so a string that slipped through escaping runs nothing. Our templates carry no
inline ``<script>``, no ``on...=`` handler and no ``style=`` attribute; their JavaScript lives in
``gup/static/js/`` (tests/test_security_headers.py reads every template to keep it so).

This middleware adds what django-csp does not decide by itself:

- ``frame-ancestors`` follows ``X-Frame-Options``: ``'none'`` everywhere, ``'self'`` on the
  views Django lets our own pages frame (``xframe_options_sameorigin``: the attachment viewer's
  frame), so the two headers never disagree.
- The RQ dashboard under ``/admin/rq/`` (django-rq's templates) has inline scripts, styles and
  ``onclick`` handlers: there, and only there, inline code is allowed; still nothing from
  another site. Django's own admin needs no exception.
- A response that set its own policy keeps it (the attachment viewer's, for files:
  ``workflows/views/files.py``).
- ``Permissions-Policy`` turns off the browser features GUP never uses, and
  ``Cross-Origin-Resource-Policy`` keeps other sites from embedding our responses.
  ``SecurityMiddleware`` sends the rest: ``X-Content-Type-Options``, ``Referrer-Policy``,
  ``Cross-Origin-Opener-Policy`` and, in production, HSTS.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.core import checks

# Pages built by a third-party app whose templates carry inline code.
INLINE_CODE_PREFIXES = ("/admin/rq/",)
INLINE_CODE = {"script-src": [SELF, UNSAFE_INLINE], "style-src": [SELF, UNSAFE_INLINE]}

# Features a government back office and its citizens' pages never ask the browser for. Choosing a
# photo with <input type="file" capture> goes through the phone's own camera app, not `camera`.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's middleware, with the exceptions above and the headers it does not send."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        replace = dict(parts.replace or {})
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            replace.setdefault("frame-ancestors", [SELF])
        if request.path_info.startswith(INLINE_CODE_PREFIXES):
            replace = {**INLINE_CODE, **replace}
        parts.replace = replace or None
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


# What a policy must not allow, outside the prefixes above.
_LAX_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:"}


@checks.register(checks.Tags.security, deploy=True)
def content_security_policy_is_strict(app_configs, **kwargs):
    """Production sends the policy, and the policy runs nothing inline or from elsewhere."""
    from django.conf import settings

    middleware = "gup.security_headers.SecurityHeadersMiddleware"
    if middleware not in settings.MIDDLEWARE:
        return [
            checks.Warning(
                "No Content-Security-Policy header is sent.",
                hint=f"Keep {middleware} in MIDDLEWARE.",
                id="gup.W030",
            )
        ]
    directives = (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("DIRECTIVES", {})
    problems = []
    for name in ("default-src", "script-src", "style-src", "object-src", "frame-ancestors"):
        sources = directives.get(name)
        if not sources:
            problems.append(f"{name} is missing")
            continue
        lax = sorted(
            source
            for source in sources
            if source in _LAX_SOURCES or source.startswith(("https:", "http:")) or "." in source
        )
        if lax:
            problems.append(f"{name} allows {' '.join(lax)}")
    if problems:
        return [
            checks.Warning(
                "The Content-Security-Policy is not strict: " + "; ".join(problems) + ".",
                hint="Scripts, styles, objects and framing from this site only, nothing inline "
                "(CONTENT_SECURITY_POLICY in gup/settings/base.py).",
                id="gup.W031",
            )
        ]
    return []
