"""The outbox: written with the event, relayed after the commit, run once, retried, or dead.

These tests run jobs inline (the test settings); ``test_outbox_reliability`` runs them on real
workers with a Redis of its own.
"""

import ast
import datetime
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from gup import jobs
from gup.sms.backends import SmsNotSent
from gup.sms.backends import locmem as sms_locmem
from tests.factories import DossierFactory, clock_at
from workflows import outbox
from workflows.actions import perform
from workflows.models import Effect, OutboxMessage, OutboxState
from workflows.states import DossierState as S

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def intake(passport, office_gitega, clerk_gitega):
    """A passport dossier being checked at the Gitega office, the fee not paid yet."""

    def make(**kwargs):
        dossier = DossierFactory(
            state=S.INTAKE, service=passport, office=office_gitega, clerk=clerk_gitega, **kwargs
        )
        # What its filing owed was sent long ago: each test starts from a quiet outbox.
        OutboxMessage.objects.filter(dossier=dossier).update(status=OutboxState.DONE)
        return dossier

    return make


def owed(dossier, effect=Effect.SMS):
    """What the dossier's latest steps owe (its filing's messages are done)."""
    return OutboxMessage.objects.filter(
        dossier=dossier, effect=effect, status__in=[OutboxState.PENDING, OutboxState.RUNNING]
    ).order_by("pk")


class FailingGateway:
    """An SMS gateway that fails ``failures`` times, then accepts (temporary, or for good)."""

    def __init__(self, failures: int, permanent: bool = False):
        self.failures = failures
        self.permanent = permanent
        self.calls = []

    def send(self, sms):
        self.calls.append(sms.idempotency_key)
        if len(self.calls) <= self.failures:
            raise SmsNotSent("gateway said 503", permanent=self.permanent)
        return sms_locmem.LocMemBackend().send(sms)


@pytest.fixture
def gateway(monkeypatch):
    def install(failures, permanent=False):
        fake = FailingGateway(failures, permanent)
        monkeypatch.setattr("workflows.notifications.get_backend", lambda: fake)
        return fake

    return install


# --- Written with the event, relayed after the commit -------------------------------------------


@pytest.mark.django_db
def test_an_event_owes_its_messages_in_its_own_transaction(
    intake, clerk_gitega, django_capture_on_commit_callbacks, sms_outbox
):
    dossier = intake(applicant_email="aline@example.bi")

    with django_capture_on_commit_callbacks() as relayed:
        perform(dossier.pk, "request_payment", clerk_gitega)
        messages = list(owed(dossier)) + list(owed(dossier, Effect.EMAIL))
        # Written, but nothing sent before the commit.
        assert [m.topic for m in messages] == ["payment_requested", "payment_requested"]
        assert sms_outbox == []

    assert len(relayed) == 2
    for relay in relayed:
        relay()
    assert [sms.to for sms in sms_outbox] == [dossier.applicant_phone]
    assert {m.status for m in OutboxMessage.objects.filter(dossier=dossier)} == {"done"}


@pytest.mark.django_db
def test_a_rolled_back_event_owes_nothing(intake, clerk_gitega, sms_outbox):
    dossier = intake()
    before = OutboxMessage.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        perform(dossier.pk, "request_payment", clerk_gitega)
        raise RuntimeError("the request failed after the event")

    assert OutboxMessage.objects.count() == before
    assert sms_outbox == []


def test_enqueue_refuses_inside_an_open_transaction(transactional_db):
    with pytest.raises(jobs.EnqueueInsideTransaction), transaction.atomic():
        jobs.enqueue("default", "workflows.outbox.sweep")


@pytest.mark.django_db
def test_enqueue_runs_after_the_commit_and_refuses_unknown_queues(
    django_capture_on_commit_callbacks,
):
    ran = []
    with django_capture_on_commit_callbacks(execute=True):
        transaction.on_commit(lambda: ran.append(jobs.enqueue("default", "workflows.outbox.sweep")))
    assert ran == [None]
    with pytest.raises(ValueError, match="Unknown queue"):
        jobs.enqueue("urgent", "workflows.outbox.sweep")


