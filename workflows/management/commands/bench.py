"""Time every staff page, /track/ and online filing on the current database; writes nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gup_scale_1m manage.py bench --json

See ``workflows.scale.bench`` and the README's "Measuring at scale".
"""

import json

from django.core.management.base import BaseCommand, CommandError

from workflows.scale.bench import Bench, NothingToMeasure


class Command(BaseCommand):
    help = "Time the staff pages, /track/ and online filing through their URLs (read-only)."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=30)
        parser.add_argument("--warmups", type=int, default=3)
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
        parser.add_argument(
            "--only",
            default="",
            help="Time only the pages whose names begin so (comma-separated), beside the floor.",
        )

    def handle(self, *args, rounds, warmups, json: bool, only: str, **options):
        prefixes = [name.strip() for name in only.split(",") if name.strip()]
        try:
            result = Bench(rounds=rounds, warmups=warmups, only=prefixes).run()
        except NothingToMeasure as error:
            raise CommandError(str(error)) from error
        if json:
            self.stdout.write(_dumps(result))
            return
        floor = result["floor"]
        self.stdout.write(f"{result['dossiers']:,} dossiers, {result['rounds']} rounds")
        self.stdout.write(
            f"{'floor':34} p50 {floor['p50_ms']:7.1f} ms  p95 {floor['p95_ms']:7.1f} ms"
        )
        for name, page in result["pages"].items():
            self.stdout.write(
                f"{name:34} p50 {page['p50_ms']:7.1f} ms  p95 {page['p95_ms']:7.1f} ms"
                f"  {page['queries']:3} queries"
            )


def _dumps(value) -> str:
    return json.dumps(value, indent=1)
