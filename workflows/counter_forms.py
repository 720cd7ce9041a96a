"""The office's own forms: the returning-citizen look-up, the documents kept across errors,
the completeness checklist.

They only parse input; the domain (``workflows.returning_citizens``,
``workflows.pending_uploads``, ``workflows.intake_checklist``) decides.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows import intake_checklist, pending_uploads
from workflows.applicant import normalize_national_id
from workflows.events.base import COMMENT_MAX_LENGTH
from workflows.forms import DocumentsForm, ExpectedStateMixin
from workflows.returning_citizens import Found, latest_details


class LookupForm(forms.Form):
    """The counter's "Returning citizen?" box: a national ID, sent by GET."""

    national_id = forms.CharField(
        label=_("Returning citizen? National ID number"),
        max_length=40,
        help_text=_("Their details from their last dossier at this office fill the form."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "lookup")
        super().__init__(*args, **kwargs)

    def clean_national_id(self):
        return normalize_national_id(self.cleaned_data["national_id"])

    def look_up(self, actor) -> Found | None:
        """Look the citizen up; when nobody is found, say so beside the field."""
        found = latest_details(actor, self.cleaned_data["national_id"])
        if found is None:
            self.nobody_found = True
        return found

    nobody_found = False


KEPT_FILE_GONE = _("The file kept for this document is no longer available: choose it again.")


class CounterDocumentsForm(DocumentsForm):
    """The documents of a counter filing, with those kept from an earlier try of the same form.

    ``kept`` maps a RequiredDocument id to its ``PendingUpload`` (``pending_uploads.kept_for``):
    such a document needs no new file, a new file replaces it, and its "remove" box drops it.
    """

    def __init__(self, service, *args, kept=None, **kwargs):
        super().__init__(service, *args, **kwargs)
        self.kept = {}
        self.set_kept(kept or {})

    def set_kept(self, kept: dict) -> None:
        """What the form shows as kept, by document code (after ``pending_uploads.keep_chosen``)."""
        self.kept = {
            code: kept[document.pk]
            for code, document in self.required_documents.items()
            if document.pk in kept
        }
        for code, field in self.fields.items():
            field.required = self.required_documents[code].mandatory and code not in self.kept

    def remove_name(self, code: str) -> str:
        return f"{self.add_prefix(code)}-remove"

    def removed(self) -> set[str]:
        """The codes of kept documents the clerk asked to remove (and gave no new file for)."""
        if not self.is_bound:
            return set()
        return {
            code
            for code in self.kept
            if self.data.get(self.remove_name(code)) and not self.files.get(self.add_prefix(code))
        }

    def clean(self):
        cleaned = super().clean()
        removed = self.removed()
        for code, row in self.kept.items():
            if code in self.errors or cleaned.get(code):
                continue  # A new file was chosen: it replaces the kept one.
            document = self.required_documents[code]
            if code in removed:
                if document.mandatory:
                    self.add_error(code, _("Choose the file for this document."))
                continue
            inspected = pending_uploads.as_inspected(row)
            if inspected is None:
                self.add_error(code, KEPT_FILE_GONE)
            else:
                cleaned[code] = inspected
        return cleaned

    def chosen(self) -> dict:
        """RequiredDocument → InspectedUpload: the new files that passed the checks, even when
        other fields have errors (a field in error is no longer in ``cleaned_data``)."""
        cleaned = getattr(self, "cleaned_data", {})
        return {
            self.required_documents[code]: cleaned[code]
            for code in self.required_documents
            if cleaned.get(code) and self.files.get(self.add_prefix(code))
        }

    def rows(self):
        """(bound field, kept upload or None, name of its remove box, mandatory), in order."""
        return [
            (self[code], self.kept.get(code), self.remove_name(code), document.mandatory)
            for code, document in self.required_documents.items()
        ]


class ChecklistForm(ExpectedStateMixin):
    """Received, missing or not legible, for every document the service requires; a remark."""

    comment = forms.CharField(
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, dossier, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.fields["comment"].label = event.comment_label
        attached = {}
        for attachment in dossier.attachments.all():
            attached.setdefault(attachment.document_id, attachment.original_name)
        previous = intake_checklist.current(dossier)
        self.documents = list(dossier.service.documents.all())
        for document in self.documents:
            if previous is not None and document.code in previous.marks:
                initial = previous.marks[document.code]
            elif document.pk in attached:
                initial = intake_checklist.Mark.RECEIVED
            else:
                initial = intake_checklist.Mark.MISSING
            # Radio buttons show no help text: what is attached goes in the legend.
            if document.pk in attached:
                label = _("%(document)s (attached: %(file)s)") % {
                    "document": document.name,
                    "file": attached[document.pk],
                }
            else:
                label = _("%(document)s (no file attached)") % {"document": document.name}
            self.fields[self.field_name(document)] = forms.ChoiceField(
                label=label,
                choices=intake_checklist.Mark.choices,
                widget=forms.RadioSelect,
                initial=initial,
            )
        if previous is not None and not self.is_bound:
            self.fields["comment"].initial = previous.remark
        # The documents first, then the remark.
        self.order_fields([self.field_name(d) for d in self.documents] + ["comment"])

    @staticmethod
    def field_name(document) -> str:
        return f"document_{document.code}"

    def marks(self) -> dict:
        return {
            document.code: self.cleaned_data.get(self.field_name(document))
            for document in self.documents
            if self.cleaned_data.get(self.field_name(document))
        }

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        problems = intake_checklist.problems_by_document(self.dossier, self.marks())
        names = {document.code: self.field_name(document) for document in self.documents}
        for code, message in problems.items():
            self.add_error(names.get(code), message)
        return cleaned
