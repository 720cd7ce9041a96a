"""What ``manage.py bench_outbox`` measures: how fast one worker sends the SMS GUP owes, and
that the citizen at the counter never waits for one.

Nothing runs on a database or a Redis someone uses:

- a scratch PostgreSQL database, ``gup_bench_outbox_<pid>``, made and migrated as a test
  database is, loaded with the map, the catalogue and the demo accounts, and dropped at the end
  whatever happens (an error, Ctrl-C, SIGTERM);
- a Redis of its own on a Unix socket (``gup.private_redis``), for the queues and the cache;
- a temporary folder for the uploads, the documents and what the SMS console backend writes.

The data is realistic: a few hundred dossiers filed at the counters of Gitega and Ngozi over
two years, most of them finished long ago (collected, rejected, withdrawn), the others on their
way, each walked through the real events (``workflows.actions.perform``) with the clock set
back. They have their histories, attachments, payments and scheduled steps, and the outbox rows
of every message their events caused, marked sent long ago as they would be by now.

Two measurements, each against a floor taken in the same run:

1. **The drain.** N SMS are owed through the outbox's seam (``outbox.write``, in transactions
   of ``OWED_PER_TRANSACTION``, relayed to the queue when each commits), then one worker drains
   the notifications queue: ``manage.py rqworker notifications --burst``, the forking worker
   production runs, as a process of its own (``_Worker``). It is timed by its jobs' own clocks,
   from the first job's start to the last one's: whole cycles of dequeuing, forking, sending
   and recording, and not the process starting. The floor: the same worker draining N jobs
   that do nothing (``FLOOR_JOB``), enqueued through ``gup.jobs.enqueue``: what RQ itself costs
   a job (a fork and a few Redis round trips). The two take turns in rounds, after a warm-up
   batch of each. Afterwards every message must be done after exactly one attempt, and the
   console backend must have written exactly as many SMS as were owed.
2. **The filing POST** at the counter, through Django's test client as the demo clerk of
   Gitega, with two small attachments: with Redis up (the messages are queued, not run), with
   Redis down (the queues point at a socket that does not exist: the relay fails at once and
   the messages wait for the sweeper), and without an outbox at all (``effects.declare`` does
   nothing): the floor. The modes take turns, round after round, in a rotating order, so that a
   busy machine slows them alike. Afterwards, no SMS may have been sent, and every filing made
   with an outbox must owe its SMS.

What is written while measuring (log lines, the console SMS) is written as in production, but
to files rather than the terminal: the cost of writing is part of what is measured; the SMS
written are counted afterwards.
"""

import contextlib
import datetime
import io
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from unittest import mock
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, F, Q
from django.test import Client, override_settings
from django.test.client import encode_multipart
from django.urls import reverse
from django.utils import timezone

# Read only (how many jobs wait, when each ran): nothing here enqueues but gup.jobs.enqueue.
from rq.job import Job
from rq.queue import Queue

from gup import jobs
from gup.accounts.models import User
from gup.private_redis import PrivateRedis
from gup.roles import Role
from gup.sms.backends.console import SEPARATOR
from services.models import Office, Service
from workflows import messages, outbox
from workflows.actions import perform
from workflows.calendar import OFFICE_TIME_ZONE
from workflows.deadlines import is_working_day
from workflows.documents.benchmark import percentile
from workflows.models import (
    Attachment,
    DeliveryStatus,
    Dossier,
    Effect,
    HistoryEntry,
    OutboxMessage,
    OutboxState,
    PaymentMethod,
)
from workflows.sample_data import (
    FIRST_NAMES,
    LAST_NAMES,
    answers_for,
    file_for,
    inspected_file_for,
    route_to_decision,
)
from workflows.states import INSTITUTION_STEPS, DossierState

