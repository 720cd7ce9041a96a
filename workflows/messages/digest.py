"""The email that tells a supervisor which dossiers are past their expected date."""

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gup.formatting import day
from workflows.documents.qr import public_url
from workflows.messages.base import Composed, email_body


def compose_digest(user, dossiers, language: str) -> Composed:
    """The overdue dossiers of ``user``'s scope, one paragraph each, with a link to its page.

    ``dossiers`` is what the caller selected (scoped, overdue, ``select_related("service")``);
    the list is written in that order. Lateness is counted in calendar days, as a reader counts
    from the expected date printed beside it. Email only: ``sms`` is empty.
    """
    dossiers = list(dossiers)
    today = timezone.localdate()
    with translation.override(language):
        count = len(dossiers)
        subject = ngettext(
            "GUP: %(count)s overdue dossier", "GUP: %(count)s overdue dossiers", count
        ) % {"count": count}
        if dossiers:
            introduction = _("These dossiers are past their expected date:")
        else:
            introduction = _("No dossier is past its expected date.")
        items = [_item(dossier, today) for dossier in dossiers]
        body = email_body(user.get_full_name() or user.get_username(), introduction, *items)
    return Composed(sms="", subject=subject, body=body)


def _item(dossier, today) -> str:
    late = (today - dossier.due_date).days if dossier.due_date else 0
    facts = " - ".join(
        [
            dossier.tracking_number,
            dossier.service.name,
            str(dossier.state_label),
            _("expected %(date)s") % {"date": day(dossier.due_date)},
            ngettext("%(days)s day late", "%(days)s days late", late) % {"days": late},
        ]
    )
    url = public_url(reverse("dossier_detail", args=[dossier.tracking_number]))
    return f"{facts}\n{url}"
