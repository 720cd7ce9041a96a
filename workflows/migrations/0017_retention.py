"""Retention of attachments, and a search function that survives pg_dump and pg_restore.

``purged_at``: the day an attachment's file was removed at the end of the retention period
(``workflows.retention``); the row, its size and its SHA-256 stay.

``gup_search_name`` called ``gup_normalize`` without its schema. ``pg_restore`` runs with an
empty ``search_path``, so rebuilding the name index of a restored backup failed ("function
gup_normalize(text) does not exist"): no backup could be restored. Same result, qualified name;
the index needs no rebuild.
"""

from django.db import migrations, models

QUALIFIED = """
CREATE OR REPLACE FUNCTION gup_search_name(text, text) RETURNS text
    AS $$ SELECT public.gup_normalize($1 || ' ' || $2) $$
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT;
"""
UNQUALIFIED = """
CREATE OR REPLACE FUNCTION gup_search_name(text, text) RETURNS text
    AS $$ SELECT gup_normalize($1 || ' ' || $2) $$
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT;
"""


def qualify(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(QUALIFIED)


def unqualify(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNQUALIFIED)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0016_scale_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="purged_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="file removed"),
        ),
        migrations.RunPython(qualify, unqualify),
    ]
