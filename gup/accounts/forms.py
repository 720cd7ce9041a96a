"""Citizen accounts: sign up and sign in with a phone number or an email address.

Sign-up stores the phone number (in E.164 form) or the lower-cased email as the account's user
name and in its ``phone`` or ``email`` field; sign-in finds the account by those fields
(gup.accounts.backends), so the same person typing "79 12 34 56", "+257 79 12 34 56" or
"79123456" reaches the same account, whatever its user name.
"""

import re

from django import forms
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gup.accounts import one_time_codes
from gup.accounts.backends import citizen_accounts, normalize_identifier
from gup.roles import Role

IDENTIFIER_LABEL = _("Phone number or email")
IDENTIFIER_HELP = _("For example 79 12 34 56 or aline@example.bi")


def _identifier_field():
    return forms.CharField(
        label=IDENTIFIER_LABEL,
        help_text=IDENTIFIER_HELP,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )


class SignUpForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    identifier = _identifier_field()
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_identifier(self):
        kind, username = normalize_identifier(self.cleaned_data["identifier"])
        taken = get_user_model().objects.filter(username__iexact=username).exists()
        if taken or citizen_accounts(kind, username).exists():
            raise ValidationError(
                _("An account already uses this phone number or email. Sign in instead."),
                code="taken",
            )
        self.kind = kind
        return username

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are different."))
        elif first:
            candidate = get_user_model()(
                username=cleaned.get("identifier", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self, *, language: str):
        """Create the citizen's account."""
        data = self.cleaned_data
        username = data["identifier"]
        return get_user_model().objects.create_user(
            username=username,
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=username if self.kind == "email" else "",
            phone=username if self.kind == "phone" else "",
            role=Role.CITIZEN,
            preferred_language=language,
        )


class SignInForm(forms.Form):
    identifier = _identifier_field()
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        # gup.accounts.backends.CitizenBackend: citizens only, found by their phone or email.
        user = authenticate(
            self.request, identifier=cleaned["identifier"], password=cleaned["password"]
        )
        # One message for an unknown account and a wrong password: no way to probe for accounts.
        if not user or user.role != Role.CITIZEN:
            raise ValidationError(
                _("Wrong phone number, email or password. Try again."), code="invalid_login"
            )
        self.user = user
        return cleaned


class OneTimeCodeForm(forms.Form):
    """The six digits received by SMS (``gup.accounts.one_time_codes``), typed however.

    Spaces and dashes are dropped ("123 456"); anything else than six digits is refused here,
    before it counts as a try.
    """

    code = forms.CharField(
        label=_("Code received by SMS"),
        help_text=_("6 digits, for example 123456."),
        max_length=20,
        error_messages={"required": _("Enter the 6 digits of the code we sent by SMS.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "off",
                "spellcheck": "false",
                "size": "8",
            }
        ),
    )

    def clean_code(self):
        digits = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(rf"[0-9]{{{one_time_codes.LENGTH}}}", digits):
            raise ValidationError(
                _("Enter the 6 digits of the code we sent by SMS, and nothing else."),
                code="invalid",
            )
        return digits


class LinkDossiersForm(forms.Form):
    """The dossiers filed with the citizen's confirmed phone number that they say are theirs."""

    dossiers = forms.MultipleChoiceField(
        label=_("Dossiers filed with your phone number"),
        error_messages={"required": _("Tick at least one dossier, or choose “Not now”.")},
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, offered, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = list(offered)
        self.fields["dossiers"].choices = [
            (str(dossier.public_id), dossier.tracking_number) for dossier in self.offered
        ]

    def chosen(self) -> list:
        picked = set(self.cleaned_data["dossiers"])
        return [dossier for dossier in self.offered if str(dossier.public_id) in picked]
