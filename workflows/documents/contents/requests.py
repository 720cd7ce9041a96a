"""Notices of what the office or the institution asks the citizen: a correction, information."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from gup.formatting import day
from workflows.documents.bilingual import Both, both, both_of
from workflows.documents.contents.base import Contents, deciding_institution
from workflows.documents.qr import public_url


def correction_notice(dossier, occasion, language) -> Contents:
    """What the office asks the citizen to correct, and how to answer."""
    office = dossier.office.name
    return _request_to_citizen(dossier, occasion, language, asked_by=office, asks=TO_CORRECT)


def information_request(dossier, occasion, language) -> Contents:
    """The institution's questions, and how to answer them."""
    institution = deciding_institution(dossier, language)
    return _request_to_citizen(dossier, occasion, language, asked_by=institution, asks=QUESTIONS)


def _request_to_citizen(dossier, occasion, language, *, asked_by, asks) -> Contents:
    facts = [(both_of(language, ASKED_BY), asked_by)]
    if dossier.answer_by is not None:
        facts.append((both_of(language, ANSWER_BY), both(language, lambda: day(dossier.answer_by))))
    return Contents(
        facts=facts,
        extra={
            "request_heading": both_of(language, asks),
            "request": occasion.comment,
            "paused": both_of(language, PAUSED),
            "answer_heading": both_of(language, HOW_TO_ANSWER),
            "ways_to_answer": _ways_to_answer(dossier, language),
            "office_heading": both_of(language, WHERE_TO_ANSWER),
        },
    )


def _ways_to_answer(dossier, language) -> list[Both]:
    """Online where the citizen can reach the dossier (account or resume link); always the
    office, where a clerk answers for them."""
    ways = []
    if dossier.applicant_account_id is not None:
        my_dossiers = public_url(reverse("my_dossiers"))
        ways.append(
            both_of(language, ANSWER_WITH_ACCOUNT, url=my_dossiers, number=dossier.tracking_number)
        )
    elif dossier.resume_token_hash:
        ways.append(both_of(language, ANSWER_WITH_LINK))
    ways.append(both_of(language, ANSWER_AT_OFFICE, office=dossier.office.name))
    return ways


TO_CORRECT = gettext_lazy("What you must correct")
QUESTIONS = gettext_lazy("The questions you are asked")
ASKED_BY = gettext_lazy("Asked by")
ANSWER_BY = gettext_lazy("Please answer by")
HOW_TO_ANSWER = gettext_lazy("How to answer")
WHERE_TO_ANSWER = gettext_lazy("Where to answer in person")
#: The same sentence the citizen reads on the tracking page.
PAUSED = gettext_lazy("The delay is paused while the office waits for you.")
ANSWER_WITH_ACCOUNT = gettext_lazy(
    "Online: sign in at %(url)s, open dossier %(number)s and send your answer there."
)
ANSWER_WITH_LINK = gettext_lazy(
    "Online: open the link to your dossier that you received when you filed it, and send your "
    "answer there."
)
ANSWER_AT_OFFICE = gettext_lazy(
    "In person: bring this notice and what you are asked for to %(office)s (address and opening "
    "hours below)."
)
