"""The history is append-only, hash-chained and anchored: a row changed or removed shows.

Rows are written here the way the action layer writes them, through
``HistoryEntry.objects.append``. The tampering is done with raw SQL, since the model refuses to
change or remove a row, with the database's append-only triggers set aside (``tampering``): the
point here is that ``verify_history`` still finds what someone with the power to drop a trigger
could do (tests/test_history_append_only.py shows the triggers refusing).
"""

import datetime
import hashlib
import importlib

import pgtrigger
import pytest
from django.core.management import CommandError, base, call_command, execute_from_command_line
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import DossierFactory
from workflows import history_hash
from workflows.actors import Actor, ActorKind
from workflows.history_chain import Verification, broken_links
from workflows.models import HistoryEntry, HistoryHead
from workflows.states import DossierState as S

pytestmark = pytest.mark.django_db

TRACKING_NUMBER = "GIT-2026-000042"
START = datetime.datetime(2026, 3, 2, 7, 30, tzinfo=datetime.UTC)


def append(dossier, kind, from_state, to_state, actor, *, minutes, **extra):
    return HistoryEntry.objects.append(
        dossier,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        at=START + datetime.timedelta(minutes=minutes),
        **extra,
    )


@pytest.fixture
def dossier(citizen, clerk_gitega, officer_urbanism, urbanism, building_permit):
    """An online dossier and five events, by a citizen, a clerk, GUP and urbanism's system."""
    dossier = DossierFactory(
        service=building_permit,
        office=clerk_gitega.office,
        applicant_account=citizen,
        tracking_number=TRACKING_NUMBER,
    )
    as_citizen, as_clerk = Actor.for_user(citizen), Actor.for_user(clerk_gitega)
    append(dossier, "draft_started", S.DRAFT, S.DRAFT, as_citizen, minutes=0)
    append(dossier, "submit", S.DRAFT, S.SUBMITTED, as_citizen, minutes=5)
    append(
        dossier,
        "payment_recorded",
        S.SUBMITTED,
        S.SUBMITTED,
        as_clerk,
        minutes=60,
        comment="Paid at the counter.",
        details={"amount_bif": 235_000, "method": "lumicash", "reference": "X1"},
    )
    append(
        dossier,
        "note_added",
        S.SUBMITTED,
        S.SUBMITTED,
        Actor.system(),
        minutes=61,
        is_public=False,
    )
    append(
        dossier,
        "receive",
        S.SUBMITTED,
        S.IN_REVIEW,
        Actor.institution_system(urbanism),
        minutes=90,
    )
    return dossier


def tampering():
    """Set the history's triggers aside, as an owner of the database could."""
    return pgtrigger.ignore(
        "workflows.HistoryEntry:append_only",
        "workflows.HistoryHead:never_removed",
        "workflows.HistoryHead:only_forward",
    )


def tamper(entry_id, field_name, value):
    """Change one stored field of one row behind the model's back."""
    field = HistoryEntry._meta.get_field(field_name)
    with tampering(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {HistoryEntry._meta.db_table} "
            f"SET {connection.ops.quote_name(field.column)} = %s WHERE id = %s",
            [field.get_db_prep_value(value, connection), entry_id],
        )


def delete_rows(table, column, *values):
    with tampering(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(values))})",
            list(values),
        )


# --- Appending --------------------------------------------------------------------------------


def test_append_chains_each_row_to_the_head(dossier):
    entries = list(dossier.history.order_by("position"))
    assert [entry.position for entry in entries] == [1, 2, 3, 4, 5]
    assert entries[0].previous_hash == ""
    for previous, entry in zip(entries, entries[1:], strict=False):
        assert entry.previous_hash == previous.hash
    for entry in entries:
        assert entry.version == 2
        assert entry.hash == hashlib.sha256(entry.content_for_hash()).hexdigest()
    head = HistoryHead.objects.get(dossier=dossier)
    assert (head.position, head.hash) == (5, entries[-1].hash)
    assert dossier.history_head == head


