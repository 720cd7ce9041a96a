"""The office or the institution waits for the citizen: a fee to pay, a correction, information.

The clock of the dossier pauses meanwhile (``WAITING_FOR_CITIZEN_STATES``), and every message
says so in its email. A request of up to 4000 characters is shortened in the SMS, which says
where to read it whole; the email carries it in full.
"""

from django.utils.translation import gettext as _

from gup.formatting import money
from services import payment_instructions
from services.translated import localized
from workflows.documents.contents.requests import (
    ANSWER_WITH_ACCOUNT,
    ANSWER_WITH_LINK,
    HOW_TO_ANSWER,
    PAUSED,
)
from workflows.documents.qr import public_url
from workflows.messages.base import (
    ACCOUNT,
    LINK,
    Composed,
    Inputs,
    address,
    date_or_unset,
    email_body,
    my_dossiers_path,
    online_access,
)
from workflows.messages.sms import fit


def payment_requested(inputs: Inputs) -> Composed:
    """The amount due and how to pay it, from the catalogue's payment channels
    (``services.payment_instructions``): mobile money and bank with the number to pay to and
    the tracking number as the reference, or cash at the office."""
    dossier = inputs.dossier
    number = dossier.tracking_number
    amount = money(dossier.amount_due())
    how = payment_instructions.for_dossier(dossier)

    def sms(office):
        return (
            _("Dossier %(number)s:") % {"number": number}
            + " "
            + payment_instructions.sentence(how, office=office)
            + " "
            + _("Keep the receipt.")
        )

    office = dossier.office.name
    return Composed(
        sms=fit(sms, office=office),
        subject=_("%(number)s: fee to pay") % {"number": number},
        body=email_body(
            inputs.name,
            _(
                "To continue with your request for %(service)s (dossier %(number)s), pay the fee "
                "of %(amount)s."
            )
            % {"service": dossier.service.name, "number": number, "amount": amount},
            payment_instructions.sentence(how),
            _(
                "Pay only this amount, and keep the receipt: it proves that you paid. Nobody may "
                "ask you to pay it again."
            ),
            str(PAUSED),
        ),
    )


def returned(inputs: Inputs) -> Composed:
    """What to correct, by when, and how to answer."""
    dossier = inputs.dossier
    number, request, by = _request(inputs)

    def sms(request, office):
        text = _(
            "Dossier %(number)s is returned for correction: “%(request)s” Correct it by %(date)s."
        ) % {"number": number, "request": request, "date": by}
        return text + " " + _where_to_answer(dossier, office)

    return Composed(
        sms=fit(sms, request=request, office=dossier.office.name),
        subject=_("%(number)s: your dossier needs a correction") % {"number": number},
        body=_email(
            inputs,
            _(
                "The office returned your dossier %(number)s (%(service)s) for correction. What "
                "you must correct:"
            )
            % {"number": number, "service": dossier.service.name},
            request,
            by,
        ),
    )


def information_requested(inputs: Inputs) -> Composed:
    """The institution's questions, by when to answer, and how."""
    dossier = inputs.dossier
    number, request, by = _request(inputs)

    def sms(request, office):
        text = _("Dossier %(number)s: the institution asks: “%(request)s” Answer by %(date)s.") % {
            "number": number,
            "request": request,
            "date": by,
        }
        return text + " " + _where_to_answer(dossier, office)

    institution = localized(dossier.institution, "name") if dossier.institution else ""
    return Composed(
        sms=fit(sms, request=request, office=dossier.office.name),
        subject=_("%(number)s: information requested") % {"number": number},
        body=_email(
            inputs,
            _(
                "%(institution)s, which examines your dossier %(number)s (%(service)s), needs "
                "information from you. Its questions:"
            )
            % {
                "institution": institution or _("The institution"),
                "number": number,
                "service": dossier.service.name,
            },
            request,
            by,
        ),
    )


def _request(inputs: Inputs) -> tuple[str, str, str]:
    """The tracking number, what the citizen is asked (as the event wrote it, if the dossier
    no longer holds it), and the day to answer by."""
    dossier = inputs.dossier
    entry = inputs.entry_of("return_for_correction", "request_information")
    request = dossier.citizen_request or (entry.comment if entry is not None else "")
    return dossier.tracking_number, request, date_or_unset(dossier.answer_by)


def _where_to_answer(dossier, office: str) -> str:
    """Where the whole request is read and answered: online if the citizen can open the
    dossier there, and always at the office."""
    access = online_access(dossier)
    if access == ACCOUNT:
        return _("Read it all and answer at %(url)s or at %(office)s.") % {
            "url": address(my_dossiers_path()),
            "office": office,
        }
    if access == LINK:
        return _("Read it all and answer with your link or at %(office)s.") % {"office": office}
    return _("Read it all and answer at %(office)s.") % {"office": office}


def _email(inputs: Inputs, introduction: str, request: str, by: str) -> str:
    dossier = inputs.dossier
    ways = []
    access = online_access(dossier)
    if access == ACCOUNT:
        ways.append(
            str(ANSWER_WITH_ACCOUNT)
            % {"url": public_url(my_dossiers_path()), "number": dossier.tracking_number}
        )
    elif access == LINK:
        ways.append(str(ANSWER_WITH_LINK))
    ways.append(
        _("In person: at %(office)s, with what you are asked for.")
        % {"office": dossier.office.name}
    )
    return email_body(
        inputs.name,
        introduction,
        request,
        _("Please answer by %(date)s.") % {"date": by} + " " + str(PAUSED),
        "\n".join([str(HOW_TO_ANSWER) + ":", *(f"- {way}" for way in ways)]),
    )
