"""What an event is: one kind of write to a dossier, declared once.

Every write to a dossier, a transition of the lifecycle or not, is an event taken by an actor.
An ``Event`` declares, in one place:

- who may take it, from which states (for a transition: the graph in ``workflows.states``);
- what it needs, validated here in the domain, whatever the channel (``clean``);
- what it changes besides the state (``apply``): aspect records, payments, attachments;
- how the history shows it (``describe``), and whether the citizen sees it (``is_public``);
- how the screens offer it: its label, its comment label, its form, who answers it.

The engine (``workflows.actions.perform``) runs every event the same way, and the side effects
of each kind are registered in ``workflows.effects``.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from workflows import clock
from workflows.conditions import unmet
from workflows.exceptions import InvalidInput, NotAllowed, TransitionRefused
from workflows.models import Dossier
from workflows.states import DossierState
from workflows.texts import reasons_problems

#: How long the staff comment or the citizen's message may be.
COMMENT_MAX_LENGTH = 4000


class AlreadyDone(Exception):
    """The event already happened (a double click, a form sent twice): nothing more to write."""

    def __init__(self, dossier):
        self.dossier = dossier
        super().__init__(dossier.pk)


@dataclass
class Context:
    """What an event is given, and what it leaves for the history and the side effects."""

    actor: object
    now: datetime.datetime
    comment: str
    inputs: dict
    files: object
    #: Structured facts the history row keeps (amount, method, place, date...).
    details: dict = field(default_factory=dict)
    #: Given to the side effects after commit and never stored: a secret link, for instance.
    transient: dict = field(default_factory=dict)


class Event:
    """One kind of write. Subclasses set the attributes and override the hooks they need."""

    name: str = ""
    label = ""
    #: What the history says; defaults to the label (or, for a transition, the state reached).
    history_label = None
    is_public = True
    #: Citizens' events: their double click waits for the first click on the row lock. Staff
    #: competing for one dossier are always told at once (NOWAIT) that someone else has it.
    waits = False
    #: The event brings a new dossier to life (no row to lock yet).
    creates = False

    # What the screens need.
    comment_label = None
    #: The same label as the citizen reads it, for the steps they answer themselves.
    citizen_comment_label = None
    comment_required = False
    #: The comment is written for the citizen: it must be real text (``workflows.texts``).
    comment_is_reasons = False
    #: Dotted path of the form that parses this step's inputs on a staff screen.
    form = "workflows.forms.StepForm"
    #: Steps the citizen answers (online, or the clerk for them at the counter).
    answered_by_citizen = False
    #: Steps shown apart from the others and confirmed on a page of their own (withdrawal).
    set_apart = False
    #: Offered as a button on the staff page.
    offered = True
    #: Not a transition, yet offered among the next steps to those its ``check`` lets take it.
    offered_with_transitions = False

    # For events that are not transitions.
    permission = None
    states: tuple = ()
    #: Named predicates (``workflows.conditions``) that must hold, as for a transition; when one
    #: fails, ``check`` refuses the event (and an event offered with the transitions is hidden).
    conditions: tuple = ()

    def __init__(self, name: str = "", label=""):
        # A step with nothing to declare but its name and label needs no class of its own.
        self.name = name or self.name
        self.label = label or self.label

    def __str__(self):
        return str(self.label)

    # --- The hooks, in the order the engine calls them ----------------------------------------

    def check(self, dossier, ctx) -> None:
        """Refuse (ActionError) when this actor may not take the event on this dossier now."""
        if self.permission is None or not self.permission(dossier, ctx.actor):
            raise NotAllowed()
        if self.states and dossier.state not in self.states:
            raise TransitionRefused(
                _("“%(step)s” is not possible while the dossier is “%(state)s”.")
                % {"step": self.label, "state": dossier.state_label}
            )
        problems = unmet(self.conditions, dossier)
        if problems:
            raise TransitionRefused(
                _("“%(step)s” is not possible yet.") % {"step": self.label}, details=problems
            )

    def clean(self, dossier, ctx) -> None:
        """Validate the comment and the inputs; raise InvalidInput with every problem."""
        problems = self.comment_problems(ctx)
        problems += self.input_problems(dossier, ctx)
        by_field = {
            name: found for name, found in self.field_problems(dossier, ctx).items() if found
        }
        if problems or by_field:
            raise InvalidInput(details=problems, fields=by_field)

    def comment_problems(self, ctx) -> list[str]:
        comment = ctx.comment
        if len(comment) > COMMENT_MAX_LENGTH:
            return [_("Please write at most %(count)s characters.") % {"count": COMMENT_MAX_LENGTH}]
        if not comment:
            if self.requires_comment(ctx.actor):
                return [_("Please write the reasons or the message.")]
            return []
        if self.comment_is_reasons:
            return reasons_problems(comment)
        return []

    def initial(self, dossier, actor) -> dict:
        """What the step's form shows before the user types (a prefilled comment, the amount
        due)."""
        return {}

    def requires_comment(self, actor) -> bool:
        return self.comment_required

    def input_problems(self, dossier, ctx) -> list[str]:
        return []

    def field_problems(self, dossier, ctx) -> dict[str, list[str]]:
        """Problems of named inputs (``{"amount_bif": [...]}``): a form shows each beside its
        field (``InvalidInput.fields``)."""
        return {}

    def apply(self, dossier, ctx) -> None:
        """Change the dossier (not its state, unless this is a transition) and its records."""

    def describe(self, entry) -> str:
        """The history line for a row of this kind, in the reader's language."""
        return str(self.history_label or self.label)

    def describe_for_staff(self, entry) -> str:
        """The line staff read: may name people that ``describe`` (also public) does not."""
        return self.describe(entry)