def test_append_records_who_acted(dossier, citizen, clerk_gitega, urbanism):
    rows = {entry.kind: entry for entry in dossier.history.all()}
    recorded = {
        kind: (e.actor_kind, e.actor_user_id, e.actor_reference, e.actor_role, e.actor_name)
        for kind, e in rows.items()
    }
    assert recorded == {
        "draft_started": ("citizen", citizen.pk, f"user:{citizen.pk}", "citizen", str(citizen)),
        "submit": ("citizen", citizen.pk, f"user:{citizen.pk}", "citizen", str(citizen)),
        "payment_recorded": (
            "staff",
            clerk_gitega.pk,
            f"user:{clerk_gitega.pk}",
            "clerk",
            str(clerk_gitega),
        ),
        "note_added": ("system", None, "system", "system", "GUP"),
        "receive": (
            "institution_system",
            None,
            f"institution:{urbanism.pk}",
            "institution_system",
            str(urbanism),
        ),
    }
    assert rows["payment_recorded"].details == {
        "amount_bif": 235_000,
        "method": "lumicash",
        "reference": "X1",
    }
    assert rows["note_added"].is_public is False
    assert rows["note_added"].actor_role_label == "GUP"
    assert rows["receive"].actor_role_label == "Institution's system"
    assert rows["payment_recorded"].actor_role_label == "Clerk"


def test_a_resume_link_holder_is_recorded_by_the_dossier_they_hold(building_permit):
    dossier = DossierFactory(service=building_permit, applicant_account=None, created_by=None)
    entry = append(
        dossier, "draft_started", S.DRAFT, S.DRAFT, Actor.resume_link(dossier.pk), minutes=0
    )
    assert (entry.actor_kind, entry.actor_user_id, entry.actor_reference, entry.actor_role) == (
        ActorKind.RESUME_LINK,
        None,
        f"dossier:{dossier.pk}",
        "citizen",
    )
    assert list(broken_links()) == []


def test_append_reads_the_head_inserts_the_row_and_moves_the_head(
    dossier, citizen, django_assert_num_queries
):
    with django_assert_num_queries(3):
        append(dossier, "note_added", S.IN_REVIEW, S.IN_REVIEW, Actor.for_user(citizen), minutes=99)
    other = DossierFactory(service=dossier.service, office=dossier.office)
    with django_assert_num_queries(3):
        append(other, "draft_started", S.DRAFT, S.DRAFT, Actor.system(), minutes=0)
    assert HistoryHead.objects.get(dossier=other).position == 1


def test_details_are_stored_as_the_database_gives_them_back(dossier):
    entry = append(
        dossier,
        "note_added",
        S.IN_REVIEW,
        S.IN_REVIEW,
        Actor.system(),
        minutes=100,
        details={1: ("a", "b"), "name": "Ndayishimiye é"},
    )
    assert entry.details == {"1": ["a", "b"], "name": "Ndayishimiye é"}
    assert list(broken_links()) == []


def test_the_time_is_hashed_in_utc_whatever_zone_it_came_in(dossier):
    bujumbura = datetime.timezone(datetime.timedelta(hours=2))
    HistoryEntry.objects.append(
        dossier,
        kind="note_added",
        from_state=S.IN_REVIEW,
        to_state=S.IN_REVIEW,
        actor=Actor.system(),
        at=datetime.datetime(2026, 3, 3, 9, 0, 0, 123456, tzinfo=bujumbura),
    )
    assert list(broken_links()) == []


def test_append_refuses_a_naive_time_a_nameless_event_and_no_actor(dossier):
    with pytest.raises(ValueError, match="timezone-aware"):
        HistoryEntry.objects.append(
            dossier,
            kind="note_added",
            from_state=S.IN_REVIEW,
            to_state=S.IN_REVIEW,
            actor=Actor.system(),
            at=datetime.datetime(2026, 3, 3, 9, 0),  # noqa: DTZ001 - naive on purpose
        )
    with pytest.raises(ValueError, match="kind"):
        append(dossier, "", S.IN_REVIEW, S.IN_REVIEW, Actor.system(), minutes=1)
    with pytest.raises(ValueError, match="actor"):
        append(dossier, "note_added", S.IN_REVIEW, S.IN_REVIEW, None, minutes=1)
    assert HistoryHead.objects.get(dossier=dossier).position == 5


