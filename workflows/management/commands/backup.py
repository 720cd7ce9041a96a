from django.core.management.base import BaseCommand, CommandError

from workflows import backups


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, one snapshot) and then UPLOAD_ROOT and DOCUMENT_ROOT "
        "into a new folder, with a manifest of SHA-256s (workflows/backups.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A new or empty folder to write the backup into.")

    def handle(self, *args, folder, **options):
        try:
            manifest = backups.backup(folder)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        for name in manifest["missing_at_backup"]:
            self.stderr.write(f"Removed after the snapshot, not in the backup: {name}")
        sizes = ", ".join(
            f"{name} {part['size']} bytes" for name, part in manifest["files"].items()
        )
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}: {sizes}."))
