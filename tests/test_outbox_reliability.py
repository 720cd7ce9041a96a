"""Nothing lost, nothing sent twice: the outbox on real PostgreSQL, a real Redis and real RQ
workers, against an SMS gateway served by the test.

Each test starts a Redis of its own (on a Unix socket, so that stopping it disturbs nobody) and
runs workers as separate processes (``manage.py rqworker``), as production does; the gateway
is a local HTTP server that records every request and, as real gateways do, treats requests
with the same idempotency key as one message.
"""

import datetime
import json
import os
import signal
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rq import Queue
from rq.registry import ScheduledJobRegistry

from gup.private_redis import PrivateRedis
from tests.test_counter_views import filing_data
from workflows import outbox
from workflows.models import Dossier, OutboxMessage, OutboxState

ROOT = Path(__file__).resolve().parent.parent
GATEWAY_SECRET = "reliability-test-secret"
#: Generous: only ever reached when something is broken, never waited for otherwise.
PATIENCE_SECONDS = 120

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(600)]


# --- A Redis of our own -----------------------------------------------------------------------


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path).start()
    with override_settings(RQ_QUEUES=server.queues(), GUP_JOBS_INLINE=False):
        yield server
    server.stop()


# --- A gateway that remembers -----------------------------------------------------------------


class Gateway:
    """Answers each request with the next status of ``script`` (then 200); may hold the first."""

    def __init__(self):
        self.requests = []
        self.script = []
        self.hold_first = False
        self.first_arrived = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with gateway.lock:
                    status = gateway.script.pop(0) if gateway.script else 200
                    gateway.requests.append((self.headers["Idempotency-Key"], body, status))
                    first = len(gateway.requests) == 1
                if first and gateway.hold_first:
                    gateway.first_arrived.set()
                    gateway.release.wait(PATIENCE_SECONDS)
                answer = json.dumps({"id": f"gw-{body['reference']}"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/messages"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def delivered(self) -> dict[str, dict]:
        """The messages delivered to phones: one per idempotency key, successful requests only."""
        return {key: body for key, body, status in self.requests if status < 300}

    def keys(self) -> list[str]:
        return [key for key, _body, _status in self.requests]

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    server = Gateway()
    yield server
    server.close()


# --- Workers, as separate processes -----------------------------------------------------------


def worker_environment(private_redis, gateway) -> dict:
    database = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gup.settings.test",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "REDIS_URL": private_redis.url,
        "GUP_JOBS_INLINE": "false",
        "GUP_SMS_BACKEND": "gup.sms.backends.http_gateway.HttpGatewayBackend",
        "GUP_SMS_GATEWAY_URL": gateway.url,
        "GUP_SMS_GATEWAY_SECRET": GATEWAY_SECRET,
        "GUP_SMS_GATEWAY_TIMEOUT": str(PATIENCE_SECONDS),
        "GUP_OUTBOX_MAX_ATTEMPTS": str(settings.GUP_OUTBOX_MAX_ATTEMPTS),
    }


def start_worker(private_redis, gateway, *, burst: bool) -> subprocess.Popen:
    command = [sys.executable, "manage.py", "rqworker", "notifications"]
    if burst:
        command.append("--burst")
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=worker_environment(private_redis, gateway),
        stdout=subprocess.DEVNULL,
        # A worker that runs on is killed, not drained: nothing would read its output.
        stderr=subprocess.PIPE if burst else subprocess.DEVNULL,
    )


