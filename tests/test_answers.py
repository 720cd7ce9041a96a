"""A service's answers: date limits in days from today, and ``clean_answers`` for stored values."""

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import translation

from services.admin import ServiceFieldInline
from services.answers import AnswersForm, build_field, clean_answers
from services.models import FieldKind, Service, ServiceField
from tests.factories import ServiceFactory, ServiceFieldFactory, clock_at, sample_answers

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)  # a Wednesday
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)


@pytest.fixture
def laissez_passer():
    """The catalogue's laissez-passer, as an administrator declared it."""
    call_command("loaddata", "geography", "catalogue", verbosity=0)
    return Service.objects.get(code="laissez-passer")


def date_field(**limits):
    return ServiceFieldFactory(
        service=ServiceFactory(), code="day", kind=FieldKind.DATE, label_fr="Jour", **limits
    )


def errors_for(spec, value, today=TODAY):
    field = build_field(spec, today=today)
    try:
        field.clean(value)
    except ValidationError as error:
        return error.messages
    return []


# --- The catalogue ------------------------------------------------------------------------------


def test_the_departure_date_cannot_be_in_the_past_in_the_catalogue(laissez_passer):
    departure = laissez_passer.fields.get(code="travel_date")

    assert (departure.kind, departure.min_value, departure.max_value) == ("date", 0, None)


def test_every_date_in_the_catalogue_has_consistent_limits(laissez_passer):
    for spec in ServiceField.objects.filter(kind=FieldKind.DATE):
        spec.full_clean()


# --- Date limits --------------------------------------------------------------------------------


def test_a_past_departure_is_refused(laissez_passer):
    departure = laissez_passer.fields.get(code="travel_date")

    assert errors_for(departure, YESTERDAY.isoformat()) == ["This date cannot be in the past."]


def test_a_departure_today_or_later_is_accepted(laissez_passer):
    departure = laissez_passer.fields.get(code="travel_date")

    assert errors_for(departure, TODAY.isoformat()) == []
    assert errors_for(departure, "2031-01-15") == []


def test_a_date_without_limits_takes_any_day():
    spec = date_field()

    assert errors_for(spec, "1950-01-01") == []
    assert errors_for(spec, "2090-01-01") == []


def test_not_in_the_future_refuses_tomorrow():
    spec = date_field(max_value=0)

    assert errors_for(spec, TODAY.isoformat()) == []
    assert errors_for(spec, TOMORROW.isoformat()) == ["This date cannot be in the future."]


def test_a_window_of_days_names_its_limits():
    spec = date_field(min_value=-7, max_value=30)

    assert errors_for(spec, "2026-11-18") == []
    assert errors_for(spec, "2026-12-25") == []
    assert errors_for(spec, "2026-11-17") == ["This date cannot be earlier than 18 November 2026."]
    assert errors_for(spec, "2026-12-26") == ["This date cannot be later than 25 December 2026."]


def test_the_limits_are_told_in_the_active_language():
    spec = date_field(min_value=2, max_value=30)

    with translation.override("fr"):
        assert errors_for(spec, TODAY.isoformat()) == [
            "Cette date ne peut pas être antérieure au 27 novembre 2026."
        ]
        assert errors_for(spec, "2027-01-01") == [
            "Cette date ne peut pas être postérieure au 25 décembre 2026."
        ]
    with translation.override("rn"):
        assert "27 Munyonyo 2026" in errors_for(spec, TODAY.isoformat())[0]


def test_past_in_french_and_kirundi(laissez_passer):
    departure = laissez_passer.fields.get(code="travel_date")

    with translation.override("fr"):
        assert errors_for(departure, YESTERDAY.isoformat()) == [
            "Cette date ne peut pas être dans le passé."
        ]
    with translation.override("rn"):
        (message,) = errors_for(departure, YESTERDAY.isoformat())
        assert message != "This date cannot be in the past."


def test_the_date_picker_offers_only_allowed_days():
    spec = date_field(min_value=0, max_value=90)

    html = build_field(spec, today=TODAY).widget.render("day", None)

    assert 'min="2026-11-25"' in html
    assert 'max="2027-02-23"' in html
    assert 'type="date"' in html


def test_today_is_the_local_date_when_none_is_given(laissez_passer):
    departure = laissez_passer.fields.get(code="travel_date")
    # 23:30 UTC on 24 November is already 01:30 on 25 November in Bujumbura.
    late_evening_utc = datetime.datetime(2026, 11, 24, 23, 30, tzinfo=datetime.UTC)

    with clock_at(late_evening_utc):
        assert errors_for(departure, "2026-11-24", today=None) == [
            "This date cannot be in the past."
        ]
        assert errors_for(departure, "2026-11-25", today=None) == []


def test_the_counter_form_applies_the_same_limits(laissez_passer):
    answers = {**sample_answers(laissez_passer), "travel_date": YESTERDAY.isoformat()}
    data = {f"answer-{code}": value for code, value in answers.items()}

    form = AnswersForm(laissez_passer, data, today=TODAY)

    assert form.errors == {"travel_date": ["This date cannot be in the past."]}


