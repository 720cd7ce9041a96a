"""Decisions record their service and the working days they took from forwarding, so that a
ministry supervisor's medians are one index-only read of their institution's decisions of the
window (``decision_institution_at`` now includes both) instead of a join to thousands of
dossiers. Existing decisions are filled in one statement: working days need Burundi's calendar,
which the database does not know, so each day of the span gets its count of working days here and
the database subtracts."""

import datetime

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

from workflows.working_days import working_days_between, working_days_to_decide

FILL_POSTGRESQL = """
UPDATE workflows_decision AS decision
SET service_id = dossier.service_id,
    working_days = decided.n - forwarded.n
FROM workflows_dossier AS dossier,
     unnest(%(days)s::date[], %(counts)s::int[]) AS forwarded(day, n),
     unnest(%(days)s::date[], %(counts)s::int[]) AS decided(day, n)
WHERE dossier.id = decision.dossier_id
  AND forwarded.day = (dossier.forwarded_at AT TIME ZONE %(zone)s)::date
  AND decided.day = (decision.decided_at AT TIME ZONE %(zone)s)::date
"""


def fill(apps, schema_editor):
    Decision = apps.get_model("workflows", "Decision")
    decisions = Decision.objects.using(schema_editor.connection.alias)
    if schema_editor.connection.vendor != "postgresql":
        # The embedded database of a demo: a few dozen decisions.
        for decision in decisions.select_related("dossier").iterator():
            decisions.filter(pk=decision.pk).update(
                service_id=decision.dossier.service_id,
                working_days=working_days_to_decide(
                    decision.dossier.forwarded_at, decision.decided_at
                ),
            )
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(forwarded_at), max(decided_at) FROM workflows_decision"
            " JOIN workflows_dossier ON workflows_dossier.id = dossier_id"
        )
        first, last = cursor.fetchone()
        if first is not None:
            fill_working_days(cursor, timezone.localdate(first), timezone.localdate(last))
        # Never forwarded: the service only.
        cursor.execute(
            "UPDATE workflows_decision AS decision SET service_id = dossier.service_id"
            " FROM workflows_dossier AS dossier"
            " WHERE dossier.id = decision.dossier_id AND decision.service_id IS NULL"
        )


def fill_working_days(cursor, start, end):
    days = [start + datetime.timedelta(n) for n in range((end - start).days + 1)]
    cursor.execute(
        FILL_POSTGRESQL,
        {
            "days": days,
            "counts": [working_days_between(start, day) for day in days],
            "zone": timezone.get_current_timezone_name(),
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0005_payment_instructions"),
        ("workflows", "0020_decision_institution"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="service",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="services.service",
                verbose_name="service",
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="working_days",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text=(
                    "Working days from the dossier's forwarding to this decision; empty when"
                    " it was never forwarded."
                ),
                null=True,
                verbose_name="working days to decide",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        # Rebuilt after the fill, on the filled columns.
        migrations.RemoveIndex(model_name="decision", name="decision_institution_at"),
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(
                fields=["institution", "decided_at"],
                include=("service", "working_days"),
                name="decision_institution_at",
            ),
        ),
    ]
