"""Search, filters and bounded counts of the staff queues (``workflows.queue_search``)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD, DossierFactory, clock_at
from workflows import queue_search
from workflows.actors import Actor
from workflows.models import Dossier
from workflows.views import paging

COUNTER = "counter_queue"
REVIEW = "review_queue"


def get(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response


def listed(response) -> set:
    """The tracking numbers in the table of a queue page."""
    return {row.dossier.tracking_number for row in response.context["rows"]}


def signed_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def clerk_client(client, clerk_gitega):
    return signed_in(client, clerk_gitega)


@pytest.fixture
def officer_client(client, officer_urbanism):
    return signed_in(client, officer_urbanism)


@pytest.fixture
def eric(clerk_gitega, building_permit):
    return DossierFactory(
        counter=True,
        intake=True,
        service=building_permit,
        office=clerk_gitega.office,
        clerk=clerk_gitega,
        applicant_first_name="Éric",
        applicant_last_name="Ndayishimiyé",
        applicant_national_id="0412/778899",
        applicant_phone="+25779123456",
    )


@pytest.fixture
def jean(clerk_gitega, passport):
    return DossierFactory(
        counter=True,
        awaiting_payment=True,
        service=passport,
        office=clerk_gitega.office,
        clerk=clerk_gitega,
        applicant_first_name="Jean-Bosco",
        applicant_last_name="Nshimirimana",
        applicant_national_id="0555/000111",
        applicant_phone="+25761000111",
    )


@pytest.fixture
def eric_of_ngozi(clerk_ngozi, building_permit):
    """The same citizen's name and numbers, at another office."""
    return DossierFactory(
        counter=True,
        intake=True,
        service=building_permit,
        office=clerk_ngozi.office,
        clerk=clerk_ngozi,
        applicant_first_name="Éric",
        applicant_last_name="Ndayishimiyé",
        applicant_national_id="0412/778899",
        applicant_phone="+25779123456",
    )


def in_review(officer, office, service, **kwargs):
    return DossierFactory(in_review=True, service=service, office=office, officer=officer, **kwargs)


# --- Each search key ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["ndayishimiye", "NDAYISHIMIYÉ", "Ndayish", "éric", "ERIC NDAYI", "yishimi", "  eric  "],
)
def test_a_clerk_finds_a_dossier_by_part_of_the_name_accents_and_case_ignored(
    clerk_client, eric, jean, typed
):
    assert listed(get(clerk_client, COUNTER, q=typed, show="all")) == {eric.tracking_number}


def test_a_tracking_number_typed_loosely_finds_its_dossier(clerk_client, eric, jean):
    loose = eric.tracking_number.replace("-", " ").lower()
    assert listed(get(clerk_client, COUNTER, q=loose, show="all")) == {eric.tracking_number}


@pytest.mark.parametrize("typed", ["0412/778899", "0412/77", " 0412/778 "])
def test_a_national_id_finds_its_dossiers_whole_or_by_its_beginning(
    clerk_client, eric, jean, typed
):
    assert listed(get(clerk_client, COUNTER, q=typed, show="all")) == {eric.tracking_number}


@pytest.mark.parametrize("typed", ["79 12 34 56", "+257 79-12-34-56", "79123456", "0025779123456"])
def test_a_phone_written_as_people_write_it_finds_its_dossiers(clerk_client, eric, jean, typed):
    assert listed(get(clerk_client, COUNTER, q=typed, show="all")) == {eric.tracking_number}


def test_a_search_that_matches_nothing_lists_nothing(clerk_client, eric):
    response = get(clerk_client, COUNTER, q="Uwimana", show="all")
    assert listed(response) == set()
    assert 'class="empty"' in response.content.decode()


# --- Filters, with the search and the tabs ------------------------------------------------------


def test_filters_by_service_and_state_combine_with_the_tabs(
    clerk_client, eric, jean, building_permit, passport
):
    assert listed(get(clerk_client, COUNTER, service=passport.pk, show="all")) == {
        jean.tracking_number
    }
    # Jean's dossier awaits payment: not in the "to check" tab, whatever the filter.
    assert listed(get(clerk_client, COUNTER, service=passport.pk, show="to-check")) == set()
    assert listed(get(clerk_client, COUNTER, state="intake", show="all")) == {eric.tracking_number}
    both = get(clerk_client, COUNTER, state="intake", service=passport.pk, show="all")
    assert listed(both) == set()