DATABASE_PREFIX = "gup_bench_outbox_"
QUEUE = "notifications"
CONSOLE_BACKEND = "gup.sms.backends.console.ConsoleBackend"
#: Messages owed per transaction when the drain's backlog is written.
OWED_PER_TRANSACTION = 100
#: The drain and its floor take turns in this many rounds.
DRAIN_ROUNDS = 4
#: The floor's job: a function that does nothing, already imported by every worker, so that
#: the floor is RQ's own cost (a fork, a few Redis round trips) and nothing else.
FLOOR_JOB = "os.getpid"
#: Seconds a worker may take beyond one per job: only ever reached when something is broken.
WORKER_PATIENCE_SECONDS = 300
#: The filing POST's service: the most common walk-in request, with two attachments.
FILING_SERVICE = "laissez-passer"
FILING_CLERK = "clerk.gitega"
MODES = ("redis_up", "redis_down", "no_outbox")
MODE_LABELS = {
    "redis_up": "Redis up (SMS queued)",
    "redis_down": "Redis down (SMS waits)",
    "no_outbox": "no outbox (floor)",
}


class NotPostgreSQL(RuntimeError):
    """The figures only mean something on the database production runs."""


class BenchmarkFailed(RuntimeError):
    """A check made after measuring failed: the figures would describe something broken."""


def drain_warmup(messages_count: int) -> int:
    """The warm-up batch before the drain: a tenth of it, between 10 and 100 messages."""
    return min(100, max(10, messages_count // 10))


# --- The whole run ------------------------------------------------------------------------------


def run(
    *,
    messages_count: int,
    posts: int,
    warmup: int,
    dossiers: int,
    drain_rounds: int = DRAIN_ROUNDS,
    say: Callable[[str], None] = lambda line: None,
    seed: int = 2026,
) -> dict:
    """Build the scratch world, measure, check, tear it all down; the figures as a dict."""
    load_before = _load()
    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="gup-bench-outbox-")))
        database = stack.enter_context(scratch_database(say))
        redis_server = stack.enter_context(_private_redis(folder, say))
        stack.enter_context(_environment(folder, redis_server))
        started = time.perf_counter()
        data = build(dossiers, random.Random(seed), say)
        data["seconds"] = round(time.perf_counter() - started, 1)
        say(
            f"Built {data['dossiers']} dossiers ({data['finished']} finished) with "
            f"{data['history_rows']:,} history rows in {data['seconds']} s."
        )
        # What the console backend writes: in the workers, and here if anything sent an SMS
        # during a filing POST. Opened for appending, so that every writer adds to the end.
        capture = folder / "console-sms.txt"
        stream = stack.enter_context(capture.open("a"))
        stack.enter_context(contextlib.redirect_stdout(stream))
        worker = _Worker(folder, redis_server, stream)
        with open(os.devnull, "w") as devnull, _logs_into(devnull):
            drain = measure_drain(messages_count, drain_rounds, worker, capture, say)
            filing = measure_filing(posts, warmup, folder, capture, worker.queue, say)
    return {
        "database": database,
        "machine": {"cpus": os.cpu_count(), "load_average": load_before, "load_after": _load()},
        "data": data,
        "drain": drain,
        "posts": posts,
        "warmup": warmup,
        "filing_post_ms": filing,
    }


def _load() -> float:
    """The machine's load average over the last minute: figures taken on a busy machine say so."""
    return round(os.getloadavg()[0], 1)


