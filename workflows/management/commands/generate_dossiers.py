"""Add N realistic dossiers to the configured database (PostgreSQL), with their history.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gup_scale_1m \\
        manage.py generate_dossiers --count 1000000 --seed 7

On a freshly migrated database it loads the catalogue first. See ``workflows.scale.generate``.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from workflows.scale.generate import Generator


class Command(BaseCommand):
    help = "Add N dossiers spread like real ones (history, attachments, payments), by COPY."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--batch-size", type=int, default=10_000)
        parser.add_argument(
            "--offices",
            default="",
            help="Comma-separated office codes to file at (default: all). Runs on disjoint "
            "offices may go in parallel: their numbers never collide.",
        )

    def handle(self, *args, count, seed, batch_size, offices, **options):
        if connection.vendor != "postgresql":
            raise CommandError("generate_dossiers writes with COPY: it needs PostgreSQL.")
        if count < 1:
            raise CommandError("--count must be at least 1.")
        started = time.perf_counter()
        codes = [code.strip().upper() for code in offices.split(",") if code.strip()]
        generator = Generator(seed=seed, stdout=self.stdout, office_codes=codes or None)
        try:
            created = generator.run(count, batch_size=batch_size)
        except ValueError as error:
            raise CommandError(str(error)) from error
        figures = ", ".join(f"{n:,} {what}" for what, n in created.items())
        self.stdout.write(f"added {figures} in {time.perf_counter() - started:.0f} s")
