"""Behind PgBouncer in transaction mode: settings that hold together, code without session state.

A pooled server connection belongs to a client for one transaction only. Whatever outlives a
transaction on it (a session advisory lock, a ``SET`` without ``LOCAL``, LISTEN, a prepared
statement, a server-side cursor opened in autocommit) would leak to, or be missing for, the
next client. The settings turn server-side cursors off; the source is scanned for the rest, so
that a new use fails here with the reason rather than in production under load.
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from gup.database_checks import problems_of
from gup.settings.databases import databases

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("gup", "services", "workflows")

PRIMARY = "postgres://gup@pgbouncer:6432/gup"
REPLICA = "postgres://gup@pgbouncer:6432/gup_replica"

#: Constructs whose effect outlives the transaction they run in.
SESSION_STATE = {
    "a session-level advisory lock (use pg_advisory_xact_lock inside atomic())": re.compile(
        r"pg_(try_)?advisory_lock(_shared)?\s*\(", re.IGNORECASE
    ),
    # SQL keywords in capitals, as the code base writes its SQL: "Set X to ..." in a message
    # is English, not SQL.
    "LISTEN/NOTIFY (a listener must keep its own server connection)": re.compile(
        r"""["']\s*(LISTEN|UNLISTEN|NOTIFY)\s|pg_notify\s*\("""
    ),
    "a session SET (use SET LOCAL, or SET TRANSACTION, inside atomic())": re.compile(
        r"""["']\s*SET\s+(?!LOCAL\b|TRANSACTION\b|CONSTRAINTS\b)(SESSION\s+)?\w+\s*(=|TO\b)"""
    ),
    "a prepared statement": re.compile(r"""["']\s*(PREPARE|DEALLOCATE)\s"""),
    "set_config(..., false): session-wide": re.compile(
        r"set_config\s*\([^)]*,\s*false\s*\)", re.IGNORECASE
    ),
}

#: Where ``.iterator()`` may stream through a server-side cursor, and why that is safe: the
#: cursor lives inside one transaction. Behind PgBouncer the cursors are off anyway (the whole
#: result then comes to the client), which is why the README runs these commands on PostgreSQL
#: directly.
ITERATORS_ALLOWED = {
    "workflows/history_chain.py": "read inside verify_history's REPEATABLE READ transaction",
}


def python_sources():
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative:  # migrations run on PostgreSQL directly
                yield relative, path.read_text()


def test_the_code_keeps_no_state_on_a_database_session():
    found = [
        f"{relative}:{text.count(chr(10), 0, match.start()) + 1}: {what}"
        for relative, text in python_sources()
        for what, pattern in SESSION_STATE.items()
        for match in pattern.finditer(text)
    ]
    assert found == []


def test_the_session_state_patterns_catch_what_they_are_for():
    """The scan above would be worthless if its patterns matched nothing."""
    caught = {
        'cursor.execute("SELECT pg_advisory_lock(%s)", [key])': True,
        'cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])': False,
        "cursor.execute(\"SET statement_timeout = '5s'\")": True,
        "cursor.execute(\"SET LOCAL statement_timeout = '5s'\")": False,
        'hint="Set GUP_SIGNING_KEY_FILE to a key made by new_signing_key."': False,
        'cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")': False,
        'cursor.execute("LISTEN outbox")': True,
        'cursor.execute("PREPARE fetch AS SELECT 1")': True,
        "cursor.execute(\"SELECT set_config('search_path', 'gup', false)\")": True,
        "cursor.execute(\"SELECT set_config('search_path', 'gup', true)\")": False,
    }
    for line, expected in caught.items():
        hits = [what for what, pattern in SESSION_STATE.items() if pattern.search(line)]
        assert bool(hits) is expected, line


def test_server_side_cursors_are_only_used_inside_a_transaction():
    uses = {
        relative for relative, text in python_sources() if re.search(r"[\w)]\.iterator\(", text)
    }
    assert uses <= set(ITERATORS_ALLOWED), (
        f"New .iterator() in {sorted(uses - set(ITERATORS_ALLOWED))}: behind PgBouncer "
        "(DATABASE_POOLER=pgbouncer) it reads the whole result into memory; elsewhere it needs "
        "a transaction around it. Page by primary key instead, or add it to ITERATORS_ALLOWED "
        "with the reason."
    )


# --- The settings and their checks ------------------------------------------------------------


def ids(problems) -> list[str]:
    return [problem.id for problem in problems]


def test_settings_made_for_pgbouncer_pass_the_checks():
    configured, alias = databases(PRIMARY, REPLICA, conn_max_age=60, pooler="pgbouncer")
    assert problems_of(configured, alias, "pgbouncer") == []


def test_pgbouncer_with_server_side_cursors_left_on_is_an_error_naming_the_alias():
    configured, alias = databases(PRIMARY, REPLICA, conn_max_age=60, pooler="pgbouncer")
    configured["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = False  # overridden by hand
    [problem] = problems_of(configured, alias, "pgbouncer")
    assert problem.id == "gup.E023" and "'replica'" in problem.msg


def test_pgbouncer_in_front_of_sqlite_is_an_error():
    configured, alias = databases("sqlite:///var/gup.sqlite3", conn_max_age=60)
    assert ids(problems_of(configured, alias, "pgbouncer")) == ["gup.E022"]


def test_a_reporting_alias_that_does_not_exist_is_an_error():
    configured, _alias = databases(PRIMARY, conn_max_age=60)
    assert ids(problems_of(configured, "replica", "")) == ["gup.E020"]


def test_a_replica_of_another_kind_is_an_error_and_the_primary_itself_a_warning():
    configured, alias = databases(PRIMARY, "sqlite:///var/other.sqlite3", conn_max_age=60)
    assert ids(problems_of(configured, alias, "")) == ["gup.E021"]
    configured, alias = databases(PRIMARY, PRIMARY, conn_max_age=60)
    assert ids(problems_of(configured, alias, "")) == ["gup.W020"]


def test_the_test_settings_pass_the_checks():
    call_command("check", "--fail-level", "WARNING", tags=["compatibility"])


@pytest.mark.parametrize(
    ("url", "engine"),
    [(PRIMARY, "django.db.backends.postgresql"), ("sqlite:///x.sqlite3", "sqlite3")],
)
def test_health_checks_are_on_for_every_database(url, engine):
    configured, _alias = databases(url, url, conn_max_age=60)
    assert all(config["CONN_HEALTH_CHECKS"] for config in configured.values())
    assert all(engine in config["ENGINE"] for config in configured.values())
