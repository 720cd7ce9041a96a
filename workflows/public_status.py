"""What anyone may learn about a dossier at /track/, and the lookup that guards it.

The tracking number is printed on receipts and read out at counters, so it is not a secret: the
lookup also asks for the last four digits of the phone number given at filing, answers an
unknown number and a wrong combination in exactly the same way, and slows down a client that
keeps failing (a per-IP limit in the shared cache). What it returns carries no personal data:
no name, no ID number, no phone, no answers, no comment, no staff name; only the service, the
office, the state in plain words, the dates and what the citizen must do next.
"""

import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, F, OuterRef, Subquery, When
from django.utils.translation import gettext as _
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

from gup.formatting import day, moment
from services import payment_instructions
from workflows import clock, tracking
from workflows.history_display import describe
from workflows.messages.base import office_place
from workflows.models import Dossier, HistoryEntry
from workflows.states import WAITING_FOR_CITIZEN_STATES
from workflows.states import DossierState as S

TRACK_GROUP = "gup.track"
RESUME_GROUP = "gup.resume"
#: Wrong one-time codes typed from one client (the phone confirmation, /track/'s documents).
CODE_GROUP = "gup.one_time_code"
#: Codes sent to dossiers' phones at the request of one client (/track/'s documents).
CODES_SENT_GROUP = "gup.codes_sent"


@dataclass(frozen=True)
class TimelineStep:
    at: object
    label: str
    comment: str = ""


@dataclass(frozen=True)
class PublicStatus:
    tracking_number: str
    service: str
    state: str
    state_label: str
    office: str
    submitted_at: object
    due_date: object
    is_overdue: bool
    is_paused: bool
    next_step: str
    timeline: tuple[TimelineStep, ...]
    #: The day the clock stopped while the office waits for the citizen (None: running).
    paused_since: object = None
    #: When the citizen's answer (a correction, the information asked) was received, until the
    #: office or the institution takes the next step (None otherwise).
    answer_received_at: object = None


def _when(value, write=day) -> str:
    """A date (with ``write=moment``, a date and time) for a sentence; a placeholder if unset."""
    return write(value) if value else _("a date still to be set")


def what_to_do(dossier, *, on_their_page: bool = False) -> str:
    """What the citizen must do next, in plain words, for the dossier's state.

    ``on_their_page``: read on the applicant's own dossier page (account or link), where what
    is asked, the decision's reasons and the letter are shown, rather than on /track/ or by SMS.
    """
    office = str(dossier.office)
    state = dossier.state
    if state == S.DRAFT:
        return _("This application has not been sent yet.")
    if state in (S.SUBMITTED, S.INTAKE):
        return _(
            "Nothing for now: the office checks that your dossier is complete. If anything is "
            "missing, this page will say so: check it again with your tracking number."
        )
    if state in (S.RETURNED, S.INFORMATION_REQUESTED) and on_their_page:
        return _(
            "Read what is asked above and answer online with “Answer”, or go to %(office)s."
        ) % {"office": office}
    if state == S.RETURNED:
        return _(
            "The office returned your dossier for correction. Open it with your link or your "
            "account to read what to correct and answer online, or go to %(office)s."
        ) % {"office": office}
    if state == S.AWAITING_PAYMENT:
        how = payment_instructions.for_dossier(dossier)
        return payment_instructions.sentence(how) + " " + _("Keep the receipt.")
    if state in (S.FORWARDED, S.IN_REVIEW):
        return _("Nothing for now: the institution that decides is examining your dossier.")
    if state == S.INFORMATION_REQUESTED:
        return _(
            "The institution needs information from you. Open your dossier with your link or "
            "your account to read the questions and answer online, or go to %(office)s."
        ) % {"office": office}
    if state in (S.INSPECTION, S.PUBLIC_NOTICE, S.APPOINTMENT):
        return _scheduled_step_text(dossier, office)
    if state in (S.APPROVED, S.ISSUED):
        return _(
            "Your request was approved. The document is being prepared: this page will say when "
            "it is ready to collect at %(place)s. Check it again with your tracking number."
        ) % {"place": collection_place(dossier.office)}
    if state == S.READY_FOR_COLLECTION:
        return _("Your document is ready. Collect it at %(place)s with your national ID card.") % {
            "place": collection_place(dossier.office)
        }
    if state in (S.REJECTED, S.CLOSED):
        if on_their_page:
            return _(
                "Your request was refused. Read the reasons below and download the decision "
                "letter. No need to travel to %(office)s."
            ) % {"office": office}
        return _(
            "Your request was refused. The reasons are in the decision letter: open your dossier "
            "with your account or your link to read them and download the letter, or get it "
            "here with a code sent to your phone. No need to travel to %(office)s."
        ) % {"office": office}
    if state == S.COLLECTED:
        return _("You have collected your document. Nothing more to do.")
    if state == S.WITHDRAWN:
        return _("This request was withdrawn. Nothing more to do.")
    return _("This application was abandoned before it was sent.")


