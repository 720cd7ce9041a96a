"""Decisions record the institution that decided, so that a ministry supervisor's medians read
their own institution's decisions of the window (index on institution and time) rather than
every institution's. Existing decisions take their dossier's institution."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0005_payment_instructions"),
        ("workflows", "0019_supervision_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="institution",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="services.institution",
                verbose_name="institution",
            ),
        ),
        # One pass, a hash join of the two tables; the index is built after, on the filled
        # column. (Decisions refuse UPDATE in the application, not in the database.)
        migrations.RunSQL(
            "UPDATE workflows_decision AS decision SET institution_id = dossier.institution_id"
            " FROM workflows_dossier AS dossier"
            " WHERE dossier.id = decision.dossier_id AND decision.institution_id IS NULL",
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(
                fields=["institution", "decided_at"], name="decision_institution_at"
            ),
        ),
    ]
