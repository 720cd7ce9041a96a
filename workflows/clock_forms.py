"""The forms of the SLA clock's steps: the answer-by day of a request, an extension.

They parse, prefill and place each problem beside its field; the rules are the domain's
(``workflows.clock``), which the events check again whatever the channel.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows import clock
from workflows.forms import StepForm


class InformationRequestForm(StepForm):
    """The officer's questions and the day the citizen must answer by (the service's default
    time to answer, prefilled)."""

    answer_by = forms.DateField(
        label=_("Answer by"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_(
            "A working day. The dossier is flagged if the citizen has not answered by then."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.dossier is not None:
            # A callable: worked out (one query for the calendar) only when the field is shown,
            # not for each button of the dossier page.
            dossier = self.dossier
            self.fields["answer_by"].initial = lambda: clock.default_answer_by(
                dossier, timezone.now()
            )

    def clean_answer_by(self):
        answer_by = self.cleaned_data["answer_by"]
        if self.dossier is not None:
            calendar = clock.calendar_for(self.dossier.office_id)
            problems = clock.answer_by_problems(answer_by, timezone.localdate(), calendar)
            if problems:
                raise forms.ValidationError(problems)
        return answer_by

    def inputs(self):
        return {"answer_by": self.cleaned_data["answer_by"]}


class ExtensionForm(StepForm):
    """How many working days a supervisor adds to the expected date, and why."""

    working_days = forms.IntegerField(label=_("Working days to add"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.dossier is not None:
            limit = self.dossier.service.max_extension_working_days
            self.fields["working_days"].help_text = _("At most %(limit)s.") % {"limit": limit}
            self.fields["working_days"].widget.attrs["max"] = limit

    def clean_working_days(self):
        days = self.cleaned_data["working_days"]
        if self.dossier is not None:
            problems = clock.extension_days_problems(self.dossier.service, days)
            if problems:
                raise forms.ValidationError(problems)
        return days

    def inputs(self):
        return {"working_days": self.cleaned_data["working_days"]}
