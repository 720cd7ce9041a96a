"""Forms for the steps of the lifecycle. They only parse input; the action layer decides."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.models import PaymentMethod
from workflows.states import DossierState
from workflows.uploads import TYPE_NAMES, inspect_upload

COMMENT_LABELS = {
    "return_for_correction": _("What must the citizen correct?"),
    "request_information": _("Questions for the citizen"),
    "provide_information": _("The citizen's answer"),
    "record_inspection": _("Inspection findings"),
    "close_public_notice": _("Objections received, if any"),
    "approve": _("Remarks (optional)"),
    "reject": _("Reasons for the rejection"),
}


class StepForm(forms.Form):
    """A comment, and the state the user saw (so a stale page cannot act on a changed dossier)."""

    expected_state = forms.ChoiceField(choices=DossierState.choices, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, step: str, needs_comment: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        self.fields["comment"].required = needs_comment
        if step in COMMENT_LABELS:
            self.fields["comment"].label = COMMENT_LABELS[step]

    @property
    def has_visible_inputs(self) -> bool:
        """Steps with something to write get their own page; the others are one click."""
        return (
            self.step in COMMENT_LABELS or self.fields["comment"].required or len(self.fields) > 2
        )

    def inputs(self) -> dict:
        """Step-specific values for ``workflows.actions.perform``."""
        return {}


class RecordPaymentForm(StepForm):
    amount_bif = forms.IntegerField(label=_("Amount received (BIF)"), min_value=1)
    method = forms.ChoiceField(label=_("Paid by"), choices=PaymentMethod.choices)
    reference = forms.CharField(
        label=_("Bank or mobile-money reference"),
        required=False,
        max_length=64,
        help_text=_("Not needed for cash."),
    )

    def inputs(self):
        data = self.cleaned_data
        return {
            "amount_bif": data["amount_bif"],
            "method": data["method"],
            "reference": data["reference"],
        }


class ScheduleForm(StepForm):
    scheduled_for = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def clean_scheduled_for(self):
        when = self.cleaned_data["scheduled_for"]
        if when <= timezone.now():
            raise forms.ValidationError(_("Choose a date and time in the future."))
        return when

    def inputs(self):
        return {"scheduled_for": self.cleaned_data["scheduled_for"]}


STEP_FORMS = {
    "record_payment": RecordPaymentForm,
    "schedule_inspection": ScheduleForm,
    "give_appointment": ScheduleForm,
}


def step_form(step: str, needs_comment: bool, data=None, initial=None) -> StepForm:
    form_class = STEP_FORMS.get(step, StepForm)
    return form_class(data, initial=initial, step=step, needs_comment=needs_comment)


class DocumentsForm(forms.Form):
    """One file input per document the service asks for; each file is checked by its content."""

    def __init__(self, service, *args, **kwargs):
        kwargs.setdefault("prefix", "document")
        super().__init__(*args, **kwargs)
        self.required_documents = {doc.code: doc for doc in service.documents.all()}
        for code, document in self.required_documents.items():
            accept = ",".join(document.accepted_types)
            self.fields[code] = forms.FileField(
                label=document.name,
                required=document.mandatory,
                widget=forms.ClearableFileInput(attrs={"accept": accept}),
                help_text=", ".join(TYPE_NAMES[t] for t in document.accepted_types),
            )

    def clean(self):
        cleaned = super().clean()
        for code, document in self.required_documents.items():
            uploaded = cleaned.get(code)
            if not uploaded:
                continue
            try:
                cleaned[code] = inspect_upload(uploaded, document.accepted_types)
            except forms.ValidationError as error:
                self.add_error(code, error)
        return cleaned

    def documents(self) -> dict:
        """RequiredDocument → InspectedUpload, for the documents given."""
        return {
            self.required_documents[code]: inspected
            for code, inspected in self.cleaned_data.items()
            if inspected
        }
