"""How a history row is hashed, version by version.

Each function takes anything with the history row's attributes (a ``HistoryEntry``, or the
historical model a migration sees), so the model, the verifier and migration 0004 share one
definition. A version, once rows carry it, never changes: a new content means a new version.

- Version 1 (before migration 0004): one row per transition; the hash covers the dossier, the
  position, the transition, both states, the user, the role, the comment, the time and the
  previous hash. The actor's name, the visibility and the version were not covered.
- Version 2: the row is an event; the hash covers every stored field except ``id`` and ``hash``,
  the version included, as canonical JSON, with the time in UTC.
"""

import datetime
import hashlib
import json

#: The version new rows are written with.
CURRENT_VERSION = 2


def canonical_json(value) -> str:
    """One spelling per value: sorted keys, no spaces, non-ASCII kept, no NaN."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


def content_v1(entry) -> bytes:
    """Exactly the content version 1 hashed (``json.dumps`` defaults, local ``isoformat``)."""
    content = {
        "dossier": entry.dossier_id,
        "position": entry.position,
        "transition": entry.kind,
        "from": entry.from_state,
        "to": entry.to_state,
        "actor": entry.actor_user_id,
        "role": entry.actor_role,
        "comment": entry.comment,
        "at": entry.at.isoformat(),
        "previous": entry.previous_hash,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False).encode()


def content_v2(entry) -> bytes:
    content = {
        "dossier": entry.dossier_id,
        "position": entry.position,
        "kind": entry.kind,
        "from_state": entry.from_state,
        "to_state": entry.to_state,
        "actor_kind": entry.actor_kind,
        "actor_user": entry.actor_user_id,
        "actor_reference": entry.actor_reference,
        "actor_role": entry.actor_role,
        "actor_name": entry.actor_name,
        "comment": entry.comment,
        "details": entry.details,
        "is_public": entry.is_public,
        "at": entry.at.astimezone(datetime.UTC).isoformat(),
        "version": entry.version,
        "previous_hash": entry.previous_hash,
    }
    return canonical_json(content).encode()


CONTENT = {1: content_v1, 2: content_v2}


def content_for_hash(entry) -> bytes | None:
    """The bytes the row's version hashes; None for a version that does not exist."""
    content = CONTENT.get(entry.version)
    return content(entry) if content is not None else None


def compute_hash(entry) -> str | None:
    """The row's hash by the rules of its version; None for an unknown version."""
    content = content_for_hash(entry)
    return hashlib.sha256(content).hexdigest() if content is not None else None
