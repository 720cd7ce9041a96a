"""What an action can refuse, with a message fit for the person who asked."""

from django.utils.translation import gettext_lazy as _


class ActionError(Exception):
    """Base: the action was refused and nothing was changed."""

    default_message = _("This action is not possible.")

    def __init__(self, message=None, *, details=()):
        self.message = message or self.default_message
        self.details = list(details)
        super().__init__(str(self.message))


class DossierConflict(ActionError):
    """Someone else changed the dossier first, or is changing it right now."""

    default_message = _("Someone else is handling this dossier. Reload the page to see its state.")


class TransitionRefused(ActionError):
    """The transition does not exist from this state, or its conditions do not hold."""

    default_message = _("This step is not possible in the dossier's current state.")


class NotAllowed(ActionError):
    """The user may not call this transition on this dossier."""

    default_message = _("You are not allowed to do this on this dossier.")


class InvalidInput(ActionError):
    """The data given with the action is not acceptable.

    ``fields`` maps an input's name to its problems, so that a form shows each one beside its
    field; every problem is also in ``details``, for callers without a form.
    """

    default_message = _("Please correct the errors below.")

    def __init__(self, message=None, *, details=(), fields=None):
        self.fields = {name: list(problems) for name, problems in (fields or {}).items()}
        placed = [problem for problems in self.fields.values() for problem in problems]
        super().__init__(message, details=[*details, *placed])