def collection_place(office) -> str:
    """Where and when to collect: the office, its address and opening hours where known."""
    place = office_place(office)
    if office.opening_hours:
        place = _("%(place)s (open %(hours)s)") % {"place": place, "hours": office.opening_hours}
    return place


def _scheduled_step_text(dossier, office: str) -> str:
    """Inspection, public notice or appointment: when, where, and what to bring."""
    step = dossier.open_scheduled_step()
    when = _when(step.starts_at if step else None, moment)
    if dossier.state == S.PUBLIC_NOTICE:
        return _(
            "Your request is published until %(date)s so that anyone may object. Nothing to do."
        ) % {"date": _when(step.ends_on if step else None)}
    if dossier.state == S.INSPECTION:
        text = _("An inspector will visit the site on %(date)s. Make sure they can get in.") % {
            "date": when
        }
    else:
        text = _("Come in person to %(place)s on %(date)s.") % {
            "place": (step.place if step and step.place else office),
            "date": when,
        }
    if step and step.what_to_bring:
        text += " " + _("Bring: %(things)s") % {"things": step.what_to_bring}
    return text


#: The events that bring the citizen's answer back to whoever asked.
ANSWERS = ("resubmit", "provide_information")


def answer_received_at(dossier):
    """When the citizen's answer arrived, while it is the dossier's latest step; else None.

    The latest change of state tells: once the office or the institution moves the dossier on
    (starts checking it again, claims it, decides...), the answer is history like the rest.
    """
    latest = (
        dossier.history.exclude(from_state=F("to_state"))
        .order_by("-position")
        .values("kind", "at")
        .first()
    )
    return latest["at"] if latest and latest["kind"] in ANSWERS else None


def with_answer_received(dossiers):
    """``dossiers`` annotated with ``answer_received_at`` (``answer_received_at`` for each, in
    the same query): a list of dossiers says it too."""
    latest = (
        HistoryEntry.objects.filter(dossier=OuterRef("pk"))
        .exclude(from_state=F("to_state"))
        .order_by("-position")
    )
    return dossiers.annotate(
        latest_move_kind=Subquery(latest.values("kind")[:1]),
        latest_move_at=Subquery(latest.values("at")[:1]),
    ).annotate(
        answer_received_at=Case(When(latest_move_kind__in=ANSWERS, then=F("latest_move_at")))
    )


