"""What each row of the staff queues says (``workflows.queue_rows``): filing date and age in
working days, the expected date with overdue standing out, the citizen's answer, what is new from
the province, and who holds the dossier."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD, DossierFactory, clock_at, step_inputs
from workflows.actions import perform
from workflows.deadlines import add_working_days, is_working_day
from workflows.states import DossierState as S
from workflows.views import paging

COUNTER = "counter_queue"
REVIEW = "review_queue"


def signed_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def clerk_client(client, clerk_gitega):
    return signed_in(client, clerk_gitega)


@pytest.fixture
def officer_client(officer_urbanism):
    return signed_in(Client(), officer_urbanism)


def get(client, name, **params):
    response = client.get(reverse(name), {"show": "all", **params})
    assert response.status_code == 200
    return response


def row_of(response, dossier):
    (row,) = [r for r in response.context["rows"] if r.dossier.pk == dossier.pk]
    return row


def cells_of(response, dossier) -> str:
    """The HTML of the dossier's table row."""
    page = response.content.decode()
    match = re.search(
        r"<tr[^>]*>((?:(?!</tr>).)*?" + dossier.tracking_number + r".*?)</tr>", page, re.S
    )
    assert match, dossier.tracking_number
    return match.group(1)


def at_counter(clerk, service, **kwargs):
    return DossierFactory(counter=True, service=service, office=clerk.office, clerk=clerk, **kwargs)


def step(dossier, name, actor):
    return perform(
        dossier.pk, name, actor, expected_state=dossier.state, **step_inputs(dossier, name)
    )


# --- Filing date and age ----------------------------------------------------------------------


def test_age_counts_working_days_only_over_a_weekend_and_a_holiday(
    clerk_client, clerk_gitega, building_permit
):
    # Filed on Friday 27 June 2025; Tuesday 1 July is Independence Day.
    with clock_at(datetime.datetime(2025, 6, 27, 9, 0, tzinfo=datetime.UTC)):
        dossier = at_counter(clerk_gitega, building_permit, intake=True)
    assert not is_working_day(datetime.date(2025, 7, 1))
    with clock_at(datetime.datetime(2025, 7, 2, 9, 0, tzinfo=datetime.UTC)):
        response = get(clerk_client, COUNTER)
    row = row_of(response, dossier)
    assert row.filed_on == datetime.date(2025, 6, 27)
    # Monday 30 June and Wednesday 2 July: not the weekend, not the holiday.
    assert row.age == 2
    # The pages speak French by default (LANGUAGE_CODE).
    assert '27/06/2025 <span class="age">(2 jours ouvrables)</span>' in cells_of(response, dossier)


# --- Deadline ---------------------------------------------------------------------------------


def test_overdue_shows_in_words_only_when_overdue(clerk_client, clerk_gitega, building_permit):
    with clock_at(datetime.datetime(2025, 1, 6, 9, 0, tzinfo=datetime.UTC)):
        dossier = at_counter(clerk_gitega, building_permit, intake=True)
    due = dossier.due_date

    with clock_at(datetime.datetime.combine(due, datetime.time(9))):
        on_time = get(clerk_client, COUNTER)
    row = row_of(on_time, dossier)
    assert not row.is_overdue and row.overdue_by == 0
    assert 'class="badge"' not in cells_of(on_time, dossier)
    assert 'class="overdue"' not in on_time.content.decode()

    late_day = add_working_days(due, 3)
    with clock_at(datetime.datetime.combine(late_day, datetime.time(9))):
        late = get(clerk_client, COUNTER)
    row = row_of(late, dossier)
    assert row.is_overdue and row.overdue_by == 3
    badge = re.search(r'<strong class="badge">(.*?)</strong>', cells_of(late, dossier), re.S)
    assert badge and badge.group(1) == "En retard (3 jours ouvrables)"
    assert 'class="overdue"' in late.content.decode()


# --- The citizen has answered -----------------------------------------------------------------


def test_the_answer_marker_shows_after_resubmit_and_goes_with_the_next_staff_step(
    clerk_client, clerk_gitega, building_permit
):
    # At the counter: intake → returned for correction → resubmitted (the clerk for the citizen).
    dossier = at_counter(clerk_gitega, building_permit, submitted=True)
    assert dossier.history.order_by("-position").first().kind == "resubmit"
    other = at_counter(clerk_gitega, building_permit, intake=True)

    response = get(clerk_client, COUNTER)
    assert row_of(response, dossier).citizen_answered
    assert not row_of(response, other).citizen_answered
    assert 'class="marker"' in cells_of(response, dossier)
    assert 'class="marker"' not in cells_of(response, other)

    step(dossier, "start_intake", clerk_gitega)
    response = get(clerk_client, COUNTER)
    assert not row_of(response, dossier).citizen_answered
    assert 'class="marker"' not in cells_of(response, dossier)


def test_the_answer_marker_shows_after_information_is_provided(
    officer_client, officer_urbanism, clerk_gitega, building_permit
):
    dossier = at_counter(
        clerk_gitega, building_permit, information_requested=True, officer=officer_urbanism
    )
    dossier = step(dossier, "provide_information", clerk_gitega)
    assert dossier.state == S.IN_REVIEW
    response = get(officer_client, REVIEW)
    assert row_of(response, dossier).citizen_answered
    assert 'class="marker"' in cells_of(response, dossier)


# --- New from the province, and who holds the dossier -----------------------------------------