@contextlib.contextmanager
def scratch_database(say) -> Iterator[str]:
    """A PostgreSQL database of our own, migrated, and dropped at the end whatever happens."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        raise NotPostgreSQL(
            f"The database is {connection.vendor}: the figures only mean something on "
            f"PostgreSQL, which production runs. Set DATABASE_URL to a PostgreSQL server."
        )
    settings_dict = connection.settings_dict
    original_name = settings_dict["NAME"]
    original_test = dict(settings_dict.get("TEST") or {})
    name = f"{DATABASE_PREFIX}{os.getpid()}"
    settings_dict["TEST"] = {**original_test, "NAME": name}
    try:
        say(f"Creating the scratch database {name} (migrations)...")
        # What the test runner does: the configured database is never opened, only its server.
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        yield name
    finally:
        connections.close_all()
        settings_dict["NAME"] = original_name
        settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"] = original_name
        settings_dict["TEST"] = original_test
        _drop(connection, name)
        say(f"Dropped the scratch database {name}.")


def _drop(connection, name: str) -> None:
    """Drop ``name`` if it exists, even while a connection of a killed worker lingers on it
    (``FORCE``: PostgreSQL 13 and later; Django 5.2 needs 14)."""
    # The maintenance connection Django's own test database teardown uses.
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


@contextlib.contextmanager
def _private_redis(folder: Path, say) -> Iterator[PrivateRedis]:
    server = PrivateRedis(folder).start()
    say(f"Started a private Redis on {server.socket}.")
    try:
        yield server
    finally:
        server.stop()


def _queues(url: str) -> dict:
    """``RQ_QUEUES`` for every queue at ``url``, with production's timeouts (a Redis that does not
    answer must not hold a request) and its job timeouts."""
    url = f"{url}&socket_connect_timeout=2&socket_timeout=5"
    return {
        name: {"URL": url, "DEFAULT_TIMEOUT": settings.RQ_QUEUES[name]["DEFAULT_TIMEOUT"]}
        for name in jobs.QUEUES
    }


@contextlib.contextmanager
def _environment(folder: Path, redis_server: PrivateRedis):
    cache_url = redis_server.url.replace("db=0", "db=1")
    with override_settings(
        DEBUG=False,  # no query log in memory, as in production
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        RQ_QUEUES=_queues(redis_server.url),
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": cache_url,
            }
        },
        GUP_JOBS_INLINE=False,
        GUP_SMS_BACKEND=CONSOLE_BACKEND,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        UPLOAD_ROOT=folder / "uploads",
        DOCUMENT_ROOT=folder / "documents",
    ):
        yield


@contextlib.contextmanager
def _logs_into(stream):
    """Every log line still formatted and written, but into ``stream``."""
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    handlers = {
        handler
        for logger in loggers
        for handler in getattr(logger, "handlers", ())
        if isinstance(handler, logging.StreamHandler)
        and not isinstance(handler, logging.FileHandler)
    }
    before = {handler: handler.stream for handler in handlers}
    for handler in handlers:
        handler.setStream(stream)
    try:
        yield
    finally:
        for handler, original in before.items():
            handler.setStream(original)


# --- Realistic data -----------------------------------------------------------------------------

#: The share of dossiers finished long ago, and how they ended.
FINISHED_SHARE = 0.8
ENDINGS = (("collected", 85), ("closed", 10), ("withdrawn", 5))
FINISHED_STATES = (DossierState.COLLECTED, DossierState.CLOSED, DossierState.WITHDRAWN)
#: Filed over the last two years, the finished ones at least five months ago (time enough for
#: a public notice and an inspection), the dossiers still open in the last weeks.
HISTORY_DAYS = 730
FINISHED_BEFORE_DAYS = 150
RECENT_DAYS = 45
#: The services filed at the counters, the most common first, and the offices.
SERVICE_WEIGHTS = {"laissez-passer": 40, "passport": 25, "building-permit": 20, "land-title": 15}
OFFICE_CLERKS = {"GIT": "clerk.gitega", "NGO": "clerk.ngozi"}
OFFICE_WEIGHTS = {"GIT": 60, "NGO": 40}
PHONE_PREFIXES = ("79", "71", "72", "61", "68", "69")
LANGUAGES = (("rn", 70), ("fr", 25), ("en", 5))
#: The steps the institution's officer takes; the office's clerk takes the others, answering
#: for the citizen too (a counter dossier has no citizen account).
COMMENTS = {
    "return_for_correction": "La copie de la carte d'identité est illisible : apportez une copie "
    "lisible des deux faces.",
    "resubmit": "Copie lisible apportée au guichet.",
    "request_information": "Précisez la date de votre dernier voyage et le numéro de votre "
    "ancien passeport, si vous en avez eu un.",
    "provide_information": "Dernier voyage à Kigali en mars 2024 ; aucun passeport.",
    "record_inspection": "Le terrain correspond aux plans.",
    "close_public_notice": "Aucune opposition reçue.",
    "approve": "Dossier complet et conforme.",
    "reject": "La parcelle se trouve dans une zone humide protégée.",
    "withdraw": "Le citoyen n'a plus besoin du document.",
}


@dataclass
class _Plan:
    service: Service
    office: Office
    filed_at: datetime.datetime
    steps: list[str]


class _Clock:
    """The time the events see while the history is written: set back, then moved forward."""

    def __init__(self):
        self.moment = timezone.now()

    def now(self) -> datetime.datetime:
        return self.moment


def build(count: int, rng: random.Random, say) -> dict:
    """Load the catalogue and the demo accounts, and walk ``count`` dossiers through their lives."""
    # A scratch database: the demo accounts' public password harms nobody here.
    call_command(
        "load_demo", allow_production=True, no_dossiers=True, stdout=io.StringIO(), verbosity=0
    )
    services = {service.code: service for service in Service.objects.all()}
    offices = {office.code: office for office in Office.objects.filter(code__in=OFFICE_CLERKS)}
    staff = _Staff.load()
    real_now = timezone.now()
    plans = sorted(
        (_plan(services, offices, rng, real_now) for _ in range(count)),
        key=lambda plan: plan.filed_at,
    )
    say(f"Walking {count} dossiers through their events...")
    clock = _Clock()
    # Never relayed: what these events owed went out long ago (marked so below).
    with mock.patch("django.utils.timezone.now", clock.now), mock.patch.object(outbox, "relay"):
        for number, plan in enumerate(plans):
            _walk(plan, number, staff, clock, rng, real_now)
    _sent_long_ago()
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum would have done by now
    finished = Dossier.objects.filter(state__in=FINISHED_STATES).count()
    return {
        "dossiers": count,
        "finished": finished,
        "history_rows": HistoryEntry.objects.count(),
        "attachments": Attachment.objects.count(),
        "outbox_rows": OutboxMessage.objects.count(),
    }


@dataclass
class _Staff:
    """The demo staff who take the steps: by office id, the clerks; by institution id, the
    officers."""

    clerks: dict[int, User]
    officers: dict[int, User]

    @classmethod
    def load(cls) -> "_Staff":
        clerks = User.objects.filter(username__in=OFFICE_CLERKS.values())
        clerks = {user.office_id: user for user in clerks}
        officers = {}
        for user in User.objects.filter(role=Role.OFFICER).order_by("username"):
            officers.setdefault(user.institution_id, user)
        return cls(clerks, officers)

    def actor(self, dossier, step) -> User:
        if step in INSTITUTION_STEPS:
            return self.officers[dossier.institution_id]
        return self.clerks[dossier.office_id]


def _weighted(rng: random.Random, weights) -> str:
    choices, values = zip(*dict(weights).items(), strict=True)
    return rng.choices(choices, values)[0]


def _plan(services, offices, rng: random.Random, real_now) -> _Plan:
    service = services[_weighted(rng, SERVICE_WEIGHTS)]
    office = offices[_weighted(rng, OFFICE_WEIGHTS)]
    if rng.random() < FINISHED_SHARE:
        ending = _weighted(rng, ENDINGS)
        steps = _route(service, rng, ending)
        days_ago = rng.uniform(FINISHED_BEFORE_DAYS, HISTORY_DAYS)
        filed_at = real_now - datetime.timedelta(days=days_ago)
    else:
        ending = "closed" if rng.random() < 0.1 else "collected"
        route = _route(service, rng, ending)
        steps = route[: rng.randrange(len(route))]  # on its way: never the last step
        filed_at = real_now - datetime.timedelta(days=rng.uniform(1, RECENT_DAYS))
    return _Plan(service, office, _office_hours(filed_at, rng), steps)


def _route(service: Service, rng: random.Random, ending: str) -> list[str]:
    """The steps of a counter dossier's life, from intake to ``ending``."""
    steps = []
    if rng.random() < 0.15:
        steps += ["return_for_correction", "resubmit", "start_intake"]
    if ending == "withdrawn":
        return [*steps, "withdraw"]
    steps += route_to_decision(service, asks_for_information=rng.random() < 0.2)
    if ending == "closed":
        return [*steps, "reject", "notify_rejection"]
    return [*steps, "approve", "issue", "dispatch", "hand_over"]