def test_the_orm_refuses_to_rewrite_history(dossier):
    entry = dossier.history.first()
    entry.comment = "rewritten"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        dossier.history.all().update(comment="rewritten")
    with pytest.raises(TypeError):
        dossier.history.all().delete()
    with pytest.raises(TypeError):
        HistoryEntry.objects.bulk_create([HistoryEntry(dossier=dossier, position=99)])
    with pytest.raises(TypeError, match="append"):
        HistoryEntry.objects.create(dossier=dossier, position=99)
    with pytest.raises(TypeError):
        HistoryHead.objects.filter(dossier=dossier).delete()
    with pytest.raises(TypeError):
        dossier.history_head.delete()


# --- Verifying --------------------------------------------------------------------------------


def test_an_untouched_history_verifies(dossier, building_permit):
    # A dossier that had no history when the anchors were introduced: anchored at position 0.
    HistoryHead.objects.create(dossier=DossierFactory(service=building_permit))
    verification = Verification(batch_size=2)
    assert list(verification.problems()) == []
    assert (verification.dossiers_checked, verification.entries_checked) == (2, 5)


def _changed(entry, field_name):
    """Another value for the field, of the right type."""
    other = {
        "at": entry.at + datetime.timedelta(seconds=1),
        "kind": "reject",
        "from_state": S.IN_REVIEW,
        "to_state": S.APPROVED,
        "actor_kind": ActorKind.INSTITUTION_SYSTEM,
        "actor_reference": "user:999999",
        "actor_role": "administrator",
        "actor_name": "Someone Else",
        "comment": "Nothing to see.",
        "details": {"amount_bif": 1, "method": "lumicash", "reference": "X1"},
        "is_public": not entry.is_public,
        "version": 1,
        "previous_hash": "0" * 64,
        "hash": "0" * 64,
        "position": 100,
    }
    return other[field_name]


@pytest.mark.parametrize(
    "field_name",
    [
        "at",
        "kind",
        "from_state",
        "to_state",
        "actor_kind",
        "actor_user",
        "actor_reference",
        "actor_role",
        "actor_name",
        "comment",
        "details",
        "is_public",
        "version",
        "previous_hash",
        "hash",
        "position",
    ],
)
def test_each_field_changed_in_the_database_is_found(dossier, field_name, officer_urbanism):
    entry = dossier.history.get(position=3)
    value = officer_urbanism.pk if field_name == "actor_user" else _changed(entry, field_name)
    assert getattr(entry, HistoryEntry._meta.get_field(field_name).attname) != value
    tamper(entry.pk, field_name, value)
    if field_name == "position":
        # The row is no longer where the chain expects it: entry 4 comes right after entry 2.
        expected = f"dossier {TRACKING_NUMBER}: entry 3 is missing"
    else:
        expected = f"dossier {TRACKING_NUMBER}, entry 3: content changed after it was written"
    assert list(broken_links()) == [expected]


def test_an_unknown_version_is_a_changed_row(dossier):
    tamper(dossier.history.get(position=2).pk, "version", 3)
    assert list(broken_links()) == [
        f"dossier {TRACKING_NUMBER}, entry 2: content changed after it was written"
    ]


def test_a_row_moved_to_another_dossier_breaks_both(dossier, building_permit):
    other = DossierFactory(service=building_permit)
    append(other, "draft_started", S.DRAFT, S.DRAFT, Actor.system(), minutes=0)
    append(other, "note_added", S.DRAFT, S.DRAFT, Actor.system(), minutes=1)
    entry = dossier.history.get(position=3)
    with tampering(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {HistoryEntry._meta.db_table} SET dossier_id = %s WHERE id = %s",
            [other.pk, entry.pk],
        )
    assert list(broken_links()) == [
        f"dossier {TRACKING_NUMBER}: entry 3 is missing",
        f"dossier {other.pk}, entry 3: content changed after it was written",
    ]


def test_a_removed_row_is_found(dossier):
    delete_rows(HistoryEntry._meta.db_table, "id", dossier.history.get(position=2).pk)
    assert list(broken_links()) == [f"dossier {TRACKING_NUMBER}: entry 2 is missing"]


