"""Messages that are not about an event: a one-time code, and the answers to a citizen who texts
a tracking number."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gup.accounts.code_lifetime import LIFETIME_MINUTES
from workflows.messages.base import Composed, Inputs, date_or_unset, email_body
from workflows.messages.sms import fit
from workflows.public_status import what_to_do

#: How long a one-time code is valid, as the message tells it.
CODE_LIFETIME_MINUTES = LIFETIME_MINUTES


def one_time_code(inputs: Inputs) -> Composed:
    """The code first, so that phones offer to fill it in; no "GUP:" before it."""
    code = inputs.secrets["code"]
    text = ngettext(
        "%(code)s is your GUP code. It expires in %(minutes)s minute. Never share it.",
        "%(code)s is your GUP code. It expires in %(minutes)s minutes. Never share it.",
        CODE_LIFETIME_MINUTES,
    ) % {"code": code, "minutes": CODE_LIFETIME_MINUTES}
    return Composed(
        sms=fit(lambda: text, prefix=""),
        subject=_("%(code)s is your GUP code") % {"code": code},
        body=email_body(inputs.recipient_name, text),
    )


def status_reply(inputs: Inputs) -> Composed:
    """Where the dossier is and what the citizen must do: the words of the status page."""
    dossier = inputs.dossier
    number = dossier.tracking_number
    state = dossier.state_label
    next_step = what_to_do(dossier)

    def heading(service):
        return _("Dossier %(number)s (%(service)s): %(state)s.") % {
            "number": number,
            "service": service,
            "state": state,
        }

    def sms(next_step, service):
        return heading(service) + " " + next_step

    service = dossier.service.name
    return Composed(
        sms=fit(sms, next_step=next_step, service=service),
        subject=_("%(number)s: %(state)s") % {"number": number, "state": state},
        body=email_body(
            inputs.name,
            heading(service),
            next_step,
            _("The expected date is %(date)s.") % {"date": date_or_unset(dossier.due_date)},
        ),
    )


def status_unknown(inputs: Inputs) -> Composed:
    """One answer for an unknown number and for a number with the wrong phone alike.

    It reads nothing (no dossier, no history): whatever it is given, it is the same text. The
    caller must not choose its language from the dossier either, or the language would tell.
    """
    text = _(
        "No dossier matches this message. Check the tracking number on your receipt and send it "
        "again, or ask at your GUP office."
    )
    return Composed(
        sms=fit(lambda: text),
        subject=_("No dossier found"),
        body=email_body("", text),
    )
