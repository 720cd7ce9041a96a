"""Who the dossier is for: validation of the applicant's identity and contact details."""

import re

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gup.form_data import as_form_data
from services.models import Commune
from workflows.models import Dossier

PHONE_REGION = "BI"
# The national ID card number: digits, optionally grouped with '/', '.' or '-'. Its exact layout
# has changed over the years, so we check its alphabet and length, not one layout.
NATIONAL_ID_PATTERN = re.compile(r"^[0-9A-Z][0-9A-Z./-]{3,30}$")

# What the fields expect, shown beside them before anything is typed, and in the error when a
# value breaks the rule above or phonenumbers' rules for Burundi: one wording for both.
NATIONAL_ID_HINT = _("Digits, with / . or - where the card has them, for example 432.1098/765.")
PHONE_HINT = _(
    "8 digits in Burundi, for example 79 12 34 56, or the number with its country code, "
    "for example +257 79 12 34 56."
)


def normalize_national_id(raw: str) -> str:
    """The national ID as stored (upper case, no spaces); ValidationError when it cannot be one."""
    value = (raw or "").strip().upper().replace(" ", "")
    if not NATIONAL_ID_PATTERN.match(value):
        raise ValidationError(
            _("Enter the number as printed on the national ID card.") + " " + NATIONAL_ID_HINT,
            code="national_id",
        )
    return value


def normalize_phone(raw: str) -> str:
    """A Burundian or international number in E.164 (+257XXXXXXXX); ValidationError otherwise."""
    try:
        number = phonenumbers.parse(raw, PHONE_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("Enter a phone number such as 79 12 34 56 or +257 79 12 34 56."), code="phone"
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("This phone number does not exist. Check the digits (8 digits in Burundi)."),
            code="phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class CommuneChoiceField(forms.ModelChoiceField):
    """The applicant's commune; a commune already read (the domain checking again what a form
    of this request chose) is taken as it is rather than read a second time."""

    def to_python(self, value):
        if isinstance(value, Commune):
            return value
        return super().to_python(value)


class ApplicantForm(forms.ModelForm):
    class Meta:
        model = Dossier
        fields = [
            "applicant_first_name",
            "applicant_last_name",
            "applicant_national_id",
            "applicant_birth_date",
            "applicant_phone",
            "applicant_email",
            "applicant_commune",
            "language",
        ]
        widgets = {
            # A date input reads and sends ISO dates only, whatever the page's language.
            "applicant_birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "applicant_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "applicant_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        field_classes = {"applicant_commune": CommuneChoiceField}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "applicant")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = name != "applicant_email"
        self.fields["applicant_national_id"].help_text = NATIONAL_ID_HINT
        self.fields["applicant_phone"].help_text = PHONE_HINT
        self.fields["applicant_commune"].queryset = Commune.objects.select_related("province")
        self.fields["applicant_commune"].label_from_instance = lambda commune: (
            f"{commune.name} ({commune.province.name})"
        )

    def _get_validation_exclusions(self):
        # The commune field has just read the commune it names: the model's own check that it
        # exists would read it a second time.
        return super()._get_validation_exclusions() | {"applicant_commune"}

    def clean_applicant_phone(self):
        return normalize_phone(self.cleaned_data["applicant_phone"])

    def clean_applicant_national_id(self):
        return normalize_national_id(self.cleaned_data["applicant_national_id"])

    def clean_applicant_birth_date(self):
        birth_date = self.cleaned_data["applicant_birth_date"]
        today = timezone.localdate()
        if birth_date > today:
            raise ValidationError(_("The date of birth cannot be in the future."), code="future")
        if birth_date.year < today.year - 130:
            raise ValidationError(_("Check the year of birth."), code="too_old")
        return birth_date


#: The applicant fields a dossier keeps, in the order the forms show them.
APPLICANT_FIELDS = tuple(ApplicantForm._meta.fields)


def clean_applicant(values: dict, *, partial: bool = False) -> tuple[dict, dict]:
    """Validate applicant details in the domain, whatever the channel that collected them.

    Returns ``(cleaned, errors)``: errors maps a field's label to its messages. ``partial``
    checks only the fields given (a draft saved page by page); otherwise every field is needed.
    """
    data = as_form_data("applicant", values)
    if isinstance(values.get("applicant_commune"), Commune):
        data["applicant-applicant_commune"] = values["applicant_commune"]
    form = ApplicantForm(data)
    form.is_valid()
    errors = {}
    for name, messages in form.errors.items():
        if partial and name not in values:
            continue
        label = form.fields[name].label if name in form.fields else ""
        errors[label or name] = [
            f"{label}: {message}" if label else message for message in messages
        ]
    unknown = set(values) - set(APPLICANT_FIELDS)
    if unknown:
        errors["unknown"] = [
            _("Unknown applicant field: %(name)s") % {"name": name} for name in sorted(unknown)
        ]
    cleaned = {
        name: value for name, value in form.cleaned_data.items() if name in values or not partial
    }
    return cleaned, errors
