"""Before the tests: are PostgreSQL and Redis reachable? Say so in seconds, with the fix.

``python -m gup.preflight`` (``make test`` runs it) reads ``DATABASE_URL`` and ``REDIS_URL`` like
the test settings do, tries each server with a short timeout, and exits 1 with the command that
starts what is down. Without it, a stopped server shows up minutes later as hundreds of identical
errors, or as pytest hanging on a connection.

It connects to the ``postgres`` maintenance database of the same server: the test database
itself may not exist yet (pytest-django creates it). Django is not imported: this must work even
when the settings cannot load.
"""

import os
import sys
from urllib.parse import urlsplit

import psycopg2
import redis

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/gup_test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
TIMEOUT_SECONDS = 3

# The commands that start the services on the development machines and CI (Debian packages).
START_POSTGRESQL = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
START_REDIS = 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'

# Schemes dj-database-url reads as PostgreSQL; libpq itself only knows the first two.
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}


def postgresql_problem(database_url: str) -> tuple[str, str] | None:
    """None when the server answers, otherwise what went wrong and how to fix it."""
    scheme = urlsplit(database_url).scheme
    if scheme not in POSTGRES_SCHEMES:
        return (
            f"DATABASE_URL must point at PostgreSQL for the tests, not {scheme or '?'}://.",
            f"Unset DATABASE_URL, or set it like {DEFAULT_DATABASE_URL}",
        )
    libpq_url = "postgresql" + database_url[len(scheme) :]
    try:
        connection = psycopg2.connect(libpq_url, dbname="postgres", connect_timeout=TIMEOUT_SECONDS)
    except psycopg2.Error as error:
        return (
            f"PostgreSQL is not reachable at {_where(database_url)}: {_first_line(error)}",
            f"If it is not running, start it with:  {START_POSTGRESQL}",
        )
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()
    return None


def redis_problem(redis_url: str) -> tuple[str, str] | None:
    """None when the server answers PING, otherwise what went wrong and how to fix it."""
    try:
        client = redis.Redis.from_url(
            redis_url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
        )
        client.ping()
    except (redis.RedisError, ValueError) as error:
        return (
            f"Redis is not reachable at {_where(redis_url)}: {_first_line(error)}",
            f"If it is not running, start it with:  {START_REDIS}",
        )
    return None


def _where(url: str) -> str:
    """Host and port only: a URL may carry a password, which has no place in a log."""
    parts = urlsplit(url)
    return f"{parts.hostname or '?'}:{parts.port or 'default port'}"


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [error.__class__.__name__])[0]


def main() -> int:
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    problems = [
        problem
        for problem in (postgresql_problem(database_url), redis_problem(redis_url))
        if problem
    ]
    if not problems:
        print("Preflight: PostgreSQL and Redis are reachable.")
        return 0
    for problem, fix in problems:
        print(f"Preflight: {problem}", file=sys.stderr)
        print(f"  {fix}", file=sys.stderr)
    print("The tests need both servers; stopping before anything else runs.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
