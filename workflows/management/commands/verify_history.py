from django.core.management.base import BaseCommand, CommandError

from workflows.history_chain import broken_links


class Command(BaseCommand):
    help = "Verify the hash chain of every dossier's history; exit 1 if any link is broken."

    def handle(self, *args, **options):
        problems = list(broken_links())
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"The history chain is broken in {len(problems)} place(s).")
        self.stdout.write(self.style.SUCCESS("The history chain is intact."))
