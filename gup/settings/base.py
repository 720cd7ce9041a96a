"""Settings shared by every environment. Per-environment modules only change defaults."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from gup.settings.databases import databases
from gup.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("GUP_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django's widget templates, found by the project's template engine (FORM_RENDERER below).
    "django.forms",
    "django_rq",
    # Sign-in throttling: failures per account and per client address (gup/accounts/lockout.py).
    "axes",
    # django-csp: its system checks (gup/security_headers.py sends the header).
    "csp",
    # Database triggers declared on models (the append-only history), installed by migrations.
    "pgtrigger",
    "gup.accounts",
    "services",
    "workflows",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A NUL in the path or the query string is a 400, not a database error (gup/null_bytes.py).
    "gup.null_bytes.RefuseNullBytes",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy, Permissions-Policy, Cross-Origin-Resource-Policy on every page
    # (after whitenoise: a static file is not a document and needs none of them).
    "gup.security_headers.SecurityHeadersMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's, with Kirundi for a visitor who names none of our languages (gup/languages.py).
    "gup.languages.LocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Staff sessions end after GUP_STAFF_SESSION_IDLE_MINUTES idle, GUP_STAFF_SESSION_MAX_HOURS
    # in all (gup/accounts/sessions.py); 403s and out-of-scope 404s are logged
    # (gup/security_log.py).
    "gup.accounts.sessions.StaffSessionTimeout",
    "gup.security_log.DenialLog",
    # Last: turns a locked-out sign-in into the "try again in N minutes" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gup.urls"
WSGI_APPLICATION = "gup.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # {% load gup_format %}: money, dates and phone numbers (gup/formatting.py). The
            # project package is not an app, so its template library is named here.
            "libraries": {"gup_format": "gup.templatetags.gup_format"},
        },
    },
]

# The covering index of the supervisors' medians (``Decision``: ``include=``) is PostgreSQL's;
# the embedded SQLite of ``make run`` builds it without the included columns, which is fine.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Forms render through the project's template engine (templates/django/forms/ may replace a
# widget's template); the select and the input widgets, unless replaced, are written in Python.
FORM_RENDERER = "gup.form_renderer.FormRenderer"

# The primary, an optional read replica for reporting reads, and PgBouncer in transaction mode
# (gup/settings/databases.py; the router is gup/db_routers.py).
DATABASE_POOLER = env_str("DATABASE_POOLER", "")
DATABASES, GUP_REPORTING_DATABASE = databases(
    env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gup.sqlite3'}"),
    env_str("DATABASE_REPLICA_URL", ""),
    conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    pooler=DATABASE_POOLER,
)
DATABASE_ROUTERS = ["gup.db_routers.ReportingRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any sign-in (staff, admin, citizen) while the account or the address is
    # locked out; skips authentications without a request (tests' client.login, the shell).
    "gup.accounts.lockout.LockoutBackend",
    # Staff and the admin site: user name and password.
    "django.contrib.auth.backends.ModelBackend",
    # The citizen sign-in page: phone number or email, however written, and password.
    "gup.accounts.backends.CitizenBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Languages. Kirundi is not one of Django's languages: gup.accounts.apps registers its LANG_INFO.
# LANGUAGE_CODE is the back office's language and the fallback of texts sent without one; a
# citizen whose cookie and browser name none of these languages sees Kirundi (gup/languages.py).
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("rn", _("Kirundi")),
    ("fr", _("French")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date and number formats: Kirundi, which Django does not ship, and day-first dates in English
# and French (gup/formats/<language>/formats.py, read before Django's own).
FORMAT_MODULE_PATH = ["gup.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Africa/Bujumbura"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "gup" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Files served at the site's root by whitenoise: /favicon.ico, which browsers ask for on a first
# visit whatever the page links (pages link its hashed copy, static/root/favicon.ico). Without a
# hash in its name it gets a long cache of its own rather than whitenoise's minute.
WHITENOISE_ROOT = BASE_DIR / "gup" / "static" / "root"
FAVICON_MAX_AGE = 365 * 24 * 3600


def _favicon_cache(headers, path, url):
    if url == "/favicon.ico":
        headers["Cache-Control"] = f"max-age={FAVICON_MAX_AGE}, public"


WHITENOISE_ADD_HEADERS_FUNCTION = _favicon_cache

# Uploaded documents live outside the static tree and are only served through a view that checks
# who is asking (workflows.views.attachments).
UPLOAD_ROOT = Path(env_str("UPLOAD_ROOT", str(VAR_DIR / "uploads")))
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
# An uploaded image whose longer side exceeds this many pixels is downscaled before it is stored
# (workflows/uploads.py); 0 keeps every size.
UPLOAD_IMAGE_MAX_SIDE = env_int("UPLOAD_IMAGE_MAX_SIDE", 2000)
# Uploaded files of a dossier final (collected, closed, withdrawn, expired) for longer than this
# many days are removed by a scheduled job, their hashes kept (workflows/retention.py);
# 0 keeps them.
GUP_ATTACHMENT_RETENTION_DAYS = env_int("GUP_ATTACHMENT_RETENTION_DAYS", 10 * 365)
# Documents GUP issues (receipts, letters, permits: workflows.documents), rendered once and kept.
DOCUMENT_ROOT = Path(env_str("DOCUMENT_ROOT", str(VAR_DIR / "documents")))
# The public address printed in documents' QR codes and links: scheme and host only.
GUP_PUBLIC_URL = env_str("GUP_PUBLIC_URL", "http://127.0.0.1:8000")
# The number citizens text a tracking number to, to be told their dossier's state (a short code
# or a phone number). Empty: messages do not offer it.
GUP_SMS_NUMBER = env_str("GUP_SMS_NUMBER", "")
# The Ed25519 key that signs documents (PEM), and the public keys of earlier keys still accepted
# (the JSON of /verify/keys.json). See workflows/documents/keys.py and the README.
GUP_SIGNING_KEY = env_str("GUP_SIGNING_KEY", "")
GUP_SIGNING_KEY_GENERATE = env_bool("GUP_SIGNING_KEY_GENERATE", False)
GUP_VERIFY_KEYS = env_str("GUP_VERIFY_KEYS", "")
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Redis: the cache (failed look-ups are counted there) and the RQ queues of the background jobs
# (gup/jobs.py). Without REDIS_URL, the cache is in memory and jobs run in the process that
# causes them, after the commit: the embedded default for a first look. Production sets
# REDIS_URL and runs workers (`make worker`).
REDIS_URL = env_str("REDIS_URL", "")
GUP_JOBS_INLINE = env_bool("GUP_JOBS_INLINE", not REDIS_URL)


def _redis_url_with_timeouts(url: str) -> str:
    """A Redis that does not answer must not hold a citizen's request: fail fast, the outbox
    sweeper relays what could not be queued."""
    if not url or "timeout" in url:
        return url
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}socket_connect_timeout=2&socket_timeout=5"


RQ_QUEUES = {
    name: {
        "URL": _redis_url_with_timeouts(REDIS_URL or "redis://127.0.0.1:6379/0"),
        "DEFAULT_TIMEOUT": env_int("GUP_JOBS_TIMEOUT", 300),
    }
    for name in ("default", "notifications", "documents", "exchange")
}
# RQ's worker, warmed up before it forks a work horse per job (gup/worker.py).
RQ = {"WORKER_CLASS": "gup.worker.WarmWorker"}
# How long a job that failed stays in RQ's failed registry (the outbox keeps its own record).
GUP_JOBS_FAILURE_TTL = 7 * 24 * 3600
# The outbox (workflows/outbox.py): attempts before a message is a dead letter, the first
# backoff (doubled at each attempt, at most an hour), and how long a worker may hold a message.
GUP_OUTBOX_MAX_ATTEMPTS = env_int("GUP_OUTBOX_MAX_ATTEMPTS", 8)
GUP_OUTBOX_FIRST_BACKOFF_SECONDS = env_int("GUP_OUTBOX_FIRST_BACKOFF_SECONDS", 30)
GUP_OUTBOX_LEASE_SECONDS = env_int("GUP_OUTBOX_LEASE_SECONDS", 600)

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Lax: the cookies go with a link followed from elsewhere (an SMS, an email), never with a
# cross-site form post. Secure in production (production.py).
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Citizens keep Django's two weeks (SESSION_COOKIE_AGE): their own phone, their own dossiers
# only. Staff sessions end sooner (gup/accounts/sessions.py).
GUP_STAFF_SESSION_IDLE_MINUTES = env_int("GUP_STAFF_SESSION_IDLE_MINUTES", 30)
GUP_STAFF_SESSION_MAX_HOURS = env_int("GUP_STAFF_SESSION_MAX_HOURS", 12)

# Sign-in lockout (django-axes, gup/accounts/lockout.py), on the staff, admin and citizen sign-in
# pages alike: after GUP_SIGN_IN_ACCOUNT_LIMIT failures for one account (user name, or the
# citizen's phone or email), or GUP_SIGN_IN_ADDRESS_LIMIT from one client address (higher: an
# office's staff share one), sign-in is refused, even with the right password, until
# GUP_SIGN_IN_COOLOFF_MINUTES have passed since the last attempt. Attempts are kept in the
# database (admin: Axes; `manage.py axes_reset_username <name>` unlocks).
GUP_SIGN_IN_ACCOUNT_LIMIT = env_int("GUP_SIGN_IN_ACCOUNT_LIMIT", 5)
GUP_SIGN_IN_ADDRESS_LIMIT = env_int("GUP_SIGN_IN_ADDRESS_LIMIT", 30)
GUP_SIGN_IN_COOLOFF_MINUTES = env_int("GUP_SIGN_IN_COOLOFF_MINUTES", 15)
AXES_FAILURE_LIMIT = GUP_SIGN_IN_ACCOUNT_LIMIT
AXES_COOLOFF_TIME = "gup.accounts.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "gup.accounts.lockout.LockoutHandler"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "gup.accounts.lockout.account_key"
AXES_CLIENT_IP_CALLABLE = "gup.accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "gup.accounts.lockout.locked_out"
# Not on success: that would also wipe the failures counted against other accounts from the
# same address, letting anyone with one account guess the others' passwords without end.
AXES_RESET_ON_SUCCESS = False
# What axes keeps of a failed POST: never the password, nor the identifier typed.
AXES_SENSITIVE_PARAMETERS = ["username", "identifier", "ip_address"]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Everything from this site, nothing inline, nothing from another host: a string that slipped
# through escaping runs nothing. Exceptions (the attachment viewer's frame, the RQ dashboard)
# and the other headers: gup/security_headers.py. `check --deploy` warns if it loosens (gup.W031).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # blob: the photo a citizen picked, drawn smaller before it is sent (js/uploads.js).
        "img-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Every record goes through HideSecrets: a resume link's token is never written out.
    "filters": {"hide_secrets": {"()": "gup.log_redaction.HideSecrets"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["hide_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's own loggers write through the same handler, instead of their unfiltered ones
    # (the development server logs each request line, resume links included).
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint subsets fonts with fontTools, which logs every table it touches.
        "fontTools": {"level": "WARNING"},
        # Axes logs user names and addresses in clear; gup.security logs them masked.
        "axes": {"level": "ERROR"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Not the console backend: an e-mail can carry a secret (a resume link), and the console is a log.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "GUP <noreply@gup.gov.bi>")

# SMS (gup.sms): the backend that carries them, as a dotted path. The default writes each SMS
# to a file under GUP_SMS_FILE_PATH and sends nothing (check --deploy warns); production names
# gup.sms.backends.http_gateway.HttpGatewayBackend and configures the gateway below.
GUP_SMS_BACKEND = env_str("GUP_SMS_BACKEND", "gup.sms.backends.file.FileBackend")
GUP_SMS_FILE_PATH = Path(env_str("GUP_SMS_FILE_PATH", str(VAR_DIR / "sms")))
# The HTTP gateway: where messages are posted, the bearer token it expects, the secret shared
# to sign requests both ways (gup.sms.signing; give both as *_FILE), and the seconds to wait.
GUP_SMS_GATEWAY_URL = env_str("GUP_SMS_GATEWAY_URL", "")
GUP_SMS_GATEWAY_TOKEN = env_str("GUP_SMS_GATEWAY_TOKEN", "")
GUP_SMS_GATEWAY_SECRET = env_str("GUP_SMS_GATEWAY_SECRET", "")
GUP_SMS_GATEWAY_TIMEOUT = env_int("GUP_SMS_GATEWAY_TIMEOUT", 10)

# The public status page (/track/) and the resume links: failed attempts per client IP and
# period before the client is told to wait. Counted in the default cache (Redis in production
# and tests). Behind a reverse proxy, RATELIMIT_IP_META_KEY names the header with the client IP
# (e.g. HTTP_X_REAL_IP); django_ratelimit is not in INSTALLED_APPS because its system check
# rejects the locmem cache of the embedded default.
GUP_TRACK_RATE = env_str("GUP_TRACK_RATE", "10/15m")
RATELIMIT_IP_META_KEY = env_str("RATELIMIT_IP_META_KEY", "") or None
# Status by SMS (workflows.status_by_sms): inbound messages answered per sender phone and period;
# beyond it a sender gets no answer, and nothing is looked up, until the period ends.
GUP_SMS_STATUS_RATE = env_str("GUP_SMS_STATUS_RATE", "5/15m")
