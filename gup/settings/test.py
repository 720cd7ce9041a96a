"""Tests run against the real PostgreSQL and Redis, as production does."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gup_test")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("GUP_SIGNING_KEY_GENERATE", "true")
# Jobs run in the test process after each commit; the reliability tests ask for real workers.
os.environ.setdefault("GUP_JOBS_INLINE", "true")
# SMS stay in memory (gup.sms.backends.locmem.outbox, emptied before each test); the workers of
# the reliability tests are given an HTTP gateway instead.
os.environ.setdefault("GUP_SMS_BACKEND", "gup.sms.backends.locmem.LocMemBackend")

from gup.settings.base import *  # noqa: F403
from gup.settings.base import VAR_DIR

UPLOAD_ROOT = VAR_DIR / "test-uploads"
DOCUMENT_ROOT = VAR_DIR / "test-documents"
GUP_SMS_FILE_PATH = VAR_DIR / "test-sms"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# One test database per run, so that two runs on one machine (two developers, or a developer and
# CI) never drop each other's database halfway.
DATABASES["default"]["TEST"] = {  # noqa: F405
    "NAME": os.environ.get("GUP_TEST_DATABASE_NAME", f"test_gup_{os.getpid()}")
}
# A read replica that is the test database itself (TEST: MIRROR, no second server), so that the
# routing of reporting reads can be tested (tests/test_read_replica.py). Reporting reads stay on
# the primary unless a test says otherwise: a mirror read from another connection does not see
# what a test wrote inside its own transaction.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
GUP_REPORTING_DATABASE = "default"

# Tests serve static files through the finders; nothing is collected.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Rate limits are counted in the cache, per client IP (always 127.0.0.1 here): each run keeps its
# own counters, so two runs on one machine never slow each other's clients down.
CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"  # noqa: F405
