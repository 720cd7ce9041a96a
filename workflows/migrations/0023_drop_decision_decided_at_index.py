# The medians read decisions by institution only (0021): the index on decided_at alone is no
# longer read, and every decision paid for it.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0022_officer_in_review_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="decision",
            name="decision_decided_at",
        ),
    ]
