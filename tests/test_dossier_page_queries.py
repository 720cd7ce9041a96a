"""The staff's dossier page reads a fixed number of queries: as many for a dossier filed this
morning as for one with a long history, many attachments and payments (issue 12)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gup.query_planning import joins_in_written_order
from tests.factories import PASSWORD, AttachmentFactory, DossierFactory, PaymentFactory
from workflows.actions import perform
from workflows.scale.bench import is_savepoint

pytestmark = pytest.mark.django_db

#: The page's queries, the session and the signed-in user included.
MOST_QUERIES = 13


def in_review(building_permit, clerk, officer):
    return DossierFactory(
        counter=True,
        in_review=True,
        service=building_permit,
        office=clerk.office,
        clerk=clerk,
        officer=officer,
    )


def with_a_long_life(dossier, clerk, officer):
    """Twenty notes from both sides, five more attachments, three payments (one reversed)."""
    for n in range(10):
        perform(dossier.pk, "note_added", clerk, comment=f"Called the applicant ({n}).")
        perform(dossier.pk, "note_added", officer, comment=f"Plans checked ({n}).")
    for _ in range(5):
        AttachmentFactory(dossier=dossier, uploaded_by=clerk)
    payments = [PaymentFactory(dossier=dossier, recorded_by=clerk) for _ in range(3)]
    payments[0].reversed_at = payments[0].recorded_at
    payments[0].reversed_by = clerk
    payments[0].reversal_reason = "Recorded twice."
    payments[0].save()
    return dossier


def page_queries(client, user, dossier) -> int:
    client.login(username=user.username, password=PASSWORD)
    url = reverse("dossier_detail", args=[dossier.tracking_number])
    assert client.get(url).status_code == 200  # signed in, and the caches warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    # Reads only: not the savepoints that each ``atomic()`` becomes inside the test's
    # transaction (a real request never sends them), nor the planner's hint.
    return len(
        [
            query
            for query in captured
            if not is_savepoint(query["sql"]) and not query["sql"].startswith("SET LOCAL")
        ]
    )


@pytest.mark.parametrize("reader", ["clerk_gitega", "officer_urbanism"])
def test_a_long_history_costs_no_more_queries_than_a_short_one(
    client, request, building_permit, clerk_gitega, officer_urbanism, reader
):
    user = request.getfixturevalue(reader)
    short = in_review(building_permit, clerk_gitega, officer_urbanism)
    long = with_a_long_life(
        in_review(building_permit, clerk_gitega, officer_urbanism), clerk_gitega, officer_urbanism
    )

    queries = page_queries(client, user, short)

    assert page_queries(client, user, long) == queries
    assert queries <= MOST_QUERIES


@pytest.mark.parametrize("state", ["submitted", "returned", "in_review", "inspection", "collected"])
def test_the_page_stays_within_its_queries_whatever_the_state(
    client, building_permit, clerk_gitega, officer_urbanism, state
):
    dossier = DossierFactory(
        counter=True,
        state=state,
        service=building_permit,
        office=clerk_gitega.office,
        clerk=clerk_gitega,
        officer=officer_urbanism,
    )

    assert page_queries(client, clerk_gitega, dossier) <= MOST_QUERIES


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_the_pages_joins_are_planned_in_their_written_order_and_only_there(
    client, building_permit, clerk_gitega, officer_urbanism
):
    def join_collapse_limit():
        with connection.cursor() as cursor:
            cursor.execute("SHOW join_collapse_limit")
            return cursor.fetchone()[0]

    with joins_in_written_order():
        assert join_collapse_limit() == "1"
    assert join_collapse_limit() == "8"
    dossier = in_review(building_permit, clerk_gitega, officer_urbanism)
    client.login(username=clerk_gitega.username, password=PASSWORD)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("dossier_detail", args=[dossier.tracking_number]))
    statements = [query["sql"] for query in captured]
    hint = statements.index("SET LOCAL join_collapse_limit = 1")
    assert '"workflows_dossier"."tracking_number" =' in statements[hint + 1]
