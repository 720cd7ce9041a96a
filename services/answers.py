"""Forms generated from a service's declared fields.

The same form validates answers typed at the counter, filed online and received by the domain,
so every channel gives the same message per field.
"""

import datetime

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from gup.formatting import day
from services.models import FieldKind, ServiceField

YES_NO_CHOICES = [("yes", _("Yes")), ("no", _("No"))]


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


def build_field(spec: ServiceField) -> forms.Field:
    common = {"label": spec.label, "help_text": spec.help_text, "required": spec.required}
    if spec.kind in (FieldKind.TEXT, FieldKind.LONG_TEXT):
        return _text_field(spec, **common)
    if spec.kind == FieldKind.INTEGER:
        return forms.IntegerField(min_value=spec.min_value, max_value=spec.max_value, **common)
    if spec.kind == FieldKind.DATE:
        # A date input reads and sends ISO dates only, whatever the page's language.
        widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        return forms.DateField(widget=widget, **common)
    if spec.kind == FieldKind.CHOICE:
        empty = [("", _("Choose…"))]
        return forms.ChoiceField(choices=empty + spec.choice_pairs(), **common)
    if spec.kind == FieldKind.YES_NO:
        return forms.ChoiceField(choices=YES_NO_CHOICES, widget=forms.RadioSelect, **common)
    raise ValueError(f"Unknown field kind {spec.kind!r}")


class AnswersForm(forms.Form):
    """The service's questions. ``prefix`` keeps their names apart from the applicant's."""

    def __init__(self, service, *args, **kwargs):
        kwargs.setdefault("prefix", "answer")
        super().__init__(*args, **kwargs)
        self.service = service
        for spec in service.fields.all():
            self.fields[spec.code] = build_field(spec)

    def stored_answers(self) -> dict:
        """Cleaned answers as JSON-safe values (dates in ISO form), for Dossier.answers."""
        return {
            code: value.isoformat() if isinstance(value, datetime.date) else value
            for code, value in self.cleaned_data.items()
            if value not in (None, "")
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