def children_of(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def drain(private_redis, gateway):
    """Run a worker until the notifications queue is empty."""
    worker = start_worker(private_redis, gateway, burst=True)
    _out, errors = worker.communicate(timeout=PATIENCE_SECONDS)
    assert worker.returncode == 0, errors.decode()


def file_at_the_counter(client, clerk, service, commune) -> Dossier:
    client.force_login(clerk)
    response = client.post(reverse("counter_file", args=[service.code]), filing_data(commune))
    assert response.status_code == 302  # filed: the citizen leaves with a number
    return Dossier.objects.get()


def sms_of(dossier) -> OutboxMessage:
    return OutboxMessage.objects.get(dossier=dossier, effect="sms")


# --- The proofs -------------------------------------------------------------------------------


def test_redis_down_at_filing_loses_nothing_and_the_sms_goes_once_redis_is_back(
    client, clerk_gitega, building_permit, commune_gitega, private_redis, gateway, upload_root
):
    private_redis.stop()

    dossier = file_at_the_counter(client, clerk_gitega, building_permit, commune_gitega)

    message = sms_of(dossier)
    assert message.status == OutboxState.PENDING and message.enqueued_at is None
    assert gateway.requests == []

    private_redis.start()
    assert outbox.sweep() >= 1
    drain(private_redis, gateway)
    assert outbox.sweep() == 0  # relayed already: the next sweep finds nothing due
    drain(private_redis, gateway)

    assert gateway.keys() == [str(message.pk)]
    assert dossier.tracking_number in gateway.requests[0][1]["text"]
    message.refresh_from_db()
    assert message.status == OutboxState.DONE and message.attempts == 1


def test_a_worker_killed_while_sending_completes_later_and_the_citizen_gets_one_sms(
    client, clerk_gitega, building_permit, commune_gitega, private_redis, gateway, upload_root
):
    gateway.hold_first = True
    dossier = file_at_the_counter(client, clerk_gitega, building_permit, commune_gitega)
    message = sms_of(dossier)
    assert message.enqueued_at is not None  # relayed at the commit

    worker = start_worker(private_redis, gateway, burst=False)
    arrived = gateway.first_arrived.wait(PATIENCE_SECONDS)
    assert arrived, "the worker never reached the gateway"
    # The worker and the work horse it forked for the job (in a session of its own), mid-send.
    for pid in [*children_of(worker.pid), worker.pid]:
        os.kill(pid, signal.SIGKILL)
    worker.wait(timeout=PATIENCE_SECONDS)
    gateway.release.set()

    message.refresh_from_db()
    assert message.status == OutboxState.RUNNING
    # The lease runs out (the time a live worker would have needed), and the sweeper relays it.
    OutboxMessage.objects.filter(pk=message.pk).update(
        lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert outbox.sweep() == 1
    drain(private_redis, gateway)

    message.refresh_from_db()
    assert message.status == OutboxState.DONE and message.attempts == 2
    # Sent twice over the wire, with one key: the gateway delivered one message.
    assert gateway.keys() == [str(message.pk), str(message.pk)]
    assert len(gateway.delivered()) == 1


@override_settings(GUP_OUTBOX_MAX_ATTEMPTS=8)
def test_a_failing_gateway_is_retried_on_rq_scheduler_with_backoff_then_delivers(
    client, clerk_gitega, building_permit, commune_gitega, private_redis, gateway, upload_root
):
    gateway.script = [503, 503]
    dossier = file_at_the_counter(client, clerk_gitega, building_permit, commune_gitega)
    message = sms_of(dossier)
    queue = Queue("notifications", connection=private_redis.connection())
    registry = ScheduledJobRegistry(queue=queue)

    for attempt, backoff_seconds in ((1, 30), (2, 60)):
        drain(private_redis, gateway)
        message.refresh_from_db()
        assert message.status == OutboxState.PENDING and message.attempts == attempt
        assert "503" in message.last_error
        # The retry waits in RQ's scheduler, due when the outbox says, after the backoff.
        [job_id] = registry.get_job_ids()
        due = registry.get_scheduled_time(job_id)
        assert abs((due - message.available_at).total_seconds()) < 5
        wait = (message.available_at - timezone.now()).total_seconds()
        assert backoff_seconds - 10 < wait <= backoff_seconds
        # Time passes: what RQ's scheduler does when the job is due.
        OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
        registry.remove(job_id)
        queue.enqueue_job(queue.fetch_job(job_id))

    drain(private_redis, gateway)

    message.refresh_from_db()
    assert message.status == OutboxState.DONE and message.attempts == 3
    assert gateway.keys() == [str(message.pk)] * 3
    assert len(gateway.delivered()) == 1


@override_settings(GUP_OUTBOX_MAX_ATTEMPTS=2)
def test_failing_for_good_is_a_dead_letter_an_administrator_sees_and_retries(
    client,
    clerk_gitega,
    building_permit,
    commune_gitega,
    private_redis,
    gateway,
    upload_root,
    administrator,
):
    gateway.script = [503, 503]
    dossier = file_at_the_counter(client, clerk_gitega, building_permit, commune_gitega)
    message = sms_of(dossier)
    queue = Queue("notifications", connection=private_redis.connection())
    registry = ScheduledJobRegistry(queue=queue)

    drain(private_redis, gateway)
    [job_id] = registry.get_job_ids()
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
    registry.remove(job_id)
    queue.enqueue_job(queue.fetch_job(job_id))
    drain(private_redis, gateway)

    message.refresh_from_db()
    assert message.status == OutboxState.DEAD and message.attempts == 2
    client.force_login(administrator)
    dead = client.get("/admin/workflows/outboxmessage/?status__exact=dead").content.decode()
    assert "HTTP 503" in dead or "503" in dead

    client.post(
        "/admin/workflows/outboxmessage/",
        {"action": "retry_dead_letters", "_selected_action": [message.pk]},
    )
    drain(private_redis, gateway)

    message.refresh_from_db()
    assert message.status == OutboxState.DONE
    assert gateway.keys() == [str(message.pk)] * 3
    assert len(gateway.delivered()) == 1
