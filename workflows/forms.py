"""Forms for the steps of the lifecycle. They only parse input; the action layer decides."""

import uuid

from django import forms
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from workflows.events.base import COMMENT_MAX_LENGTH
from workflows.models import PaymentMethod
from workflows.states import DossierState
from workflows.uploads import TYPE_NAMES, inspect_upload


class ExpectedStateMixin(forms.Form):
    """The state the user saw: a stale page cannot act on a dossier that has moved on since.

    Every form that takes a step on a dossier (staff and citizen) carries it.
    """

    expected_state = forms.ChoiceField(choices=DossierState.choices, widget=forms.HiddenInput)


class StepForm(ExpectedStateMixin):
    """A step's comment, labelled and required as its event declares (``workflows.events``)."""

    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, event, actor, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        #: The dossier the step is for, when the form needs it (defaults, limits).
        self.dossier = dossier
        self.fields["comment"].required = event.requires_comment(actor)
        if event.comment_label:
            self.fields["comment"].label = event.comment_label

    @property
    def has_visible_inputs(self) -> bool:
        """Steps with something to write, or to confirm, get their own page; others are a click."""
        return bool(
            self.event.comment_label
            or self.fields["comment"].required
            or self.event.set_apart
            or len(self.fields) > 2
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
    """Date, time and place of an inspection or appointment; the domain checks the calendar."""

    scheduled_for = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("A working day, between 08:00 and 16:30."),
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=300)
    what_to_bring = forms.CharField(
        label=_("What to bring"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, event, actor, **kwargs):
        super().__init__(*args, event=event, actor=actor, **kwargs)
        self.fields["place"].required = getattr(event, "place_required", False)
        self.fields["what_to_bring"].initial = getattr(event, "what_to_bring_default", "")

    def inputs(self):
        data = self.cleaned_data
        return {
            "scheduled_for": data["scheduled_for"],
            "place": data["place"],
            "what_to_bring": data["what_to_bring"],
        }


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note for colleagues (not shown to the citizen)"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RevokeDocumentForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this document revoked?"),
        help_text=_("Kept in the dossier's history. The public check shows only the date."),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def step_form(event, actor, data=None, initial=None, dossier=None) -> StepForm:
    """The form of ``event``'s page, for this actor (staff must give a reason to withdraw)."""
    return import_string(event.form)(
        data, initial=initial, event=event, actor=actor, dossier=dossier
    )


class CounterFilingForm(forms.Form):
    """The key that makes filing at the counter idempotent (see ``FiledAtCounter``)."""

    filing_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("This form had expired: check the details and send it again."),
            "invalid": _("This form had expired: check the details and send it again."),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "filing")
        kwargs.setdefault("initial", {"filing_key": uuid.uuid4()})
        super().__init__(*args, **kwargs)


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
