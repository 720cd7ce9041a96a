"""The one door for every write to a dossier: ``perform(dossier_id, kind, actor, ...)``.

Views, the admin, jobs and (later) the exchange call ``perform`` with the name of an event
(``workflows.events``): a transition such as ``approve``, or a write that is not one, such as
``filed_at_counter`` or ``draft_saved``. Every event runs the same way, in one transaction:

1. lock the dossier's row (waiting, for a citizen's double click; NOWAIT where staff compete);
2. check the state the user saw, then the event's permission and conditions;
3. validate its inputs, in the domain, whatever the channel;
4. apply it (the transition, and the records it leaves), save;
5. append its history row;
6. declare its side effects (``workflows.effects``), which run only once the change is committed.

Files written during the event are removed again if it fails. Nothing else in the code base
calls a transition method or writes a dossier's state: ``guard_transitions`` makes sure of it.
"""

import contextvars
from contextlib import contextmanager

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition
from django_fsm.signals import pre_transition

from workflows import effects, events
from workflows.actors import as_actor
from workflows.events import AlreadyDone, Context
from workflows.exceptions import DossierConflict, NotAllowed
from workflows.models import Dossier, HistoryEntry
from workflows.uploads import StoredFiles

LOCK_NOT_AVAILABLE = "55P03"
UNIQUE_VIOLATION = "23505"

_inside_perform = contextvars.ContextVar("inside_perform", default=False)


def perform(
    dossier_id, kind: str, actor, *, comment="", expected_state=None, catalogue=None, **inputs
) -> Dossier:
    """Take the event ``kind`` on the dossier (``dossier_id`` None for events that create one).

    ``actor`` is an ``Actor`` (a request's user is made one). ``expected_state`` is the state
    the user saw when they chose the step: if the dossier has moved on since, the step is
    refused as a conflict rather than applied to a state they never saw. ``catalogue``: the
    dossier's service as the caller already read it in this request, its questions and documents
    prefetched (``services.models.catalogue_lookups``); the locked dossier uses it instead of
    reading the catalogue again. Raises an ActionError subclass; on any error nothing is changed
    and no file is left behind.
    """
    event = events.get(kind)
    actor = as_actor(actor)
    if actor is None and not event.creates:
        raise NotAllowed()
    files = StoredFiles()
    ctx = Context(
        actor=actor,
        now=timezone.now(),
        comment=(comment or "").strip(),
        inputs=inputs,
        files=files,
    )
    try:
        with transaction.atomic(), _performing():
            dossier = _run(event, dossier_id, ctx, expected_state, catalogue)
    except AlreadyDone as done:
        files.discard_written()
        return done.dossier
    except IntegrityError as error:
        files.discard_written()
        # Two clerks recording the same mobile-money reference, or one counter form posted
        # twice at the same moment. Any other integrity error is a bug: let it surface.
        if not _is_unique_violation(error):
            raise
        existing = getattr(event, "lookup_after_conflict", lambda ctx: None)(ctx)
        if existing is not None:
            return existing
        raise DossierConflict() from error
    except BaseException:
        files.discard_written()
        raise
    return dossier


def _run(event, dossier_id, ctx, expected_state, catalogue) -> Dossier:
    if event.creates:
        event.check(None, ctx)
        event.clean(None, ctx)
        dossier = event.create(ctx)
        from_state = ""
    else:
        # A citizen's second click waits for their first, and background work waits its
        # turn; staff are told at once.
        dossier = _lock(dossier_id, wait=event.waits and not ctx.actor.is_staff)
        if catalogue is not None and catalogue.pk == dossier.service_id:
            # Only the dossier's row is locked: the catalogue read earlier in this request is
            # the one the citizen saw, so the event checks against that very one.
            dossier.service = catalogue
        if expected_state and dossier.state != expected_state:
            raise DossierConflict()
        event.check(dossier, ctx)
        event.clean(dossier, ctx)
        from_state = dossier.state
    event.apply(dossier, ctx)
    try:
        dossier.save()
    except ConcurrentTransition as error:
        raise DossierConflict() from error
    entry = HistoryEntry.objects.append(
        dossier,
        kind=event.name,
        from_state=from_state,
        to_state=dossier.state,
        actor=ctx.actor,
        at=ctx.now,
        comment=ctx.comment,
        details=ctx.details,
        is_public=event.is_public,
        first=event.creates,
    )
    effects.declare(event.name, dossier, entry, ctx.transient)
    ctx.files.discard_replaced_after_commit()
    return dossier


def _lock(dossier_id, *, wait: bool) -> Dossier:
    """The dossier's row, locked until the end of the transaction.

    ``wait``: a citizen's second click must see the result of the first (e.g. the dossier
    already submitted); staff who compete for one dossier are told at once instead.
    """
    dossiers = Dossier.objects.select_for_update(nowait=not wait, of=("self",)).select_related(
        "service", "office__province"
    )
    try:
        return dossiers.get(pk=dossier_id)
    except Dossier.DoesNotExist as error:
        raise NotAllowed() from error
    except OperationalError as error:
        if getattr(getattr(error, "__cause__", None), "pgcode", None) == LOCK_NOT_AVAILABLE:
            raise DossierConflict() from error
        raise


def _is_unique_violation(error) -> bool:
    pgcode = getattr(error.__cause__, "pgcode", None)
    return pgcode == UNIQUE_VIOLATION or "UNIQUE constraint failed" in str(error)


# --- Nothing else changes a state -------------------------------------------------------------


@contextmanager
def _performing():
    token = _inside_perform.set(True)
    try:
        yield
    finally:
        _inside_perform.reset(token)


class TransitionOutsidePerform(RuntimeError):
    """A transition method was called by code that is not the action layer."""


def guard_transitions(sender, instance, name, **kwargs):
    """django-fsm's pre_transition: refuse a transition not taken through ``perform``."""
    if not _inside_perform.get():
        raise TransitionOutsidePerform(
            f"{sender.__name__}.{name}() was called outside workflows.actions.perform"
        )


def connect_guard() -> None:
    pre_transition.connect(guard_transitions, sender=Dossier, dispatch_uid="gup.guard_transitions")
