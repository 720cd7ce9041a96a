"""Personal data: national ID and phone masked in logs, whole only on the dossier page, absent
from staff lists and public pages."""

import logging
import logging.config

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from gup.personal_data import HIDDEN, mask_in_text, mask_national_id
from tests.factories import dossier_in_state
from workflows.states import DossierState as S

NATIONAL_ID = "0412/123.678"
PHONE = "+25779123456"


def test_a_national_id_keeps_its_ends_and_separators():
    assert mask_national_id(NATIONAL_ID) == "0412/***.678"
    assert mask_national_id("432.1098/765") == "432.1***/765"
    assert mask_national_id("12/34") == HIDDEN
    assert mask_national_id("") == HIDDEN


@hypothesis_settings(deadline=None)
@given(st.text(alphabet="0123456789/.-", min_size=1, max_size=32))
def test_a_masked_national_id_never_shows_its_middle(number):
    masked = mask_national_id(number)
    digits = [c for c in number if c.isalnum()]
    if masked == HIDDEN:
        return
    assert len(masked) == len(number)
    shown = [c for c in masked if c.isalnum()]
    assert len(shown) == 7 and len(digits) >= 10
    assert masked.count("*") == len(digits) - 7


def test_logs_mask_phones_and_national_ids_and_leave_other_figures(capsys):
    logging.config.dictConfig(settings.LOGGING)
    try:
        logging.getLogger("workflows").warning(
            "Applicant %s (ID %s) paid 150.000 BIF on 2026/11/25 for GIT-2026-000123-7",
            PHONE,
            NATIONAL_ID,
        )
        written = capsys.readouterr().err
    finally:
        with capsys.disabled():
            logging.config.dictConfig(settings.LOGGING)
    assert PHONE not in written and NATIONAL_ID not in written
    assert "+257 79 ** ** 56" in written and "0412/***.678" in written
    assert "150.000 BIF on 2026/11/25 for GIT-2026-000123-7" in written


def test_mask_in_text_hides_every_occurrence():
    text = mask_in_text(f"{PHONE}, {PHONE}; {NATIONAL_ID}")
    assert PHONE not in text and NATIONAL_ID not in text


def test_filters_for_lists():
    template = Template("{% load gup_format %}{{ n|masked_national_id }} {{ p|masked_phone }}")
    assert template.render(Context({"n": NATIONAL_ID, "p": PHONE})) == (
        "0412/***.678 +257 79 ** ** 56"
    )
    assert Template("{% load gup_format %}[{{ n|masked_phone }}]").render(Context({})) == "[]"


@pytest.fixture
def dossier(building_permit, office_gitega, clerk_gitega):
    return dossier_in_state(
        S.SUBMITTED,
        service=building_permit,
        office=office_gitega,
        applicant_national_id=NATIONAL_ID,
        applicant_phone=PHONE,
    )


def shows_personal_data(page: str, typed: str = "") -> bool:
    """The page shows the applicant's ID or phone, other than in the search box they typed."""
    if typed:
        page = page.replace(f'value="{escape(typed)}"', "")
    return any(
        whole in page for whole in (NATIONAL_ID, PHONE, "79 12 34 56", "79123456", "0412/123")
    )


def test_the_dossier_page_shows_them_whole_for_the_clerk(client, dossier, clerk_gitega):
    client.force_login(clerk_gitega)
    page = client.get(reverse("dossier_detail", args=[dossier.tracking_number])).content.decode()
    assert NATIONAL_ID in page and "79 12 34 56" in page


@pytest.mark.parametrize("query", [NATIONAL_ID, "79 12 34 56", "Ndayishimiye", ""])
def test_staff_lists_and_search_results_do_not_show_them(
    client, dossier, clerk_gitega, supervisor_gitega, query
):
    client.force_login(clerk_gitega)
    page = client.get(reverse("counter_queue"), {"q": query, "show": "all"}).content.decode()
    assert dossier.tracking_number in page or query == "Ndayishimiye"
    assert not shows_personal_data(page, query)
    client.force_login(supervisor_gitega)
    for name in ("supervision", "counter_queue"):
        page = client.get(reverse(name), {"q": query}).content.decode()
        assert not shows_personal_data(page, query)


def test_the_public_tracking_page_shows_neither(client, dossier):
    page = client.post(
        reverse("track"), {"tracking_number": dossier.tracking_number, "phone_digits": "3456"}
    ).content.decode()
    assert dossier.tracking_number in page
    assert not shows_personal_data(page)
