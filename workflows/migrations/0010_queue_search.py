"""Indexes for searching the staff queues (``workflows.queue_search``).

On PostgreSQL, the applicant's name is searched accent- and case-insensitively, anywhere in the
name, through a GIN trigram index on ``gup_search_name(first, last)``. ``unaccent()`` is only
STABLE (its dictionary could change), and an index needs an IMMUTABLE expression: the standard
way out is a wrapper that names the dictionary and declares itself immutable. Nothing of this
exists on SQLite (the embedded default), where the search falls back to ``icontains``.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models

SEARCH_NAME_FUNCTIONS = """
CREATE OR REPLACE FUNCTION gup_normalize(text) RETURNS text
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, lower($1)) $$
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT;
CREATE OR REPLACE FUNCTION gup_search_name(text, text) RETURNS text
    AS $$ SELECT gup_normalize($1 || ' ' || $2) $$
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT;
CREATE INDEX IF NOT EXISTS dossier_applicant_name_trgm ON workflows_dossier
    USING gin (gup_search_name(applicant_first_name, applicant_last_name) gin_trgm_ops);
"""

DROP_SEARCH_NAME_FUNCTIONS = """
DROP INDEX IF EXISTS dossier_applicant_name_trgm;
DROP FUNCTION IF EXISTS gup_search_name(text, text);
DROP FUNCTION IF EXISTS gup_normalize(text);
"""


def create_name_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_NAME_FUNCTIONS)


def drop_name_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SEARCH_NAME_FUNCTIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0009_dossier_unlinked_by_phone"),
    ]

    operations = [
        # Both do nothing on databases other than PostgreSQL.
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(create_name_index, drop_name_index, elidable=False),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["applicant_national_id"],
                name="dossier_national_id_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["applicant_phone"],
                name="dossier_phone_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
    ]
