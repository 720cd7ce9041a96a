"""Forms of the citizen portal. They only parse; workflows.online decides and saves."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from services.answers import AnswersForm
from services.models import Office
from workflows.events.base import COMMENT_MAX_LENGTH
from workflows.forms import DocumentsForm, ExpectedStateMixin
from workflows.uploads import ALL_TYPES, inspect_upload, upload_help


class OfficeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, office):
        return f"{office.name} — {office.town} ({office.province.name})"


class OfficeForm(forms.Form):
    office = OfficeChoiceField(
        label=_("The GUP office where your dossier is handled and you collect the result"),
        queryset=Office.objects.filter(is_active=True)
        .select_related("province")
        .order_by("province__name", "name"),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the offices in the list.")},
    )


class PageOfAnswersForm(AnswersForm):
    """The service's questions that belong on one page of the online form."""

    def __init__(self, service, codes, *args, **kwargs):
        super().__init__(service, *args, **kwargs)
        self.fields = {code: field for code, field in self.fields.items() if code in codes}

    def valid_codes(self) -> list[str]:
        """The questions whose answer passed validation (empty optional ones included)."""
        return list(self.cleaned_data)


class DraftDocumentsForm(DocumentsForm):
    """The documents page: a document already received is not asked for again."""

    def __init__(self, service, attached: dict, *args, **kwargs):
        super().__init__(service, *args, **kwargs)
        for code, field in self.fields.items():
            if code in attached:
                field.required = False


class AnswerForm(ExpectedStateMixin, DocumentsForm):
    """The citizen's answer to the office: a message, and any documents they want to add."""

    def __init__(self, service, *args, event, actor, **kwargs):
        kwargs.setdefault("prefix", "reply")
        super().__init__(service, *args, **kwargs)
        for code in self.required_documents:
            self.fields[code].required = False
        self.fields["other"] = forms.FileField(
            label=_("Another document"),
            required=False,
            help_text=upload_help(),
        )
        self.fields["comment"] = forms.CharField(
            label=event.citizen_comment_label or event.comment_label,
            required=event.requires_comment(actor),
            max_length=COMMENT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 5}),
        )
        self.order_fields(["comment"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("other"):
            try:
                cleaned["other"] = inspect_upload(cleaned["other"], list(ALL_TYPES))
            except ValidationError as error:
                self.add_error("other", error)
        return cleaned

    def documents(self) -> dict:
        """RequiredDocument (None for "another document") → InspectedUpload."""
        chosen = {
            document: self.cleaned_data[code]
            for code, document in self.required_documents.items()
            if self.cleaned_data.get(code)
        }
        if self.cleaned_data.get("other"):
            chosen[None] = self.cleaned_data["other"]
        return chosen


class WithdrawForm(ExpectedStateMixin):
    comment = forms.CharField(
        label=_("Why do you withdraw? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
