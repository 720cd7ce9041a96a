"""The demo's dossiers (``manage.py load_demo``, ``workflows.demo``): a real office day.

The demo is loaded once for the tests of ``TestTheDemoDay`` (inside a transaction rolled back
after them), so that the file stays a few seconds' work; the tests after the class start from
an empty database.
"""

import datetime
import io
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gup.accounts.management.commands.load_demo import DEMO_PASSWORD
from gup.accounts.models import User
from workflows import demo
from workflows.history_chain import Verification
from workflows.models import (
    Dossier,
    HistoryEntry,
    IssuedDocument,
    OutboxMessage,
    OutboxState,
    Payment,
)
from workflows.states import FINAL_STATES, DossierState

S = DossierState

#: What the scenario leaves, state by state.
EXPECTED_STATES = {
    S.COLLECTED: 21,
    S.CLOSED: 2,
    S.WITHDRAWN: 1,
    S.DRAFT: 1,
    S.SUBMITTED: 1,
    S.INTAKE: 2,
    S.AWAITING_PAYMENT: 1,
    S.RETURNED: 1,
    S.FORWARDED: 2,
    S.IN_REVIEW: 3,
    S.INFORMATION_REQUESTED: 2,
    S.INSPECTION: 1,
    S.PUBLIC_NOTICE: 1,
    S.APPOINTMENT: 1,
    S.APPROVED: 1,
    S.READY_FOR_COLLECTION: 2,
}


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker):
    """The demo as ``make run`` loads it, with what the command printed."""
    out = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        debug = settings.DEBUG
        settings.DEBUG = True
        try:
            call_command("load_demo", stdout=out)
        finally:
            settings.DEBUG = debug
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def db_with_demo(loaded, db):
    return loaded


def signed_in(client, username):
    assert client.login(username=username, password=DEMO_PASSWORD)
    client.cookies["django_language"] = "en"
    return client


