"""French: Django's formats, with a comma between the date and the time as in English and
Kirundi (``25 novembre 2026, 14:30``), so a moment reads the same way in every language."""

DATETIME_FORMAT = "j F Y, H:i"
