"""One command for a worker machine: an RQ worker on every queue, with RQ's scheduler (for
retries after a backoff), and the cron scheduler of the periodic jobs beside it.

``manage.py run_worker`` (what ``make worker`` runs). Start more workers with
``--without-cron``: one cron scheduler is enough (a second would be harmless, only useless).
"""

import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gup.jobs import QUEUES


class Command(BaseCommand):
    help = "Run an RQ worker on every queue, with the scheduler and the periodic jobs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-cron", action="store_true", help="Do not start the periodic jobs here."
        )
        parser.add_argument("--burst", action="store_true", help="Stop when the queues are empty.")

    def handle(self, *args, without_cron=False, burst=False, **options):
        if settings.GUP_JOBS_INLINE:
            raise CommandError(
                "Jobs run inline (no REDIS_URL, or GUP_JOBS_INLINE=true): there is nothing for "
                "a worker to do. Set REDIS_URL to run workers."
            )
        cron = None
        if not without_cron and not burst:
            cron = subprocess.Popen(
                [sys.executable, sys.argv[0], "rqcron", "workflows.schedule"],
            )
        try:
            call_command("rqworker", *QUEUES, with_scheduler=True, burst=burst)
        finally:
            if cron is not None:
                cron.terminate()
                cron.wait(timeout=30)