def test_new_from_the_province_marks_only_forwarded_dossiers_in_the_review_queue(
    officer_client, clerk_client, officer_urbanism, clerk_gitega, building_permit
):
    new = at_counter(clerk_gitega, building_permit, forwarded=True)
    claimed = at_counter(clerk_gitega, building_permit, in_review=True, officer=officer_urbanism)

    review = get(officer_client, REVIEW)
    assert row_of(review, new).new_from_province
    assert not row_of(review, claimed).new_from_province
    assert 'class="marker"' in cells_of(review, new)
    assert 'class="marker"' not in cells_of(review, claimed)

    # The office sent it: at the counter it is not news.
    counter = get(clerk_client, COUNTER)
    assert not row_of(counter, new).new_from_province
    assert 'class="marker"' not in cells_of(counter, new)


def test_the_officer_holding_the_dossier_is_named(
    officer_client, clerk_client, officer_urbanism, clerk_gitega, building_permit
):
    officer_urbanism.first_name, officer_urbanism.last_name = "Claudine", "Niyonzima"
    officer_urbanism.save()
    nobody = at_counter(clerk_gitega, building_permit, forwarded=True)
    held = at_counter(clerk_gitega, building_permit, in_review=True, officer=officer_urbanism)

    review = get(officer_client, REVIEW)
    assert row_of(review, held).holder == "Claudine Niyonzima"
    assert "Claudine Niyonzima" in cells_of(review, held)
    assert row_of(review, nobody).holder == ""
    assert "—" in cells_of(review, nobody)
    # At the counter the holder is the office's clerk; the officer is named beside them.
    counter = get(clerk_client, COUNTER)
    assert row_of(counter, held).holder == clerk_gitega.get_full_name()
    assert row_of(counter, held).officer == "Claudine Niyonzima"
    # The queues speak French by default (``institution : …``, with a no-break space).
    assert "(institution\xa0: Claudine Niyonzima)" in cells_of(counter, held)
    assert row_of(counter, nobody).officer == ""


# --- Queries and small screens ----------------------------------------------------------------


def queries(client, name) -> int:
    with CaptureQueriesContext(connection) as context:
        get(client, name)
    return len(context)


@pytest.mark.parametrize("queue", [COUNTER, REVIEW])
def test_the_rows_cost_no_query_whatever_the_page_size(
    queue,
    clerk_client,
    officer_client,
    clerk_gitega,
    officer_urbanism,
    building_permit,
    monkeypatch,
):
    for state in ("submitted", "forwarded", "in_review", "information_requested", "intake"):
        at_counter(clerk_gitega, building_permit, officer=officer_urbanism, **{state: True})
    at_counter(clerk_gitega, building_permit, in_review=True, officer=officer_urbanism)
    client = clerk_client if queue == COUNTER else officer_client
    monkeypatch.setattr(paging, "PAGE_SIZE", 1)
    with_one = queries(client, queue)
    monkeypatch.setattr(paging, "PAGE_SIZE", 20)
    with_all = queries(client, queue)
    assert len(get(client, queue).context["rows"]) >= 3
    assert with_all == with_one


@pytest.mark.parametrize("queue", [COUNTER, REVIEW])
def test_the_rows_read_only_what_they_show(
    queue, clerk_client, officer_client, clerk_gitega, officer_urbanism, building_permit
):
    at_counter(clerk_gitega, building_permit, in_review=True, officer=officer_urbanism)
    client = clerk_client if queue == COUNTER else officer_client
    with CaptureQueriesContext(connection) as context:
        page = get(client, queue)
    assert page.context["rows"]
    dossier_queries = [
        query["sql"] for query in context if 'FROM "workflows_dossier"' in query["sql"]
    ]
    assert dossier_queries
    # Not the services' descriptions in three languages, nor the staff's password hashes.
    for sql in dossier_queries:
        assert "description_" not in sql and '"password"' not in sql, sql


def test_the_tab_counts_do_not_compute_the_row_facts(clerk_gitega, building_permit):
    from workflows.models import Dossier
    from workflows.queue_search import bounded_counts

    at_counter(clerk_gitega, building_permit, intake=True)
    queue = Dossier.objects.visible_to(clerk_gitega).for_queue()
    with CaptureQueriesContext(connection) as context:
        assert bounded_counts({"all": queue}) == {"all": 1}
    assert "workflows_historyentry" not in context.captured_queries[0]["sql"]


def test_the_table_stacks_on_a_360_px_phone_and_labels_the_new_cells(
    clerk_client, clerk_gitega, building_permit
):
    """At 360 px (22.5rem, under the 40rem breakpoint) the table's head is hidden and each cell
    is a block of its own; the cells that would be unclear alone carry their label."""
    css = (Path(settings.BASE_DIR) / "gup/static/css/gup.css").read_text()
    phone = re.findall(r"@media \(max-width:40rem\)\{(.*?)\}\s*\n", css)
    rules = " ".join(phone)
    assert ".queue thead{display:none}" in rules
    assert ".queue td{display:block" in rules
    assert ".queue td[data-label]::before{content:attr(data-label)" in rules
    dossier = at_counter(clerk_gitega, building_permit, intake=True)
    cells = cells_of(get(clerk_client, COUNTER), dossier)
    assert cells.count("data-label=") == 2
    # No fixed width anywhere in the queue's rules that could push the page sideways.
    queue_rules = " ".join(line for line in css.splitlines() if ".queue" in line)
    assert not re.search(r"\.queue[^{]*\{[^}]*(?<![-\w])width:\s*\d+(px|rem)", queue_rules)
