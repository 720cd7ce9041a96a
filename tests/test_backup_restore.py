"""A backup restores: into a new database and new folders, every dossier, file hash and history
chain comes back intact; a damaged backup, or a target that is not empty, is refused."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import AttachmentFactory, dossier_in_state
from workflows import backups
from workflows.states import DossierState as S

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (shutil.which("pg_dump") and shutil.which("pg_restore")),
        reason="needs pg_dump and pg_restore on PATH",
    ),
]

ROOT = Path(__file__).resolve().parent.parent

SNAPSHOT = {
    "dossiers": "SELECT id, tracking_number, state, applicant_national_id FROM workflows_dossier",
    "attachments": "SELECT id, dossier_id, stored_name, sha256, size, purged_at "
    "FROM workflows_attachment",
    "documents": "SELECT id, dossier_id, stored_name, sha256 FROM workflows_issueddocument",
    "history": "SELECT dossier_id, position, kind, hash FROM workflows_historyentry",
    "heads": "SELECT * FROM workflows_historyhead",
}


def rows_of(database: str) -> dict:
    params = connection.settings_dict
    with (
        psycopg2.connect(
            dbname=database,
            host=params["HOST"] or None,
            port=params["PORT"] or None,
            user=params["USER"] or None,
            password=params["PASSWORD"] or None,
        ) as db,
        db.cursor() as cursor,
    ):
        found = {}
        for name, query in SNAPSHOT.items():
            cursor.execute(query)
            found[name] = sorted(cursor.fetchall(), key=repr)
    db.close()
    return found


@pytest.fixture
def dossiers(building_permit, office_gitega):
    done = dossier_in_state(S.COLLECTED, service=building_permit, office=office_gitega)
    AttachmentFactory(dossier=done)
    running = dossier_in_state(S.SUBMITTED, service=building_permit, office=office_gitega)
    return done, running


@pytest.fixture
def new_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore_elsewhere(backup_dir, database, var_dir):
    """``manage.py restore`` as an operator runs it, on another database and folders."""
    params = connection.settings_dict
    user = params["USER"] or "postgres"
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    url = f"postgres://{user}{password}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gup.settings.test",
        "DATABASE_URL": f"{url}/{database}",
        "GUP_VAR_DIR": str(var_dir),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(backup_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_backup_restores_every_dossier_file_and_history_chain(dossiers, tmp_path, new_database):
    done, _running = dossiers
    assert done.documents.exists(), "a collected permit has an issued document to back up"
    call_command("backup", str(tmp_path / "backup"))

    result = restore_elsewhere(tmp_path / "backup", new_database, tmp_path / "elsewhere")

    assert result.returncode == 0, result.stderr
    assert "every history chain holds" in result.stdout
    original, restored = rows_of(connection.settings_dict["NAME"]), rows_of(new_database)
    assert restored == original
    assert len(restored["dossiers"]) == 2 and restored["history"]
    # Every file is back, in the new folders, byte for byte.
    for _id, _dossier, stored_name, sha256, _size, _purged in restored["attachments"]:
        path = tmp_path / "elsewhere" / "test-uploads" / stored_name[:2] / stored_name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    for _id, _dossier, stored_name, sha256 in restored["documents"]:
        path = tmp_path / "elsewhere" / "test-documents" / stored_name[:2] / f"{stored_name}.pdf"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256


def test_a_damaged_backup_is_refused_before_anything_is_written(dossiers, tmp_path, new_database):
    call_command("backup", str(tmp_path / "backup"))
    archive = tmp_path / "backup" / "uploads.tar"
    content = bytearray(archive.read_bytes())
    content[600] ^= 0xFF
    archive.write_bytes(bytes(content))

    result = restore_elsewhere(tmp_path / "backup", new_database, tmp_path / "elsewhere")

    assert result.returncode != 0
    assert "uploads.tar does not match the manifest" in result.stderr
    assert not (tmp_path / "elsewhere" / "test-uploads").exists()


def test_restore_never_overwrites_a_database_in_use(dossiers, tmp_path):
    call_command("backup", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(tmp_path / "backup"))


def test_a_backup_goes_into_a_new_folder(dossiers, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "something").write_text("kept")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "used"))
    assert (tmp_path / "used" / "something").read_text() == "kept"


def test_a_folder_that_is_not_a_backup_is_refused(tmp_path):
    with pytest.raises(backups.BackupError, match="not a backup"):
        backups.read_manifest(tmp_path)


def test_files_removed_after_the_snapshot_are_named_in_the_manifest(dossiers, tmp_path):
    done, _running = dossiers
    gone = done.attachments.first()
    gone.path.unlink()
    manifest = backups.backup(tmp_path / "backup")
    assert manifest["missing_at_backup"] == [gone.stored_name]
    assert settings.UPLOAD_ROOT.exists()