ENQUEUING = {"enqueue", "enqueue_in", "enqueue_at", "enqueue_call", "enqueue_many", "delay"}
#: What can put a job on a queue, if imported from RQ or django-rq.
QUEUEING_NAMES = {"Queue", "get_queue", "enqueue", "job"}
#: gup.jobs is the helper; RQ's cron registry and the benchmark's private queues are RQ's own.
MAY_IMPORT_QUEUES = {
    ROOT / "gup" / "jobs.py",
    ROOT / "workflows" / "schedule.py",
    ROOT / "workflows" / "outbox_benchmark.py",
}


def test_nothing_but_the_one_helper_enqueues():
    """Every job goes through gup.jobs.enqueue, which refuses an open transaction."""
    offences = []
    for folder in ("gup", "services", "workflows"):
        for path in (ROOT / folder).rglob("*.py"):
            if path in MAY_IMPORT_QUEUES:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
                called = getattr(node, "func", None)
                name = getattr(called, "attr", None) or getattr(called, "id", None)
                owner = getattr(getattr(called, "value", None), "id", None)
                if isinstance(node, ast.Call) and name in ENQUEUING and owner != "jobs":
                    offences.append(f"{where} calls {name}()")
                if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
                    "rq",
                    "django_rq",
                ):
                    imported = {alias.name for alias in node.names}
                    if imported & QUEUEING_NAMES:
                        offences.append(f"{where} imports {', '.join(sorted(imported))}")
                if isinstance(node, ast.Import) and any(
                    alias.name.split(".")[0] in ("rq", "django_rq") for alias in node.names
                ):
                    offences.append(f"{where} imports RQ whole")
    assert offences == []


# --- Run once, retried with backoff, or dead -----------------------------------------------------


@pytest.mark.django_db
def test_running_a_message_again_sends_nothing_twice(
    intake, clerk_gitega, sms_outbox, document_root
):
    dossier = intake()
    with transaction.atomic():
        perform(dossier.pk, "request_payment", clerk_gitega)
    message = owed(dossier).get()
    outbox.run(message.pk)
    outbox.run(message.pk)

    assert len(sms_outbox) == 1
    assert sms_outbox[0].idempotency_key == str(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxState.DONE and message.attempts == 1


@pytest.mark.django_db
def test_a_message_another_worker_holds_is_left_alone(intake, clerk_gitega, sms_outbox):
    dossier = intake()
    with transaction.atomic():
        perform(dossier.pk, "request_payment", clerk_gitega)
    message = owed(dossier).get()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxState.RUNNING, lease_until=timezone.now() + datetime.timedelta(minutes=5)
    )

    outbox.run(message.pk)

    assert sms_outbox == []


@pytest.mark.django_db
@override_settings(GUP_OUTBOX_MAX_ATTEMPTS=4, GUP_OUTBOX_FIRST_BACKOFF_SECONDS=30)
def test_a_failing_gateway_is_retried_with_a_doubling_backoff_then_delivers(
    intake, clerk_gitega, gateway, sms_outbox
):
    fake = gateway(failures=2)
    dossier = intake()
    with transaction.atomic():
        perform(dossier.pk, "request_payment", clerk_gitega)
    message = owed(dossier).get()
    start = timezone.now()

    waits = []
    for attempt in range(3):
        moment = start + sum(waits, datetime.timedelta())
        with clock_at(moment):
            outbox.run(message.pk)
        message.refresh_from_db()
        if message.status == OutboxState.PENDING:
            waits.append(message.available_at - moment)
            # Not before its time: a run relayed early does nothing.
            with clock_at(moment):
                outbox.run(message.pk)
            assert len(fake.calls) == attempt + 1

    assert waits == [datetime.timedelta(seconds=30), datetime.timedelta(seconds=60)]
    assert message.status == OutboxState.DONE and message.attempts == 3
    assert fake.calls == [str(message.pk)] * 3  # the same idempotency key each time
    assert len(sms_outbox) == 1