# --- clean_answers ------------------------------------------------------------------------------


def test_clean_answers_accepts_stored_values(laissez_passer):
    answers = {
        "destination": "RW",
        "purpose": "Visite familiale à Kigali",
        "travel_date": "2026-12-01",
    }

    assert clean_answers(laissez_passer, answers, today=TODAY) == (answers, {})


def test_clean_answers_turns_values_into_their_stored_form():
    service = ServiceFactory()
    ServiceFieldFactory(service=service, code="floors", kind=FieldKind.INTEGER, min_value=1)
    ServiceFieldFactory(service=service, code="when", kind=FieldKind.DATE)
    ServiceFieldFactory(service=service, code="note", kind=FieldKind.TEXT, required=False)

    stored, errors = clean_answers(
        service, {"floors": "3", "when": datetime.date(2027, 1, 4), "note": None}
    )

    assert errors == {}
    assert stored == {"floors": 3, "when": "2027-01-04"}


def test_clean_answers_explains_each_bad_answer(laissez_passer):
    answers = {"destination": "FR", "purpose": "", "travel_date": "2026-11-01"}

    stored, errors = clean_answers(laissez_passer, answers, today=TODAY)

    assert errors == {
        "destination": ["Select a valid choice. FR is not one of the available choices."],
        "purpose": ["This field is required."],
        "travel_date": ["This date cannot be in the past."],
    }
    assert stored == {}


def test_clean_answers_refuses_a_date_that_is_not_a_date(laissez_passer):
    answers = {"destination": "RW", "purpose": "Commerce", "travel_date": "demain"}

    _, errors = clean_answers(laissez_passer, answers, today=TODAY)

    assert errors == {"travel_date": ["Enter a valid date."]}


def test_clean_answers_refuses_an_unknown_question(laissez_passer):
    answers = {
        "destination": "RW",
        "purpose": "Commerce",
        "travel_date": "2026-12-01",
        "colour": "blue",
    }

    stored, errors = clean_answers(laissez_passer, answers, today=TODAY)

    assert errors == {"colour": ["This service asks no question with this code."]}
    assert "colour" not in stored


def test_clean_answers_reports_missing_required_answers(laissez_passer):
    _, errors = clean_answers(laissez_passer, {}, today=TODAY)

    assert set(errors) == {"destination", "purpose", "travel_date"}
    assert errors["travel_date"] == ["This field is required."]


def test_clean_answers_speaks_the_active_language(laissez_passer):
    with translation.override("fr"):
        _, errors = clean_answers(laissez_passer, {"colour": "blue"}, today=TODAY)

    assert errors["colour"] == ["Ce service ne pose aucune question avec ce code."]
    assert errors["travel_date"] == ["Ce champ est obligatoire."]


def test_the_factories_sample_answers_pass_clean_answers(laissez_passer):
    assert clean_answers(laissez_passer, sample_answers(laissez_passer)) == (
        sample_answers(laissez_passer),
        {},
    )


# --- The administrator --------------------------------------------------------------------------

DATE_RANGE_MESSAGE = (
    "For a date, the maximum (the latest day, 0 days from today) cannot come before the "
    "minimum (the earliest day, 5 days from today)."
)


def test_a_date_whose_earliest_day_is_after_its_latest_day_is_explained():
    spec = ServiceField(service=ServiceFactory(), code="day", kind=FieldKind.DATE, label_fr="Jour")
    spec.min_value, spec.max_value = 5, 0

    with pytest.raises(ValidationError) as caught:
        spec.full_clean()

    assert caught.value.message_dict == {"max_value": [DATE_RANGE_MESSAGE]}


def test_a_number_whose_minimum_is_above_its_maximum_keeps_the_general_message():
    spec = ServiceField(
        service=ServiceFactory(),
        code="floors",
        kind=FieldKind.INTEGER,
        label_fr="Niveaux",
        min_value=5,
        max_value=1,
    )

    with pytest.raises(ValidationError) as caught:
        spec.full_clean()

    assert caught.value.messages == ["The minimum cannot be above the maximum."]


def test_the_admin_tells_the_administrator(admin_user):
    service = ServiceFactory()
    inline = ServiceFieldInline(Service, admin.site)
    request = RequestFactory().post("/")
    request.user = admin_user
    prefix = "fields"
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-position": "1",
        f"{prefix}-0-code": "departure",
        f"{prefix}-0-kind": FieldKind.DATE,
        f"{prefix}-0-label_fr": "Date du départ",
        f"{prefix}-0-required": "on",
        f"{prefix}-0-min_value": "5",
        f"{prefix}-0-max_value": "0",
        f"{prefix}-0-choices": "[]",
    }

    formset = inline.get_formset(request, service)(data, instance=service, prefix=prefix)

    assert not formset.is_valid()
    assert formset.errors[0] == {"max_value": [DATE_RANGE_MESSAGE]}
