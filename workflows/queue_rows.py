"""What a row of a staff queue says about its dossier, beyond its fields.

The facts are computed here, for a page of dossiers already fetched by ``for_queue()`` as plain
values (``QUEUE_VALUES``: the dossier's columns, its service's names, its office's, its clerk's and
officer's; ``last_step``, the kind of the latest transition): no query per row, and no model
instances, which cost 4 ms a page to build with their four related objects. So are their
words, in the active language: a page shows 50 rows, and formatting dates, plurals, names and
links in the template's tags and filters cost 15 ms a page, most of a queue's time at a million
dossiers. Each distinct date, count or service is formatted once per page here; the template
(``includes/dossier_table.html``) only places the texts.
"""

import datetime
import types
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from gup.formatting import short_day
from services.translated import CATALOGUE_LANGUAGES, localized
from workflows.clock import no_answer_since
from workflows.events.filing import Resubmit
from workflows.events.review import ProvideInformation
from workflows.states import FINAL_STATES, WAITING_FOR_CITIZEN_STATES, DossierState
from workflows.working_days import working_days_between

#: The steps by which the citizen answers the office (``CitizenAnswer``).
CITIZEN_ANSWERS = frozenset({Resubmit.name, ProvideInformation.name})


class TemplateFields:
    """Django's templates try ``row[name]`` before ``row.name``: answering the first spares
    the exception behind every cell (a fifth of a queue table's rendering)."""

    __slots__ = ()

    def __getitem__(self, name: str):
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None


@dataclass(frozen=True, slots=True)
class QueueDossier(TemplateFields):
    """What a row knows of its dossier (read from ``QUEUE_VALUES``)."""

    pk: int
    tracking_number: str
    state: str
    submitted_at: datetime.datetime | None
    due_date: datetime.date | None
    answer_by: datetime.date | None
    clock_paused_at: datetime.datetime | None
    applicant_name: str
    last_step: str | None = None

    @classmethod
    def from_values(cls, values: dict) -> "QueueDossier":
        return cls(
            pk=values["id"],
            tracking_number=values["tracking_number"],
            state=values["state"],
            submitted_at=values["submitted_at"],
            due_date=values["due_date"],
            answer_by=values["answer_by"],
            clock_paused_at=values["clock_paused_at"],
            applicant_name=(
                f"{values['applicant_first_name']} {values['applicant_last_name']}".strip()
            ),
            last_step=values["last_step"],
        )


@dataclass(frozen=True, slots=True)
class QueueRow(TemplateFields):
    dossier: object
    #: The day the dossier was filed (submitted online or filed at the counter).
    filed_on: datetime.date | None
    #: Working days from filing to today.
    age: int | None
    is_overdue: bool
    #: Working days past the expected date (0 when overdue since a weekend or a holiday only).
    overdue_by: int
    #: The citizen's answer came back and no step was taken since.
    citizen_answered: bool
    #: Forwarded to the institution and not received yet (shown in the institution's queue).
    new_from_province: bool
    #: Who holds it on the viewer's side (the officer at the institution, the clerk at the
    #: office), or "" when nobody does.
    holder: str
    #: The day the citizen was asked, when they have not answered by the day given them.
    no_answer_since: datetime.date | None = None
    #: At the office, the officer who holds it at the institution, or "".
    officer: str = ""
    #: What the row prints, in the active language (``RowTexts``).
    url: str = ""
    service_name: str = ""
    state_label: str = ""
    office_name: str = ""
    filed_text: str = ""
    #: "(12 working days)" since filing.
    age_text: str = ""
    due_text: str = ""
    #: "(3 working days)" past the expected date, or "".
    overdue_text: str = ""
    #: "No answer since 02/11/2026 (due 16/11/2026)", or "".
    no_answer_text: str = ""
    #: "(institution: Claudine Niyonzima)", or "".
    officer_text: str = ""