def _office_hours(moment: datetime.datetime, rng: random.Random) -> datetime.datetime:
    """``moment``, or the next working morning if the office is closed then."""
    local = moment.astimezone(OFFICE_TIME_ZONE)
    if is_working_day(local.date()) and 8 <= local.hour < 15:
        return local
    day = local.date() + datetime.timedelta(days=0 if local.hour < 8 else 1)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    start = datetime.datetime.combine(day, datetime.time(8), tzinfo=OFFICE_TIME_ZONE)
    return start + datetime.timedelta(minutes=rng.randrange(6 * 60))


def _slot_after(moment: datetime.datetime, days: int) -> datetime.datetime:
    """10:00 on a working day at least ``days`` after ``moment``: a time the calendar accepts."""
    day = moment.astimezone(OFFICE_TIME_ZONE).date() + datetime.timedelta(days=days)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=OFFICE_TIME_ZONE)


def _walk(plan: _Plan, number: int, staff: _Staff, clock: _Clock, rng, real_now) -> None:
    clock.moment = plan.filed_at
    service = plan.service
    dossier = perform(
        None,
        "filed_at_counter",
        staff.clerks[plan.office.pk],
        filing_key=uuid.uuid4(),
        service=service,
        applicant=_applicant(plan.office, number, rng),
        answers=answers_for(service, number, timezone.localdate()),
        documents={
            document: inspected_file_for(document)
            for document in service.documents.order_by("position")
            if document.mandatory
        },
    )
    slot = None
    for step in plan.steps:
        if step in ("record_inspection", "record_attendance"):
            moment = slot + datetime.timedelta(hours=2)
        elif step == "close_public_notice":
            moment = _office_hours(
                clock.moment + datetime.timedelta(days=service.public_notice_days + 1), rng
            )
        else:
            moment = _office_hours(clock.moment + datetime.timedelta(days=rng.uniform(0.2, 3)), rng)
        if moment >= real_now:
            return  # the rest of its life has not happened yet
        clock.moment = moment
        inputs = {"comment": COMMENTS.get(step, "")}
        if step == "record_payment":
            inputs.update(_payment(dossier, number))
        if step == "hand_over":
            inputs.update(collector="applicant", national_id=dossier.applicant_national_id)
        if step in ("schedule_inspection", "give_appointment"):
            slot = _slot_after(moment, rng.randint(3, 10))
            inputs.update(
                scheduled_for=slot,
                place=f"{plan.office.name}, guichet 2",
                what_to_bring="La carte nationale d'identité originale",
            )
        dossier = perform(
            dossier.pk, step, staff.actor(dossier, step), expected_state=dossier.state, **inputs
        )


