"""The decision letter: approval, or rejection with the reasons and what the citizen can do."""

from functools import partial

from django.utils.translation import gettext_lazy

from gup.formatting import moment
from services.translated import localized
from workflows.documents import labels
from workflows.documents.bilingual import both, both_of
from workflows.documents.contents.base import (
    Contents,
    deciding_institution,
    institution_name,
    status_page_address,
)
from workflows.models import Outcome


def decision_letter(dossier, occasion, language) -> Contents:
    """Approval, or rejection with its reasons, who decided and when, and what comes next.

    Reads the occasion, never ``dossier.decision``: a preview is drawn before the decision
    exists.
    """
    approved = occasion.event == "approve"
    institution = deciding_institution(dossier, language)
    outcome = Outcome.APPROVED if approved else Outcome.REJECTED
    facts = [
        (both_of(language, DECISION), both_of(language, outcome.label)),
        (both_of(language, labels.INSTITUTION), institution),
        (both_of(language, DECIDED_BY), occasion.actor_name),
        (both_of(language, DECIDED_ON), both(language, lambda: moment(occasion.at))),
    ]
    document = partial(localized, dossier.service, "issued_document")
    if approved:
        statement = both_of(language, APPROVED, institution=partial(institution_name, dossier))
        comment_heading = REMARKS
        next_steps = [
            both_of(
                language,
                NEXT_WHEN_APPROVED,
                document=document,
                url=status_page_address(),
                number=dossier.tracking_number,
                office=dossier.office.name,
            )
        ]
    else:
        statement = both_of(language, REJECTED, institution=partial(institution_name, dossier))
        comment_heading = REASONS
        next_steps = [
            both_of(language, NEXT_FILE_AGAIN),
            both_of(language, NEXT_ASK_THE_OFFICE, office=dossier.office.name),
        ]
    return Contents(
        facts=facts,
        extra={
            "statement": statement,
            "comment_heading": both_of(language, comment_heading),
            "comment": occasion.comment,
            "next_heading": both_of(language, WHAT_NEXT),
            "next_steps": next_steps,
        },
    )


DECISION = gettext_lazy("Decision")
DECIDED_BY = gettext_lazy("Decided by")
DECIDED_ON = gettext_lazy("Decided on")
REASONS = gettext_lazy("Reasons")
REMARKS = gettext_lazy("Remarks of the institution")
WHAT_NEXT = gettext_lazy("What happens now")
APPROVED = gettext_lazy("%(institution)s has approved your request.")
REJECTED = gettext_lazy("%(institution)s has rejected your request, for the reasons below.")
NEXT_WHEN_APPROVED = gettext_lazy(
    "Your document (%(document)s) is being prepared. Follow your dossier at %(url)s with the "
    "tracking number %(number)s: it will say when you can collect it at %(office)s."
)
NEXT_FILE_AGAIN = gettext_lazy(
    "If what the reasons point out can be put right, you may file a new request for this "
    "service with the corrections."
)
NEXT_ASK_THE_OFFICE = gettext_lazy(
    "If you want the decision explained, ask at %(office)s and bring this letter."
)