def test_a_row_replaced_with_a_fresh_hash_does_not_follow(dossier):
    original = dossier.history.get(position=3)
    delete_rows(HistoryEntry._meta.db_table, "id", original.pk)
    forged = HistoryEntry(
        dossier=dossier,
        position=3,
        kind="approve",
        from_state=S.SUBMITTED,
        to_state=S.APPROVED,
        actor_kind=original.actor_kind,
        actor_user_id=original.actor_user_id,
        actor_reference=original.actor_reference,
        actor_role=original.actor_role,
        actor_name=original.actor_name,
        at=original.at,
        previous_hash="f" * 64,
    )
    forged.save()  # a valid hash of its own, but not chained to entry 2
    assert list(broken_links()) == [
        f"dossier {TRACKING_NUMBER}, entry 3: does not follow the previous entry"
    ]


def test_a_removed_first_row_is_found(dossier):
    delete_rows(HistoryEntry._meta.db_table, "id", dossier.history.get(position=1).pk)
    assert list(broken_links()) == [f"dossier {TRACKING_NUMBER}: entry 1 is missing"]


def test_a_removed_last_row_is_found(dossier):
    delete_rows(HistoryEntry._meta.db_table, "id", dossier.history.get(position=5).pk)
    assert list(broken_links()) == [f"dossier {TRACKING_NUMBER}: the last entry (5) is missing"]


def test_removed_last_rows_are_found(dossier):
    ids = dossier.history.filter(position__gte=4).values_list("pk", flat=True)
    delete_rows(HistoryEntry._meta.db_table, "id", *ids)
    assert list(broken_links()) == [
        f"dossier {TRACKING_NUMBER}: the last entries (4 to 5) are missing"
    ]


def test_all_rows_removed_are_found(dossier):
    delete_rows(HistoryEntry._meta.db_table, "dossier_id", dossier.pk)
    assert list(broken_links()) == [f"dossier {TRACKING_NUMBER}: all entries are missing"]


def test_a_removed_anchor_is_found(dossier):
    delete_rows(HistoryHead._meta.db_table, "dossier_id", dossier.pk)
    assert list(broken_links()) == [f"dossier {TRACKING_NUMBER}: has no history anchor"]


def test_a_dossier_never_anchored_is_found(dossier, building_permit):
    unanchored = DossierFactory(service=building_permit)
    assert list(broken_links()) == [f"dossier {unanchored.pk}: has no history anchor"]


def test_a_row_replaced_at_the_end_does_not_match_the_anchor(dossier):
    with tampering(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {HistoryHead._meta.db_table} SET hash = %s WHERE dossier_id = %s",
            ["0" * 64, dossier.pk],
        )
    assert list(broken_links()) == [
        f"dossier {TRACKING_NUMBER}, entry 5: does not match the history anchor"
    ]


def test_a_row_beyond_the_anchor_is_found(dossier):
    with tampering(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {HistoryHead._meta.db_table} SET position = 4 WHERE dossier_id = %s",
            [dossier.pk],
        )
    assert list(broken_links()) == [
        f"dossier {TRACKING_NUMBER}, entry 5: comes after the last entry its anchor names (4)"
    ]


def test_only_the_first_problem_of_each_dossier_is_named(dossier, building_permit):
    other = DossierFactory(service=building_permit)
    append(other, "draft_started", S.DRAFT, S.DRAFT, Actor.system(), minutes=0)
    tamper(dossier.history.get(position=2).pk, "comment", "rewritten")
    tamper(dossier.history.get(position=4).pk, "comment", "rewritten")
    delete_rows(HistoryHead._meta.db_table, "dossier_id", dossier.pk)
    delete_rows(HistoryHead._meta.db_table, "dossier_id", other.pk)
    verification = Verification(batch_size=2)
    assert list(verification.problems()) == [
        f"dossier {TRACKING_NUMBER}, entry 2: content changed after it was written",
        f"dossier {other.pk}: has no history anchor",
    ]
    assert verification.entries_checked == 6


# --- The command ------------------------------------------------------------------------------


def test_the_command_says_ok_with_the_count(dossier, capsys):
    call_command("verify_history")
    out = capsys.readouterr().out
    assert out.strip() == "OK: 5 history entries checked in 1 dossiers."


def test_the_command_names_the_broken_rows_and_fails(dossier, capsys):
    tamper(dossier.history.get(position=2).pk, "comment", "Nothing to see.")
    with pytest.raises(CommandError, match=r"does not hold in 1 dossier\(s\)"):
        call_command("verify_history")
    assert capsys.readouterr().err.strip() == (
        f"dossier {TRACKING_NUMBER}, entry 2: content changed after it was written"
    )


