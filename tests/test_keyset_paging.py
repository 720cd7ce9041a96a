"""Deep pages cost what the first page costs: queues and the audit list are paged by keyset, and
a row's age costs the same whether the dossier was filed last week or ten years ago."""

import datetime
import io
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from gup.accounts.models import User
from gup.roles import Role
from workflows import deadlines, working_days
from workflows.models import Dossier
from workflows.views import paging

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r'href="/dossiers/([A-Z]{3}-[0-9]{4}-[0-9]{6}-[A-Z0-9])/"')
NEXT = re.compile(r'href="\?([^"]*after=[^"]*)"')
PREVIOUS = re.compile(r'href="\?([^"]*before=[^"]*)"')


@pytest.fixture
def generated(monkeypatch):
    call_command("generate_dossiers", count=150, seed=11, stdout=io.StringIO())
    monkeypatch.setattr(paging, "PAGE_SIZE", 7)


def busiest(role, place):
    """A member of staff of the office (or institution) with the most dossiers."""
    counts = Count(f"{place}__dossiers")
    return User.objects.filter(role=role).annotate(n=counts).order_by("-n", "pk").first()


def client_of(user):
    client = Client()
    client.force_login(user)
    # The first request of a staff session writes when it was seen (gup.accounts.sessions), at
    # most once a minute after that: out of the pages whose queries are counted.
    client.get("/")
    return client


def walk(client, url):
    """Every page of a list, following "Next": the numbers shown, the query count of each."""
    numbers, queries, pages = [], [], []
    while url:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        pages.append(url)
        numbers += NUMBER.findall(page)
        queries.append(len(captured))
        following = NEXT.search(page)
        url = "?" + unescape(following.group(1)) if following else None
        url = url and url.replace("?", url_base(pages[0]) + "?", 1)
    return numbers, queries, pages


def url_base(url):
    return url.split("?", 1)[0]


def test_following_next_shows_each_dossier_of_the_office_once_in_due_order_at_a_flat_cost(
    generated,
):
    clerk = busiest(Role.CLERK, "office")
    numbers, queries, pages = walk(client_of(clerk), "/counter/?show=all")

    expected = list(
        Dossier.objects.filter(office=clerk.office, tracking_number__isnull=False)
        .order_by("due_date", "id")
        .values_list("tracking_number", flat=True)
    )
    assert numbers == expected
    assert len(pages) >= 3
    assert len(set(queries)) == 1  # page 1 and the last page: the same queries


def test_previous_goes_back_to_the_page_before(generated):
    clerk = busiest(Role.CLERK, "office")
    client = client_of(clerk)
    first = client.get("/counter/?show=all").content.decode()
    second_url = "/counter/?" + unescape(NEXT.search(first).group(1))
    second = client.get(second_url).content.decode()
    back = client.get("/counter/?" + unescape(PREVIOUS.search(second).group(1))).content.decode()

    assert NUMBER.findall(back) == NUMBER.findall(first)
    assert set(NUMBER.findall(second)).isdisjoint(NUMBER.findall(first))


@pytest.mark.parametrize("cursor", ["nonsense", "2026-13-40,5", ",", "2026-01-01,x"])
def test_a_malformed_cursor_shows_the_first_page(generated, cursor):
    clerk = busiest(Role.CLERK, "office")
    client = client_of(clerk)
    first = NUMBER.findall(client.get("/counter/?show=all").content.decode())
    response = client.get("/counter/", {"show": "all", "after": cursor})

    assert response.status_code == 200
    assert NUMBER.findall(response.content.decode()) == first


def test_the_institution_queue_pages_by_keyset_too(generated):
    officer = busiest(Role.OFFICER, "institution")
    numbers, queries, _pages = walk(client_of(officer), "/review/?show=all")

    assert len(numbers) == Dossier.objects.filter(institution=officer.institution).count()
    assert len(set(numbers)) == len(numbers)
    assert len(set(queries)) == 1


def test_the_audit_list_shows_filed_dossiers_latest_first_and_no_draft(generated):
    auditor = User.objects.get(role=Role.AUDITOR)
    numbers, queries, pages = walk(client_of(auditor), "/audit/")

    expected = list(
        Dossier.objects.filter(submitted_at__isnull=False)
        .order_by("-submitted_at", "-id")
        .values_list("tracking_number", flat=True)
    )
    assert numbers == expected
    assert Dossier.objects.filter(tracking_number__isnull=True).exists()  # drafts, left out
    assert len(set(queries)) == 1 and len(pages) > 3
    assert "/dossiers/None/" not in client_of(auditor).get("/audit/").content.decode()


@given(
    start=st.dates(datetime.date(1995, 1, 1), datetime.date(2040, 12, 31)),
    end=st.dates(datetime.date(1995, 1, 1), datetime.date(2040, 12, 31)),
)
def test_queue_ages_count_working_days_as_the_deadlines_do(start, end):
    counted = working_days.working_days_between(start, end)
    assert counted == deadlines.working_days_between(start, end)


def test_the_load_test_browses_deep_pages_by_the_next_link_it_finds(generated):
    """The load test's clerks and officers go deep by "Next" (``tests/load/mix.NEXT_PAGE``), as
    people do: the cursor it reads off a page leads to the page after it."""
    from tests.load import mix

    clerk = busiest(Role.CLERK, "office")
    client = client_of(clerk)
    first = client.get("/counter/?show=all").content.decode()
    cursor = mix.NEXT_PAGE.search(first).group(1)
    second = client.get(f"/counter/?show=all&after={cursor}").content.decode()

    expected = list(
        Dossier.objects.filter(office=clerk.office, tracking_number__isnull=False)
        .order_by("due_date", "id")
        .values_list("tracking_number", flat=True)[paging.PAGE_SIZE : 2 * paging.PAGE_SIZE]
    )
    assert NUMBER.findall(second) == expected
