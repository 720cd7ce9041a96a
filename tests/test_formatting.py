"""Money, dates and phone numbers: written one way, in every language and on every page."""

import datetime
import uuid

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import formats, translation

from gup.formatting import day, moment, money, phone, short_day
from services.answers import AnswersForm
from services.models import FieldKind
from tests.factories import PASSWORD, DossierFactory, ServiceFieldFactory, clock_at
from workflows import public_status
from workflows.applicant import ApplicantForm

NBSP = "\u00a0"
NOVEMBER_25 = datetime.date(2026, 11, 25)
#: 12:30 UTC is 14:30 in Bujumbura (UTC+2, no summer time).
HALF_PAST_NOON_UTC = datetime.datetime(2026, 11, 25, 12, 30, tzinfo=datetime.UTC)
PHONE = "+25779123456"


def render(template: str, **context) -> str:
    return engines["django"].from_string("{% load gup_format %}" + template).render(context)


def page(client, url, language, method="get", **data):
    client.cookies["django_language"] = language
    return getattr(client, method)(url, data).content.decode()


# --- The functions, in each language ----------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "amount", "big"),
    [
        # No-break spaces: the amount and its currency stay on one line of a phone screen.
        ("fr", f"235{NBSP}000{NBSP}BIF", f"1{NBSP}234{NBSP}567{NBSP}BIF"),
        # Kirundi groups as Burundi writes French, with a space.
        ("rn", f"235{NBSP}000{NBSP}BIF", f"1{NBSP}234{NBSP}567{NBSP}BIF"),
        ("en", f"235,000{NBSP}BIF", f"1,234,567{NBSP}BIF"),
    ],
)
def test_money_is_whole_francs_grouped_the_languages_way(language, amount, big):
    with translation.override(language):
        assert money(235_000) == amount
        assert money(1_234_567) == big
        assert money(500) == f"500{NBSP}BIF"
        assert money(0) == f"0{NBSP}BIF"
        assert money(None) == ""


@pytest.mark.parametrize(
    ("language", "long", "with_time"),
    [
        ("fr", "25 novembre 2026", "25 novembre 2026, 14:30"),
        ("rn", "25 Munyonyo 2026", "25 Munyonyo 2026, 14:30"),
        ("en", "25 November 2026", "25 November 2026, 14:30"),
    ],
)
def test_dates_are_day_first_with_the_month_in_words_and_a_24_hour_time(language, long, with_time):
    with translation.override(language):
        assert day(NOVEMBER_25) == long
        assert moment(HALF_PAST_NOON_UTC) == with_time
        assert short_day(NOVEMBER_25) == "25/11/2026"
        assert short_day(HALF_PAST_NOON_UTC) == "25/11/2026"
        assert day(None) == moment(None) == short_day(None) == ""


def test_a_moment_is_told_in_burundis_time_zone():
    late_in_utc = datetime.datetime(2026, 11, 25, 23, 30, tzinfo=datetime.UTC)

    with translation.override("en"):
        assert day(late_in_utc) == "26 November 2026"
        assert short_day(late_in_utc) == "26/11/2026"
        assert moment(late_in_utc) == "26 November 2026, 01:30"


@pytest.mark.parametrize("language", ["fr", "rn", "en"])
def test_djangos_date_filter_agrees_with_the_functions(language):
    """Templates still using ``|date`` with a named format show the same day-first dates."""
    with translation.override(language):
        assert formats.date_format(NOVEMBER_25, "DATE_FORMAT") == day(NOVEMBER_25)
        assert formats.date_format(NOVEMBER_25, "SHORT_DATE_FORMAT") == "25/11/2026"
        assert render('{{ when|date:"SHORT_DATETIME_FORMAT" }}', when=HALF_PAST_NOON_UTC) == (
            "25/11/2026 14:30"
        )
        assert render("{{ when|date }}", when=NOVEMBER_25) == day(NOVEMBER_25)


def test_english_never_puts_the_month_first():
    with translation.override("en"):
        written = [
            day(NOVEMBER_25),
            moment(HALF_PAST_NOON_UTC),
            short_day(NOVEMBER_25),
            render("{{ when }}", when=NOVEMBER_25),
            render("{{ when|date }}", when=NOVEMBER_25),
            render('{{ when|date:"DATETIME_FORMAT" }}', when=HALF_PAST_NOON_UTC),
        ]
    for text in written:
        assert "November 25" not in text and "Nov. 25" not in text and "11/25" not in text
        assert "p.m." not in text


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (PHONE, "+257 79 12 34 56"),
        ("+25761234567", "+257 61 23 45 67"),
        ("79123456", "+257 79 12 34 56"),  # an old record without its country code
        ("+33612345678", "+33 6 12 34 56 78"),
        ("+12025550143", "+1 202-555-0143"),
        ("call the office", "call the office"),
        ("+257 12", "+257 12"),
        ("", ""),
        (None, ""),
    ],
)
def test_phone_numbers_are_shown_in_pairs_and_anything_else_unchanged(stored, shown):
    assert phone(stored) == shown


def test_the_filters_are_the_functions():
    with translation.override("fr"):
        rendered = render(
            "{{ fee|bif }}|{{ date|day }}|{{ at|moment }}|{{ date|short_day }}|{{ tel|phone }}",
            fee=235_000,
            date=NOVEMBER_25,
            at=HALF_PAST_NOON_UTC,
            tel=PHONE,
        )
        expected = "|".join(
            [
                money(235_000),
                day(NOVEMBER_25),
                moment(HALF_PAST_NOON_UTC),
                short_day(NOVEMBER_25),
                phone(PHONE),
            ]
        )
    assert rendered == expected