class RowTexts:
    """The words of a page of rows, each distinct value formatted once: rows repeat the same
    few services, states, dates and counts."""

    def __init__(self):
        self.dossier_url = reverse("dossier_detail", args=["0"])[: -len("0/")]
        self.days = {}
        self.working_days = {}
        self.services = {}
        self.states = {}

    def url(self, tracking_number: str) -> str:
        return f"{self.dossier_url}{tracking_number}/"

    def day(self, value: datetime.date | None) -> str:
        if value is None:
            return ""
        if value not in self.days:
            self.days[value] = short_day(value)
        return self.days[value]

    def count_of_working_days(self, count: int) -> str:
        if count not in self.working_days:
            self.working_days[count] = "(%s)" % (
                ngettext("%(days)s working day", "%(days)s working days", count) % {"days": count}
            )
        return self.working_days[count]

    def service(self, values: dict) -> str:
        key = values["service_id"]
        if key not in self.services:
            names = types.SimpleNamespace(
                **{f"name_{code}": values[f"service__name_{code}"] for code in CATALOGUE_LANGUAGES}
            )
            self.services[key] = localized(names, "name")
        return self.services[key]

    def state(self, state: str) -> str:
        if state not in self.states:
            self.states[state] = str(DossierState(state).label)
        return self.states[state]


def queue_row(values: dict, *, at_institution: bool, today: datetime.date, texts=None) -> QueueRow:
    """The row of one dossier, from its ``QUEUE_VALUES``."""
    texts = texts or RowTexts()
    dossier = QueueDossier.from_values(values)
    filed_on = timezone.localdate(dossier.submitted_at) if dossier.submitted_at else None
    is_overdue = (
        dossier.due_date is not None
        and dossier.state not in FINAL_STATES
        and dossier.state not in WAITING_FOR_CITIZEN_STATES
        and today > dossier.due_date
    )
    clerk, officer = _name(values, "clerk"), _name(values, "officer")
    age = working_days_between(filed_on, today) if filed_on else None
    overdue_by = working_days_between(dossier.due_date, today) if is_overdue else 0
    silent_since = no_answer_since(dossier, today)
    officer_at_institution = "" if at_institution else officer
    return QueueRow(
        dossier=dossier,
        filed_on=filed_on,
        age=age,
        is_overdue=is_overdue,
        overdue_by=overdue_by,
        citizen_answered=dossier.last_step in CITIZEN_ANSWERS,
        new_from_province=at_institution and dossier.state == DossierState.FORWARDED,
        holder=officer if at_institution else clerk,
        officer=officer_at_institution,
        no_answer_since=silent_since,
        url=texts.url(dossier.tracking_number),
        service_name=texts.service(values),
        state_label=texts.state(dossier.state),
        office_name=values["office__name"],
        filed_text=texts.day(filed_on),
        age_text=texts.count_of_working_days(age) if age is not None else "",
        due_text=texts.day(dossier.due_date),
        overdue_text=texts.count_of_working_days(overdue_by) if overdue_by else "",
        no_answer_text=(
            gettext("No answer since %(date)s (due %(due)s)")
            % {"date": texts.day(silent_since), "due": texts.day(dossier.answer_by)}
            if silent_since
            else ""
        ),
        officer_text=(
            "(%s)" % (gettext("institution: %(officer)s") % {"officer": officer_at_institution})
            if officer_at_institution
            else ""
        ),
    )


def _name(values: dict, who: str) -> str:
    """A member of staff's full name, else their username (``User.__str__``); "" for nobody."""
    username = values[f"{who}__username"]
    if username is None:
        return ""
    full = f"{values[f'{who}__first_name']} {values[f'{who}__last_name']}".strip()
    return full or username


def queue_rows(dossiers, *, at_institution: bool = False, today=None) -> list[QueueRow]:
    """The rows of a page of dossiers fetched by ``DossierQuerySet.for_queue()`` (dicts)."""
    today = today or timezone.localdate()
    texts = RowTexts()
    return [queue_row(d, at_institution=at_institution, today=today, texts=texts) for d in dossiers]