def test_the_overdue_filter_keeps_the_late_dossiers(
    clerk_client, clerk_gitega, building_permit, jean
):
    with clock_at(datetime.datetime(2025, 1, 6, 9, 0, tzinfo=datetime.UTC)):
        late = DossierFactory(
            counter=True,
            intake=True,
            service=building_permit,
            office=clerk_gitega.office,
            clerk=clerk_gitega,
        )
    assert listed(get(clerk_client, COUNTER, overdue="on", show="all")) == {late.tracking_number}


def test_tabs_the_filters_rule_out_count_none_without_asking_the_database(
    clerk_client, clerk_gitega, passport
):
    with clock_at(datetime.datetime(2025, 1, 6, 9, 0, tzinfo=datetime.UTC)):
        for state in ("intake", "awaiting_payment", "returned"):
            DossierFactory(
                counter=True,
                service=passport,
                office=clerk_gitega.office,
                clerk=clerk_gitega,
                **{state: True},
            )

    with CaptureQueriesContext(connection) as context:
        response = get(clerk_client, COUNTER, overdue="on", show="all")

    # Late, but waiting for the citizen's payment or correction: their clock is paused.
    counts = {tab.key: tab.count for tab in response.context["tabs"]}
    assert counts == {
        "to-check": 1,
        "payment": 0,
        "citizen": 0,
        "at-institution": 0,
        "collection": 0,
        "all": 1,
    }
    [counting] = [query["sql"] for query in context if "COUNT(*)" in query["sql"]]
    assert counting.count("COUNT(*)") == 4, counting
    # A chosen state leaves every other tab out the same way.
    with CaptureQueriesContext(connection) as context:
        response = get(clerk_client, COUNTER, state="intake", show="all")
    assert {tab.key: tab.count for tab in response.context["tabs"]}["to-check"] == 1
    [counting] = [query["sql"] for query in context if "COUNT(*)" in query["sql"]]
    assert counting.count("COUNT(*)") == 2, counting


def test_search_and_filters_combine(clerk_client, eric, jean, passport, building_permit):
    assert listed(get(clerk_client, COUNTER, q="eric", service=passport.pk, show="all")) == set()
    found = get(clerk_client, COUNTER, q="eric", service=building_permit.pk, show="all")
    assert listed(found) == {eric.tracking_number}


def test_the_tabs_and_the_pager_carry_the_filters(
    clerk_client, clerk_gitega, building_permit, eric, monkeypatch
):
    DossierFactory(
        counter=True,
        intake=True,
        service=building_permit,
        office=clerk_gitega.office,
        clerk=clerk_gitega,
        applicant_last_name="Ndayishimiye",
    )
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    page = get(clerk_client, COUNTER, q="ndayishimiye", show="to-check").content.decode()
    assert "?show=all&amp;q=ndayishimiye" in page
    assert re.search(r"\?show=to-check&amp;after=[0-9-]+%2C[0-9]+&amp;q=ndayishimiye", page)
    assert 'name="show" value="to-check"' in page


def test_officers_filter_by_holder_and_province(
    officer_client,
    officer_urbanism,
    other_officer_urbanism,
    office_gitega,
    office_ngozi,
    building_permit,
    province_butanyerera,
):
    mine = in_review(officer_urbanism, office_gitega, building_permit)
    theirs = in_review(other_officer_urbanism, office_ngozi, building_permit)
    nobodys = DossierFactory(forwarded=True, service=building_permit, office=office_gitega)

    def found(**params):
        return listed(get(officer_client, REVIEW, show="all", **params))

    assert found(holder="me") == {mine.tracking_number}
    assert found(holder="none") == {nobodys.tracking_number}
    assert found(holder=str(other_officer_urbanism.pk)) == {theirs.tracking_number}
    assert found(province=province_butanyerera.pk) == {theirs.tracking_number}
    assert found(province=province_butanyerera.pk, holder="me") == set()
    # With the tabs: "to claim" lists only what nobody holds.
    assert listed(get(officer_client, REVIEW, show="to-claim", holder="me")) == set()


# --- Scope --------------------------------------------------------------------------------------


def test_a_clerk_of_another_office_finds_nothing_of_gitega(
    client, clerk_ngozi, eric, eric_of_ngozi
):
    signed_in(client, clerk_ngozi)
    for typed in ("eric", eric.tracking_number, "0412/778899", "79 12 34 56"):
        assert eric.tracking_number not in listed(get(client, COUNTER, q=typed, show="all"))
    assert listed(get(client, COUNTER, q="eric", show="all")) == {eric_of_ngozi.tracking_number}


def test_an_officer_of_another_institution_finds_nothing(
    client, officer_migration, officer_urbanism, office_gitega, building_permit
):
    ours = in_review(officer_urbanism, office_gitega, building_permit, applicant_last_name="Kaze")
    signed_in(client, officer_migration)
    for typed in ("kaze", ours.tracking_number, ours.applicant_national_id):
        response = get(client, REVIEW, q=typed, show="all")
        assert listed(response) == set()
        assert all(tab.count == 0 for tab in response.context["tabs"])