class TestTheDemoDay:
    """One demo, loaded once, read by every test of the class."""

    def test_every_stage_has_its_dossiers_and_most_finished_long_ago(self, db_with_demo):
        states = Counter(Dossier.objects.values_list("state", flat=True))

        assert dict(states) == EXPECTED_STATES
        finished = sum(states[state] for state in FINAL_STATES)
        assert finished > sum(states.values()) / 2
        # Long ago, and over months: the oldest was filed more than half a year back.
        today = timezone.localdate()
        oldest = Dossier.objects.order_by("submitted_at").first()
        assert (today - timezone.localdate(oldest.submitted_at)).days > 180
        assert oldest.created_at == oldest.submitted_at  # the field defaults were backdated too
        assert not HistoryEntry.objects.filter(at__gte=timezone.now()).exists()
        assert not Payment.objects.filter(recorded_at__gte=timezone.now()).exists()
        # Both offices with demo clerks, and every service of the catalogue.
        assert set(Dossier.objects.values_list("office__code", flat=True)) == {"GIT", "NGO"}
        assert Dossier.objects.values("service").distinct().count() == 4

    def test_the_work_in_hand_is_what_a_newcomer_should_see(self, db_with_demo):
        today = timezone.localdate()
        in_review = Dossier.objects.filter(state=S.IN_REVIEW, service__code="building-permit")
        # In review with two different officers of the same institution.
        assert set(in_review.values_list("officer__username", flat=True)) == {
            "officer.urbanism",
            "officer2.urbanism",
        }
        # Forwarded, nobody has claimed them; one is past its expected date.
        forwarded = Dossier.objects.filter(state=S.FORWARDED)
        assert not forwarded.filter(officer__isnull=False).exists()
        assert forwarded.filter(due_date__lt=today).count() == 1
        # Waiting for the citizen: one past its answer-by day, one still in time.
        asked = Dossier.objects.filter(state=S.INFORMATION_REQUESTED)
        assert sorted(dossier.answer_by < today for dossier in asked) == [False, True]
        assert Dossier.objects.get(state=S.RETURNED).answer_by > today
        # An overdue dossier in review, and the visits to come are in the future.
        assert in_review.filter(due_date__lt=today).exists()
        for state in (S.INSPECTION, S.APPOINTMENT):
            assert Dossier.objects.get(state=state).open_scheduled_step().starts_at > timezone.now()
        # Two clerks at Gitega hold dossiers.
        held = Dossier.objects.filter(office__code="GIT").exclude(state__in=FINAL_STATES)
        assert {"clerk.gitega", "clerk2.gitega"} <= set(
            held.values_list("clerk__username", flat=True)
        )

    def test_the_demo_citizen_has_dossiers_online_and_one_at_the_counter_to_link(
        self, db_with_demo
    ):
        citizen = User.objects.get(username="citizen")
        own = Dossier.objects.filter(applicant_account=citizen)

        assert Counter(own.values_list("state", flat=True)) == {
            S.COLLECTED: 2,
            S.DRAFT: 1,
            S.SUBMITTED: 1,
            S.INFORMATION_REQUESTED: 1,
        }
        assert set(own.values_list("channel", flat=True)) == {"online"}
        # Filed at the counter with her phone: hers to link once she confirms it.
        unlinked = Dossier.objects.get(applicant_phone=citizen.phone, applicant_account=None)
        assert unlinked.state == S.READY_FOR_COLLECTION

    def test_every_history_holds_and_every_message_went_out(self, db_with_demo):
        verification = Verification()

        assert list(verification.problems()) == []
        assert verification.dossiers_checked == sum(EXPECTED_STATES.values())
        assert not OutboxMessage.objects.exclude(status=OutboxState.DONE).exists()
        assert OutboxMessage.objects.filter(effect="sms").count() > 100
        # Each dossier at work has its filing receipt, printed on the day it was filed.
        at_work = Dossier.objects.exclude(state__in=(*FINAL_STATES, S.DRAFT))
        receipts = IssuedDocument.objects.filter(kind="filing_receipt", dossier__in=at_work)
        assert receipts.count() == at_work.count()
        for receipt in receipts.select_related("dossier"):
            assert timezone.localdate(receipt.issued_at) == timezone.localdate(
                receipt.dossier.submitted_at
            )

    def test_the_command_prints_the_open_dossiers_and_who_holds_them(self, db_with_demo):
        output = db_with_demo
        for dossier in Dossier.objects.exclude(state__in=(*FINAL_STATES, S.DRAFT)):
            line = next(
                line for line in output.splitlines() if line.startswith(dossier.tracking_number)
            )
            assert dossier.service.code in line and dossier.state in line
            if demo.holder(dossier):
                assert line.split()[-1] == demo.holder(dossier)
        assert "43 demo dossiers created: 19 open (above) and 24 finished long ago" in output

    @pytest.mark.parametrize(
        ("username", "holders"),
        [
            ("supervisor.gitega", {"Aline Niyonzima", "Fabrice Manirakiza"}),
            ("supervisor.urbanism", {"Eric Nshimirimana", "Sandrine Ntakirutimana"}),
            ("supervisor.migration", {"Jean Bizimana"}),
        ],
    )
    def test_the_supervisors_see_a_workload_and_overdue_dossiers(
        self, db_with_demo, client, username, holders
    ):
        response = signed_in(client, username).get(reverse("supervision"))

        assert response.status_code == 200
        rows = {row.name: row.total for row in response.context["workload"].rows}
        assert holders <= {name for name, total in rows.items() if total}
        if username != "supervisor.gitega":
            assert response.context["medians"], "decisions of the last 90 days give a median"
        overdue = client.get(reverse("supervision"), {"show": "overdue"})
        assert overdue.status_code == 200
        assert overdue.context["page"].rows, "some open dossier is past its expected date"

    def test_each_open_dossier_opens_for_whoever_handles_it(self, db_with_demo, client):
        for dossier in Dossier.objects.exclude(state__in=(*FINAL_STATES, S.DRAFT)):
            username = demo.holder(dossier) or (
                demo.OFFICERS[dossier.institution.code][0]
                if dossier.state == S.FORWARDED
                else demo.CLERKS[dossier.office.code][0]
            )
            response = signed_in(client, username).get(
                reverse("dossier_detail", args=[dossier.tracking_number])
            )
            assert response.status_code == 200, (dossier.tracking_number, username)
            assert dossier.tracking_number in response.content.decode()

    def test_the_citizen_finds_her_dossiers_and_the_one_waiting_for_her_answer(
        self, db_with_demo, client
    ):
        client.login(username="citizen", password=DEMO_PASSWORD)
        response = client.get(reverse("my_dossiers"))
        asked = Dossier.objects.get(
            applicant_account__username="citizen", state=S.INFORMATION_REQUESTED
        )

        assert response.status_code == 200
        page = response.content.decode()
        for dossier in Dossier.objects.filter(applicant_account__username="citizen"):
            assert str(dossier.public_id) in page
        answer = client.get(reverse("citizen_answer", args=[asked.public_id]))
        assert answer.status_code == 200

    def test_loading_again_creates_nothing_more(self, db_with_demo, settings):
        settings.DEBUG = True
        models = (Dossier, HistoryEntry, OutboxMessage, IssuedDocument, Payment, User)
        counts = [model.objects.count() for model in models]
        out = io.StringIO()

        call_command("load_demo", stdout=out)

        assert [model.objects.count() for model in models] == counts
        assert "Demo dossiers: all 43 are there already." in out.getvalue()


@pytest.mark.django_db
def test_no_dossiers_loads_the_accounts_only(settings):
    settings.DEBUG = True
    out = io.StringIO()

    call_command("load_demo", "--no-dossiers", stdout=out)

    assert User.objects.filter(username__in=["clerk2.gitega", "supervisor.migration"]).count() == 2
    assert not Dossier.objects.exists()
    assert "demo dossiers" not in out.getvalue().lower()


@pytest.mark.django_db
def test_a_refused_step_names_the_dossier_and_leaves_nothing_behind(settings, monkeypatch):
    """A scenario the lifecycle refuses is a bug of the scenario: said plainly, all undone."""
    settings.DEBUG = True
    call_command("load_demo", "--no-dossiers", stdout=io.StringIO())

    def broken(today):
        days = demo.Days(today)
        fine = demo._life("fine", 1, "laissez-passer", "GIT").file(demo.at(days.ago(3), "09:00"))
        wrong = demo._life("wrong", 2, "laissez-passer", "GIT").file(demo.at(days.ago(2), "09:00"))
        wrong.then("approve", after=0, hhmm="11:00")  # at intake: not possible
        return [fine, wrong]

    monkeypatch.setattr(demo, "scenario", broken)

    with pytest.raises(demo.DemoNotWritten, match="wrong: approve by officer.migration at"):
        demo.load()
    assert not Dossier.objects.exists()
    assert not HistoryEntry.objects.exists()


def test_the_days_count_back_from_the_last_working_day_before_today():
    monday = datetime.date(2026, 11, 23)
    days = demo.Days(monday)

    assert days.ago(0) == datetime.date(2026, 11, 20)  # the Friday before
    assert days.ago(1) == datetime.date(2026, 11, 19)
    assert days.ahead(1) == datetime.date(2026, 11, 24)