@pytest.fixture
def command_line(monkeypatch):
    """``manage.py`` as the shell runs it, minus closing the test's database connection."""
    monkeypatch.setattr(base.connections, "close_all", lambda: None)
    return lambda *args: execute_from_command_line(["manage.py", *args])


def test_the_command_exits_non_zero(dossier, capsys, command_line):
    command_line("verify_history")
    assert "OK:" in capsys.readouterr().out
    delete_rows(HistoryHead._meta.db_table, "dossier_id", dossier.pk)
    with pytest.raises(SystemExit) as exit_:
        command_line("verify_history")
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert f"dossier {TRACKING_NUMBER}: has no history anchor" in err
    assert "does not hold in 1 dossier(s)" in err


# --- The migration from version 1 -------------------------------------------------------------


def _v1_row(dossier, position, previous, *, kind, user=None, role, comment=""):
    """A row as the code before migration 0004 wrote it: version 1 hash, no anchor."""
    entry = HistoryEntry(
        dossier=dossier,
        position=position,
        kind=kind,
        from_state=S.DRAFT,
        to_state=S.SUBMITTED,
        actor_kind=ActorKind.SYSTEM,  # what the new column holds before the data migration
        actor_reference="system",
        actor_user=user,
        actor_role=role,
        actor_name=str(user) if user else "GUP",
        comment=comment,
        at=START + datetime.timedelta(minutes=position),
        version=1,
        previous_hash=previous.hash if previous else "",
    )
    entry.save()
    assert entry.hash == hashlib.sha256(history_hash.content_v1(entry)).hexdigest()
    return entry


@pytest.fixture
def migration_0004():
    module = importlib.import_module("workflows.migrations.0004_history_v2")
    state = MigrationExecutor(connection).loader.project_state(("workflows", "0004_history_v2"))
    return module, state.apps


def test_the_migration_rehashes_intact_chains_and_anchors_every_dossier(
    migration_0004, building_permit, citizen, clerk_gitega
):
    module, apps = migration_0004
    intact, broken, empty = (DossierFactory(service=building_permit) for _ in range(3))
    row = _v1_row(intact, 1, None, kind="submit", user=citizen, role="citizen")
    row = _v1_row(intact, 2, row, kind="start_intake", user=clerk_gitega, role="clerk")
    row = _v1_row(intact, 3, row, kind="provide_information", role="citizen")
    _v1_row(intact, 4, row, kind="expire", role="system", comment="é")
    row = _v1_row(broken, 1, None, kind="submit", user=citizen, role="citizen")
    row = _v1_row(broken, 2, row, kind="start_intake", user=clerk_gitega, role="clerk")
    old_hashes = [row.hash for row in broken.history.all()]
    tamper(row.pk, "comment", "rewritten")

    # Migration 0004 ran before 0016 installed the append-only triggers; here they exist.
    with tampering():
        module.to_version_2(apps, None)

    rows = list(intact.history.order_by("position"))
    assert [(row.version, row.actor_kind, row.actor_reference) for row in rows] == [
        (2, "citizen", f"user:{citizen.pk}"),
        (2, "staff", f"user:{clerk_gitega.pk}"),
        (2, "resume_link", f"dossier:{intact.pk}"),
        (2, "system", "system"),
    ]
    # The broken chain keeps its version 1 hashes, and verify still names its first bad row.
    assert [row.version for row in broken.history.all()] == [1, 1]
    assert [row.hash for row in broken.history.all()] == old_hashes
    heads = {head.dossier_id: (head.position, head.hash) for head in HistoryHead.objects.all()}
    assert heads == {
        intact.pk: (4, rows[-1].hash),
        broken.pk: (2, old_hashes[-1]),
        empty.pk: (0, ""),
    }
    assert list(broken_links()) == [
        f"dossier {broken.pk}, entry 2: content changed after it was written"
    ]

    # Back: the intact chain is version 1 again, as the previous verifier expects.
    with tampering():
        module.to_version_1(apps, None)
    assert [row.version for row in intact.history.all()] == [1, 1, 1, 1]
    previous = ""
    for row in intact.history.order_by("position"):
        assert row.previous_hash == previous
        assert row.hash == hashlib.sha256(history_hash.content_v1(row)).hexdigest()
        previous = row.hash
