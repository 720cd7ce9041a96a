"""Telling the citizen. For now only the resume link, by email; the notifications work adds SMS
(through a gateway) and the messages of every event.

Messages are written in the dossier's language and never logged: a text can carry a secret (a
resume link, a one-time code).
"""

import logging

from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def send_resume_link(occurrence) -> None:
    """Email the link that reopens the application to the applicant."""
    from workflows.models import Dossier

    dossier = Dossier.objects.select_related("service").get(pk=occurrence.dossier_id)
    if not dossier.applicant_email:
        return
    with translation.override(dossier.language):
        subject = _("Your application on GUP: %(service)s") % {"service": dossier.service.name}
        text = _(
            "To continue or follow your application (%(service)s), open this link: %(link)s "
            "Keep it secret: it opens your dossier."
        ) % {"service": dossier.service.name, "link": occurrence.transient["link"]}
    try:
        send_mail(subject, text, None, [dossier.applicant_email])
    except OSError:
        logger.exception("The resume link could not be emailed for dossier %s", dossier.pk)
