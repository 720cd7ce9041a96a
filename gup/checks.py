"""System checks for what the machine must provide."""

from django.core import checks

from gup import (
    database_checks,  # noqa: F401  (registers the database settings' checks)
    security_headers,  # noqa: F401  (registers the Content-Security-Policy's check)
)


@checks.register(checks.Tags.compatibility)
def pdf_rendering_is_fast(app_configs, **kwargs):
    """WeasyPrint is about ten times slower without libharfbuzz-subset; say so loudly."""
    from workflows.documents.render import harfbuzz_subset_installed

    if harfbuzz_subset_installed():
        return []
    return [
        checks.Warning(
            "libharfbuzz-subset is missing: PDF receipts and documents will render about ten "
            "times slower.",
            hint="Install it: apt-get install libharfbuzz-subset0 (make run does this as root).",
            id="gup.W001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def documents_can_be_signed(app_configs, **kwargs):
    """Production must sign with its own key, and print its own public address in QR codes."""
    from django.conf import settings

    problems = []
    if not settings.GUP_SIGNING_KEY and not settings.GUP_SIGNING_KEY_GENERATE:
        problems.append(
            checks.Error(
                "No key signs documents: receipts, letters and permits cannot be issued.",
                hint="Set GUP_SIGNING_KEY_FILE to a key made by `manage.py new_signing_key`.",
                id="gup.E002",
            )
        )
    if settings.GUP_SIGNING_KEY_GENERATE:
        problems.append(
            checks.Warning(
                "GUP_SIGNING_KEY_GENERATE is on: documents are signed with a key made on the fly.",
                hint="Turn it off and set GUP_SIGNING_KEY_FILE in production.",
                id="gup.W002",
            )
        )
    if not settings.GUP_PUBLIC_URL.startswith("https://"):
        problems.append(
            checks.Warning(
                "GUP_PUBLIC_URL is not an https:// address: QR codes would point there.",
                hint="Set GUP_PUBLIC_URL to the public address, e.g. https://gup.gov.bi",
                id="gup.W003",
            )
        )
    return problems


@checks.register(checks.Tags.security, deploy=True)
def sms_reach_phones(app_configs, **kwargs):
    """Production sends SMS through a configured gateway; the file and console backends only
    pretend to, and a gateway without its address or secret cannot send at all."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    from gup.sms.backends.http_gateway import HttpGatewayBackend

    try:
        backend = import_string(settings.GUP_SMS_BACKEND)
    except ImportError:
        return [
            checks.Error(
                f"GUP_SMS_BACKEND names no backend that can be imported: "
                f"{settings.GUP_SMS_BACKEND!r}.",
                hint="Set it to gup.sms.backends.http_gateway.HttpGatewayBackend.",
                id="gup.E004",
            )
        ]
    if not getattr(backend, "reaches_phones", False):
        return [
            checks.Warning(
                f"GUP_SMS_BACKEND is {settings.GUP_SMS_BACKEND}: SMS are written to files "
                "or the console, never sent.",
                hint="Set GUP_SMS_BACKEND to gup.sms.backends.http_gateway.HttpGatewayBackend "
                "and configure the gateway (GUP_SMS_GATEWAY_URL, GUP_SMS_GATEWAY_SECRET_FILE).",
                id="gup.W004",
            )
        ]
    if not (isinstance(backend, type) and issubclass(backend, HttpGatewayBackend)):
        return []
    missing = [
        name
        for name in ("GUP_SMS_GATEWAY_URL", "GUP_SMS_GATEWAY_SECRET")
        if not getattr(settings, name)
    ]
    if missing:
        return [
            checks.Error(
                f"The SMS gateway is not configured: {', '.join(missing)} not set. No SMS can "
                "be sent.",
                hint="Set GUP_SMS_GATEWAY_URL, and GUP_SMS_GATEWAY_SECRET_FILE to the secret "
                "shared with the gateway.",
                id="gup.E003",
            )
        ]
    if not settings.GUP_SMS_GATEWAY_URL.startswith("https://"):
        return [
            checks.Warning(
                "GUP_SMS_GATEWAY_URL is not an https:// address: the token and the texts "
                "(resume links, codes) would cross the network in clear.",
                hint="Give the gateway's https:// address.",
                id="gup.W005",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def jobs_run_on_workers(app_configs, **kwargs):
    """In production, SMS, emails and documents go through Redis to workers: inline, a citizen's
    request would wait for them, and nothing would retry what failed."""
    from django.conf import settings

    if settings.GUP_JOBS_INLINE:
        return [
            checks.Warning(
                "Background jobs run inline, in the web process (no REDIS_URL, or "
                "GUP_JOBS_INLINE=true): requests wait for SMS and documents, and failures "
                "are retried only by a sweep nobody schedules.",
                hint="Set REDIS_URL and run workers (make worker, manage.py run_worker).",
                id="gup.W006",
            )
        ]
    return []
