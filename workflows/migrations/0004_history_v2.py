"""History v2: rows become events, hashed over every field, and each dossier's chain is anchored.

Schema: ``transition`` becomes ``kind``, ``actor`` becomes ``actor_user``; new ``actor_kind``,
``actor_reference``, ``details`` and ``version``; a new ``HistoryHead`` per dossier.

Data, dossier by dossier, in batches of dossiers (never the whole table in memory):

- a chain whose version 1 hashes hold is rewritten as version 2 (the actor's kind and reference
  derived from the user and role it recorded) and its v2 chain recomputed: the v1 check is what
  vouches for the content the v2 hashes then cover;
- a broken v1 chain keeps its rows at version 1, hashes untouched, so ``verify_history`` still
  reports it; its rows get their derived actor kind and reference (which v1 hashes do not cover);
- every dossier gets a head: on its last row, or position 0 and no hash when it has no history.

Reverse: the schema goes back, and intact chains are rehashed as version 1 first, so that the
previous code's verifier accepts them; what only version 2 holds (actor kind and reference,
details) is dropped with its columns. Broken chains are left as they are.

The hash functions come from ``workflows.history_hash``: versions there are frozen by contract
(a new content is a new version), so this migration keeps meaning what it meant.
"""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion

from workflows import history_hash

DOSSIERS_PER_BATCH = 500


def _derived_actor(row):
    """The actor kind and reference a version 1 row implies (it stored a user and a role)."""
    if row.actor_user_id is not None:
        kind = "citizen" if row.actor_role == "citizen" else "staff"
        return kind, f"user:{row.actor_user_id}"
    if row.actor_role == "citizen":
        # A citizen without an account: the holder of this dossier's resume link.
        return "resume_link", f"dossier:{row.dossier_id}"
    return "system", "system"


def _chain_holds(rows) -> bool:
    previous = ""
    for expected, row in enumerate(rows, start=1):
        if row.position != expected or row.previous_hash != previous:
            return False
        if history_hash.compute_hash(row) != row.hash:
            return False
        previous = row.hash
    return True


def _rechain(rows, version):
    previous = ""
    for row in rows:
        row.version = version
        row.previous_hash = previous
        row.hash = history_hash.compute_hash(row)
        previous = row.hash


def _batches_of_dossiers(apps):
    Dossier = apps.get_model("workflows", "Dossier")
    HistoryEntry = apps.get_model("workflows", "HistoryEntry")
    last_id = None
    while True:
        dossiers = Dossier.objects.order_by("pk")
        if last_id is not None:
            dossiers = dossiers.filter(pk__gt=last_id)
        ids = list(dossiers.values_list("pk", flat=True)[:DOSSIERS_PER_BATCH])
        if not ids:
            return
        last_id = ids[-1]
        chains = {dossier_id: [] for dossier_id in ids}
        for row in HistoryEntry.objects.filter(dossier_id__in=ids).order_by(
            "dossier_id", "position"
        ):
            chains[row.dossier_id].append(row)
        yield chains


def to_version_2(apps, schema_editor):
    HistoryEntry = apps.get_model("workflows", "HistoryEntry")
    HistoryHead = apps.get_model("workflows", "HistoryHead")
    fields = ["actor_kind", "actor_reference", "version", "previous_hash", "hash"]
    for chains in _batches_of_dossiers(apps):
        changed, heads = [], []
        for dossier_id, rows in chains.items():
            intact = _chain_holds(rows)
            for row in rows:
                row.actor_kind, row.actor_reference = _derived_actor(row)
            if intact:
                _rechain(rows, 2)
            changed += rows
            last = rows[-1] if rows else None
            heads.append(
                HistoryHead(
                    dossier_id=dossier_id,
                    position=last.position if last else 0,
                    hash=last.hash if last else "",
                )
            )
        HistoryEntry.objects.bulk_update(changed, fields, batch_size=500)
        HistoryHead.objects.bulk_create(heads, batch_size=500)


def to_version_1(apps, schema_editor):
    HistoryEntry = apps.get_model("workflows", "HistoryEntry")
    for chains in _batches_of_dossiers(apps):
        changed = []
        for rows in chains.values():
            if rows and _chain_holds(rows) and any(row.version != 1 for row in rows):
                _rechain(rows, 1)
                changed += rows
        HistoryEntry.objects.bulk_update(changed, ["version", "previous_hash", "hash"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('workflows', '0003_queue_order_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name='historyentry',
            old_name='transition',
            new_name='kind',
        ),
        migrations.RenameField(
            model_name='historyentry',
            old_name='actor',
            new_name='actor_user',
        ),
        migrations.AlterField(
            model_name='historyentry',
            name='kind',
            field=models.CharField(help_text='The step taken, or what happened (a payment recorded, a note added).', max_length=40, verbose_name='event'),
        ),
        migrations.AddField(
            model_name='historyentry',
            name='actor_kind',
            field=models.CharField(choices=[('staff', 'Staff'), ('citizen', 'Citizen'), ('resume_link', 'Citizen (resume link)'), ('system', 'GUP (scheduled work)'), ('institution_system', "Institution's system")], default='system', max_length=24, verbose_name='actor kind'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historyentry',
            name='actor_reference',
            field=models.CharField(default='system', help_text='user:12, dossier:5 (a resume link), institution:3 or system.', max_length=64, verbose_name='actor reference'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historyentry',
            name='details',
            field=models.JSONField(blank=True, default=dict, verbose_name='details'),
        ),
        # Existing rows are version 1; new rows default to 2.
        migrations.AddField(
            model_name='historyentry',
            name='version',
            field=models.PositiveSmallIntegerField(default=1, verbose_name='hash version'),
        ),
        migrations.AlterField(
            model_name='historyentry',
            name='version',
            field=models.PositiveSmallIntegerField(default=2, verbose_name='hash version'),
        ),
        migrations.CreateModel(
            name='HistoryHead',
            fields=[
                ('dossier', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='history_head', serialize=False, to='workflows.dossier', verbose_name='dossier')),
                ('position', models.PositiveIntegerField(default=0, verbose_name='last position')),
                ('hash', models.CharField(blank=True, max_length=64, verbose_name='last hash')),
            ],
            options={
                'verbose_name': 'history anchor',
                'verbose_name_plural': 'history anchors',
            },
        ),
        migrations.RunPython(to_version_2, to_version_1),
    ]