def _applicant(office: Office, number: int, rng: random.Random) -> dict:
    commune = office.commune or office.province.communes.first()
    return {
        "applicant_first_name": rng.choice(FIRST_NAMES),
        "applicant_last_name": rng.choice(LAST_NAMES),
        "applicant_national_id": f"{rng.randrange(1000, 9999)}/{number:03d}.{rng.randrange(1000)}",
        "applicant_birth_date": datetime.date(rng.randint(1950, 2005), rng.randint(1, 12), 14),
        "applicant_phone": f"+257{rng.choice(PHONE_PREFIXES)}{number % 1_000_000:06d}",
        "applicant_email": "",
        "applicant_commune": commune,
        "language": _weighted(rng, LANGUAGES),
    }


def _payment(dossier, number: int) -> dict:
    due = (dossier.service.fee_bif or 0) - dossier.total_paid()
    if number % 3:
        # A mobile-money reference is accepted once in the whole database.
        reference = f"LC{number:013d}"
        return {"method": PaymentMethod.LUMICASH, "reference": reference, "amount_bif": due}
    return {"method": PaymentMethod.CASH, "amount_bif": due}


def _sent_long_ago() -> None:
    """The messages the history owed went out long ago: done, a few seconds after each event."""
    OutboxMessage.objects.update(
        status=OutboxState.DONE,
        attempts=1,
        enqueued_at=F("created_at"),
        finished_at=F("created_at") + datetime.timedelta(seconds=4),
        sealed_secrets="",
    )
    OutboxMessage.objects.filter(effect=Effect.SMS).update(
        delivery_status=DeliveryStatus.DELIVERED,
        delivery_reported_at=F("created_at") + datetime.timedelta(seconds=30),
    )


# --- The drain ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Notified:
    """A dossier and the last event of its life its applicant was told about."""

    dossier: Dossier
    entry: HistoryEntry
    topic: str


def _notified_dossiers() -> list[_Notified]:
    kinds = [kind for kind, topic in messages.TOPIC_OF_EVENT.items() if topic != "resume_link"]
    entries = (
        HistoryEntry.objects.filter(kind__in=kinds)
        .select_related("dossier")
        .order_by("dossier_id", "-position")
        .distinct("dossier_id")
    )
    return [
        _Notified(entry.dossier, entry, messages.TOPIC_OF_EVENT[entry.kind]) for entry in entries
    ]


