"""The databases: the primary, an optional read replica, and what a connection pooler needs.

- ``DATABASE_URL`` is the primary. Every write, and every read that must see the latest write,
  goes there.
- ``DATABASE_REPLICA_URL`` (optional) adds the alias ``replica``: a streaming replica of the
  primary. Only reads explicitly marked as reporting go there (``gup.db_routers``: the auditor's
  list, the supervisors' statistics, the daily digest); without it they stay on the primary.
- ``DATABASE_POOLER=pgbouncer`` says that both URLs point at PgBouncer in transaction mode: a
  server connection then belongs to a client for one transaction only, so nothing may outlive a
  transaction on it. Django's only such state is the server-side cursor behind ``.iterator()``
  outside ``atomic()``, hence ``DISABLE_SERVER_SIDE_CURSORS``. (psycopg2 never prepares
  statements; GUP takes advisory locks per transaction only and uses no LISTEN/NOTIFY: the
  README's "Behind PgBouncer" says what holds and why.)

Pure functions of their arguments, so that the rules can be tested without an environment.
"""

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

#: The values ``DATABASE_POOLER`` may take: none, or PgBouncer in transaction mode.
POOLERS = ("", "pgbouncer")
REPLICA = "replica"


def database(url: str, *, conn_max_age: int, pooler: str = "") -> dict:
    """One entry of ``DATABASES`` for ``url``."""
    if pooler not in POOLERS:
        raise ImproperlyConfigured(
            f"DATABASE_POOLER must be empty or 'pgbouncer' (transaction mode), not {pooler!r}."
        )
    config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    # Behind a pooler in transaction mode, a cursor declared outside a transaction would be
    # looked for on another server connection. Inside atomic() one would still work, but the
    # flag is per connection, so: none at all. Querysets' .iterator() then reads each batch
    # from a client-side result; verify_history reads the whole history that way, hence the
    # advice to run such commands against PostgreSQL directly (README).
    config["DISABLE_SERVER_SIDE_CURSORS"] = pooler == "pgbouncer"
    return config


def databases(
    primary_url: str, replica_url: str = "", *, conn_max_age: int, pooler: str = ""
) -> tuple[dict, str]:
    """``DATABASES``, and the alias that serves reporting reads (``GUP_REPORTING_DATABASE``).

    The replica's tests run against the primary's test database (``TEST: MIRROR``): a test run
    never needs a second server.
    """
    configured = {"default": database(primary_url, conn_max_age=conn_max_age, pooler=pooler)}
    if not replica_url:
        return configured, "default"
    replica = database(replica_url, conn_max_age=conn_max_age, pooler=pooler)
    replica["TEST"] = {"MIRROR": "default"}
    configured[REPLICA] = replica
    return configured, REPLICA
