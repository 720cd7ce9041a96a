"""Every page tells the browser to run nothing inline and nothing from another site.

The Content-Security-Policy (django-csp, ``gup/security_headers.py``) and its companions are on
citizens' pages, staff pages, error pages and the admin; the attachment viewer's frame keeps its
own stricter policy; only django-rq's dashboard may run inline code. The templates carry no
inline script, handler or style for the policy to block (the browser tests fail on any
violation: tests/e2e/conftest.py). Production settings pass ``check --deploy`` at the warning
level, and that check notices a policy loosened.
"""

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from gup.security_headers import content_security_policy_is_strict
from tests.factories import PASSWORD, DossierFactory
from workflows.views.files import VIEWING_POLICY

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' blob:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(response, header="Content-Security-Policy") -> dict[str, str]:
    """The policy as {directive: sources}."""
    assert header in response, f"no {header} on {response.wsgi_request.path}"
    directives = (part.strip().split(None, 1) for part in response[header].split(";"))
    return {words[0]: (words[1] if len(words) > 1 else "") for words in directives if words}


def assert_strict(response):
    directives = policy(response)
    for name, sources in STRICT.items():
        assert directives.get(name) == sources, (name, response.wsgi_request.path)
    for name, sources in directives.items():
        for source in sources.split():
            allowed = {"'self'", "'none'"} | ({"blob:"} if name == "img-src" else set())
            assert source in allowed, (name, source, response.wsgi_request.path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "geolocation", "microphone", "payment"):
        assert f"{feature}=()" in permissions


def signed_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def dossier(clerk_gitega, building_permit):
    return DossierFactory(
        counter=True,
        forwarded=True,
        service=building_permit,
        office=clerk_gitega.office,
        clerk=clerk_gitega,
    )


# --- The headers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/", "/track/", "/staff/login/", "/account/sign-in/", "/verify/", "/verify/offline/"],
)
def test_public_pages_are_strict(client, url, building_permit):
    response = client.get(url)
    assert response.status_code == 200
    assert_strict(response)


