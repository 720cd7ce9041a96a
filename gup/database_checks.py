"""System checks that the database settings hold together (``gup/settings/databases.py``).

They run with every management command, not only ``check --deploy``: a replica alias that does
not exist, or a pooler without its cursor setting, breaks pages at the first request, in any
environment.
"""

from django.core import checks

POSTGRESQL = "django.db.backends.postgresql"


@checks.register(checks.Tags.compatibility)
def databases_are_consistent(app_configs, **kwargs):
    from django.conf import settings

    return problems_of(
        settings.DATABASES, settings.GUP_REPORTING_DATABASE, settings.DATABASE_POOLER
    )


def problems_of(aliases: dict, reporting: str, pooler: str) -> list:
    """What is wrong with ``DATABASES``, the reporting alias and the pooler, together."""
    from django.db import DEFAULT_DB_ALIAS

    problems = []
    if reporting not in aliases:
        problems.append(
            checks.Error(
                f"GUP_REPORTING_DATABASE names {reporting!r}, which is not in DATABASES: the "
                "auditor's list, the supervisors' page and the daily digest would fail.",
                hint="Set DATABASE_REPLICA_URL, or leave GUP_REPORTING_DATABASE to the settings.",
                id="gup.E020",
            )
        )
    elif reporting != DEFAULT_DB_ALIAS:
        primary, replica = aliases[DEFAULT_DB_ALIAS], aliases[reporting]
        if replica.get("ENGINE") != primary.get("ENGINE"):
            problems.append(
                checks.Error(
                    "The read replica and the primary are not the same kind of database.",
                    hint="DATABASE_REPLICA_URL must be a PostgreSQL replica of DATABASE_URL.",
                    id="gup.E021",
                )
            )
        elif all(replica.get(key) == primary.get(key) for key in ("HOST", "PORT", "NAME")):
            problems.append(
                checks.Warning(
                    "DATABASE_REPLICA_URL names the same database as DATABASE_URL: reporting "
                    "reads gain nothing and use a second connection.",
                    hint="Point it at a streaming replica, or unset it.",
                    id="gup.W020",
                )
            )
    if pooler == "pgbouncer":
        for alias, config in aliases.items():
            if not config.get("ENGINE", "").startswith(POSTGRESQL):
                problems.append(
                    checks.Error(
                        f"DATABASE_POOLER is 'pgbouncer' but the database {alias!r} is not "
                        "PostgreSQL.",
                        hint="Unset DATABASE_POOLER, or point the URLs at PgBouncer.",
                        id="gup.E022",
                    )
                )
            elif not config.get("DISABLE_SERVER_SIDE_CURSORS"):
                problems.append(
                    checks.Error(
                        f"The database {alias!r} is behind PgBouncer in transaction mode but "
                        "keeps server-side cursors: .iterator() outside a transaction would "
                        "fail with 'cursor does not exist'.",
                        hint="Set DISABLE_SERVER_SIDE_CURSORS = True for it (the settings do "
                        "when DATABASE_POOLER=pgbouncer; something overrode them).",
                        id="gup.E023",
                    )
                )
    return problems
