"""The document is at the office: where to collect it and what to bring; and, when it waits
too long, a reminder."""

from django.utils.translation import gettext as _

from gup.formatting import day
from services.translated import localized
from workflows.messages.base import Composed, Inputs, email_body, office_place
from workflows.messages.sms import fit


def ready_for_collection(inputs: Inputs) -> Composed:
    dossier = inputs.dossier
    number = dossier.tracking_number

    def sms(office):
        return (
            _("Dossier %(number)s:") % {"number": number}
            + " "
            + _("Your document is ready. Collect it at %(office)s with your national ID card.")
            % {"office": office}
        )

    return Composed(
        sms=fit(sms, office=office_place(dossier.office)),
        subject=_("%(number)s: your document is ready") % {"number": number},
        body=email_body(
            inputs.name,
            _("Your document (%(document)s) is ready. Collect it at %(office)s.")
            % {
                "document": localized(dossier.service, "issued_document"),
                "office": dossier.office.name,
            },
            _office_facts(dossier.office),
            _bring(number),
        ),
    )


def collection_reminder(inputs: Inputs) -> Composed:
    dossier = inputs.dossier
    number = dossier.tracking_number
    since = day(_ready_since(inputs))

    def text(office):
        return _(
            "Dossier %(number)s: your document has been waiting for you at %(office)s since "
            "%(date)s. Collect it with your national ID card."
        ) % {"number": number, "office": office, "date": since}

    return Composed(
        sms=fit(text, office=office_place(dossier.office)),
        subject=_("%(number)s: your document is waiting for you") % {"number": number},
        body=email_body(
            inputs.name,
            text(dossier.office.name),
            _office_facts(dossier.office),
            _bring(number),
        ),
    )


def _ready_since(inputs: Inputs):
    """When the document reached the office: the ``dispatch`` event."""
    entry = inputs.entry_of("dispatch")
    if entry is None:
        entry = inputs.dossier.history.filter(kind="dispatch").order_by("-position").first()
    return entry.at if entry is not None else None


def _office_facts(office) -> str:
    lines = [_("Where: %(place)s") % {"place": office_place(office)}]
    if office.opening_hours:
        lines.append(_("Opening hours: %(hours)s") % {"hours": office.opening_hours})
    return "\n".join(lines)


def _bring(number: str) -> str:
    return _("Bring your national ID card and the tracking number %(number)s.") % {"number": number}