def test_staff_pages_are_strict(client, clerk_gitega, dossier):
    signed_in(client, clerk_gitega)
    for url in (
        reverse("counter_queue"),
        reverse("dossier_detail", args=[dossier.tracking_number]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert_strict(response)


def test_a_form_sent_back_with_errors_is_strict(client):
    response = client.post("/staff/login/", {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200
    assert_strict(response)


def test_error_pages_and_redirects_are_strict(client, clerk_gitega):
    assert_strict(client.get("/no-such-page/"))
    assert_strict(client.get(reverse("counter_queue")))  # a redirect to the sign-in page
    signed_in(client, clerk_gitega)
    assert_strict(client.get(reverse("dossier_detail", args=["GIT-2026-999999-X"])))


def test_the_attachment_viewer_may_frame_only_its_own_file(client, clerk_gitega, dossier):
    signed_in(client, clerk_gitega)
    page = client.get(reverse("dossier_attachment_view", args=[dossier.tracking_number, 1]))
    assert page.status_code == 200
    assert_strict(page)
    assert policy(page)["frame-src"] == "'self'"

    attachment = dossier.attachments.first()
    framed = client.get(
        reverse("dossier_attachment_inline", args=[dossier.tracking_number, attachment.stored_name])
    )
    assert framed.status_code == 200
    # Its own policy, not the site's: nothing runs, and only our pages may frame it, as
    # X-Frame-Options says.
    assert framed["Content-Security-Policy"] == VIEWING_POLICY
    assert policy(framed)["frame-ancestors"] == "'self'"
    assert framed["X-Frame-Options"] == "SAMEORIGIN"


def test_the_admin_is_strict_and_only_the_rq_dashboard_allows_inline_code(client, administrator):
    signed_in(client, administrator)
    admin = client.get("/admin/")
    assert admin.status_code == 200
    assert_strict(admin)

    dashboard = client.get("/admin/rq/")
    assert dashboard.status_code == 200
    directives = policy(dashboard)
    assert directives["script-src"] == "'self' 'unsafe-inline'"
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    # Still nothing from elsewhere, and never framed.
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_static_files_are_never_sniffed(client):
    response = client.get("/static/js/uploads.js")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"


# --- Nothing inline for the policy to block ----------------------------------------------------


class InlineCode(HTMLParser):
    """Collects what a strict policy would block: inline scripts, handlers and styles."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name == "style":
                self.found.append(f"<{tag} style=...>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:...>")
        if tag == "style":
            self.found.append("<style>")
        # A JSON data block (json_script) is read, never run.
        inline = tag == "script" and "src" not in attributes
        if inline and attributes.get("type") != "application/json":
            self.found.append("inline <script>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_checker_finds_what_the_policy_would_block():
    html = (
        '<p style="color:red" onclick="x()">a</p><a href="javascript:void(0)">b</a>'
        "<script>alert(1)</script><style>p{}</style>"
        '<script id="d" type="application/json">{}</script><script src="/static/a.js"></script>'
    )
    assert inline_code(html) == [
        "<p style=...>",
        "<p onclick=...>",
        "<a href=javascript:...>",
        "inline <script>",
        "<style>",
    ]


def browser_templates():
    """Every template a browser renders (PDF templates are WeasyPrint's, never a browser's)."""
    templates = ROOT / "templates"
    return sorted(
        path
        for path in templates.rglob("*.html")
        if templates / "pdf" not in path.parents and "email" not in path.parts
    )


@pytest.mark.parametrize(
    "template", browser_templates(), ids=lambda path: str(path.relative_to(ROOT))
)
def test_no_template_has_inline_code(template):
    # Template tags go, so that the HTML around them can be read: `{% translate "x" %}` inside
    # an attribute, `{% if %}` around one.
    source = re.sub(r"{%.*?%}|{#.*?#}", "", template.read_text(), flags=re.S)
    assert inline_code(re.sub(r"{{.*?}}", "x", source, flags=re.S)) == []


def test_pages_as_rendered_have_no_inline_code(client, clerk_gitega, dossier, building_permit):
    urls = [
        "/",
        "/track/",
        "/verify/offline/",
        reverse("service_detail", args=[building_permit.code]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url
    signed_in(client, clerk_gitega)
    for url in (
        reverse("counter_queue"),
        reverse("dossier_detail", args=[dossier.tracking_number]),
        reverse("counter_file", args=[building_permit.code]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url


# --- The deploy check -------------------------------------------------------------------------


def test_the_policy_in_force_passes_its_check():
    assert content_security_policy_is_strict(None) == []


def test_a_loosened_policy_is_reported(settings):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            **settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
            "script-src": ["'self'", "'unsafe-inline'", "https://cdn.example.org"],
            "frame-ancestors": [],
        }
    }
    (warning,) = content_security_policy_is_strict(None)
    assert warning.id == "gup.W031"
    assert "script-src allows 'unsafe-inline' https://cdn.example.org" in warning.msg
    assert "frame-ancestors is missing" in warning.msg


def test_no_policy_at_all_is_reported(settings):
    settings.MIDDLEWARE = [
        name
        for name in settings.MIDDLEWARE
        if name != "gup.security_headers.SecurityHeadersMiddleware"
    ]
    (warning,) = content_security_policy_is_strict(None)
    assert warning.id == "gup.W030"


def test_production_settings_pass_the_deploy_check_with_ci_environment():
    """What `make test` runs, with the environment CI gives it: no warning, no error."""
    python = sys.executable
    manage = [python, str(ROOT / "manage.py")]
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; CI's shell has no such thing.
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("GUP_") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    signing_key = subprocess.run(
        [*manage, "new_signing_key"],
        env={**base, "DJANGO_SETTINGS_MODULE": "gup.settings.test"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    environment = {
        **base,
        "DJANGO_SETTINGS_MODULE": "gup.settings.production",
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gup_test"
        ),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        "ALLOWED_HOSTS": "gup.example",
        "GUP_PUBLIC_URL": "https://gup.example",
        "SECRET_KEY": "x" * 60 + "-not-a-real-secret-but-long-and-varied-0123456789",
        "GUP_SIGNING_KEY": signing_key,
        "GUP_SMS_BACKEND": "gup.sms.backends.http_gateway.HttpGatewayBackend",
        "GUP_SMS_GATEWAY_URL": "https://sms.gup.example/messages",
        "GUP_SMS_GATEWAY_SECRET": "a-shared-secret-for-the-gateway-0123456789",
    }
    environment.pop("SECRET_KEY_FILE", None)
    check = subprocess.run(
        [*manage, "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no issues" in check.stdout
