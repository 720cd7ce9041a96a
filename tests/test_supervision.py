"""The supervisors' page: workload, overdue dossiers, medians, handing over several at once."""

import copy
import datetime
import functools
import importlib
import uuid
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, DossierFactory, UserFactory, clock_at
from workflows import assignment, supervision
from workflows.actions import perform
from workflows.actors import Actor
from workflows.deadlines import add_working_days
from workflows.models import Decision, Dossier, Outcome
from workflows.queues import review_tabs
from workflows.states import DossierState
from workflows.views import paging

S = DossierState
PAGE = "supervision"


def signed_in(client, user):
    """Signed in, reading English (as the assertions are written)."""
    client.login(username=user.username, password=PASSWORD)
    client.cookies["django_language"] = "en"
    return client


def at(office, clerk, service, **kwargs):
    return DossierFactory(counter=True, service=service, office=office, clerk=clerk, **kwargs)


@pytest.fixture
def second_clerk_gitega(office_gitega):
    return UserFactory(
        username="clerk2.gitega", clerk=True, office=office_gitega, first_name="Divine"
    )


@pytest.fixture
def supervisor_ngozi(office_ngozi):
    return UserFactory(username="supervisor.ngozi", office_supervisor=True, office=office_ngozi)


@pytest.fixture
def supervisor_migration(migration):
    return UserFactory(
        username="supervisor.migration", ministry_supervisor=True, institution=migration
    )


def workload_of(response) -> dict:
    """Holder's name → counts per stage; "" for the dossiers nobody holds."""
    workload = response.context["workload"]
    table = {row.name: row.counts for row in workload.rows}
    table[""] = workload.unassigned.counts
    return table


def listed(response) -> set:
    return {row.dossier.tracking_number for row in response.context["rows"]}


# --- Who may open it --------------------------------------------------------------------------


def test_only_supervisors_open_the_page_and_see_it_in_the_navigation(
    client,
    clerk_gitega,
    supervisor_gitega,
    officer_urbanism,
    supervisor_urbanism,
    auditor,
    building_permit,
):
    url = reverse(PAGE)
    response = client.get(url)
    assert response.status_code == 302 and "login" in response.url
    for user in (clerk_gitega, officer_urbanism, auditor):
        signed_in(client, user)
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
        home = client.get(reverse("counter_queue" if user is clerk_gitega else "home"), follow=True)
        assert f'href="{url}"' not in home.content.decode()
        client.logout()
    for user, queue in (
        (supervisor_gitega, "counter_queue"),
        (supervisor_urbanism, "review_queue"),
    ):
        signed_in(client, user)
        assert client.get(url).status_code == 200
        assert f'href="{url}"' in client.get(reverse(queue)).content.decode()
        client.logout()


# --- The office supervisor --------------------------------------------------------------------


def test_the_office_workload_per_clerk_and_stage(
    client,
    clerk_gitega,
    second_clerk_gitega,
    supervisor_gitega,
    clerk_ngozi,
    office_gitega,
    office_ngozi,
    building_permit,
    passport,
):
    for _ in range(2):
        at(office_gitega, clerk_gitega, building_permit, intake=True)
    at(office_gitega, clerk_gitega, passport, awaiting_payment=True)
    at(office_gitega, second_clerk_gitega, building_permit, forwarded=True)
    at(office_gitega, second_clerk_gitega, building_permit, collected=True)  # finished
    DossierFactory(submitted=True, service=building_permit, office=office_gitega)
    at(office_ngozi, clerk_ngozi, building_permit, intake=True)  # another office's

    response = signed_in(client, supervisor_gitega).get(reverse(PAGE))
    stages = [str(stage) for stage in response.context["workload"].stages]
    assert stages == [
        "To check",
        "Awaiting payment",
        "Waiting for the citizen",
        "At the institution",
        "To hand over",
    ]
    assert workload_of(response) == {
        clerk_gitega.get_full_name(): [2, 1, 0, 0, 0],
        second_clerk_gitega.get_full_name(): [0, 0, 0, 1, 0],
        supervisor_gitega.get_full_name(): [0, 0, 0, 0, 0],
        "": [1, 0, 0, 0, 0],
    }
    assert clerk_ngozi.pk not in {row.person.pk for row in response.context["workload"].rows}
    tabs = {tab.key: tab.count for tab in response.context["tabs"]}
    assert tabs == {"overdue": 0, "unassigned": 1, "open": 5}


