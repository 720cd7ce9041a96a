"""Notices of an appointment or a site inspection: when, where, what to bring."""

import datetime
from functools import partial

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy

from gup.formatting import moment
from workflows.documents import labels
from workflows.documents.bilingual import both, both_of
from workflows.documents.contents.base import (
    Contents,
    deciding_institution,
    institution_name,
)


def appointment_notice(dossier, occasion, language) -> Contents:
    """When and where the citizen comes in person, and what they bring."""
    office = dossier.office.name
    return _visit(
        dossier,
        occasion,
        language,
        place_unset=office,
        instructions=[
            both_of(language, COME_IN_PERSON),
            both_of(language, IF_YOU_CANNOT_COME, office=office),
        ],
    )


def inspection_notice(dossier, occasion, language) -> Contents:
    """When the institution inspects the site, and that the citizen must be there."""
    office = dossier.office.name
    return _visit(
        dossier,
        occasion,
        language,
        place_unset=both_of(language, THE_SITE),
        instructions=[
            both_of(
                language,
                INSPECTOR_VISITS,
                institution=partial(institution_name, dossier),
            ),
            both_of(language, BE_AT_THE_SITE),
            both_of(language, IF_YOU_CANNOT_COME, office=office),
        ],
    )


def _visit(dossier, occasion, language, *, place_unset, instructions) -> Contents:
    """The date, time and place the event recorded (``ScheduleStep``: its details)."""
    details = occasion.details
    starts_at = datetime.datetime.fromisoformat(details["starts_at"])
    return Contents(
        facts=[(both_of(language, labels.INSTITUTION), deciding_institution(dossier, language))],
        paragraphs=instructions,
        extra={
            "when": both(language, lambda: weekday_and_moment(starts_at)),
            "place": details.get("place") or place_unset,
            "what_to_bring": details.get("what_to_bring", ""),
        },
    )


def weekday_and_moment(value: datetime.datetime) -> str:
    """``Wednesday 2 December 2026, 10:00``: the weekday guards against a misread date."""
    weekday = formats.date_format(timezone.localtime(value), "l")
    return f"{weekday} {moment(value)}"


COME_IN_PERSON = gettext_lazy("Come in person, on time, with this notice.")
THE_SITE = gettext_lazy("The site described in your request")
INSPECTOR_VISITS = gettext_lazy(
    "An inspector of %(institution)s will visit the site at the date and time above."
)
BE_AT_THE_SITE = gettext_lazy(
    "Be present at the site, with this notice, so that the inspector can get in and see "
    "everything the request describes."
)
IF_YOU_CANNOT_COME = gettext_lazy("If you cannot be there, tell %(office)s before that day.")
