"""Forms for the steps of the lifecycle. They only parse input; the action layer decides."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gup.formatting import money
from workflows import objections
from workflows.events.base import COMMENT_MAX_LENGTH
from workflows.models import Collector, PaymentMethod
from workflows.states import DossierState
from workflows.uploads import ALL_TYPES, inspect_upload, upload_help


class ExpectedStateMixin(forms.Form):
    """The state the user saw: a stale page cannot act on a dossier that has moved on since.

    Every form that takes a step on a dossier (staff and citizen) carries it.
    """

    expected_state = forms.ChoiceField(
        label=_("Page"),
        choices=DossierState.choices,
        widget=forms.HiddenInput,
        # Only a page too old, or tampered with, lacks it: say so in the user's words.
        error_messages={
            "required": _("This form had expired: check the details and send it again."),
            "invalid_choice": _("This form had expired: check the details and send it again."),
        },
    )


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
        if not self.fields["comment"].required:
            # An optional remark comes after what the step is about (who collects, the amount).
            self.order_fields([name for name in self.fields if name != "comment"] + ["comment"])

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
    """The payment, with the amount due shown and filled in (``RecordPayment.initial``);
    the domain's problems come back beside their fields."""

    amount_bif = forms.IntegerField(label=_("Amount received (BIF)"), min_value=1)
    method = forms.ChoiceField(label=_("Paid by"), choices=PaymentMethod.choices)
    reference = forms.CharField(
        label=_("Bank or mobile-money reference"),
        required=False,
        max_length=64,
        help_text=_("Not needed for cash."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        due = self.initial.get("amount_bif")
        if due is not None:
            self.fields["amount_bif"].help_text = _("Amount due: %(amount)s") % {
                "amount": money(due)
            }

    def inputs(self):
        data = self.cleaned_data
        return {
            "amount_bif": data["amount_bif"],
            "method": data["method"],
            "reference": data["reference"],
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (``<input type=file multiple>``): a list, maybe empty."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        cleaned = super().clean(data, initial)
        return [cleaned] if cleaned else []


class RelayedAnswerForm(StepForm):
    """The citizen's answer taken at the counter: their message, and the documents the clerk
    scans, checked and stored like those of the portal's answer form (one input per document
    the service asks for, and other documents, several at once)."""

    other = MultipleFileField(
        label=_("Other documents"),
        required=False,
        help_text=format_lazy(
            "{} {}", upload_help(ALL_TYPES, each=True), _("You may choose several files.")
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        service = self.dossier.service if self.dossier is not None else None
        self.required_documents = {}
        if service is not None:
            for document in service.documents.all():
                code = f"document_{document.code}"
                self.required_documents[code] = document
                self.fields[code] = forms.FileField(
                    label=document.name,
                    required=False,
                    widget=forms.ClearableFileInput(
                        attrs={"accept": ",".join(document.accepted_types)}
                    ),
                    help_text=upload_help(document.accepted_types),
                )
        self.order_fields(["comment", *self.required_documents, "other"])

    def clean(self):
        cleaned = super().clean()
        for code, document in self.required_documents.items():
            if cleaned.get(code):
                try:
                    cleaned[code] = inspect_upload(cleaned[code], document.accepted_types)
                except forms.ValidationError as error:
                    self.add_error(code, error)
        others = []
        for uploaded in cleaned.get("other") or []:
            try:
                others.append(inspect_upload(uploaded, list(ALL_TYPES)))
            except forms.ValidationError as error:
                for message in error.messages:
                    self.add_error("other", f"{uploaded.name}: {message}")
        cleaned["other"] = others
        return cleaned

    def inputs(self):
        chosen = [
            (document, self.cleaned_data[code])
            for code, document in self.required_documents.items()
            if self.cleaned_data.get(code)
        ]
        return {"documents": chosen + [(None, upload) for upload in self.cleaned_data["other"]]}


class HandOverForm(StepForm):
    """Who collects: the applicant (their ID number, checked by the domain) or a proxy (name,
    ID number and the applicant's authorisation, all required by the domain)."""

    collector = forms.ChoiceField(
        label=_("Who collects?"),
        choices=Collector.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say who collects: the applicant or a proxy.")},
    )
    national_id = forms.CharField(
        label=_("The applicant's national ID number"),
        required=False,
        max_length=32,
        help_text=_("Typed from the card the applicant shows."),
    )
    proxy_name = forms.CharField(
        label=_("The proxy's full name"),
        required=False,
        max_length=201,
        help_text=_("For a proxy only."),
    )
    proxy_national_id = forms.CharField(
        label=_("The proxy's national ID number"),
        required=False,
        max_length=32,
        help_text=_("For a proxy only."),
    )
    authorisation = forms.FileField(
        label=_("The applicant's signed authorisation"),
        required=False,
        help_text=format_lazy("{} {}", _("For a proxy only."), upload_help()),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.dossier is not None:
            self.fields["national_id"].help_text = _("Typed from the card %(name)s shows.") % {
                "name": self.dossier.applicant_name
            }

    def clean(self):
        cleaned = super().clean()
        uploaded = cleaned.get("authorisation")
        if uploaded and cleaned.get("collector") == Collector.PROXY:
            try:
                cleaned["authorisation"] = inspect_upload(uploaded, list(ALL_TYPES))
            except forms.ValidationError as error:
                self.add_error("authorisation", error)
        else:
            cleaned["authorisation"] = None
        return cleaned

    def inputs(self):
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "collector",
                "national_id",
                "proxy_name",
                "proxy_national_id",
                "authorisation",
            )
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


class ReversePaymentForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this payment reversed?"),
        help_text=_("Kept in the dossier's history, with your name. The payment is never deleted."),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Give the reason for the reversal: it is kept in the history.")
        },
    )


class RevokeDocumentForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this document revoked?"),
        help_text=_("Kept in the dossier's history. The public check shows only the date."),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ObjectionForm(StepForm):
    """An objection received during a public notice (``workflows.objections`` has the rules,
    which the event applies again: the form only shows each problem beside its field)."""

    objector_name = forms.CharField(
        label=_("Who objects"),
        max_length=objections.NAME_MAX_LENGTH,
        help_text=_("A person's full name, or the name of a body (a neighbours' association)."),
    )
    objector_national_id = forms.CharField(
        label=_("Their national ID number (optional)"), required=False, max_length=32
    )
    objector_contact = forms.CharField(
        label=_("How to reach them (optional)"),
        required=False,
        max_length=objections.CONTACT_MAX_LENGTH,
        help_text=_("A phone number or an address."),
    )
    received_on = forms.DateField(
        label=_("Received on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    grounds = forms.CharField(
        label=_("Grounds of the objection"),
        max_length=objections.GROUNDS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Staff of the office and the institution read them; the applicant does not."),
    )
    document = forms.FileField(
        label=_("Document given by the objector (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(objections.ACCEPTED_TYPES)}),
        help_text=upload_help(objections.ACCEPTED_TYPES),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The history row is public: an objection takes no comment (its grounds stay private).
        del self.fields["comment"]
        self.fields["received_on"].initial = timezone.localdate()

    has_visible_inputs = True

    def clean(self):
        cleaned = super().clean()
        values = objections.normalized(cleaned)
        notice = self.dossier.open_scheduled_step() if self.dossier is not None else None
        problems = objections.objection_problems(notice, values, timezone.localdate())
        for field, messages in problems.items():
            if field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
        cleaned["document"] = values["document"]
        return cleaned

    def inputs(self):
        return {name: self.cleaned_data[name] for name in objections.FIELDS}


def step_form(event, actor, data=None, initial=None, *, files=None, dossier=None) -> StepForm:
    """The form of ``event``'s page, for this actor (staff must give a reason to withdraw).

    ``dossier``: the step's form may depend on it (the documents its service asks for).
    """
    return import_string(event.form)(
        data, files, initial=initial, event=event, actor=actor, dossier=dossier
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
                help_text=upload_help(document.accepted_types),
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
