"""Filing: the dossier is filed, the link that reopens an application, a draft about to go."""

from django.utils.translation import gettext as _

from gup.formatting import day, moment
from workflows.documents.qr import public_url
from workflows.messages.base import (
    ACCOUNT,
    Composed,
    Inputs,
    address,
    date_or_unset,
    email_body,
    my_dossiers_path,
    online_access,
    sms_number,
    track_path,
)
from workflows.messages.sms import fit


def filed(inputs: Inputs) -> Composed:
    """The tracking number, the expected date, and how to follow the dossier."""
    dossier = inputs.dossier
    number = dossier.tracking_number
    expected = date_or_unset(dossier.due_date)
    texting = sms_number()
    entry = inputs.entry_of("submit", "filed_at_counter")
    filed_at = entry.at if entry is not None else dossier.submitted_at

    def sms(service):
        text = _("Your dossier %(number)s (%(service)s) is filed. Expected date: %(date)s.") % {
            "number": number,
            "service": service,
            "date": expected,
        }
        follow = {"url": address(track_path()), "number": number, "sms_number": texting}
        if texting:
            text += " " + _("Follow it at %(url)s or text %(number)s to %(sms_number)s.") % follow
        else:
            text += " " + _("Follow it at %(url)s.") % follow
        return text

    follow = _(
        "To follow it, open %(url)s and enter the tracking number and the last four digits of "
        "your phone number."
    ) % {"url": public_url(track_path())}
    if texting:
        follow += " " + _(
            "You can also send the tracking number by SMS to %(sms_number)s: the answer tells "
            "you where your dossier is."
        ) % {"sms_number": texting}
    return Composed(
        sms=fit(sms, service=dossier.service.name),
        subject=_("%(number)s: your dossier is filed") % {"number": number},
        body=email_body(
            inputs.name,
            _(
                "Your request for %(service)s was filed at %(office)s on %(date)s. Its tracking "
                "number is %(number)s: keep it, you need it to follow your dossier."
            )
            % {
                "service": dossier.service.name,
                "office": dossier.office.name,
                "date": moment(filed_at),
                "number": number,
            },
            _("The expected date is %(date)s.") % {"date": expected},
            follow,
        ),
    )


def resume_link(inputs: Inputs) -> Composed:
    """The link that reopens the application: the same words by SMS and by email."""
    dossier = inputs.dossier
    link = inputs.secrets["link"]

    def text(service):
        return _(
            "To continue or follow your application (%(service)s), open this link: %(link)s "
            "Keep it secret: it opens your dossier."
        ) % {"service": service, "link": link}

    service = dossier.service.name
    return Composed(
        sms=fit(text, service=service),
        subject=_("Your application on GUP: %(service)s") % {"service": service},
        body=email_body(inputs.name, text(service)),
    )


def draft_expiring(inputs: Inputs) -> Composed:
    """An online application nobody has continued: the day it goes, and how to keep it."""
    dossier = inputs.dossier
    if inputs.expires_on is None:
        raise ValueError("A draft_expiring message needs expires_on, the day the draft goes.")
    when = day(inputs.expires_on)
    with_account = online_access(dossier) == ACCOUNT

    def sms(service):
        text = _(
            "Your online application for %(service)s will be deleted on %(date)s unless you "
            "continue it."
        ) % {"service": service, "date": when}
        if with_account:
            return text + " " + _("Sign in at %(url)s.") % {"url": address(my_dossiers_path())}
        return text + " " + _("Open the link you received when you started it.")

    if with_account:
        how = _("To continue it, sign in at %(url)s and open it from your dossiers.") % {
            "url": public_url(my_dossiers_path())
        }
    else:
        how = _("To continue it, open the link you received by SMS or email when you started it.")
    service = dossier.service.name
    return Composed(
        sms=fit(sms, service=service),
        subject=_("Your application for %(service)s will be deleted on %(date)s")
        % {"service": service, "date": when},
        body=email_body(
            inputs.name,
            _(
                "You started an application for %(service)s online and have not sent it yet. "
                "Unless you continue it, it will be deleted on %(date)s, with what you filled "
                "in and the documents you added."
            )
            % {"service": service, "date": when},
            how,
        ),
    )
