"""The documents issued: a permit or a certificate, or a notice to collect what the institution
made itself."""

from functools import partial

from django.utils.translation import gettext_lazy

from gup.formatting import day
from services.answers import labelled_answers
from services.translated import localized
from workflows.documents import labels
from workflows.documents.bilingual import Both, both, both_of, both_rows
from workflows.documents.contents.base import (
    Contents,
    institution_name,
    status_page_address,
)
from workflows.documents.contents.decision import DECIDED_BY, REMARKS
from workflows.models import Decision
from workflows.states import DossierState


def building_permit(dossier, occasion, language) -> Contents:
    return _certificate(dossier, occasion, language, statement=PERMIT_GRANTED)


def land_title_certificate(dossier, occasion, language) -> Contents:
    return _certificate(dossier, occasion, language, statement=TITLE_CERTIFIED)


def _certificate(dossier, occasion, language, *, statement) -> Contents:
    """The issued document itself: who holds it, what it covers (the citizen's answers, which
    describe the building or the plot), who decided and when."""
    decision = _decision(dossier)
    decided_at = decision.decided_at if decision else occasion.at
    # The statement names the institution and the date of its decision: not repeated as facts.
    facts = [(both_of(language, DECIDED_BY), decision.decided_by_name)] if decision else []
    return Contents(
        facts=facts,
        holder_facts=_identity(dossier, language),
        extra={
            "statement": both_of(
                language,
                statement,
                institution=partial(institution_name, dossier),
                date=lambda: day(decided_at),
            ),
            "described_heading": both_of(language, DESCRIPTION),
            "described": both_rows(
                language, lambda: labelled_answers(dossier.service, dossier.answers)
            ),
            "remarks_heading": both_of(language, REMARKS),
            "remarks": decision.reasons if decision else "",
        },
    )


def collection_notice(dossier, occasion, language) -> Contents:
    """The institution made the document itself (a passport): where to collect it, and what
    to bring."""
    document = partial(localized, dossier.service, "issued_document")
    # The statement names the institution that made it: not repeated as a fact (a row of the
    # table costs a notice more render time than a paragraph of text).
    facts = [(both_of(language, DOCUMENT_TO_COLLECT), both(language, document))]
    ready = partial(str, DossierState.READY_FOR_COLLECTION.label)
    return Contents(
        facts=facts,
        holder_facts=_identity(dossier, language),
        paragraphs=[
            both_of(
                language,
                COLLECT_WHEN_READY,
                state=ready,
                url=status_page_address(),
                number=dossier.tracking_number,
            )
        ],
        extra={
            "statement": both_of(
                language, DOCUMENT_MADE, institution=partial(institution_name, dossier)
            ),
            "office_heading": both_of(language, WHERE_TO_COLLECT),
            "to_bring": [both_of(language, NATIONAL_ID_CARD), both_of(language, THIS_NOTICE)],
        },
    )


def _identity(dossier, language) -> list[tuple[Both, object]]:
    """What identifies the holder besides their name, as on their national ID card."""
    return [
        (both_of(language, labels.NATIONAL_ID), dossier.applicant_national_id),
        (
            both_of(language, labels.DATE_OF_BIRTH),
            both(language, lambda: day(dossier.applicant_birth_date)),
        ),
    ]


def _decision(dossier):
    return Decision.objects.filter(dossier=dossier).first()


PERMIT_GRANTED = gettext_lazy(
    "By its decision of %(date)s, %(institution)s grants the citizen named above this permit "
    "to build as described below."
)
TITLE_CERTIFIED = gettext_lazy(
    "By its decision of %(date)s, %(institution)s certifies that the plot described below is "
    "registered in the name of the citizen named above."
)
DESCRIPTION = gettext_lazy("Description")
DOCUMENT_TO_COLLECT = gettext_lazy("Document to collect")
WHERE_TO_COLLECT = gettext_lazy("Where to collect it")
DOCUMENT_MADE = gettext_lazy(
    "%(institution)s has issued your document. It is sent to the GUP office below, where you "
    "collect it."
)
#: The same words as the tracking page's "Ready for collection".
COLLECT_WHEN_READY = gettext_lazy(
    "Come when your dossier says “%(state)s”: follow it at %(url)s with the tracking number "
    "%(number)s, or ask at the office."
)
NATIONAL_ID_CARD = gettext_lazy("Your national ID card")
THIS_NOTICE = gettext_lazy("This notice")
