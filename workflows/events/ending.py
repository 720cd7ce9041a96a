"""Ending early: the citizen (or the office for them) withdraws; the scheduler expires drafts."""

from django.utils.translation import gettext_lazy

from workflows.events.base import TransitionEvent


class Withdraw(TransitionEvent):
    """Ending a dossier for good: shown apart from the other steps and confirmed on its own page.

    Staff must say why (the citizen asked in person, by letter...); the citizen may.
    """

    name = "withdraw"
    label = gettext_lazy("Withdraw")
    history_label = gettext_lazy("Withdrawn")
    comment_label = gettext_lazy("Why is the request withdrawn?")
    set_apart = True
    waits = True

    def requires_comment(self, actor) -> bool:
        return actor.is_staff


class Expire(TransitionEvent):
    """The scheduler closes a draft abandoned for too long (``workflows.periodic``). Its resume
    link is spent: the token is forgotten, so the link opens nothing any more."""

    name = "expire"
    label = gettext_lazy("Expire")
    is_public = False
    offered = False

    def record(self, dossier, ctx) -> None:
        dossier.resume_token_hash = ""


EVENTS = (Withdraw(), Expire())