def test_a_colleague_of_another_institution_is_refused(
    officer_client, officer_urbanism, officer_migration, office_gitega, building_permit
):
    ours = in_review(officer_urbanism, office_gitega, building_permit)
    response = get(officer_client, REVIEW, holder=str(officer_migration.pk), show="all")
    page = response.content.decode()
    assert "holder" in response.context["search"].errors
    assert 'role="alert"' in page
    assert listed(response) == {ours.tracking_number}
    # Nor is the other institution's officer offered as a choice.
    assert officer_migration.username not in page


def test_the_counter_has_no_province_filter_and_filters_by_clerk(clerk_client, eric):
    form = get(clerk_client, COUNTER).context["search"]
    assert "province" not in form.fields
    # The holder at the counter is the clerk (tests/test_assignment.py).
    assert "holder" in form.fields


# --- Bad parameters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"state": "on-the-moon"},
        {"service": "'; DROP TABLE"},
        {"service": "999999999"},
        {"province": "abc"},
        {"holder": "99999"},
        {"q": "x" * (queue_search.MAX_QUERY_LENGTH + 1)},
        {"q": "ab"},
        {"q": "12 !!"},
        {"page": "-3", "show": "nowhere"},
    ],
)
def test_bad_parameters_say_so_and_list_the_scoped_queue(clerk_client, eric, eric_of_ngozi, params):
    response = get(clerk_client, COUNTER, **params)
    assert listed(response) == {eric.tracking_number}
    if set(params) - {"page", "show", "province", "holder"}:
        assert response.context["search"].errors
        assert 'role="alert"' in response.content.decode()


# --- Counts -------------------------------------------------------------------------------------


def test_tab_counts_are_bounded(clerk_client, clerk_gitega, building_permit, eric, monkeypatch):
    for _ in range(2):
        DossierFactory(
            counter=True,
            intake=True,
            service=building_permit,
            office=clerk_gitega.office,
            clerk=clerk_gitega,
        )
    monkeypatch.setattr(queue_search, "COUNT_BOUND", 2)
    tabs = {tab.key: tab for tab in get(clerk_client, COUNTER).context["tabs"]}
    assert tabs["to-check"].count_label == "2+"
    assert tabs["payment"].count_label == "0"
    page = get(clerk_client, COUNTER, q="eric").context["tabs"]
    assert {tab.key: tab.count_label for tab in page}["to-check"] == "1"


def test_counts_read_at_most_the_bound_plus_one(clerk_gitega, building_permit, eric, jean):
    visible = Dossier.objects.visible_to(clerk_gitega)
    counts = queue_search.bounded_counts({"all": visible, "none": visible.none()}, bound=1)
    assert counts == {"all": 2, "none": 0}