class TransitionEvent(Event):
    """An event that moves the dossier along the lifecycle graph (``workflows.states``).

    The transition's ``permission`` and ``conditions`` decide who may take it, and when; the
    method of the same name on the dossier changes the state and its own fields.
    """

    @property
    def meta(self):
        return getattr(Dossier, self.name)._django_fsm

    def check(self, dossier, ctx) -> None:
        meta = self.meta
        if not meta.has_transition(dossier.state):
            raise TransitionRefused(
                _("“%(step)s” is not possible while the dossier is “%(state)s”.")
                % {"step": self.label, "state": dossier.state_label}
            )
        # Permission before conditions: who may not act is not told what the dossier lacks.
        if not meta.has_transition_perm(dossier, dossier.state, ctx.actor):
            raise NotAllowed()
        problems = unmet(meta.get_transition(dossier.state).conditions, dossier)
        if problems:
            raise TransitionRefused(
                _("“%(step)s” is not possible yet.") % {"step": self.label}, details=problems
            )

    def arguments(self, dossier, ctx) -> dict:
        """The keyword arguments of the transition method."""
        return {}

    def apply(self, dossier, ctx) -> None:
        from_state = dossier.state
        getattr(dossier, self.name)(**self.arguments(dossier, ctx))
        self.record(dossier, ctx)
        # Every transition keeps the SLA clock: paused while the dossier waits for the citizen.
        clock.after_transition(dossier, from_state, ctx)

    def record(self, dossier, ctx) -> None:
        """Write the records this step leaves besides the state (a decision, a payment...)."""

    def describe(self, entry) -> str:
        if self.history_label:
            return str(self.history_label)
        return str(DossierState(entry.to_state).label)


class AsksTheCitizen(TransitionEvent):
    """The office or the institution waits for the citizen: what they ask is written for them,
    kept on the dossier while it waits (``citizen_request``), and the clock pauses.

    The citizen answers by ``answer_by``: the day given (``inputs["answer_by"]``, checked by
    ``clock.answer_by_problems``), or the service's default time to answer.
    """

    comment_required = True
    comment_is_reasons = True

    def input_problems(self, dossier, ctx) -> list[str]:
        answer_by = ctx.inputs.get("answer_by")
        if answer_by is None:
            return []
        calendar = clock.calendar_for(dossier.office_id)
        return clock.answer_by_problems(answer_by, timezone.localdate(ctx.now), calendar)

    def arguments(self, dossier, ctx) -> dict:
        answer_by = ctx.inputs.get("answer_by") or clock.default_answer_by(dossier, ctx.now)
        ctx.details["answer_by"] = answer_by.isoformat()
        return {"request": ctx.comment, "answer_by": answer_by}
