"""The counter's own forms: the returning-citizen look-up and the documents kept across errors.

They only parse input; the domain (``workflows.returning_citizens``,
``workflows.pending_uploads``) decides.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows import pending_uploads
from workflows.applicant import normalize_national_id
from workflows.forms import DocumentsForm
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