def _owe_sms(targets: list[_Notified], count: int, offset: int) -> list[int]:
    """Owe ``count`` SMS through the outbox, as the events do; relayed at each commit."""
    ids = []
    for start in range(0, count, OWED_PER_TRANSACTION):
        with transaction.atomic():
            for index in range(start, min(count, start + OWED_PER_TRANSACTION)):
                target = targets[(offset + index) % len(targets)]
                message = outbox.write(
                    Effect.SMS,
                    topic=target.topic,
                    recipient=target.dossier.applicant_phone,
                    language=target.dossier.language,
                    dossier=target.dossier,
                    entry=target.entry,
                )
                ids.append(message.pk)
    return ids


def _enqueue_nothing(count: int) -> None:
    for _ in range(count):
        jobs.enqueue(QUEUE, FLOOR_JOB)


class _Worker:
    """``manage.py rqworker notifications --burst`` on the scratch database and the private Redis.

    A process of its own, as in production: its work horses are forked from a parent that has
    done only what a production worker has done before its first job, so whatever a job loads
    lazily (a module, phone number metadata, the URL resolver) is loaded again in every horse,
    as it is in production. Its standard output, where the console backend writes, is the
    capture file; its log lines go to a file, shown if it fails.
    """

    def __init__(self, folder: Path, redis_server: PrivateRedis, stdout):
        database = connections[DEFAULT_DB_ALIAS].settings_dict
        self.queue = notifications_queue(redis_server)
        self.stdout = stdout
        self.log = folder / "worker.log"
        environment = dict(os.environ)
        # Production workers load compiled bytecode. Where writing it next to the sources is
        # turned off (PYTHONDONTWRITEBYTECODE), the workers get a cache of their own instead,
        # filled by the warm-up: otherwise every module a job imports lazily would be compiled
        # again in every work horse, a cost production does not pay.
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        self.environment = {
            **environment,
            "PYTHONPYCACHEPREFIX": str(folder / "bytecode"),
            "DATABASE_URL": database_url(database),
            "REDIS_URL": redis_server.url,
            "GUP_JOBS_INLINE": "false",
            "GUP_SMS_BACKEND": CONSOLE_BACKEND,
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "UPLOAD_ROOT": str(folder / "uploads"),
            "DOCUMENT_ROOT": str(folder / "documents"),
        }

    def drain(self) -> "_Drained":
        """Run the worker until the queue is empty, and time it by its jobs' own clocks."""
        queue = self.queue
        ids = queue.job_ids
        command = [sys.executable, "manage.py", "rqworker", QUEUE, "--burst"]
        started = time.perf_counter()
        with self.log.open("ab") as log:
            try:
                finished = subprocess.run(
                    command,
                    cwd=settings.BASE_DIR,
                    env=self.environment,
                    stdout=self.stdout,
                    stderr=log,
                    timeout=WORKER_PATIENCE_SECONDS + len(ids),
                    check=False,
                )
            except subprocess.TimeoutExpired as error:
                raise BenchmarkFailed(f"The worker ran for too long. {self.tail()}") from error
        wall = time.perf_counter() - started
        if finished.returncode:
            raise BenchmarkFailed(f"The worker exited with {finished.returncode}. {self.tail()}")
        if queue.count:
            raise BenchmarkFailed(f"The worker left {queue.count} jobs queued. {self.tail()}")
        begun = sorted(job.started_at for job in Job.fetch_many(ids, connection=queue.connection))
        return _Drained(len(ids), wall, (begun[-1] - begun[0]).total_seconds())

    def tail(self) -> str:
        lines = self.log.read_text(errors="replace").splitlines()[-15:]
        return "Its last log lines:\n" + "\n".join(lines)


def notifications_queue(redis_server: PrivateRedis) -> Queue:
    """The notifications queue, to read: how many jobs wait, and RQ's records of those run.
    Never to enqueue: every job here goes through ``gup.jobs.enqueue``, as everywhere."""
    return Queue(QUEUE, connection=redis_server.connection())


