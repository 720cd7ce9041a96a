"""A read replica: reporting reads go to it, writes and everything else stay on the primary.

The test settings declare the alias ``replica`` as a mirror of the test database (a second
connection to the same database), and leave ``GUP_REPORTING_DATABASE`` on ``default``, as when
``DATABASE_REPLICA_URL`` is unset. The tests that switch it to ``replica`` commit their data
(``transaction=True``): the replica's connection cannot see what a test's open transaction wrote,
just as a real replica never sees an uncommitted write.
"""

import os
import subprocess
import sys
import threading

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gup.db_routers import READ_YOUR_WRITES_COOKIE, ReportingRouter, is_reporting, reporting
from gup.settings.databases import databases
from tests.factories import PASSWORD, DossierFactory, UserFactory
from workflows import periodic
from workflows.digest import overdue_for
from workflows.models import Dossier, OutboxMessage
from workflows.states import DossierState

S = DossierState
BOTH = ["default", "replica"]
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def with_replica(settings):
    """As when DATABASE_REPLICA_URL is set."""
    settings.GUP_REPORTING_DATABASE = "replica"


def signed_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    client.cookies["django_language"] = "en"
    return client


class Captured:
    """The SQL each database was sent while the block ran."""

    def __enter__(self):
        self._contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in BOTH}
        for context in self._contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in self._contexts.values():
            context.__exit__(*exc)

    def sql(self, alias) -> list[str]:
        return [query["sql"] for query in self._contexts[alias].captured_queries]

    def touching(self, alias, table) -> list[str]:
        return [sql for sql in self.sql(alias) if f'"{table}"' in sql]

    def writes(self, alias) -> list[str]:
        return [sql for sql in self.sql(alias) if sql.lstrip().upper().startswith(WRITES)]


# --- The router's decisions -------------------------------------------------------------------


def test_only_reads_marked_as_reporting_go_to_the_replica(with_replica):
    dossiers = Dossier.objects.all()
    assert dossiers.db == "default"
    with reporting():
        assert dossiers.all().db == "replica"
        # Sessions are read where they were just written: a fresh sign-in must hold.
        assert Session.objects.all().db == "default"
        # Writes never go to the replica, reporting or not.
        assert ReportingRouter().db_for_write(Dossier) == "default"
    assert dossiers.all().db == "default"


def test_without_a_replica_reporting_reads_stay_on_the_primary():
    with reporting():
        assert Dossier.objects.all().db == "default"


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_reporting_reads_see_the_primary(with_replica):
    """What a transaction wrote, and the rows it locks, are only on the primary."""
    with reporting():
        assert Dossier.objects.all().db == "replica"
        with transaction.atomic():
            assert Dossier.objects.all().db == "default"
        assert Dossier.objects.all().db == "replica"


def test_the_reporting_mark_ends_with_its_block_even_on_error_and_stays_in_its_thread():
    seen_by_other_thread = []
    with pytest.raises(RuntimeError), reporting():
        assert is_reporting()
        other = threading.Thread(target=lambda: seen_by_other_thread.append(is_reporting()))
        other.start()
        other.join()
        raise RuntimeError
    assert not is_reporting()
    assert seen_by_other_thread == [False]

    @reporting()
    def marked():
        return is_reporting()

    assert marked() and marked()  # a decorator: marks each call, and only it
    assert not is_reporting()


def test_the_replica_never_gets_migrations():
    router = ReportingRouter()
    assert router.allow_migrate("default", "workflows")
    assert not router.allow_migrate("replica", "workflows")


