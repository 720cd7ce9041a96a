"""The embedded default: SQLite, cache in memory, debug on. For a first look, never production."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "dev-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
# The demo signs its documents with a key of its own, made on first use under var/keys/.
os.environ.setdefault("GUP_SIGNING_KEY_GENERATE", "true")

from gup.settings.base import *  # noqa: F403
