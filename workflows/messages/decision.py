"""The institution's decision: approved, and what comes next; refused, why, and where the letter
with the reasons is."""

from functools import partial

from django.utils.translation import gettext as _

from services.translated import localized
from workflows.documents.contents.base import institution_name
from workflows.documents.contents.decision import (
    APPROVED,
    NEXT_FILE_AGAIN,
    REASONS,
    REJECTED,
    REMARKS,
)
from workflows.documents.qr import public_url
from workflows.messages.base import (
    ACCOUNT,
    LINK,
    Composed,
    Inputs,
    address,
    email_body,
    my_dossiers_path,
    online_access,
    track_path,
)
from workflows.messages.sms import fit
from workflows.models import Decision


def approved(inputs: Inputs) -> Composed:
    dossier = inputs.dossier
    number = dossier.tracking_number
    office = dossier.office.name

    def sms(service, office):
        return _(
            "Your request %(number)s (%(service)s) is approved. Your document is being prepared: "
            "we will send you a message when you can collect it at %(office)s."
        ) % {"number": number, "service": service, "office": office}

    remarks = _comment(inputs, "approve")
    return Composed(
        sms=fit(sms, service=dossier.service.name, office=office),
        subject=_("%(number)s: your request is approved") % {"number": number},
        body=email_body(
            inputs.name,
            str(APPROVED) % {"institution": institution_name(dossier)},
            f"{REMARKS}:\n{remarks}" if remarks else "",
            _(
                "Your document (%(document)s) is being prepared. We will write to you when you "
                "can collect it at %(office)s. You can also follow your dossier at %(url)s with "
                "the tracking number %(number)s."
            )
            % {
                "document": localized(dossier.service, "issued_document"),
                "office": office,
                "url": public_url(track_path()),
                "number": number,
            },
        ),
    )


def rejected(inputs: Inputs) -> Composed:
    dossier = inputs.dossier
    number = dossier.tracking_number
    reasons = _comment(inputs, "reject")
    where = partial(_where_to_read, online_access(dossier))

    def sms(reasons, service, office):
        return (
            _("Your request %(number)s (%(service)s) was refused. Reasons: “%(reasons)s”")
            % {"number": number, "service": service, "reasons": reasons}
            + " "
            + where(office)
        )

    office = dossier.office.name
    return Composed(
        sms=fit(sms, reasons=reasons, service=dossier.service.name, office=office),
        subject=_("%(number)s: decision on your request") % {"number": number},
        body=email_body(
            inputs.name,
            str(REJECTED) % {"institution": institution_name(dossier)},
            f"{REASONS}:\n{reasons}",
            where(office),
            _("Ask at %(office)s if you want the decision explained.") % {"office": office},
            str(NEXT_FILE_AGAIN),
        ),
    )


def _comment(inputs: Inputs, kind: str) -> str:
    """The reasons or remarks, as the event wrote them or as the decision keeps them."""
    entry = inputs.entry_of(kind)
    if entry is not None:
        return entry.comment
    decision = Decision.objects.filter(dossier=inputs.dossier).first()
    return decision.reasons if decision is not None else ""


def _where_to_read(access: str, office: str) -> str:
    if access == ACCOUNT:
        return _("Read the decision letter at %(url)s or at %(office)s.") % {
            "url": address(my_dossiers_path()),
            "office": office,
        }
    if access == LINK:
        return _("Read the decision letter with your link or at %(office)s.") % {"office": office}
    # Filed at the counter, no account: /track/ opens the letter with a code sent to the phone.
    return _(
        "Download the decision letter at %(url)s with a code sent to this phone, or get it at "
        "%(office)s."
    ) % {"url": public_url(track_path()), "office": office}