def test_a_colleague_who_left_keeps_a_row_until_their_dossiers_are_reassigned(
    client, clerk_gitega, second_clerk_gitega, supervisor_gitega, office_gitega, building_permit
):
    at(office_gitega, second_clerk_gitega, building_permit, intake=True)
    second_clerk_gitega.is_active = False
    second_clerk_gitega.save()
    response = signed_in(client, supervisor_gitega).get(reverse(PAGE))
    rows = {row.name: row for row in response.context["workload"].rows}
    assert rows[second_clerk_gitega.get_full_name()].counts[0] == 1
    assert not rows[second_clerk_gitega.get_full_name()].is_active
    assert "account not active" in response.content.decode()
    # ... and cannot be chosen to hold anything more.
    choices = dict(response.context["form"].fields["assignee"].choices)
    assert second_clerk_gitega.pk not in choices
    assert clerk_gitega.pk in choices


def test_the_overdue_list_holds_the_late_open_dossiers(
    client, clerk_gitega, supervisor_gitega, office_gitega, building_permit
):
    long_ago = timezone.now() - datetime.timedelta(days=120)
    with clock_at(long_ago):
        late = at(office_gitega, clerk_gitega, building_permit, intake=True)
        at(office_gitega, clerk_gitega, building_permit, withdrawn=True)  # late but finished
    on_time = at(office_gitega, clerk_gitega, building_permit, intake=True)
    signed_in(client, supervisor_gitega)
    response = client.get(reverse(PAGE))
    assert response.context["current"] == "overdue"
    assert listed(response) == {late.tracking_number}
    assert "Overdue" in response.content.decode()
    assert listed(client.get(reverse(PAGE), {"show": "open"})) == {
        late.tracking_number,
        on_time.tracking_number,
    }


def test_the_list_is_paged_and_keeps_its_filters(
    client,
    clerk_gitega,
    second_clerk_gitega,
    supervisor_gitega,
    office_gitega,
    building_permit,
    monkeypatch,
):
    for _ in range(3):
        at(office_gitega, clerk_gitega, building_permit, intake=True)
    at(office_gitega, second_clerk_gitega, building_permit, intake=True)
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    from workflows.views import supervision

    monkeypatch.setattr(supervision, "PAGE_SIZE", 2)
    signed_in(client, supervisor_gitega)
    params = {"show": "open", "holder": str(clerk_gitega.pk)}
    first = client.get(reverse(PAGE), params)
    assert len(listed(first)) == 2 and first.context["page"].has_next
    assert f"holder={clerk_gitega.pk}" in first.content.decode()
    second = client.get(reverse(PAGE), {**params, "page": 2})
    assert len(listed(second)) == 1
    assert not listed(first) & listed(second)


