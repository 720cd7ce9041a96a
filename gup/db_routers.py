"""Which database serves a query: the primary, unless a read is explicitly marked as reporting.

A read replica lags the primary by a moment. That is harmless for a count of last quarter's
decisions and wrong for a clerk who has just forwarded a dossier and expects it gone from their
queue. So nothing is guessed from the model: code says "these reads are reporting" with
``reporting()`` (a context manager, or a decorator on a function) or ``reporting_view`` (a
decorator on a view), and only those reads go to ``settings.GUP_REPORTING_DATABASE`` — the
alias ``replica`` when ``DATABASE_REPLICA_URL`` is set, ``default`` otherwise.

Even inside a reporting block, the primary serves:

- every write (``db_for_write`` is always the primary; an object read from the replica and
  saved is saved on the primary);
- every read inside a transaction on the primary: what the transaction wrote must be seen, and
  a row locked with ``select_for_update`` can only be locked where it is written;
- sessions: a user who has just signed in must not be signed out by a lagging replica.

Marked today: the auditor's list (``/audit/``), the supervisors' page (``/supervision/``, its
workload, medians and lists), and the daily digest (``workflows.digest.overdue_for``).
"""

import functools
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

#: True inside ``reporting()``. A context variable, so that threads (and async tasks) of one
#: process never mark each other's reads.
_reporting = ContextVar("gup_reporting_reads", default=False)

#: Apps whose rows must always be read where they were just written.
PRIMARY_ONLY_APPS = frozenset({"sessions"})

#: Requests whose reads a view decorated with ``reporting_view`` sends to the replica.
SAFE_METHODS = frozenset({"GET", "HEAD"})
#: After a write through a reporting view (a supervisor assigning from their page), the same
#: browser reads from the primary for this long: the page it is sent back to shows what was
#: just done, however far the replica lags. A cookie, not the session: no write per request,
#: and a client that forges it only chooses the primary.
READ_YOUR_WRITES_COOKIE = "gup_primary_reads"
READ_YOUR_WRITES_SECONDS = 15


@contextmanager
def reporting():
    """Reads inside this block may be served by the reporting database (a replica, when set).

    Also a decorator: ``@reporting()`` on a function marks every read it makes.
    """
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def is_reporting() -> bool:
    return _reporting.get()


def reporting_view(view):
    """A view whose GET and HEAD read from the reporting database; its POSTs (which write, or
    show a form again after a refusal) read from the primary, like every other view, and so do
    this browser's next pages for ``READ_YOUR_WRITES_SECONDS``.

    The signed-in user and their session are read first, from the primary. The page must be
    rendered inside the view (``render``, not a lazy ``TemplateResponse``) for its template's
    queries to count as reporting.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            response = view(request, *args, **kwargs)
            response.set_cookie(
                READ_YOUR_WRITES_COOKIE,
                "1",
                max_age=READ_YOUR_WRITES_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
            return response
        if request.COOKIES.get(READ_YOUR_WRITES_COOKIE):
            return view(request, *args, **kwargs)
        _user_is_loaded = request.user.is_authenticated  # the user and session: from the primary
        with reporting():
            return view(request, *args, **kwargs)

    return wrapper


def reporting_alias() -> str:
    """The alias reporting reads go to: ``replica`` when one is configured, else ``default``."""
    return settings.GUP_REPORTING_DATABASE


class ReportingRouter:
    """Reporting reads to the replica, everything else to the primary (see the module)."""

    def db_for_read(self, model, **hints):
        if not _reporting.get() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return reporting_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A replica follows the primary's schema through replication, never through migrate.
        return db == DEFAULT_DB_ALIAS