def database_url(database: dict) -> str:
    """``DATABASE_URL`` for the database Django is connected to (the scratch one)."""
    user = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        user += ":" + quote(database["PASSWORD"], safe="")
    port = f":{database['PORT']}" if database["PORT"] else ""
    options = urlencode(
        {key: value for key, value in (database.get("OPTIONS") or {}).items() if value != ""}
    )
    url = f"postgres://{user}{'@' if user else ''}{quote(database['HOST'] or '', safe='')}"
    return f"{url}{port}/{quote(database['NAME'], safe='')}{'?' + options if options else ''}"


@dataclass(frozen=True)
class _Drained:
    """One worker run: its jobs, its wall-clock seconds (its start and stop included), and the
    seconds from its first job's start to its last job's start: ``jobs - 1`` whole cycles of
    dequeuing, forking, running and recording, and nothing of the process starting."""

    jobs: int
    wall: float
    span: float


def measure_drain(count: int, rounds: int, worker: _Worker, capture: Path, say) -> dict:
    """Owe and drain ``count`` SMS, and ``count`` no-op jobs, in rounds that take turns."""
    targets = _notified_dossiers()
    warm = drain_warmup(count)
    sizes = _split(count, rounds)
    measured, sms, floor, owing = [], [], [], 0.0
    say(f"Warming up: {warm} SMS and {warm} no-op jobs...")
    _owe_sms(targets, warm, offset=0)
    worker.drain()
    _enqueue_nothing(warm)
    worker.drain()
    say(
        f"Owing {count} SMS through the outbox and draining them with one worker, and as many "
        f"no-op jobs, in {len(sizes)} rounds..."
    )
    for number, size in enumerate(sizes):
        # Which goes first alternates: neither always runs on a warmer (or busier) machine.
        if number % 2:
            floor.append(_floor_round(size, worker))
        started = time.perf_counter()
        measured += _owe_sms(targets, size, offset=warm + len(measured))
        owing += time.perf_counter() - started
        sms.append(worker.drain())
        if not number % 2:
            floor.append(_floor_round(size, worker))
    _check_drained(measured, warm + count, capture)
    return {
        "messages": count,
        "warmup": warm,
        "rounds": len(sizes),
        "per_second": _rate(sms),
        "floor_jobs_per_second": _rate(floor),
        "wall_seconds": round(sum(run.wall for run in sms), 2),
        "floor_wall_seconds": round(sum(run.wall for run in floor), 2),
        "owed_and_relayed_per_second": round(count / owing, 1),
    }


def _rate(runs: list[_Drained]) -> float:
    """Jobs per second, by the jobs' own clocks: whole cycles over the time they took."""
    return round(sum(run.jobs - 1 for run in runs) / sum(run.span for run in runs), 1)


def _floor_round(size: int, worker: _Worker) -> _Drained:
    """Enqueue ``size`` jobs that do nothing, and drain them."""
    _enqueue_nothing(size)
    return worker.drain()


