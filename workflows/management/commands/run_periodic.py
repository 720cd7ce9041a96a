"""Run the periodic jobs now, in this process: where no scheduler runs (the embedded default),
or to catch up by hand. ``manage.py run_periodic [name ...]``; without names, all of them."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the periodic jobs (workflows.schedule) once, now."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="Jobs to run (default: all)")

    def handle(self, *args, names, **options):
        from workflows.schedule import JOBS

        unknown = sorted(set(names) - set(JOBS))
        if unknown:
            raise CommandError(
                f"Unknown job(s): {', '.join(unknown)}. The jobs are: {', '.join(JOBS)}."
            )
        for name in names or JOBS:
            self.stdout.write(f"{name}: {JOBS[name]()}")
