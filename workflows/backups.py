"""Backups that restore: the database and the files, taken consistently, checked on the way back.

A backup is a folder holding:

- ``database.dump``: ``pg_dump --format=custom`` of the whole database, taken in **one snapshot**
  (``pg_export_snapshot`` in a REPEATABLE READ transaction, handed to ``pg_dump --snapshot``);
- ``uploads.tar`` and ``documents.tar``: ``UPLOAD_ROOT`` and ``DOCUMENT_ROOT``, read **after**
  the snapshot was taken;
- ``manifest.json``: the SHA-256 and size of each of those three, and the stored files that the
  snapshot's rows name but that were no longer on disk when the files were read.

Why "database first, then files" is consistent: GUP writes a file *before* the transaction that
records its row commits (``workflows.uploads.StoredFiles``, ``workflows.documents``), and removes
a file only *after* the transaction that forgets its row has committed. So every row in the
snapshot names a file that already existed when the snapshot was taken; reading the files
afterwards finds it, unless a later commit removed it in between (a document replaced before
filing, a retention purge): those are listed in the manifest as ``missing_at_backup``, never
silently lost. Files written after the snapshot are extra bytes nobody names: harmless. The
other order (files, then database) would lose the file of every row committed in between.

``restore`` checks the manifest first (a damaged or partial backup is refused before anything
is written), insists on an empty database and empty storage folders (it never overwrites a
running system), runs ``pg_restore`` in one transaction, unpacks the files (tar's ``data``
filter: no absolute paths, no ``..``, no links out), then verifies what came back:
every stored file's SHA-256 against its row, and every dossier's history chain.
"""

import hashlib
import json
import os
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from workflows.history_chain import Verification

MANIFEST = "manifest.json"
DATABASE = "database.dump"
#: Archive name → the setting naming the folder it holds.
FOLDERS = {"uploads.tar": "UPLOAD_ROOT", "documents.tar": "DOCUMENT_ROOT"}
FORMAT = 1


class BackupError(Exception):
    """A backup cannot be taken or restored; the message says why, for the operator."""


def _pg_environment(settings_dict) -> dict:
    """The connection as libpq's variables: the password never appears in a process list."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        value = settings_dict.get(key)
        if value:
            env[variable] = str(value)
    return env


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _named_files(cursor) -> list[Path]:
    """Every stored file the database names, read in the current snapshot."""
    from workflows.models import Attachment, IssuedDocument, Objection

    named = []
    cursor.execute(f"SELECT stored_name FROM {Attachment._meta.db_table} WHERE purged_at IS NULL")
    named += [settings.UPLOAD_ROOT / name[:2] / name for (name,) in cursor.fetchall()]
    cursor.execute(
        f"SELECT document_stored_name FROM {Objection._meta.db_table} "
        "WHERE document_stored_name <> ''"
    )
    named += [settings.UPLOAD_ROOT / name[:2] / name for (name,) in cursor.fetchall()]
    cursor.execute(f"SELECT stored_name FROM {IssuedDocument._meta.db_table}")
    named += [settings.DOCUMENT_ROOT / name[:2] / f"{name}.pdf" for (name,) in cursor.fetchall()]
    return named


def _tar(folder: Path, archive: Path) -> None:
    with tarfile.open(archive, "w") as tar:
        if folder.exists():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    tar.add(path, arcname=str(path.relative_to(folder)), recursive=False)


def backup(target: Path) -> dict:
    """Write a backup into ``target`` (a new or empty folder); return its manifest."""
    if connection.vendor != "postgresql":
        raise BackupError("Backups need PostgreSQL (pg_dump); the embedded SQLite is a demo.")
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: a backup goes into a new folder.")
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        result = subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target / DATABASE}",
            ],
            env=_pg_environment(connection.settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        # Still in the snapshot: the files its rows name, looked for after the dump.
        named = _named_files(cursor)
    for archive, setting in FOLDERS.items():
        _tar(Path(getattr(settings, setting)), target / archive)
    missing = sorted(path.name for path in named if not path.exists())
    manifest = {
        "format": FORMAT,
        "taken_at": timezone.now().isoformat(),
        "files": {
            name: {"sha256": _sha256(target / name), "size": (target / name).stat().st_size}
            for name in (DATABASE, *FOLDERS)
        },
        "missing_at_backup": missing,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2))
    for path in target.iterdir():
        path.chmod(0o600)
    return manifest


def read_manifest(source: Path) -> dict:
    """The backup's manifest, once every part is checked against it."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} holds no readable {MANIFEST}: not a backup.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for name in (DATABASE, *FOLDERS):
        expected = manifest["files"].get(name, {}).get("sha256")
        path = source / name
        if not path.exists():
            raise BackupError(f"{name} is missing from the backup.")
        if _sha256(path) != expected:
            raise BackupError(f"{name} does not match the manifest: the backup is damaged.")
    return manifest


@dataclass
class Restored:
    dossiers: int = 0
    files_checked: int = 0
    problems: list[str] = field(default_factory=list)


def restore(source: Path) -> Restored:
    """Restore the backup in ``source`` into the configured, empty database and folders."""
    if connection.vendor != "postgresql":
        raise BackupError("Restoring needs PostgreSQL (pg_restore).")
    source = Path(source)
    manifest = read_manifest(source)
    if connection.introspection.table_names():
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty: restore into a "
            "new database (createdb), never over a running one."
        )
    for setting in FOLDERS.values():
        folder = Path(getattr(settings, setting))
        if folder.exists() and any(folder.iterdir()):
            raise BackupError(f"{setting} ({folder}) is not empty: restore into a new folder.")
    connection.close()
    result = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source / DATABASE),
        ],
        env=_pg_environment(connection.settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    for archive, setting in FOLDERS.items():
        folder = Path(getattr(settings, setting))
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tarfile.open(source / archive) as tar:
            tar.extractall(folder, filter="data")
    restored = verify_restored()
    known = set(manifest.get("missing_at_backup", []))
    restored.problems = [
        problem
        for problem in restored.problems
        if Path(problem.split(": ", 1)[-1]).name not in known
    ]
    return restored


def verify_restored() -> Restored:
    """Every stored file against its row's SHA-256, and every dossier's history chain."""
    from workflows.models import Attachment, Dossier, IssuedDocument, Objection

    restored = Restored(dossiers=Dossier.objects.count())
    expected = [(row.path, row.sha256) for row in Attachment.objects.filter(purged_at__isnull=True)]
    expected += [(row.path, row.sha256) for row in IssuedDocument.objects.all()]
    expected += [
        (row.document_path, row.document_sha256)
        for row in Objection.objects.exclude(document_stored_name="")
    ]
    for path, sha256 in expected:
        restored.files_checked += 1
        if not path.exists():
            restored.problems.append(f"missing file: {path}")
        elif _sha256(path) != sha256:
            restored.problems.append(f"file does not match its hash: {path}")
    restored.problems += list(Verification().problems())
    return restored
