"""The forms by which a supervisor assigns dossiers. They only parse; ``assign`` decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows import assignment
from workflows.events.base import COMMENT_MAX_LENGTH

#: At most this many dossiers are assigned by one click (a page holds fewer).
MAX_SELECTED = 200


class AssignForm(forms.Form):
    """One colleague to hand the dossier to, and an optional note for the history."""

    assignee = forms.TypedChoiceField(
        label=_("Assign to"),
        coerce=int,
        empty_value=None,
        error_messages={
            "required": _("Choose who will handle the dossier."),
            "invalid_choice": _("Choose a colleague from the list."),
        },
    )
    comment = forms.CharField(
        label=_("Note for colleagues (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data=None, *, people, **kwargs):
        """``people``: whom this supervisor may assign to (their own active colleagues)."""
        super().__init__(data, **kwargs)
        self.fields["assignee"].choices = [("", _("Choose…"))] + [
            (person.pk, assignment.name_of(person)) for person in people
        ]


class SelectionAssignForm(AssignForm):
    """The same, for several dossiers ticked in a list (their tracking numbers)."""

    dossier = forms.MultipleChoiceField(
        label=_("Dossiers"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one dossier to assign.")},
    )
    field_order = ["dossier", "assignee", "comment"]

    def __init__(self, data=None, *, people, numbers=(), **kwargs):
        super().__init__(data, people=people, **kwargs)
        self.fields["dossier"].choices = [(number, number) for number in numbers]