@pytest.mark.django_db
@override_settings(GUP_OUTBOX_MAX_ATTEMPTS=3, GUP_OUTBOX_FIRST_BACKOFF_SECONDS=1)
def test_failing_for_good_makes_a_dead_letter_that_can_be_retried(
    intake,
    clerk_gitega,
    gateway,
    sms_outbox,
    client,
    administrator,
    django_capture_on_commit_callbacks,
):
    fake = gateway(failures=3)
    dossier = intake()
    with transaction.atomic():
        perform(dossier.pk, "request_payment", clerk_gitega)
    message = owed(dossier).get()
    moment = timezone.now()
    for _attempt in range(3):
        moment += datetime.timedelta(hours=1)
        with clock_at(moment):
            outbox.run(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxState.DEAD and message.attempts == 3
    assert "gateway said 503" in message.last_error

    client.force_login(administrator)
    client.cookies["django_language"] = "en"
    listing = client.get("/admin/workflows/outboxmessage/?status__exact=dead")
    assert listing.status_code == 200
    assert "gateway said 503" in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/workflows/outboxmessage/",
            {"action": "retry_dead_letters", "_selected_action": [message.pk]},
            follow=True,
        )
    assert "1 dead letter will be tried again." in response.content.decode()

    message.refresh_from_db()
    assert message.status == OutboxState.DONE  # relayed after the admin's commit, inline
    assert len(fake.calls) == 4 and len(sms_outbox) == 1


@pytest.mark.django_db
def test_a_refusal_that_retrying_cannot_fix_is_dead_at_once(intake, clerk_gitega, gateway):
    fake = gateway(failures=1, permanent=True)
    dossier = intake()
    with transaction.atomic():
        perform(dossier.pk, "request_payment", clerk_gitega)
    message = owed(dossier).get()

    outbox.run(message.pk)

    message.refresh_from_db()
    assert message.status == OutboxState.DEAD and message.attempts == 1
    assert len(fake.calls) == 1


@pytest.mark.django_db
def test_administrators_never_see_a_secret_in_the_outbox(client, administrator, clerk_gitega):
    with transaction.atomic():
        message = outbox.write(
            Effect.SMS,
            topic="one_time_code",
            recipient="+25779123456",
            language="fr",
            secrets={"code": "493817"},
        )
    assert "493817" not in message.sealed_secrets

    client.force_login(administrator)
    page = client.get(f"/admin/workflows/outboxmessage/{message.pk}/change/").content.decode()
    listing = client.get("/admin/workflows/outboxmessage/").content.decode()

    for html in (page, listing):
        assert "493817" not in html and message.sealed_secrets not in html
        assert "+25779123456" not in html
    assert "+257 79 ** ** 56" in listing
    client.force_login(clerk_gitega)
    assert client.get("/admin/workflows/outboxmessage/").status_code == 302
    assert client.get("/admin/rq/").status_code == 302


@pytest.mark.django_db
def test_the_rq_dashboard_is_for_administrators(client, administrator):
    client.force_login(administrator)
    page = client.get("/admin/rq/")
    assert page.status_code == 200
    for queue in jobs.QUEUES:
        assert queue in page.content.decode()


# --- The sweeper --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweeper_relays_what_was_never_queued_and_what_a_dead_worker_held(
    intake, clerk_gitega, sms_outbox
):
    dossier = intake()
    with transaction.atomic():  # never relayed: as if Redis had been down at the commit
        perform(dossier.pk, "request_payment", clerk_gitega)
        held = outbox.write(
            Effect.SMS, topic="one_time_code", recipient="+25779000001", secrets={"code": "123456"}
        )
    OutboxMessage.objects.filter(pk=held.pk).update(
        status=OutboxState.RUNNING,
        attempts=1,
        lease_until=timezone.now() + datetime.timedelta(minutes=10),
    )

    assert outbox.sweep() == 1  # the held one's worker may still be alive
    assert [sms.to for sms in sms_outbox] == [dossier.applicant_phone]

    with clock_at(timezone.now() + datetime.timedelta(minutes=11)):  # its lease is over
        assert outbox.sweep() == 1
    assert [sms.to for sms in sms_outbox] == [dossier.applicant_phone, "+25779000001"]
    with clock_at(timezone.now() + datetime.timedelta(days=1)):
        assert outbox.sweep() == 0


def test_production_is_warned_when_jobs_would_run_in_the_web_process(settings):
    from gup.checks import jobs_run_on_workers

    settings.GUP_JOBS_INLINE = True
    assert [problem.id for problem in jobs_run_on_workers(None)] == ["gup.W006"]
    settings.GUP_JOBS_INLINE = False
    assert jobs_run_on_workers(None) == []