def _split(count: int, parts: int) -> list[int]:
    """``count`` (2 or more) in at most ``parts`` nearly equal sizes of 2 or more."""
    parts = max(1, min(parts, count // 2))
    return [count // parts + (1 if index < count % parts else 0) for index in range(parts)]


def _check_drained(ids: list[int], sent: int, capture: Path) -> None:
    unfinished = OutboxMessage.objects.filter(pk__in=ids).exclude(
        status=OutboxState.DONE, attempts=1
    )
    if unfinished.exists():
        example = unfinished.first()
        raise BenchmarkFailed(
            f"{unfinished.count()} of {len(ids)} messages are not done after one attempt, e.g. "
            f"#{example.pk}: {example.status}, {example.attempts} attempts, "
            f"{example.last_error or 'no error'}"
        )
    written = _sms_written(capture)
    if written != sent:
        raise BenchmarkFailed(
            f"The console backend wrote {written} SMS for {sent} messages: some were sent twice "
            f"or not at all."
        )


def _sms_written(capture: Path) -> int:
    sys.stdout.flush()
    return capture.read_text(encoding="utf-8").count(f"\n{SEPARATOR}\n")


# --- The filing POST ----------------------------------------------------------------------------

BOUNDARY = "GupBenchOutboxBoundary"


def _filing_body(service: Service, commune, today: datetime.date) -> tuple[bytes, str]:
    """A counter filing form as a browser sends it, and its filing key."""
    key = str(uuid.uuid4())
    data = {
        "filing-filing_key": key,
        "applicant-applicant_first_name": "Aline",
        "applicant-applicant_last_name": "Ndayishimiye",
        "applicant-applicant_national_id": "0412/345.678",
        "applicant-applicant_birth_date": "1990-05-17",
        "applicant-applicant_phone": "79 12 34 56",
        "applicant-applicant_email": "",
        "applicant-applicant_commune": str(commune.pk),
        "applicant-language": "rn",
    }
    for code, answer in answers_for(service, 0, today).items():
        data[f"answer-{code}"] = str(answer)
    for document in service.documents.all():
        if document.mandatory:
            data[f"document-{document.code}"] = SimpleUploadedFile(*file_for(document))
    return encode_multipart(BOUNDARY, data), key


@contextlib.contextmanager
def _mode(mode: str, down_queues: dict):
    if mode == "redis_down":
        with override_settings(RQ_QUEUES=down_queues):
            yield
    elif mode == "no_outbox":
        with mock.patch("workflows.effects.declare"):
            yield
    else:
        yield


def measure_filing(posts: int, warmup: int, folder: Path, capture: Path, queue, say) -> dict:
    clerk = User.objects.select_related("office__province").get(username=FILING_CLERK)
    service = Service.objects.prefetch_related("fields", "documents").get(code=FILING_SERVICE)
    commune = clerk.office.commune or clerk.office.province.communes.first()
    down_queues = _queues(f"unix://{folder / 'stopped-redis.sock'}?db=0")
    client = Client()
    client.force_login(clerk)
    url = reverse("counter_file", args=[service.code])
    content_type = f"multipart/form-data; boundary={BOUNDARY}"
    timings = {mode: [] for mode in MODES}
    keys = {mode: [] for mode in MODES}
    written_before, queued_before = _sms_written(capture), queue.count
    say(f"Filing {warmup} + {posts} dossiers at the counter in each mode...")
    for round_number in range(warmup + posts):
        shift = round_number % len(MODES)
        for mode in MODES[shift:] + MODES[:shift]:
            body, key = _filing_body(service, commune, timezone.localdate())
            with _mode(mode, down_queues):
                started = time.perf_counter()
                response = client.post(url, body, content_type=content_type, secure=True)
                elapsed = time.perf_counter() - started
            if response.status_code != 302:
                raise BenchmarkFailed(
                    f"The filing POST ({mode}) answered {response.status_code}, not a "
                    f"redirect to the new dossier."
                )
            keys[mode].append(key)
            if round_number >= warmup:
                timings[mode].append(elapsed * 1000)
    _check_filings(keys, written_before, queue.count - queued_before, capture)
    return {
        mode: {
            "p50": round(statistics.median(values), 2),
            "p95": round(percentile(values, 0.95), 2),
        }
        for mode, values in timings.items()
    }


def _check_filings(keys: dict, written_before: int, queued: int, capture: Path) -> None:
    if _sms_written(capture) != written_before:
        raise BenchmarkFailed("An SMS was sent while the citizen waited for the filing POST.")
    for mode, mode_keys in keys.items():
        dossiers = Dossier.objects.filter(filing_key__in=mode_keys).annotate(
            sms=Count("outbox_messages", filter=_sms_filter(mode))
        )
        expected = 0 if mode == "no_outbox" else 1
        wrong = [dossier.tracking_number for dossier in dossiers if dossier.sms != expected]
        if len(dossiers) != len(mode_keys) or wrong:
            raise BenchmarkFailed(
                f"{mode}: {len(dossiers)} dossiers for {len(mode_keys)} POSTs, and these do not "
                f"owe exactly {expected} SMS as they should: {', '.join(wrong) or 'none'}."
            )
    if queued != len(keys["redis_up"]):
        raise BenchmarkFailed(
            f"{queued} SMS jobs were queued for {len(keys['redis_up'])} filings with Redis up."
        )


def _sms_filter(mode: str):
    """With Redis up an SMS is queued at the commit; with Redis down it waits for the sweeper."""
    owed = Q(outbox_messages__effect=Effect.SMS, outbox_messages__status=OutboxState.PENDING)
    if mode == "redis_up":
        return owed & Q(outbox_messages__enqueued_at__isnull=False)
    if mode == "redis_down":
        return owed & Q(outbox_messages__enqueued_at__isnull=True)
    return Q(outbox_messages__effect=Effect.SMS)
