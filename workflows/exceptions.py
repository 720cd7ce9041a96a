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
    """The data given with the action is not acceptable."""

    default_message = _("Please correct the errors below.")
