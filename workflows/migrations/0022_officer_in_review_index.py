# The officer's "My dossiers" tab walks its own index in date order (issue 12).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0005_payment_instructions"),
        ("workflows", "0021_decision_working_days"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(
                    ("state__in", ("in_review", "inspection", "public_notice", "appointment"))
                ),
                fields=["institution", "officer", "due_date", "id"],
                name="dossier_officer_in_review",
            ),
        ),
    ]
