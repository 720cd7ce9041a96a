"""How a history row reads, for staff and for the citizen: each event kind describes its own rows.

A recorded payment reads "Payment recorded: 235 000 BIF, Lumicash, ref …", an appointment gives
its date, time and place, and a transition without more to say reads as the state it reached.
"""

from dataclasses import dataclass

from workflows import events
from workflows.clock import describe_clock
from workflows.states import DossierState


@dataclass(frozen=True)
class HistoryLine:
    at: object
    text: str
    comment: str
    actor_name: str
    actor_role: str
    is_public: bool


def describe(entry) -> str:
    """The row's line; with what it did to the SLA clock, if anything ("Clock paused…")."""
    text = _describe_event(entry)
    clock_note = describe_clock(entry.details)
    return f"{text}. {clock_note}" if clock_note else text


def _describe_event(entry) -> str:
    event = events.EVENTS.get(entry.kind)
    if event is not None:
        return event.describe(entry)
    if entry.to_state in DossierState.values:
        return str(DossierState(entry.to_state).label)
    return entry.kind


def history_lines(entries, *, with_comments: bool = True) -> list[HistoryLine]:
    return [
        HistoryLine(
            at=entry.at,
            text=describe(entry),
            comment=entry.comment if with_comments else "",
            actor_name=entry.actor_name,
            actor_role=entry.actor_role_label,
            is_public=entry.is_public,
        )
        for entry in entries
    ]
