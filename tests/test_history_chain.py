"""The history is append-only and hash-chained: a row changed or removed in the database shows."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import DossierFactory
from workflows.history_chain import broken_links
from workflows.models import HistoryEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(clerk_gitega, building_permit):
    return DossierFactory(
        counter=True,
        forwarded=True,
        service=building_permit,
        office=clerk_gitega.office,
        clerk=clerk_gitega,
    )


def test_an_untouched_history_verifies(dossier, capsys):
    assert dossier.history.count() == 3
    call_command("verify_history")
    assert "intact" in capsys.readouterr().out


def test_a_comment_edited_in_the_database_is_found(dossier):
    entry = dossier.history.get(position=2)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {HistoryEntry._meta.db_table} SET comment = %s WHERE id = %s",
            ["nothing to see", entry.pk],
        )
    assert list(broken_links()) == [
        f"dossier {dossier.pk}, entry 2: content changed after it was written"
    ]
    with pytest.raises(CommandError, match="broken in 1 place"):
        call_command("verify_history")


def test_a_removed_row_is_found(dossier):
    entry = dossier.history.get(position=2)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {HistoryEntry._meta.db_table} WHERE id = %s", [entry.pk])
    problems = list(broken_links())
    assert f"dossier {dossier.pk}, entry 3: expected entry 2 (a row is missing)" in problems
    assert f"dossier {dossier.pk}, entry 3: does not follow the previous entry" in problems


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
