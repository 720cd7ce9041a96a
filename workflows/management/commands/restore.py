from django.core.management.base import BaseCommand, CommandError

from workflows import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database and storage "
        "folders, which must be empty; then check every file's SHA-256 and every history chain. "
        "Exits 1 on any problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup's folder.")

    def handle(self, *args, folder, **options):
        try:
            restored = backups.restore(folder)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        for problem in restored.problems:
            self.stderr.write(problem)
        if restored.problems:
            raise CommandError(f"Restored, but {len(restored.problems)} problem(s) found.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {restored.dossiers} dossiers; {restored.files_checked} files match "
                "their hashes; every history chain holds."
            )
        )
