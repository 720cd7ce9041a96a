"""The online form's page flow: which pages a service's application has, in which order, how
far the citizen got, and what still stops the draft from being filed.

An online application is a Dossier in state ``draft`` from its first page: the office is
chosen, then the applicant, the service's questions and the documents are saved one page at a
time (the ``draft_saved`` event, ``workflows.events.filing``), so a citizen on a bad connection
loses at most the page they were typing. Nothing here writes: every write is an event taken
through ``workflows.actions.perform``.
"""

import datetime
import math

from django.utils import timezone
from django.utils.translation import gettext as _

from gup import formatting
from services.answers import clean_answers, labelled_errors
from services.models import Commune
from workflows.applicant import APPLICANT_FIELDS, clean_applicant

OFFICE = "office"
APPLICANT = "applicant"
QUESTIONS = "questions"
DOCUMENTS = "documents"
CHECK = "check"

#: A phone screen holds about this many questions without scrolling past the button.
QUESTIONS_PER_PAGE = 4

#: A draft untouched for this many days is expired by the scheduler (``workflows.periodic``);
#: the citizen is warned ``DRAFT_WARNING_DAYS`` before.
DRAFT_KEPT_DAYS = 30
DRAFT_WARNING_DAYS = 3


# --- The pages of the form --------------------------------------------------------------------


def question_pages(service) -> list[list]:
    """The service's questions cut into pages of at most QUESTIONS_PER_PAGE, of even sizes."""
    fields = list(service.fields.all())
    if not fields:
        return []
    size = math.ceil(len(fields) / math.ceil(len(fields) / QUESTIONS_PER_PAGE))
    return [fields[start : start + size] for start in range(0, len(fields), size)]


def question_step(number: int) -> str:
    return f"{QUESTIONS}-{number}"


def steps_for(service) -> list[str]:
    """The pages of this service's online form, in order. The last one is "check your answers"."""
    steps = [OFFICE, APPLICANT]
    steps += [question_step(n) for n in range(1, len(question_pages(service)) + 1)]
    if list(service.documents.all()):
        steps.append(DOCUMENTS)
    steps.append(CHECK)
    return steps


def next_step(service, step: str) -> str:
    steps = steps_for(service)
    return steps[min(steps.index(step) + 1, len(steps) - 1)]


def reachable(dossier, step: str) -> bool:
    """A citizen may open any page up to the furthest one they reached, not skip ahead."""
    steps = steps_for(dossier.service)
    if step not in steps:
        return False
    current = dossier.current_step if dossier.current_step in steps else APPLICANT
    return steps.index(step) <= steps.index(current)


def resume_step(dossier) -> str:
    steps = steps_for(dossier.service)
    return dossier.current_step if dossier.current_step in steps else APPLICANT


def mark_reached(dossier, step: str) -> None:
    """Remember the page after ``step`` as the furthest reached, if it is further."""
    steps = steps_for(dossier.service)
    following = next_step(dossier.service, step)
    current = dossier.current_step if dossier.current_step in steps else APPLICANT
    if steps.index(following) > steps.index(current):
        dossier.current_step = following


def answers_after_page(dossier, step: str, answers: dict, codes) -> dict:
    """The draft's answers once page ``step`` is kept.

    A code in ``codes`` but not in ``answers`` was left empty: its old answer is removed. Codes
    of questions that failed validation are not in ``codes``, so their last good answer stays.
    """
    steps = steps_for(dossier.service)
    page = question_pages(dossier.service)[steps.index(step) - steps.index(question_step(1))]
    allowed = {spec.code for spec in page}
    stored = dict(dossier.answers)
    for code in set(codes) & allowed:
        if code in answers:
            stored[code] = answers[code]
        else:
            stored.pop(code, None)
    return stored


def draft_expires_on(dossier) -> datetime.date:
    """The day an untouched draft is expired: ``DRAFT_KEPT_DAYS`` after its last change."""
    return timezone.localdate(dossier.updated_at) + datetime.timedelta(days=DRAFT_KEPT_DAYS)


def link_destinations(dossier) -> list[str]:
    """Where the resume link goes: the applicant's phone by SMS, and their email if known."""
    return [value for value in (dossier.applicant_phone, dossier.applicant_email) if value]


def destinations_as_read(dossier) -> str:
    """Where the link goes, as the citizen reads it: "79 12 34 56, aline@example.bi"."""
    return ", ".join(
        formatting.phone(place) if place == dossier.applicant_phone else place
        for place in link_destinations(dossier)
    )


def should_send_resume_link(dossier) -> bool:
    """True when the contact details differ from where the link was last sent."""
    destinations = ", ".join(link_destinations(dossier))
    return bool(destinations) and destinations != dossier.resume_link_sent_to


def problems_before_submit(dossier) -> list[tuple[str, str]]:
    """What still stops this draft from being filed, as (page to fix, message), in page order.

    Everything is validated again, as it is stored: a page saved before the catalogue changed,
    or left with errors, is caught here rather than by the database.
    """
    applicant_values = {
        name: getattr(dossier, name) for name in APPLICANT_FIELDS if name != "applicant_commune"
    }
    if dossier.applicant_commune_id is not None:
        # The stored commune exists (its foreign key says so): what is checked again is that
        # one is chosen, without reading it.
        applicant_values["applicant_commune"] = Commune(pk=dossier.applicant_commune_id)
    _cleaned, applicant_errors = clean_applicant(applicant_values)
    problems = [
        (APPLICANT, message) for messages in applicant_errors.values() for message in messages
    ]
    _stored, answer_errors = clean_answers(dossier.service, dossier.answers)
    page_of = {
        spec.code: question_step(number)
        for number, page in enumerate(question_pages(dossier.service), start=1)
        for spec in page
    }
    for code, messages in labelled_errors(dossier.service, answer_errors).items():
        problems += [(page_of.get(code, CHECK), message) for message in messages]
    for document in dossier.missing_mandatory_documents():
        problems.append(
            (DOCUMENTS, _("%(document)s: this document is missing.") % {"document": document.name})
        )
    order = steps_for(dossier.service)
    return sorted(problems, key=lambda item: order.index(item[0]) if item[0] in order else 0)