def filed_for(clerk, service, first_name, last_name, state="intake"):
    """A dossier at ``clerk``'s office, held by them, for an applicant of that name."""
    return DossierFactory(
        counter=True,
        service=service,
        office=clerk.office,
        clerk=clerk,
        applicant_first_name=first_name,
        applicant_last_name=last_name,
        **{state: True},
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one pass is PostgreSQL's")
@pytest.mark.parametrize("matched_bound", [5000, 1])
def test_a_name_search_counts_its_tabs_as_the_tabs_list_them(
    clerk_client, clerk_gitega, building_permit, passport, eric, monkeypatch, matched_bound
):
    """Counted in one pass over the matches (or tab by tab, past ``MATCHED_BOUND``), each tab's
    count is the number of dossiers it lists for that name."""
    for state in ("intake", "awaiting_payment", "intake"):
        filed_for(clerk_gitega, passport, "Éric", "Ndayishimiye", state)
    # Named, so that the factory's turn of names never makes it a namesake.
    filed_for(clerk_gitega, building_permit, "Gloriose", "Uwimana")
    monkeypatch.setattr(queue_search, "MATCHED_BOUND", matched_bound)
    tabs = get(clerk_client, COUNTER, q="ndayishimiye").context["tabs"]

    for tab in tabs:
        assert tab.count == len(listed(get(clerk_client, COUNTER, q="ndayishimiye", show=tab.key)))
    assert {tab.key: tab.count for tab in tabs}["to-check"] == 3
    assert {tab.key: tab.count for tab in tabs}["all"] == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one pass is PostgreSQL's")
@pytest.mark.parametrize(("kept_bound", "lookups"), [(500, 1), (1, 2)])
def test_a_name_search_looks_the_name_up_once_and_pages_through_its_matches(
    clerk_client, clerk_gitega, passport, monkeypatch, kept_bound, lookups
):
    """Once when the tab's matches are few enough to be kept (``KEPT_BOUND``), twice else."""
    namesakes = [
        filed_for(clerk_gitega, passport, first, "Ndayishimiye")
        for first in ("Aline", "Éric", "Gloriose")
    ]
    filed_for(clerk_gitega, passport, "Pacifique", "Uwimana")
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    monkeypatch.setattr(queue_search, "KEPT_BOUND", kept_bound)
    expected = [
        dossier.tracking_number for dossier in sorted(namesakes, key=lambda d: (d.due_date, d.pk))
    ]

    with CaptureQueriesContext(connection) as context:
        first = get(clerk_client, COUNTER, q="ndayishimiye", show="to-check")
    # The trigram search runs once: the count's pass keeps the matches, the page reads them by id.
    assert len([q for q in context if "gup_normalize" in q["sql"]]) == lookups
    assert [row.dossier.tracking_number for row in first.context["rows"]] == expected[:2]
    cursor = first.context["page"].next_cursor
    second = get(clerk_client, COUNTER, q="ndayishimiye", show="to-check", after=cursor)
    assert [row.dossier.tracking_number for row in second.context["rows"]] == expected[2:]
    assert {tab.key: tab.count for tab in first.context["tabs"]}["to-check"] == 3


# --- Queries and indexes ------------------------------------------------------------------------


def queries(client, name, params) -> int:
    with CaptureQueriesContext(connection) as context:
        get(client, name, **params)
    return len(context)


# A name search that matches nothing in the tab reads no page: its count's one pass found the
# tab empty (``queue_search.matches_by_tab``).
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"show": "all"}, 8),
        ({"show": "all", "q": "ndayishimiye", "state": "in_review", "overdue": "on"}, 7),
        ({"show": "to-claim", "q": "0412/", "holder": "none"}, 8),
    ],
)
def test_review_queue_issues_a_fixed_number_of_queries(
    officer_client,
    officer_urbanism,
    office_gitega,
    building_permit,
    province_gitega,
    monkeypatch,
    params,
    expected,
):
    for _ in range(4):
        in_review(officer_urbanism, office_gitega, building_permit)
    params = {**params, "province": province_gitega.pk, "service": building_permit.pk}
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    with_one = queries(officer_client, REVIEW, params)
    monkeypatch.setattr(paging, "PAGE_SIZE", 10)
    assert queries(officer_client, REVIEW, params) == with_one
    # Session, user, the heading's institution, services, provinces, colleagues, counts, rows.
    assert with_one == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [({"show": "all"}, 7), ({"show": "all", "q": "eric", "state": "intake", "overdue": "on"}, 6)],
)
def test_counter_queue_issues_a_fixed_number_of_queries(
    clerk_client, clerk_gitega, building_permit, eric, jean, monkeypatch, params, expected
):
    for _ in range(3):
        DossierFactory(
            counter=True,
            intake=True,
            service=building_permit,
            office=clerk_gitega.office,
            clerk=clerk_gitega,
        )
    params = {**params, "service": building_permit.pk}
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    with_one = queries(clerk_client, COUNTER, params)
    monkeypatch.setattr(paging, "PAGE_SIZE", 10)
    assert queries(clerk_client, COUNTER, params) == with_one
    # Session, user, the heading's office, services, colleagues, counts, rows.
    assert with_one == expected


def searched(actor_user, typed):
    form = queue_search.QueueSearch({"q": typed}, actor=Actor.for_user(actor_user))
    assert form.is_valid(), form.errors
    return form.apply(Dossier.objects.visible_to(actor_user))


def plan(queryset) -> str:
    """The plan when the planner may not read the whole table: on a test database of a few
    rows a sequential scan, or the scope's own index, would always win."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


# The auditor's scope is the whole table: what is left to serve the search is its own index.
# (In an office's or an institution's scope, the planner combines it with the scope's index or
# reads the scope's rows, whichever it estimates cheaper.)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_the_name_search_uses_the_trigram_index(auditor, eric):
    found = searched(auditor, "ndayishimiye")
    assert "dossier_applicant_name_trgm" in plan(found)
    assert [dossier.pk for dossier in found] == [eric.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="operator classes are PostgreSQL's")
@pytest.mark.parametrize(
    ("typed", "index"),
    [("0412/77", "dossier_national_id_prefix"), ("79 12 34 56", "dossier_phone_prefix")],
)
def test_national_id_and_phone_searches_use_their_indexes(auditor, eric, typed, index):
    assert index in plan(searched(auditor, typed))
