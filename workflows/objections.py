"""What makes an objection to a public notice acceptable: one set of rules, for every channel.

``objection_problems`` is called by the ``record_objection`` event (``workflows.events``) inside
the one door, and by the staff form to show each problem beside its field. Pure apart from the
upload check: the notice, the values and today's date are given.

- Who objects: a name (required); their national ID number and a contact, if they gave them.
- When it was received: a date, not in the future, within the notice (from the day it opened to
  its last day). The period exists so that the public knows until when it may object; an
  objection received after it is not part of the procedure (keep it as a note if it matters).
- What: the grounds, as real text (at least 20 characters and two words).
- The objector's document, if any: a PDF, JPEG or PNG, checked by its content
  (``workflows.uploads``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gup.formatting import day
from workflows.applicant import NATIONAL_ID_PATTERN
from workflows.texts import WORD
from workflows.uploads import InspectedUpload, inspect_upload

ACCEPTED_TYPES = ("application/pdf", "image/jpeg", "image/png")
NAME_MAX_LENGTH = 200
CONTACT_MAX_LENGTH = 200
GROUNDS_MIN_LENGTH = 20
GROUNDS_MAX_LENGTH = 4000

FIELDS = (
    "objector_name",
    "objector_national_id",
    "objector_contact",
    "received_on",
    "grounds",
    "document",
)


def normalized(values: dict) -> dict:
    """The values as they are kept: text stripped, the ID number in capitals."""
    text = {
        name: (values.get(name) or "").strip()
        for name in ("objector_name", "objector_contact", "grounds")
    }
    national_id = (values.get("objector_national_id") or "").strip().upper().replace(" ", "")
    return {
        **text,
        "objector_national_id": national_id,
        "received_on": values.get("received_on"),
        "document": values.get("document") or None,
    }


def notice_opened_on(notice) -> datetime.date:
    return timezone.localdate(notice.starts_at)


def objection_problems(notice, values: dict, today: datetime.date) -> dict[str, list[str]]:
    """What is wrong with this objection to ``notice``, field by field; empty when acceptable.

    ``values`` as ``normalized`` returns them; a ``document`` that is not yet an inspected
    upload is inspected here (and replaced by the result in ``values``).
    """
    problems: dict[str, list[str]] = {}

    def add(field, message):
        problems.setdefault(field, []).append(message)

    name = values["objector_name"]
    if not name:
        add("objector_name", _("Write the name of the person or body who objects."))
    elif len(name) > NAME_MAX_LENGTH:
        add(
            "objector_name",
            _("Please write at most %(count)s characters.") % {"count": NAME_MAX_LENGTH},
        )
    national_id = values["objector_national_id"]
    if national_id and not NATIONAL_ID_PATTERN.match(national_id):
        add(
            "objector_national_id",
            _("This is not a national ID number: digits, optionally grouped with / . or -."),
        )
    if len(values["objector_contact"]) > CONTACT_MAX_LENGTH:
        add(
            "objector_contact",
            _("Please write at most %(count)s characters.") % {"count": CONTACT_MAX_LENGTH},
        )

    received_on = values["received_on"]
    if not isinstance(received_on, datetime.date) or isinstance(received_on, datetime.datetime):
        add("received_on", _("Give the date the objection was received."))
    elif received_on > today:
        add("received_on", _("This date is in the future: give the day it was received."))
    elif notice is not None and received_on < notice_opened_on(notice):
        add(
            "received_on",
            _("The public notice opened on %(date)s: an objection cannot be received before.")
            % {"date": day(notice_opened_on(notice))},
        )
    elif notice is not None and notice.ends_on and received_on > notice.ends_on:
        add(
            "received_on",
            _(
                "The public notice ended on %(date)s: an objection received later is not part "
                "of it. Keep it as a note if it matters."
            )
            % {"date": day(notice.ends_on)},
        )

    grounds = values["grounds"]
    if not grounds:
        add("grounds", _("Write the grounds of the objection."))
    elif len(grounds) > GROUNDS_MAX_LENGTH:
        add(
            "grounds",
            _("Please write at most %(count)s characters.") % {"count": GROUNDS_MAX_LENGTH},
        )
    elif len(grounds) < GROUNDS_MIN_LENGTH or len(WORD.findall(grounds)) < 2:
        add(
            "grounds",
            _("Write the grounds as sentences: at least %(count)s characters, in words.")
            % {"count": GROUNDS_MIN_LENGTH},
        )

    document = values["document"]
    if document is not None and not isinstance(document, InspectedUpload):
        try:
            values["document"] = inspect_upload(document, ACCEPTED_TYPES)
        except ValidationError as error:
            add("document", " ".join(error.messages))
    return problems
