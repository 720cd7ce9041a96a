"""How much room GUP's tables and indexes take, and the same per million dossiers.

    DJANGO_SETTINGS_MODULE=gup.settings.dev DATABASE_URL=postgres://.../gup_load \\
        .venv/bin/python -m tests.load.table_sizes [--indexes]

Reads ``pg_total_relation_size`` (heap, TOAST and indexes) of every table of GUP's apps after an
``ANALYZE``, with its row count, and scales each by ``1,000,000 / dossiers``: the history,
attachments and payments grow with the dossiers; the catalogue and the staff do not (their
"per million" is only a ceiling). The README's "Table sizes" comes from this.
"""

import argparse
import os

APPS = ("workflows", "services", "accounts", "sessions")


def relation_sizes(cursor) -> list[tuple]:
    """(table, rows, heap bytes, index bytes, total bytes), largest first."""
    cursor.execute(
        """
        SELECT c.relname, c.reltuples::bigint, pg_relation_size(c.oid),
               pg_indexes_size(c.oid), pg_total_relation_size(c.oid)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname = 'public'
          AND split_part(c.relname, '_', 1) = ANY(%s)
        ORDER BY pg_total_relation_size(c.oid) DESC
        """,
        [list(APPS)],
    )
    return cursor.fetchall()


def index_sizes(cursor) -> list[tuple]:
    """(table, index, bytes), largest first."""
    cursor.execute(
        """
        SELECT t.relname, i.relname, pg_relation_size(i.oid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND split_part(t.relname, '_', 1) = ANY(%s)
        ORDER BY pg_relation_size(i.oid) DESC
        """,
        [list(APPS)],
    )
    return cursor.fetchall()


def mib(size: float) -> str:
    return f"{size / 2**20:,.1f}"


def report(show_indexes: bool = False) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM workflows_dossier")
        (dossiers,) = cursor.fetchone()
        scale = 1_000_000 / max(dossiers, 1)
        lines = [
            f"{dossiers:,} dossiers; sizes in MiB, and scaled to one million dossiers",
            "| Table | Rows | Heap | Indexes | Total | Rows per million | Total per million |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        totals = [0, 0, 0]
        for table, rows, heap, indexes, total in relation_sizes(cursor):
            totals = [totals[0] + heap, totals[1] + indexes, totals[2] + total]
            lines.append(
                f"| `{table}` | {max(rows, 0):,} | {mib(heap)} | {mib(indexes)} | {mib(total)} "
                f"| {max(rows, 0) * scale:,.0f} | {mib(total * scale)} |"
            )
        heap, indexes, total = totals
        lines.append(
            f"| all | | {mib(heap)} | {mib(indexes)} | {mib(total)} | | {mib(total * scale)} |"
        )
        if show_indexes:
            lines += ["", "| Table | Index | MiB | MiB per million |"]
            lines += ["| --- | --- | ---: | ---: |"]
            lines += [
                f"| `{table}` | `{index}` | {mib(size)} | {mib(size * scale)} |"
                for table, index, size in index_sizes(cursor)
            ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indexes", action="store_true", help="also list every index")
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gup.settings.dev")
    import django

    django.setup()
    print(report(arguments.indexes))


if __name__ == "__main__":
    main()
