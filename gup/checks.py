"""System checks for what the machine must provide."""

import ctypes.util

from django.core import checks


@checks.register(checks.Tags.compatibility)
def harfbuzz_subset_installed(app_configs, **kwargs):
    """WeasyPrint is about ten times slower without libharfbuzz-subset; say so loudly."""
    if ctypes.util.find_library("harfbuzz-subset"):
        return []
    return [
        checks.Warning(
            "libharfbuzz-subset is missing: PDF receipts and documents will render about ten "
            "times slower.",
            hint="Install it: apt-get install libharfbuzz-subset0 (make run does this as root).",
            id="gup.W001",
        )
    ]
