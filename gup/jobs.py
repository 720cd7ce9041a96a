"""The one way work is handed to the background: ``enqueue``.

Background jobs run on RQ workers (``make worker``), on four queues: ``default``,
``notifications``, ``documents`` and ``exchange``. Without Redis (the embedded default of
``make run``, and the test suite unless a test asks for Redis), ``GUP_JOBS_INLINE`` runs each
job in the calling process instead, at once.

A job must never be enqueued inside an open transaction: a worker could pick it up before the
commit and find nothing, or act on a change that is then rolled back. ``enqueue`` refuses,
whatever the mode, so the mistake shows in the first test that makes it. Work caused by a
change to the database goes through the outbox (``workflows.outbox``), which is written in the
change's transaction and relayed here after the commit.
"""

import datetime
import logging
from importlib import import_module

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

QUEUES = ("default", "notifications", "documents", "exchange")


class EnqueueInsideTransaction(RuntimeError):
    """``enqueue`` was called while a database transaction is open."""


def in_open_transaction(using: str = DEFAULT_DB_ALIAS) -> bool:
    """True inside ``transaction.atomic``; the test case's own wrapping blocks do not count.

    Django's ``TestCase`` runs each test inside atomic blocks marked ``_from_testcase`` (the same
    mark Django uses to let a durable block run in a test); code run by ``on_commit`` in a test
    runs inside those only, as it runs outside any block in production.
    """
    connection = connections[using]
    if not connection.in_atomic_block:
        return False
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def enqueue(
    queue: str,
    function: str,
    *args,
    job_id: str | None = None,
    delay: datetime.timedelta | None = None,
) -> None:
    """Run ``function`` (a dotted path) with ``args`` on a worker of ``queue``.

    ``job_id`` names the job in RQ: enqueuing the same id again replaces the waiting job rather
    than adding one. ``delay`` runs it later (RQ's scheduler, started by ``make worker``); inline,
    a delayed job is left to the next outbox sweep, which finds what is due.
    Raises ``EnqueueInsideTransaction`` in a transaction, and Redis' errors when it is down.
    """
    if queue not in QUEUES:
        raise ValueError(f"Unknown queue {queue!r}; the queues are {', '.join(QUEUES)}.")
    if in_open_transaction():
        raise EnqueueInsideTransaction(
            f"{function} was enqueued inside an open transaction: enqueue after the commit "
            "(transaction.on_commit), or write to the outbox (workflows.outbox)."
        )
    if settings.GUP_JOBS_INLINE:
        if delay is None:
            resolve(function)(*args)
        return
    rq_queue = _queue(queue)
    options = {"job_id": job_id, "failure_ttl": settings.GUP_JOBS_FAILURE_TTL}
    if delay is None:
        rq_queue.enqueue(function, *args, **options)
    else:
        rq_queue.enqueue_in(delay, function, *args, **options)


#: One client per queue and Redis address, reused: connecting costs more than enqueuing.
_queues: dict = {}


def _queue(name: str):
    import django_rq

    key = (name, settings.RQ_QUEUES[name]["URL"])
    if key not in _queues:
        _queues[key] = django_rq.get_queue(name)
    return _queues[key]


def resolve(function: str):
    module, _dot, name = function.rpartition(".")
    return getattr(import_module(module), name)
