"""System checks for what the machine must provide."""

from django.core import checks


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