def test_a_supervisor_hands_several_dossiers_to_one_clerk(
    client, clerk_gitega, second_clerk_gitega, supervisor_gitega, office_gitega, building_permit
):
    one = at(office_gitega, clerk_gitega, building_permit, intake=True)
    two = DossierFactory(submitted=True, service=building_permit, office=office_gitega)
    kept = at(office_gitega, clerk_gitega, building_permit, intake=True)
    signed_in(client, supervisor_gitega)
    response = client.post(
        reverse(PAGE) + "?show=open",
        {
            "dossier": [one.tracking_number, two.tracking_number],
            "assignee": second_clerk_gitega.pk,
            "comment": "Divine covers the building permits this week.",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse(PAGE) + "?show=open"
    for dossier in (one, two):
        dossier.refresh_from_db()
        assert dossier.clerk == second_clerk_gitega
        entry = dossier.history.order_by("-position").first()
        assert entry.kind == "assign"
        assert entry.comment == "Divine covers the building permits this week."
    kept.refresh_from_db()
    assert kept.clerk == clerk_gitega
    page = client.get(response.url).content.decode()
    assert f"Assigned to {second_clerk_gitega.get_full_name()}" in page


def test_each_refusal_is_named_and_the_others_are_assigned(
    client, clerk_gitega, second_clerk_gitega, supervisor_gitega, office_gitega, building_permit
):
    already = at(office_gitega, second_clerk_gitega, building_permit, intake=True)
    other = at(office_gitega, clerk_gitega, building_permit, intake=True)
    signed_in(client, supervisor_gitega)
    response = client.post(
        reverse(PAGE) + "?show=open",
        {
            "dossier": [already.tracking_number, other.tracking_number],
            "assignee": second_clerk_gitega.pk,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{already.tracking_number}: " in page and "already assigned to" in page
    other.refresh_from_db()
    assert other.clerk == second_clerk_gitega


@pytest.mark.parametrize(
    ("posted", "message", "field"),
    [
        ({"dossier": []}, "Tick at least one dossier to assign.", "id_dossier_error"),
        ({"assignee": ""}, "Choose who will handle the dossier.", "id_assignee_error"),
        ({"assignee": "clerk_ngozi"}, "Choose a colleague from the list.", "id_assignee_error"),
    ],
)
def test_a_bad_selection_says_why_keeps_the_ticks_and_writes_nothing(
    client,
    clerk_gitega,
    second_clerk_gitega,
    clerk_ngozi,
    supervisor_gitega,
    office_gitega,
    building_permit,
    posted,
    message,
    field,
):
    dossier = at(office_gitega, clerk_gitega, building_permit, intake=True)
    data = {
        "dossier": [dossier.tracking_number],
        "assignee": second_clerk_gitega.pk,
        "comment": "Kept as typed",
        **posted,
    }
    if data["assignee"] == "clerk_ngozi":
        data["assignee"] = clerk_ngozi.pk
    before = dossier.history.count()
    signed_in(client, supervisor_gitega)
    response = client.post(reverse(PAGE) + "?show=open", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'id="{field}"' in page
    assert "Kept as typed" in page
    if data["dossier"]:
        assert f'value="{dossier.tracking_number}" checked' in page
    dossier.refresh_from_db()
    assert dossier.clerk == clerk_gitega
    assert dossier.history.count() == before


# --- Scope ------------------------------------------------------------------------------------


def test_another_office_supervisor_sees_and_assigns_nothing_of_gitega(
    client, clerk_gitega, clerk_ngozi, supervisor_ngozi, office_gitega, building_permit
):
    long_ago = timezone.now() - datetime.timedelta(days=120)
    with clock_at(long_ago):
        late = at(office_gitega, clerk_gitega, building_permit, intake=True)
    DossierFactory(submitted=True, service=building_permit, office=office_gitega)
    signed_in(client, supervisor_ngozi)
    response = client.get(reverse(PAGE), {"show": "open"})
    assert listed(response) == set()
    assert {tab.count for tab in response.context["tabs"]} == {0}
    workload = response.context["workload"]
    assert sum(row.total for row in workload.rows) + workload.unassigned.total == 0
    assert clerk_gitega.username not in {row.person.username for row in workload.rows}
    assert late.tracking_number not in response.content.decode()
    # Assigning Gitega's dossier, even to a colleague of Ngozi, is a 404 and writes nothing.
    response = client.post(
        reverse(PAGE), {"dossier": [late.tracking_number], "assignee": clerk_ngozi.pk}
    )
    assert response.status_code == 404
    late.refresh_from_db()
    assert late.clerk == clerk_gitega
    # A search for it finds nothing either.
    response = client.get(reverse(PAGE), {"show": "open", "q": late.tracking_number})
    assert listed(response) == set()


# --- The ministry supervisor ------------------------------------------------------------------


def decided_after(office, clerk, service, officer, forwarded_at, working_days):
    """A dossier forwarded at ``forwarded_at`` and approved ``working_days`` later."""
    with clock_at(forwarded_at):
        dossier = at(office, clerk, service, forwarded=True)
    decided = timezone.make_aware(
        datetime.datetime.combine(
            add_working_days(timezone.localdate(forwarded_at), working_days), datetime.time(11)
        )
    )
    with clock_at(decided):
        perform(dossier.pk, "receive", officer)
        perform(dossier.pk, "approve", officer)
    return dossier


def test_the_institution_workload_per_officer_and_the_median_days_to_decision(
    client,
    clerk_gitega,
    office_gitega,
    officer_urbanism,
    other_officer_urbanism,
    supervisor_urbanism,
    officer_migration,
    supervisor_migration,
    building_permit,
    passport,
):
    at(office_gitega, clerk_gitega, building_permit, forwarded=True)
    for _ in range(2):
        at(office_gitega, clerk_gitega, building_permit, in_review=True, officer=officer_urbanism)
    at(
        office_gitega,
        clerk_gitega,
        building_permit,
        information_requested=True,
        officer=other_officer_urbanism,
    )
    at(office_gitega, clerk_gitega, passport, in_review=True, officer=officer_migration)
    start = timezone.now() - datetime.timedelta(days=40)
    for days in (3, 5, 10):
        decided_after(office_gitega, clerk_gitega, building_permit, officer_urbanism, start, days)
    # Decided before the 90 days: not counted.
    decided_after(
        office_gitega,
        clerk_gitega,
        building_permit,
        officer_urbanism,
        timezone.now() - datetime.timedelta(days=200),
        40,
    )

    response = signed_in(client, supervisor_urbanism).get(reverse(PAGE))
    assert [str(stage) for stage in response.context["workload"].stages] == [
        "To claim",
        "In review",
        "Waiting for the citizen",
        "Approved, to issue",
    ]
    table = workload_of(response)
    # Approved long ago and not issued yet: still on the officer's desk.
    assert table[officer_urbanism.get_full_name()] == [0, 2, 0, 4]
    assert table[other_officer_urbanism.get_full_name()] == [0, 0, 1, 0]
    assert table[""] == [1, 0, 0, 0]
    assert officer_migration.pk not in {row.person.pk for row in response.context["workload"].rows}
    [median] = response.context["medians"]
    assert median.service == building_permit
    assert (median.median, median.decisions) == (5, 3)
    assert "Working days from forwarding to decision" in response.content.decode()

    # The migration service's supervisor sees none of it: no rows, no counts, no medians.
    client.logout()
    response = signed_in(client, supervisor_migration).get(reverse(PAGE), {"show": "open"})
    assert response.context["medians"] == []
    assert workload_of(response)[officer_migration.get_full_name()] == [0, 1, 0, 0]
    assert workload_of(response)[""] == [0, 0, 0, 0]
    assert {d["service_id"] for d in response.context["page"].rows} == {passport.pk}


def test_a_ministry_supervisor_assigns_forwarded_dossiers_to_an_officer_from_the_page(
    client, clerk_gitega, office_gitega, officer_urbanism, supervisor_urbanism, building_permit
):
    first = at(office_gitega, clerk_gitega, building_permit, forwarded=True)
    second = at(office_gitega, clerk_gitega, building_permit, forwarded=True)
    signed_in(client, supervisor_urbanism)
    page = client.get(reverse(PAGE), {"show": "unassigned"})
    assert listed(page) == {first.tracking_number, second.tracking_number}
    choices = dict(page.context["form"].fields["assignee"].choices)
    assert officer_urbanism.pk in choices
    assert supervisor_urbanism.pk not in choices  # officers are assigned, not supervisors
    response = client.post(
        reverse(PAGE) + "?show=unassigned",
        {
            "dossier": [first.tracking_number, second.tracking_number],
            "assignee": officer_urbanism.pk,
        },
    )
    assert response.status_code == 302
    for dossier in (first, second):
        dossier.refresh_from_db()
        assert (dossier.state, dossier.officer) == (S.IN_REVIEW, officer_urbanism)
    review = client.get(reverse("review_queue"), {"show": "mine"})
    assert review.status_code == 200


# --- A fixed number of queries ----------------------------------------------------------------


def queries(client, name, params) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse(name), params)
    assert response.status_code == 200
    return len(context)


def test_the_office_page_and_the_counter_issue_the_same_queries_for_3_and_30_dossiers(
    client, clerk_gitega, second_clerk_gitega, supervisor_gitega, office_gitega, building_permit
):
    pages = [
        (PAGE, {"show": "open"}),
        (PAGE, {"show": "overdue", "holder": "none", "q": "ndayishimiye"}),
        (PAGE, {"show": "open", "holder": str(clerk_gitega.pk), "overdue": "on"}),
        ("counter_queue", {"show": "all", "holder": "me"}),
        ("counter_queue", {"show": "to-check", "holder": "none", "q": "0412/"}),
        ("counter_queue", {"show": "all", "holder": str(second_clerk_gitega.pk)}),
    ]
    long_ago = timezone.now() - datetime.timedelta(days=120)

    def add(count):
        for index in range(count):
            clerk = (clerk_gitega, second_clerk_gitega, None)[index % 3]
            if clerk is None:
                DossierFactory(submitted=True, service=building_permit, office=office_gitega)
                continue
            with clock_at(long_ago if index % 2 else timezone.now()):
                at(office_gitega, clerk, building_permit, intake=True)

    add(3)
    signed_in(client, supervisor_gitega)
    few = [queries(client, name, params) for name, params in pages]
    add(27)
    assert Dossier.objects.filter(office=office_gitega).count() == 30
    many = [queries(client, name, params) for name, params in pages]
    assert many == few
    # Session, user, heading's office, workload, people, services, colleagues, counts, rows.
    assert few[0] == 9
    # The counter: session, user, heading's office, services, colleagues, counts, rows.
    assert few[3] == 7


def test_the_institution_page_and_the_review_queue_issue_the_same_queries_for_3_and_30_dossiers(
    client,
    clerk_gitega,
    office_gitega,
    officer_urbanism,
    other_officer_urbanism,
    supervisor_urbanism,
    building_permit,
):
    pages = [
        (PAGE, {"show": "open"}),
        (PAGE, {"show": "unassigned", "holder": "none", "q": "ndayishimiye"}),
        ("review_queue", {"show": "all", "holder": str(other_officer_urbanism.pk)}),
        ("review_queue", {"show": "to-claim", "holder": "none"}),
    ]
    start = timezone.now() - datetime.timedelta(days=30)

    def add(count):
        for index in range(count):
            if index % 3 == 0:
                at(office_gitega, clerk_gitega, building_permit, forwarded=True)
            elif index % 3 == 1:
                officer = (officer_urbanism, other_officer_urbanism)[index % 2]
                at(office_gitega, clerk_gitega, building_permit, in_review=True, officer=officer)
            else:
                decided_after(
                    office_gitega, clerk_gitega, building_permit, officer_urbanism, start, index
                )

    add(3)
    signed_in(client, supervisor_urbanism)
    few = [queries(client, name, params) for name, params in pages]
    add(27)
    many = [queries(client, name, params) for name, params in pages]
    assert many == few
    # Session, user, heading's institution, workload, people, medians (decisions, services),
    # services, provinces, colleagues, counts, rows.
    assert few[0] == 12


def copies(dossier, count, **varying):
    """``count`` copies of ``dossier`` written at once, each ``varying`` value a function of its
    index: enough rows for the planner to tell the indexes apart."""
    rows = []
    for index in range(count):
        row = copy.copy(dossier)
        row.pk = row.id = None
        row.public_id = uuid.uuid4()
        row.filing_key = None
        row.tracking_number = f"COPY-{index:06d}"
        for name, value in varying.items():
            setattr(row, name, value(index))
        rows.append(row)
    Dossier.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE workflows_dossier")


def held_copies(office, clerk, officer, service, **varying):
    """Twenty clerks and twenty officers, and 4,000 copies of one dossier in review, each held by
    one of them (every 21st by nobody); ``varying`` as for ``copies``, given the dossier too."""
    clerks = [UserFactory(clerk=True, office=office) for _ in range(20)]
    officers = [UserFactory(officer=True, institution=officer.institution) for _ in range(20)]
    dossier = at(office, clerk, service, in_review=True, officer=officer)
    copies(
        dossier,
        4000,
        clerk=lambda index: clerks[index % 20] if index % 21 else None,
        officer=lambda index: officers[index % 20] if index % 21 else None,
        **{name: functools.partial(value, dossier) for name, value in varying.items()},
    )
    return clerks, officers, dossier


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's")
def test_the_holder_filters_use_their_indexes(
    clerk_gitega, office_gitega, officer_urbanism, building_permit
):
    clerks, officers, dossier = held_copies(
        office_gitega,
        clerk_gitega,
        officer_urbanism,
        building_permit,
        due_date=lambda dossier, index: dossier.due_date + datetime.timedelta(days=index % 300),
    )
    cases = [
        (clerk_gitega, {"clerk": clerks[3]}, "dossier_office_holder"),
        (clerk_gitega, {"clerk__isnull": True}, "dossier_office_unassigned"),
        (officer_urbanism, {"officer": officers[3]}, "dossier_institution_holder"),
        (officer_urbanism, {"officer__isnull": True}, "dossier_institution_unassigned"),
    ]
    for user, holder, index in cases:
        scoped = Dossier.objects.visible_to(user).filter(**holder)
        plan = scoped.order_by("due_date", "id")[:50].explain()
        assert index in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's")
# Outside a transaction, so that VACUUM can mark the pages all-visible, as they are on a
# database in service: only then is an index-only scan worth planning.
@pytest.mark.django_db(transaction=True)
def test_the_workload_is_counted_from_its_own_index_whatever_the_finished_dossiers(
    clerk_gitega, office_gitega, officer_urbanism, building_permit
):
    clerks, officers, dossier = held_copies(
        office_gitega, clerk_gitega, officer_urbanism, building_permit
    )
    # As after a few years: most of a scope is finished, a few are open at each stage.
    states = [S.COLLECTED] * 6 + [S.CLOSED, S.INTAKE, S.IN_REVIEW, S.APPROVED, S.FORWARDED]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE workflows_dossier SET state = (%s::varchar[])[1 + id %% %s]"
            " WHERE tracking_number LIKE 'COPY-%%'",
            [[str(state) for state in states], len(states)],
        )
        cursor.execute("VACUUM ANALYZE workflows_dossier")
    for user, index in [
        (clerk_gitega, "dossier_office_workload"),
        (officer_urbanism, "dossier_institution_workload"),
    ]:
        actor = Actor.for_user(user)
        counts = supervision.holder_state_counts(
            Dossier.objects.visible_to(actor), assignment.side_of(actor)
        )
        plan = counts.explain()
        assert f"Index Only Scan using {index}" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's")
def test_the_medians_read_only_the_institutions_decisions_of_the_window(
    clerk_gitega, office_gitega, officer_urbanism, officer_migration, building_permit
):
    dossier = at(office_gitega, clerk_gitega, building_permit, forwarded=True)
    urbanism, migration = officer_urbanism.institution, officer_migration.institution
    # Two years of decisions, most of them another institution's.
    copies(
        dossier,
        4000,
        institution=lambda index: urbanism if index % 10 == 0 else migration,
    )
    now = timezone.now()

    def days_ago(index):
        return index % 730

    Decision.objects.bulk_create(
        Decision(
            dossier=copied,
            institution_id=copied.institution_id,
            outcome=Outcome.APPROVED,
            decided_by=officer_urbanism,
            decided_by_name="Officer",
            decided_at=now - datetime.timedelta(days=days_ago(int(copied.tracking_number[5:]))),
            service_id=copied.service_id,
            working_days=int(copied.tracking_number[5:]) % 7,
        )
        for copied in Dossier.objects.filter(tracking_number__startswith="COPY-")
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE workflows_decision")
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'decision_institution_at'"
        )
        [(definition,)] = cursor.fetchall()

    decided = supervision.decided_in_window(urbanism.pk, now=now)

    # The index carries the service and the working days: once autovacuum has marked the
    # (insert-only) table's pages visible, the medians read no table at all; no dossier either.
    assert definition.endswith("(institution_id, decided_at) INCLUDE (service_id, working_days)")
    plan = decided.values("service_id", "working_days").explain()
    assert "decision_institution_at" in plan, plan
    assert "workflows_dossier" not in plan, plan
    # The institution's own, and only those of the window.
    assert decided.count() == len(
        [index for index in range(4000) if index % 10 == 0 and days_ago(index) <= 90]
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's")
def test_an_officers_own_tab_walks_their_dossiers_in_review_in_date_order(
    clerk_gitega, office_gitega, officer_urbanism, building_permit
):
    dossier = at(
        office_gitega, clerk_gitega, building_permit, in_review=True, officer=officer_urbanism
    )
    copies(dossier, 4000, due_date=lambda index: dossier.due_date - datetime.timedelta(index % 900))
    colleague = UserFactory(officer=True, institution=officer_urbanism.institution)
    # One in twenty in review with this officer, nine with colleagues, the rest decided long ago.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE workflows_dossier SET officer_id = %s WHERE tracking_number LIKE 'COPY-%%'"
            " AND right(tracking_number, 6)::int %% 20 BETWEEN 1 AND 9",
            [colleague.pk],
        )
        cursor.execute(
            "UPDATE workflows_dossier SET state = 'collected' WHERE tracking_number LIKE 'COPY-%'"
            " AND right(tracking_number, 6)::int % 20 >= 10"
        )
        cursor.execute("ANALYZE workflows_dossier")
    mine = review_tabs(officer_urbanism)["mine"][1]

    page = (
        Dossier.objects.visible_to(Actor.for_user(officer_urbanism))
        .for_queue()
        .filter(mine)
        .order_by("due_date", "id")[: paging.PAGE_SIZE + 1]
    )

    plan = page.explain()
    assert "dossier_officer_in_review" in plan, plan
    assert "Sort" not in plan.split("SubPlan")[0], plan
    assert len(page) == paging.PAGE_SIZE + 1


def test_decisions_taken_before_they_recorded_their_days_are_filled_in_by_the_migration(
    clerk_gitega, office_gitega, officer_urbanism, building_permit
):
    start = timezone.now() - datetime.timedelta(days=30)
    decided = [
        decided_after(office_gitega, clerk_gitega, building_permit, officer_urbanism, start, days)
        for days in (0, 4, 11)
    ]
    never_forwarded = at(office_gitega, clerk_gitega, building_permit, forwarded=True)
    Dossier.objects.filter(pk=never_forwarded.pk).update(forwarded_at=None)
    with clock_at(start):
        perform(never_forwarded.pk, "receive", officer_urbanism)
        perform(never_forwarded.pk, "approve", officer_urbanism)
    recorded = dict(Decision.objects.values_list("dossier_id", "working_days"))
    assert [recorded[dossier.pk] for dossier in decided] == [0, 4, 11]
    assert recorded[never_forwarded.pk] is None
    with connection.cursor() as cursor:
        cursor.execute("UPDATE workflows_decision SET service_id = NULL, working_days = NULL")
    migration = importlib.import_module("workflows.migrations.0021_decision_working_days")

    migration.fill(django_apps, SimpleNamespace(connection=connection))

    filled = Decision.objects.values_list("dossier_id", "service_id", "working_days")
    assert sorted(filled) == sorted(
        (dossier_id, building_permit.pk, days) for dossier_id, days in recorded.items()
    )


def test_the_workload_reads_the_dossiers_once_and_finds_its_people_among_the_counts(
    clerk_gitega, second_clerk_gitega, supervisor_gitega, office_gitega, building_permit
):
    at(office_gitega, clerk_gitega, building_permit, intake=True)
    at(office_gitega, second_clerk_gitega, building_permit, forwarded=True)
    second_clerk_gitega.is_active = False
    second_clerk_gitega.save()
    actor = Actor.for_user(supervisor_gitega)
    with CaptureQueriesContext(connection) as context:
        workload = supervision.workload(Dossier.objects.visible_to(actor), actor)
    # The counts, then the people: the scope's dossiers are read once, not again for holders.
    assert len(context) == 2
    assert ["workflows_dossier" in query["sql"] for query in context] == [True, False]
    rows = {row.name: (row.counts, row.is_active) for row in workload.rows}
    assert rows[second_clerk_gitega.get_full_name()] == ([0, 0, 0, 1, 0], False)
    assert rows[clerk_gitega.get_full_name()] == ([1, 0, 0, 0, 0], True)
