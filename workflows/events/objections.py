"""Objections to a public notice, recorded one by one while the notice runs."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gup.formatting import day
from workflows import permissions as may
from workflows.events.base import Event
from workflows.models import Objection
from workflows.objections import normalized, objection_problems
from workflows.states import DossierState


class RecordObjection(Event):
    """Someone objects to a published request: who, when it was received, on what grounds, and
    the document they gave, kept as an ``Objection``.

    The handling officer records it (or their supervisor, or the institution's system), as they
    open and close the notice. Staff of the office and the institution read the objections on
    the dossier page; the history row, which the applicant reads, says only that an objection
    was recorded and the day it was received: no name, no grounds. The event takes no comment,
    which the applicant would read too.
    """

    name = "record_objection"
    label = gettext_lazy("Record an objection")
    history_label = gettext_lazy("An objection was recorded")
    form = "workflows.forms.ObjectionForm"
    states = (DossierState.PUBLIC_NOTICE,)
    offered_with_transitions = True
    permission = staticmethod(may.handling_officer)

    def comment_problems(self, ctx) -> list[str]:
        if ctx.comment:
            return [_("Write the grounds of the objection in their own field.")]
        return []

    def input_problems(self, dossier, ctx) -> list[str]:
        notice = dossier.open_scheduled_step()
        if notice is None:
            return [_("No public notice is open.")]
        values = normalized(ctx.inputs)
        problems = objection_problems(notice, values, timezone.localdate(ctx.now))
        ctx.inputs.update(values, notice=notice)
        return [message for messages in problems.values() for message in messages]

    def apply(self, dossier, ctx) -> None:
        inputs = ctx.inputs
        document = inputs["document"]
        stored = {}
        if document is not None:
            stored = {
                "document_name": document.original_name[:255],
                "document_stored_name": ctx.files.keep(document),
                "document_content_type": document.content_type,
                "document_size": document.size,
                "document_sha256": document.sha256,
            }
        objection = Objection.objects.create(
            dossier=dossier,
            notice=inputs["notice"],
            objector_name=inputs["objector_name"],
            objector_national_id=inputs["objector_national_id"],
            objector_contact=inputs["objector_contact"],
            received_on=inputs["received_on"],
            grounds=inputs["grounds"],
            recorded_by=ctx.actor.user,
            recorded_by_name=ctx.actor.display_name,
            recorded_at=ctx.now,
            **stored,
        )
        # The history is kept for ever: personal data stays in the objection's own row.
        ctx.details.update(
            objection=objection.pk,
            received_on=objection.received_on.isoformat(),
            with_document=document is not None,
        )

    def describe(self, entry) -> str:
        if "received_on" not in entry.details:
            return super().describe(entry)
        return _("An objection was recorded (received on %(date)s)") % {
            "date": day(datetime.date.fromisoformat(entry.details["received_on"]))
        }


EVENTS = (RecordObjection(),)
