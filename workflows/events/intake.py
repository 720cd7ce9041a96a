"""Checking a dossier at the office: the completeness checklist (``workflows.intake_checklist``)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from workflows import intake_checklist
from workflows import permissions as may
from workflows.events.base import Event
from workflows.states import DossierState as S


class RecordChecklist(Event):
    """The clerk checking a dossier records, for every document the service requires, whether
    it was received, is missing or is not legible; and, if they want, a remark for the citizen.

    Only while the dossier is being checked (intake), by the staff of its office. A document
    marked received must be attached. The checklist stays in the history row's details; "Return
    for correction" reads the latest one.
    """

    name = intake_checklist.KIND
    label = gettext_lazy("Check the documents")
    comment_label = gettext_lazy("Anything else the citizen must correct (optional)")
    is_public = False
    offered = False  # Its own page (``workflows.views.intake``), not a step button.
    permission = staticmethod(may.office_staff)
    states = (S.INTAKE,)

    def input_problems(self, dossier, ctx) -> list[str]:
        marks = ctx.inputs.get("marks")
        if not isinstance(marks, dict):
            return [_("Mark every document received, missing or not legible.")]
        return list(intake_checklist.problems_by_document(dossier, marks).values())

    def apply(self, dossier, ctx) -> None:
        ctx.details.update(intake_checklist.as_details(dossier, ctx.inputs["marks"], ctx.comment))

    def describe(self, entry) -> str:
        counts = intake_checklist.from_entry(entry).counts()
        mark = intake_checklist.Mark
        parts = [
            ngettext("%(count)d received", "%(count)d received", counts[mark.RECEIVED])
            % {"count": counts[mark.RECEIVED]},
            ngettext("%(count)d missing", "%(count)d missing", counts[mark.MISSING])
            % {"count": counts[mark.MISSING]},
            ngettext("%(count)d not legible", "%(count)d not legible", counts[mark.ILLEGIBLE])
            % {"count": counts[mark.ILLEGIBLE]},
        ]
        return _("Documents checked: %(counts)s") % {"counts": ", ".join(parts)}


EVENTS = (RecordChecklist(),)
