"""On PostgreSQL the database itself refuses to rewrite the history.

The model already refuses (tests/test_transitions.py); these tests go around it, the way someone
with a database connection could: raw SQL, and the ORM's plain manager. UPDATE and DELETE of a
history row are refused by a trigger; a dossier's anchor (``HistoryHead``) is never removed and
only moves forward. Appending, the one legitimate write, still works, and ``verify_history``
stays the check for what a database owner could still do by dropping the triggers
(tests/test_history_chain.py).
"""

import pgtrigger
import pytest
from django.db import DatabaseError, connection, transaction

from tests.factories import DossierFactory
from workflows.actions import perform
from workflows.history_chain import broken_links
from workflows.models import HistoryEntry, HistoryHead

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's"),
]

ENTRIES = HistoryEntry._meta.db_table
HEADS = HistoryHead._meta.db_table


@pytest.fixture
def dossier(building_permit, office_gitega, clerk_gitega):
    """A dossier filed at the Gitega counter and forwarded: a few history rows and an anchor."""
    return DossierFactory(
        counter=True, forwarded=True, service=building_permit, office=office_gitega
    )


def rows(dossier):
    return list(
        HistoryEntry.objects.filter(dossier=dossier)
        .order_by("position")
        .values_list("pk", "position", "comment", "hash")
    )


def head(dossier):
    return HistoryHead.objects.filter(dossier=dossier).values_list("position", "hash").first()


def refused(sql, params):
    """Run ``sql`` and expect the database to refuse it; the test's transaction goes on."""
    with (
        pytest.raises(DatabaseError, match="pgtrigger: Cannot"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def test_the_dossier_has_a_history_to_protect(dossier):
    assert len(rows(dossier)) >= 2
    assert head(dossier) == (rows(dossier)[-1][1], rows(dossier)[-1][3])
    assert list(broken_links()) == []


def test_raw_sql_cannot_change_a_history_row(dossier):
    before = rows(dossier)

    refused(f"UPDATE {ENTRIES} SET comment = %s WHERE dossier_id = %s", ["Forged.", dossier.pk])
    refused(f"UPDATE {ENTRIES} SET hash = %s WHERE id = %s", ["0" * 64, before[0][0]])

    assert rows(dossier) == before
    assert list(broken_links()) == []


def test_raw_sql_cannot_remove_history_rows(dossier):
    before = rows(dossier)

    refused(f"DELETE FROM {ENTRIES} WHERE id = %s", [before[-1][0]])
    refused(f"DELETE FROM {ENTRIES} WHERE dossier_id = %s", [dossier.pk])

    assert rows(dossier) == before


def test_the_orm_around_the_model_is_refused_too(dossier):
    """The plain manager skips the model's own refusals; the database does not."""
    before = rows(dossier)
    plain = HistoryEntry._base_manager.filter(dossier=dossier)

    with pytest.raises(DatabaseError, match="pgtrigger: Cannot"), transaction.atomic():
        plain.update(comment="Forged.")
    with pytest.raises(DatabaseError, match="pgtrigger: Cannot"), transaction.atomic():
        plain.filter(pk=before[0][0])._raw_delete(connection.alias)

    assert rows(dossier) == before


def test_the_anchor_cannot_be_removed_rewound_or_moved(dossier, building_permit, office_gitega):
    other = DossierFactory(service=building_permit, office=office_gitega)  # a draft, unanchored
    anchored = head(dossier)

    refused(f"DELETE FROM {HEADS} WHERE dossier_id = %s", [dossier.pk])
    # Rewinding it would hide rows removed from the end of the chain.
    refused(f"UPDATE {HEADS} SET position = position - 1 WHERE dossier_id = %s", [dossier.pk])
    # Same position, another hash: a forged last row.
    refused(f"UPDATE {HEADS} SET hash = %s WHERE dossier_id = %s", ["0" * 64, dossier.pk])
    refused(
        f"UPDATE {HEADS} SET dossier_id = %s, position = position + 5 WHERE dossier_id = %s",
        [other.pk, dossier.pk],
    )

    assert head(dossier) == anchored
    assert head(other) is None


def test_appending_still_moves_the_anchor_forward(dossier, clerk_gitega):
    before = rows(dossier)

    perform(dossier.pk, "note_added", clerk_gitega, comment="Called the applicant.")

    after = rows(dossier)
    assert after[: len(before)] == before
    assert after[-1][1:3] == (before[-1][1] + 1, "Called the applicant.")
    assert head(dossier) == (after[-1][1], after[-1][3])
    assert list(broken_links()) == []


def test_with_the_triggers_set_aside_verify_history_still_finds_the_change(dossier):
    """What the triggers cannot stop (an owner dropping them), the hash chain still shows."""
    first = rows(dossier)[0]
    with (
        pgtrigger.ignore("workflows.HistoryEntry:append_only"),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {ENTRIES} SET comment = %s WHERE id = %s", ["Forged.", first[0]])

    assert [comment for _, _, comment, _ in rows(dossier)][0] == "Forged."
    assert list(broken_links()) == [
        f"dossier {dossier.tracking_number}, entry 1: content changed after it was written"
    ]
