"""Every kind of write to a dossier, declared once: the registry of events.

``EVENTS`` maps each event's name to its declaration. A transition of the lifecycle is an event
of the same name (``approve``, ``forward``...); the other writes have names of their own
(``filed_at_counter``, ``draft_saved``, ``note_added``...). To add a kind of event: declare its
class in the module of its domain below and list it in ``DECLARED``; register its side effects,
if any, in ``workflows.effects``.
"""

from workflows.actors import as_actor
from workflows.conditions import hides_step, unmet
from workflows.events import (
    assignment,
    clock,
    collection,
    documents,
    ending,
    filing,
    intake,
    objections,
    office,
    payments,
    retention,
    review,
    visits,
)
from workflows.events.base import AlreadyDone, Context, Event, TransitionEvent
from workflows.exceptions import ActionError, TransitionRefused

DECLARED = (
    *filing.EVENTS,
    *office.EVENTS,
    *payments.EVENTS,
    *collection.EVENTS,
    *intake.EVENTS,
    *review.EVENTS,
    *objections.EVENTS,
    *visits.EVENTS,
    *ending.EVENTS,
    *documents.EVENTS,
    *clock.EVENTS,
    *assignment.EVENTS,
    *retention.EVENTS,
)

EVENTS: dict[str, Event] = {event.name: event for event in DECLARED}


def get(name: str) -> Event:
    try:
        return EVENTS[name]
    except KeyError:
        raise TransitionRefused() from None


def transition_events() -> list[TransitionEvent]:
    return [event for event in DECLARED if isinstance(event, TransitionEvent)]


def available_steps(dossier, actor) -> tuple[list[Event], list[tuple[Event, list[str]]]]:
    """The steps this actor may take on this dossier now, and those whose conditions fail.

    Exactly the buttons a screen shows: the blocked ones are listed with their reasons, so that
    a clerk sees *why* "Forward" is not there yet. One pass: every condition is evaluated once.
    """
    actor = as_actor(actor)
    if actor is None:
        return [], []
    available, blocked = [], []
    for transition in dossier.get_all_state_transitions():
        if transition.source != dossier.state or not transition.has_perm(dossier, actor):
            continue
        event = EVENTS.get(transition.name)
        if event is None:
            continue
        if hides_step(transition.conditions, dossier):
            continue
        problems = unmet(transition.conditions, dossier)
        if problems:
            blocked.append((event, problems))
        else:
            available.append(event)
    available += [event for event in OFFERED_WITH_TRANSITIONS if _may_take(event, dossier, actor)]
    return available, blocked


#: The events that are not transitions but are offered among the next steps (an extension).
OFFERED_WITH_TRANSITIONS = [event for event in DECLARED if event.offered_with_transitions]


def _may_take(event, dossier, actor) -> bool:
    try:
        event.check(dossier, Context(actor=actor, now=None, comment="", inputs={}, files=None))
    except ActionError:
        return False
    return True


def available_names(dossier, actor) -> list[str]:
    return [event.name for event in available_steps(dossier, actor)[0]]


def answer_step(dossier, actor) -> Event | None:
    """The step by which the citizen answers the office now, if this actor may take it."""
    for event in available_steps(dossier, actor)[0]:
        if event.answered_by_citizen:
            return event
    return None


__all__ = [
    "EVENTS",
    "AlreadyDone",
    "Context",
    "Event",
    "TransitionEvent",
    "answer_step",
    "available_names",
    "available_steps",
    "get",
    "transition_events",
]
