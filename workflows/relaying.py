"""What the citizen is answering: the question as the clerk who relays the answer sees it."""

from dataclasses import dataclass

from workflows.states import DossierState as S

#: The step that put the dossier in each waiting state: its history row holds the question.
ASKED_BY = {S.RETURNED: "return_for_correction", S.INFORMATION_REQUESTED: "request_information"}


@dataclass(frozen=True)
class Question:
    text: str
    asked_at: object
    asked_by: str
    answer_by: object


def question(dossier) -> Question | None:
    """The request the dossier waits on (``citizen_request``), when and by whom it was asked."""
    if not dossier.citizen_request:
        return None
    kind = ASKED_BY.get(dossier.state)
    entry = dossier.history.filter(kind=kind).order_by("-position").first() if kind else None
    return Question(
        text=dossier.citizen_request,
        asked_at=entry.at if entry else None,
        asked_by=entry.actor_name if entry else "",
        answer_by=dossier.answer_by,
    )