# --- The pages and the digest -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_supervisors_statistics_are_read_from_the_replica(
    client, with_replica, supervisor_urbanism, officer_urbanism, building_permit, office_gitega
):
    DossierFactory(in_review=True, service=building_permit, officer=officer_urbanism)
    decided = DossierFactory(approved=True, service=building_permit, officer=officer_urbanism)
    signed_in(client, supervisor_urbanism)

    with Captured() as captured:
        response = client.get(reverse("supervision"))

    assert response.status_code == 200
    workload = {row.name: row.total for row in response.context["workload"].rows}
    assert workload[officer_urbanism.get_full_name() or officer_urbanism.username] == 2
    [median] = response.context["medians"]
    assert median.decisions == 1 and decided.decision is not None
    # Workload, medians and lists: the replica. The primary only served who is asking.
    assert captured.touching("replica", "workflows_dossier")
    assert captured.touching("replica", "workflows_decision")
    assert not captured.touching("default", "workflows_dossier")
    assert not captured.touching("default", "workflows_decision")
    assert captured.touching("default", "django_session")
    assert not captured.touching("replica", "django_session")
    assert captured.writes("replica") == []


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_handing_dossiers_over_from_the_supervisors_page_uses_only_the_primary(
    client, with_replica, supervisor_gitega, clerk_gitega, office_gitega, building_permit
):
    dossier = DossierFactory(submitted=True, service=building_permit, office=office_gitega)
    signed_in(client, supervisor_gitega)

    with Captured() as captured:
        response = client.post(
            reverse("supervision") + "?show=open",
            {"dossier": [dossier.tracking_number], "assignee": clerk_gitega.pk},
        )

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.clerk == clerk_gitega
    assert captured.sql("replica") == []
    assert captured.touching("default", "workflows_historyentry")

    # Sent back to the page, the supervisor sees the hand-over even if the replica lags: for a
    # few seconds this browser reads from the primary; afterwards, from the replica again.
    with Captured() as captured:
        page = client.get(response.url)
    assert "Assigned to" in page.content.decode()
    assert captured.sql("replica") == []
    assert captured.touching("default", "workflows_dossier")
    del client.cookies[READ_YOUR_WRITES_COOKIE]  # as the browser drops it when it expires
    with Captured() as captured:
        client.get(response.url)
    assert captured.touching("replica", "workflows_dossier")


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_auditors_list_is_read_from_the_replica(client, with_replica, auditor, passport):
    dossier = DossierFactory(submitted=True, service=passport)
    signed_in(client, auditor)

    with Captured() as captured:
        listed = client.get(reverse("audit_dossiers"))
        found = client.get(reverse("audit_dossiers"), {"number": dossier.tracking_number})

    assert dossier.pk in {row["id"] for row in listed.context["page"].rows}
    assert found.status_code == 302 and dossier.tracking_number in found.url
    assert captured.touching("replica", "workflows_dossier")
    assert not captured.touching("default", "workflows_dossier")
    assert captured.writes("replica") == []


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_daily_digest_reads_from_the_replica_and_writes_its_email_on_the_primary(
    with_replica, office_gitega, passport, mailoutbox
):
    clerk = UserFactory(clerk=True, office=office_gitega, email="clerk@example.org")
    late = DossierFactory(intake=True, office=office_gitega, service=passport, clerk=clerk)
    Dossier.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timezone.timedelta(1))

    with Captured() as captured:
        assert overdue_for(clerk) == [late]
        assert periodic.send_overdue_digests() == 1

    assert captured.touching("replica", "workflows_dossier")
    assert captured.writes("replica") == []
    assert [sql for sql in captured.writes("default") if "workflows_outboxmessage" in sql]
    assert OutboxMessage.objects.filter(topic="overdue_digest", user=clerk).exists()
    assert late.tracking_number in mailoutbox[-1].body


@pytest.mark.django_db(databases=BOTH)
def test_without_a_replica_the_pages_read_from_the_primary_only(
    client, supervisor_gitega, auditor, office_gitega, building_permit
):
    dossier = DossierFactory(submitted=True, service=building_permit, office=office_gitega)

    with Captured() as captured:
        supervision = signed_in(client, supervisor_gitega).get(
            reverse("supervision"), {"show": "open"}
        )
        audit = signed_in(client, auditor).get(reverse("audit_dossiers"))

    assert dossier.pk in {row["id"] for row in supervision.context["page"].rows}
    assert dossier.pk in {row["id"] for row in audit.context["page"].rows}
    assert captured.sql("replica") == []
    assert captured.touching("default", "workflows_dossier")


# --- The settings -----------------------------------------------------------------------------

PRIMARY = "postgres://gup@db-primary:5432/gup"
REPLICA = "postgres://gup@db-replica:5432/gup"


def test_without_a_replica_url_there_is_one_database_and_it_serves_reports():
    configured, reporting_alias = databases(PRIMARY, "", conn_max_age=60)
    assert list(configured) == ["default"] and reporting_alias == "default"
    assert configured["default"]["CONN_HEALTH_CHECKS"] is True
    assert configured["default"]["DISABLE_SERVER_SIDE_CURSORS"] is False


def test_a_replica_url_adds_the_replica_alias_which_tests_mirror_from_the_primary():
    configured, reporting_alias = databases(PRIMARY, REPLICA, conn_max_age=60)
    assert reporting_alias == "replica"
    assert configured["replica"]["HOST"] == "db-replica"
    assert configured["replica"]["TEST"] == {"MIRROR": "default"}


@pytest.mark.parametrize(("setting", "kept"), [(None, 60), ("0", 0)])
def test_connections_are_kept_between_requests_unless_told_not_to(setting, kept):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gup.settings.dev", "DATABASE_URL": PRIMARY}
    env.pop("DATABASE_CONN_MAX_AGE", None)
    if setting is not None:
        env["DATABASE_CONN_MAX_AGE"] = setting
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['CONN_MAX_AGE'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed.strip() == str(kept)


def test_behind_pgbouncer_no_connection_keeps_server_side_cursors():
    configured, _alias = databases(PRIMARY, REPLICA, conn_max_age=60, pooler="pgbouncer")
    assert all(config["DISABLE_SERVER_SIDE_CURSORS"] for config in configured.values())
    assert all(config["CONN_HEALTH_CHECKS"] for config in configured.values())


def test_an_unknown_pooler_is_refused_with_the_values_it_may_take():
    with pytest.raises(ImproperlyConfigured, match="'pgbouncer'"):
        databases(PRIMARY, conn_max_age=60, pooler="pgpool")
