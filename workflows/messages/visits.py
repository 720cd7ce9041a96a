"""An appointment at an office, or a site inspection: when, where, and what to bring.

The date, place and what to bring are those the event recorded (its history row's details),
or, without the row, those of the step still open; the SMS shares the same sentences as the
status page (``workflows.public_status``).
"""

import datetime

from django.utils.translation import gettext as _

from gup.formatting import moment
from services.translated import localized
from workflows.documents.contents.visits import IF_YOU_CANNOT_COME, THE_SITE, weekday_and_moment
from workflows.messages.base import Composed, Inputs, email_body
from workflows.messages.sms import fit


def appointment(inputs: Inputs) -> Composed:
    dossier = inputs.dossier
    number = dossier.tracking_number
    starts_at, place, things = _visit(inputs, "give_appointment", "reschedule_appointment")
    place = place or dossier.office.name
    new_date = _new_date(inputs, "reschedule_appointment")

    def sms(place, things):
        text = _("Dossier %(number)s:") % {"number": number} + " " + new_date
        text += _("Come in person to %(place)s on %(date)s.") % {
            "place": place,
            "date": _when(starts_at),
        }
        return text + _bring(things)

    return Composed(
        sms=fit(sms, things=things, place=place),
        subject=_("%(number)s: appointment on %(date)s")
        % {"number": number, "date": _when(starts_at)},
        body=email_body(
            inputs.name,
            new_date
            + _("You have an appointment for your dossier %(number)s (%(service)s).")
            % {"number": number, "service": dossier.service.name},
            _facts(starts_at, place, things),
            _("Come in person, on time.")
            + " "
            + str(IF_YOU_CANNOT_COME) % {"office": dossier.office.name},
        ),
    )


def inspection(inputs: Inputs) -> Composed:
    dossier = inputs.dossier
    number = dossier.tracking_number
    starts_at, place, things = _visit(inputs, "schedule_inspection", "reschedule_inspection")
    new_date = _new_date(inputs, "reschedule_inspection")

    def sms(place, things):
        text = _("Dossier %(number)s:") % {"number": number} + " " + new_date
        text += _("An inspector will visit the site on %(date)s. Make sure they can get in.") % {
            "date": _when(starts_at)
        }
        if place:
            text += " " + _("Place: %(place)s.") % {"place": place}
        return text + _bring(things)

    institution = localized(dossier.institution, "name") if dossier.institution else ""
    return Composed(
        sms=fit(sms, things=things, place=place),
        subject=_("%(number)s: site inspection on %(date)s")
        % {"number": number, "date": _when(starts_at)},
        body=email_body(
            inputs.name,
            new_date
            + _(
                "An inspector of %(institution)s will visit the site of your request %(number)s "
                "(%(service)s)."
            )
            % {"institution": institution, "number": number, "service": dossier.service.name},
            _facts(starts_at, place or str(THE_SITE), things),
            _(
                "Be there, so that the inspector can get in and see everything your request "
                "describes."
            )
            + " "
            + str(IF_YOU_CANNOT_COME) % {"office": dossier.office.name},
        ),
    )


def _visit(inputs: Inputs, *kinds: str) -> tuple[datetime.datetime | None, str, str]:
    """When, where, and what to bring: the first date, or the new one after a no-show."""
    entry = inputs.entry_of(*kinds)
    if entry is not None and "starts_at" in entry.details:
        details = entry.details
        return (
            datetime.datetime.fromisoformat(details["starts_at"]),
            details.get("place", ""),
            details.get("what_to_bring", ""),
        )
    step = inputs.dossier.open_scheduled_step()
    if step is None:
        return None, "", ""
    return step.starts_at, step.place, step.what_to_bring


def _new_date(inputs: Inputs, kind: str) -> str:
    """After a no-show, the message says at once that the date is a new one."""
    return _("New date.") + " " if inputs.entry_of(kind) is not None else ""


def _when(starts_at) -> str:
    return moment(starts_at) if starts_at else _("a date still to be set")


def _bring(things: str) -> str:
    return " " + _("Bring: %(things)s") % {"things": things} if things else ""


def _facts(starts_at, place: str, things: str) -> str:
    when = weekday_and_moment(starts_at) if starts_at else _when(starts_at)
    lines = [_("When: %(date)s") % {"date": when}, _("Where: %(place)s") % {"place": place}]
    if things:
        lines.append(_("Bring: %(things)s") % {"things": things})
    return "\n".join(lines)