def test_the_filters_show_nothing_for_nothing():
    assert render("[{{ missing|bif }}{{ missing|day }}{{ missing|moment }}{{ none|phone }}]") == (
        "[]"
    )


# --- The pages ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fresh_rate_limit(settings):
    settings.RATELIMIT_CACHE_PREFIX = f"rl-test-{uuid.uuid4().hex}:"


@pytest.fixture
def paid_passport(passport, clerk_gitega):
    """A passport dossier filed in Gitega on 25 November 2026 at 14:30, its 235,000 BIF paid."""
    with clock_at(HALF_PAST_NOON_UTC):
        return DossierFactory(
            counter=True,
            forwarded=True,
            service=passport,
            office=clerk_gitega.office,
            clerk=clerk_gitega,
            applicant_phone=PHONE,
        )


@pytest.fixture
def awaiting_payment(passport, office_gitega, citizen):
    with clock_at(HALF_PAST_NOON_UTC):
        return DossierFactory(
            awaiting_payment=True,
            service=passport,
            office=office_gitega,
            applicant_account=citizen,
            applicant_phone=PHONE,
        )


def staff_page(client, dossier, user, language):
    client.login(username=user.username, password=PASSWORD)
    return page(client, reverse("dossier_detail", args=[dossier.tracking_number]), language)


def track_page(client, dossier, language):
    return page(
        client,
        reverse("track"),
        language,
        method="post",
        tracking_number=dossier.tracking_number,
        phone_digits=PHONE[-4:],
    )


@pytest.mark.django_db
def test_the_same_fee_reads_the_same_for_the_clerk_and_the_citizen(
    client, paid_passport, awaiting_payment, clerk_gitega
):
    french = f"235{NBSP}000{NBSP}BIF"

    at_the_counter = staff_page(client, paid_passport, clerk_gitega, "fr")
    client.logout()
    in_the_catalogue = page(client, reverse("service_detail", args=["passport"]), "fr")
    on_the_track_page = track_page(client, awaiting_payment, "fr")

    assert paid_passport.payments.get().amount_bif == 235_000
    for rendered in (at_the_counter, in_the_catalogue, on_the_track_page):
        assert french in rendered
        assert "235000" not in rendered and "235 000 BIF" not in rendered
    with translation.override("fr"):
        assert french in public_status.what_to_do(awaiting_payment)


@pytest.mark.django_db
def test_the_staff_page_writes_dates_day_first_and_the_phone_in_pairs(
    client, paid_passport, clerk_gitega
):
    english = staff_page(client, paid_passport, clerk_gitega, "en")
    kirundi = page(client, reverse("dossier_detail", args=[paid_passport.tracking_number]), "rn")

    assert "25 November 2026, 14:30" in english  # filed, paid, and each history entry
    assert "17/05/1990" in english  # the date of birth, as on the ID card
    assert "+257 79 12 34 56" in english
    assert "November 25" not in english and "11/25/2026" not in english
    assert "25 Munyonyo 2026, 14:30" in kirundi
    assert "235,000" in english and f"235{NBSP}000" in kirundi


@pytest.mark.django_db
def test_the_citizen_pages_write_dates_day_first_in_every_language(
    client, awaiting_payment, citizen
):
    client.force_login(citizen)
    follow = reverse("citizen_follow", args=[awaiting_payment.public_id])

    english = page(client, follow, "en")
    tracked = track_page(client, awaiting_payment, "en")
    mine = page(client, reverse("my_dossiers"), "en")
    kirundi = page(client, follow, "rn")
    french = page(client, follow, "fr")

    for rendered in (english, tracked):
        assert "Filed on" in rendered and "25 November 2026" in rendered
    assert "expected " in mine
    for rendered in (english, tracked, mine):
        assert "November 25" not in rendered and "Nov. 25" not in rendered
    assert "25 Munyonyo 2026" in kirundi
    assert "25 novembre 2026" in french


@pytest.mark.django_db
def test_a_queue_writes_the_expected_date_in_figures_day_first(
    client, paid_passport, officer_migration
):
    client.login(username=officer_migration.username, password=PASSWORD)

    queue = page(client, reverse("review_queue"), "en")

    assert paid_passport.tracking_number in queue
    assert short_day(paid_passport.due_date) in queue
    assert paid_passport.due_date.strftime("%m/%d/%Y") not in queue


@pytest.mark.parametrize("language", ["fr", "rn", "en"])
def test_date_inputs_hold_iso_dates_in_every_language(language, building_permit):
    """A browser's date picker shows nothing for "17/05/1990": the value must stay ISO."""
    spec = ServiceFieldFactory(service=building_permit, kind=FieldKind.DATE)
    birth_date = datetime.date(1990, 5, 17)

    with translation.override(language):
        applicant = ApplicantForm(initial={"applicant_birth_date": birth_date})
        answers = AnswersForm(building_permit, initial={spec.code: birth_date})
        inputs = [str(applicant["applicant_birth_date"]), str(answers[spec.code])]

    for html in inputs:
        assert 'value="1990-05-17"' in html
