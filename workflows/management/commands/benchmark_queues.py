"""How fast are the queues with many dossiers? Prints figures; changes nothing.

Fills the database with synthetic dossiers inside a transaction, times the counter and review
queues through the real views, and rolls everything back. Run it against PostgreSQL:

    DJANGO_SETTINGS_MODULE=gup.settings.test DATABASE_URL=postgres://postgres@127.0.0.1/gup_bench \\
        manage.py benchmark_queues --dossiers 1000000
"""

import itertools
import random
import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gup.accounts.models import User
from gup.roles import Role
from services.models import Commune, Institution, Office, Service
from workflows.models import Dossier
from workflows.states import DossierState as S
from workflows.tracking import format_tracking_number

STATES = [S.INTAKE, S.FORWARDED, S.IN_REVIEW, S.COLLECTED, S.CLOSED, S.AWAITING_PAYMENT]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the staff queues over N synthetic dossiers (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=200_000)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, dossiers, repeat, **options):
        try:
            with transaction.atomic():
                if not Service.objects.exists():
                    call_command("loaddata", "geography", "catalogue", verbosity=0)
                clerk, officer = self.staff()
                started = time.perf_counter()
                self.fill(dossiers)
                self.stdout.write(
                    f"inserted {dossiers:,} dossiers in {time.perf_counter() - started:.1f} s"
                )
                with connection.cursor() as cursor:
                    cursor.execute(f"ANALYZE {Dossier._meta.db_table}")
                self.measure(clerk, "/counter/?show=to-check", repeat)
                self.measure(clerk, "/counter/?show=all&page=40", repeat)
                self.measure(officer, "/review/?show=to-claim", repeat)
                self.measure(officer, "/review/?show=all&page=40", repeat)
                raise Rollback
        except Rollback:
            self.stdout.write("rolled back: the database is as it was")

    def staff(self):
        office = Office.objects.get(code="GIT")
        institution = Institution.objects.get(code="urbanism")
        clerk = User.objects.create(username="bench.clerk", role=Role.CLERK, office=office)
        officer = User.objects.create(
            username="bench.officer", role=Role.OFFICER, institution=institution
        )
        return clerk, officer

    def fill(self, count):
        offices = list(Office.objects.select_related("province"))
        services = list(Service.objects.all())
        institutions = {
            service.pk: service.routing_rules.first().institution for service in services
        }
        communes = list(Commune.objects.all())
        today = timezone.localdate()
        now = timezone.now()
        sequence = itertools.count(1)
        rng = random.Random(2026)
        batch = []
        for _n in range(count):
            office = rng.choice(offices)
            service = rng.choice(services)
            state = rng.choice(STATES)
            at_institution = state not in (S.INTAKE, S.AWAITING_PAYMENT)
            batch.append(
                Dossier(
                    state=state,
                    tracking_number=format_tracking_number(office.code, 2026, next(sequence)),
                    service=service,
                    office=office,
                    channel="counter",
                    applicant_first_name="Aline",
                    applicant_last_name="Ndayishimiye",
                    applicant_national_id="0412/345.678",
                    applicant_birth_date=today.replace(year=1990),
                    applicant_phone="+25779123456",
                    applicant_commune=rng.choice(communes),
                    institution=institutions[service.pk] if at_institution else None,
                    submitted_at=now,
                    due_date=today + timezone.timedelta(days=rng.randint(-30, 60)),
                )
            )
            if len(batch) == 5000:
                Dossier.objects.bulk_create(batch)
                batch = []
        Dossier.objects.bulk_create(batch)

    def measure(self, user, url, repeat):
        client = Client()
        client.force_login(user)
        timings = []
        for _n in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        self.stdout.write(
            f"{url:32} {user.username:14} median {statistics.median(timings):7.1f} ms"
            f"  max {max(timings):7.1f} ms  {len(queries)} queries"
        )