def public_status(dossier, *, with_comments: bool = False) -> PublicStatus:
    """The reduced view of a dossier. ``with_comments`` only for the applicant themselves."""
    entries = dossier.history.public().order_by("position")
    return PublicStatus(
        tracking_number=dossier.tracking_number or "",
        service=dossier.service.name,
        state=dossier.state,
        state_label=dossier.state_label,
        office=str(dossier.office),
        submitted_at=dossier.submitted_at,
        due_date=dossier.due_date,
        is_overdue=dossier.is_overdue,
        is_paused=dossier.state in WAITING_FOR_CITIZEN_STATES,
        next_step=what_to_do(dossier, on_their_page=with_comments),
        paused_since=clock.paused_since(dossier),
        answer_received_at=answer_received_at(dossier),
        timeline=tuple(
            TimelineStep(
                at=entry.at,
                label=describe(entry),
                comment=entry.comment if with_comments else "",
            )
            for entry in entries
        ),
    )


def _last_digits(phone: str) -> str:
    return re.sub(r"\D", "", phone or "")[-4:]


def filed_dossier(tracking_number: str) -> Dossier | None:
    """The filed dossier with this number, however it was typed; None for a draft or no dossier."""
    number = tracking.normalize(tracking_number)
    if not tracking.is_valid(number):
        return None
    return (
        Dossier.objects.select_related("service", "office")
        .exclude(state=S.DRAFT)
        .filter(tracking_number=number)
        .first()
    )


def phone_ends_with(dossier: Dossier | None, last_digits: str) -> bool:
    """Whether ``last_digits`` are the last four digits of the dossier's phone number.

    Compared in constant time, and compared even when there is no dossier, so that the time
    taken does not tell an unknown number from a wrong ending.
    """
    digits = re.sub(r"\D", "", last_digits or "")
    expected = _last_digits(dossier.applicant_phone) if dossier else "----"
    matches = hmac.compare_digest(expected.encode(), digits.encode())
    return dossier is not None and len(digits) == 4 and matches


def lookup(tracking_number: str, last_digits: str) -> PublicStatus | None:
    """The status of the filed dossier with this number and phone ending; None otherwise.

    None for an unknown number, a wrong ending and a draft alike: the caller cannot tell which.
    """
    dossier = find(tracking_number, last_digits)
    return public_status(dossier) if dossier is not None else None


def find(tracking_number: str, last_digits: str) -> Dossier | None:
    """The filed dossier with this number and phone ending (``lookup``), for /track/'s next
    steps; never shown as such."""
    dossier = filed_dossier(tracking_number)
    if not phone_ends_with(dossier, last_digits):
        return None
    return dossier


# --- Slowing down guessing --------------------------------------------------------------------


def _usage(request, group: str, *, increment: bool):
    return get_usage(
        request,
        group=group,
        key="ip",
        rate=settings.GUP_TRACK_RATE,
        method=ALL,
        increment=increment,
    )


def locked_for(request, group: str = TRACK_GROUP) -> int:
    """Seconds this client must wait before trying again; 0 when it may try now."""
    usage = _usage(request, group, increment=False)
    if usage is None:
        return 0
    if usage["should_limit"] or usage["count"] >= usage["limit"]:
        return max(usage["time_left"], 1)
    return 0


def is_locked_out(request, group: str = TRACK_GROUP) -> bool:
    return locked_for(request, group) > 0


def record_failure(request, group: str = TRACK_GROUP) -> None:
    _usage(request, group, increment=True)


class TooManyAttempts(Exception):
    def __init__(self, seconds: int):
        self.seconds = seconds
        super().__init__(seconds)


def rate_limited_lookup(request, tracking_number: str, last_digits: str) -> PublicStatus | None:
    """``lookup``, refused with TooManyAttempts once this client has failed too often."""
    dossier = rate_limited_find(request, tracking_number, last_digits)
    return public_status(dossier) if dossier is not None else None


def rate_limited_find(request, tracking_number: str, last_digits: str) -> Dossier | None:
    """``find``, refused with TooManyAttempts once this client has failed too often."""
    seconds = locked_for(request)
    if seconds:
        raise TooManyAttempts(seconds)
    dossier = find(tracking_number, last_digits)
    if dossier is None:
        record_failure(request)
    return dossier
