"""``/track/`` and the citizen's own page read a fixed number of queries whatever the dossier's
history (issue 12: they read one more query per history row)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import DossierFactory
from workflows.actions import perform
from workflows.states import DossierState as S

pytestmark = pytest.mark.django_db

PHONE = "+25779123456"


def at_intake(citizen, clerk, returns: int):
    """A dossier at intake that was returned for correction and resubmitted ``returns`` times
    (three public history rows each)."""
    dossier = DossierFactory(
        intake=True,
        office=clerk.office,
        clerk=clerk,
        applicant_account=citizen,
        applicant_phone=PHONE,
    )
    for n in range(returns):
        perform(dossier.pk, "return_for_correction", clerk, comment=f"Page {n} is unreadable.")
        perform(dossier.pk, "resubmit", citizen, comment="Scanned again.")
        perform(dossier.pk, "start_intake", clerk, expected_state=S.SUBMITTED)
    return dossier


def queries(client, method, url, data=None) -> tuple[int, str]:
    getattr(client, method)(url, data)  # sessions, translations: warm
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_track_and_the_citizens_page_cost_the_same_for_a_long_history(citizen, clerk_gitega):
    short, long = at_intake(citizen, clerk_gitega, 0), at_intake(citizen, clerk_gitega, 5)
    assert long.history.public().count() >= short.history.public().count() + 15
    signed_in = Client()
    signed_in.force_login(citizen)

    def track(dossier):
        data = {"tracking_number": dossier.tracking_number, "phone_digits": PHONE[-4:]}
        visitor = Client()
        visitor.cookies["django_language"] = "en"
        return queries(visitor, "post", reverse("track"), data)

    def follow(dossier):
        return queries(signed_in, "get", reverse("citizen_follow", args=[dossier.public_id]))

    (short_count, _page), (long_count, page) = track(short), track(long)
    assert long_count == short_count
    assert page.count("Returned for correction") == 5
    (short_count, _page), (long_count, page) = follow(short), follow(long)
    assert long_count == short_count
    # The whole history is on the page, the office's reasons included.
    assert all(f"Page {n} is unreadable." in page for n in range(5))
