"""Forms generated from a service's declared fields.

The same form validates answers typed at the counter, filed online and received by the domain,
so every channel gives the same message per field; ``clean_answers`` is the entry point for
answers that arrive as stored values rather than as a form.

A date question's ``min_value`` / ``max_value`` are days from today: ``min_value=0`` means "not
in the past", ``max_value=0`` "not in the future". "Today" is the local date (Africa/Bujumbura)
when the answer is validated, unless the caller fixes it with ``today=``.
"""

import datetime
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from gup.form_data import as_form_data
from gup.formatting import day
from services.models import FieldKind, ServiceField

YES_NO_CHOICES = [("yes", _("Yes")), ("no", _("No"))]

ANSWER_PREFIX = "answer"


def _text_field(spec: ServiceField, **common) -> forms.Field:
    validators = []
    if spec.pattern:
        validators.append(
            RegexValidator(f"^(?:{spec.pattern})$", _("This answer is not in the expected format."))
        )
    widget = forms.Textarea(attrs={"rows": 4}) if spec.kind == FieldKind.LONG_TEXT else None
    return forms.CharField(
        min_length=spec.min_value,
        max_length=spec.max_value or (4000 if spec.kind == FieldKind.LONG_TEXT else 300),
        validators=validators,
        widget=widget,
        **common,
    )


class DateLimitValidator:
    """A date no earlier (or no later) than ``days`` days from today.

    ``today`` is called at validation time, so a form built before midnight and validated after
    uses the new day.
    """

    def __init__(self, days: int, *, earliest: bool, today: Callable[[], datetime.date]):
        self.days = days
        self.earliest = earliest
        self.today = today

    def limit(self) -> datetime.date:
        return self.today() + datetime.timedelta(days=self.days)

    def __call__(self, value: datetime.date) -> None:
        limit = self.limit()
        if self.earliest and value < limit:
            if self.days == 0:
                raise ValidationError(_("This date cannot be in the past."), code="past_date")
            raise ValidationError(
                _("This date cannot be earlier than %(date)s."),
                code="date_too_early",
                params={"date": formats.date_format(limit, "DATE_FORMAT")},
            )
        if not self.earliest and value > limit:
            if self.days == 0:
                raise ValidationError(_("This date cannot be in the future."), code="future_date")
            raise ValidationError(
                _("This date cannot be later than %(date)s."),
                code="date_too_late",
                params={"date": formats.date_format(limit, "DATE_FORMAT")},
            )


def _date_field(spec: ServiceField, today: datetime.date | None, **common) -> forms.DateField:
    def current_day() -> datetime.date:
        return today or timezone.localdate()

    validators = []
    attrs = {"type": "date"}
    # The browser's date picker greys out what the server would refuse (no JavaScript needed).
    for days, earliest, attr in ((spec.min_value, True, "min"), (spec.max_value, False, "max")):
        if days is not None:
            validator = DateLimitValidator(days, earliest=earliest, today=current_day)
            validators.append(validator)
            attrs[attr] = validator.limit().isoformat()
    return forms.DateField(
        widget=forms.DateInput(attrs=attrs, format="%Y-%m-%d"), validators=validators, **common
    )


def build_field(spec: ServiceField, *, today: datetime.date | None = None) -> forms.Field:
    """The form field for one declared question.

    ``today`` fixes the day that date limits count from (tests, a replay); by default it is the
    local date when the answer is validated.
    """
    common = {"label": spec.label, "help_text": spec.help_text, "required": spec.required}
    if spec.kind in (FieldKind.TEXT, FieldKind.LONG_TEXT):
        return _text_field(spec, **common)
    if spec.kind == FieldKind.INTEGER:
        return forms.IntegerField(min_value=spec.min_value, max_value=spec.max_value, **common)
    if spec.kind == FieldKind.DATE:
        return _date_field(spec, today, **common)
    if spec.kind == FieldKind.CHOICE:
        empty = [("", _("Choose…"))]
        return forms.ChoiceField(choices=empty + spec.choice_pairs(), **common)
    if spec.kind == FieldKind.YES_NO:
        return forms.ChoiceField(choices=YES_NO_CHOICES, widget=forms.RadioSelect, **common)
    raise ValueError(f"Unknown field kind {spec.kind!r}")


class AnswersForm(forms.Form):
    """The service's questions. ``prefix`` keeps their names apart from the applicant's."""

    def __init__(self, service, *args, today: datetime.date | None = None, **kwargs):
        kwargs.setdefault("prefix", ANSWER_PREFIX)
        super().__init__(*args, **kwargs)
        self.service = service
        for spec in service.fields.all():
            self.fields[spec.code] = build_field(spec, today=today)

    def stored_answers(self) -> dict:
        """Cleaned answers as JSON-safe values (dates in ISO form), for Dossier.answers."""
        return {
            code: value.isoformat() if isinstance(value, datetime.date) else value
            for code, value in self.cleaned_data.items()
            if value not in (None, "")
        }


def clean_answers(
    service, answers: dict, *, today: datetime.date | None = None
) -> tuple[dict, dict]:
    """Validate answers given as stored values (strings, ISO dates, integers) against ``service``.

    Returns ``(stored_answers, errors)``. ``errors`` maps a question's code to its messages, in
    the active language, and is empty when every answer is valid; a code the service does not
    ask is an error too. ``stored_answers`` holds, in the form ``Dossier.answers`` keeps, the
    answers that passed (empty optional ones left out): save it only when ``errors`` is empty,
    or knowingly, for a draft kept page by page.

    The rules are exactly the forms' (``build_field``), so the counter, the portal and an
    institution's system get the same message for the same answer.
    """
    form = AnswersForm(service, as_form_data(ANSWER_PREFIX, answers), today=today)
    errors = {code: list(messages) for code, messages in form.errors.items()}
    for code in answers:
        if code not in form.fields:
            errors[code] = [str(_("This service asks no question with this code."))]
    return form.stored_answers(), errors


def labelled_errors(service, errors: dict) -> dict[str, list[str]]:
    """``clean_answers``' errors with each message led by its question's label, by code."""
    labels = {spec.code: spec.label for spec in service.fields.all()}
    return {
        code: [f"{labels[code]}: {message}" if code in labels else message for message in messages]
        for code, messages in errors.items()
    }


def _stored_date(value):
    """A date answer (stored in ISO form) as people write it; what is not a date, unchanged."""
    try:
        return day(datetime.date.fromisoformat(value))
    except (TypeError, ValueError):
        return value


def labelled_answers(service, answers: dict) -> list[tuple[str, str]]:
    """(label, answer as a person reads it) in the service's order, for display."""
    rows = []
    for spec in service.fields.all():
        if spec.code not in answers:
            continue
        value = answers[spec.code]
        if spec.kind == FieldKind.CHOICE:
            value = dict(spec.choice_pairs()).get(value, value)
        elif spec.kind == FieldKind.YES_NO:
            value = dict(YES_NO_CHOICES).get(value, value)
        elif spec.kind == FieldKind.DATE:
            value = _stored_date(value)
        rows.append((spec.label, value))
    return rows
