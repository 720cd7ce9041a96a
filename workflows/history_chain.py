"""Checking the history's hash chain: a row edited or removed in the database breaks it."""

from collections.abc import Iterator

from workflows.models import HistoryEntry


def broken_links(batch_size: int = 2000) -> Iterator[str]:
    """Describe every place where the chain does not hold, dossier by dossier."""
    previous_dossier = None
    previous_hash = ""
    expected_position = 1
    entries = HistoryEntry.objects.order_by("dossier_id", "position").iterator(batch_size)
    for entry in entries:
        if entry.dossier_id != previous_dossier:
            previous_dossier, previous_hash, expected_position = entry.dossier_id, "", 1
        where = f"dossier {entry.dossier_id}, entry {entry.position}"
        if entry.position != expected_position:
            yield f"{where}: expected entry {expected_position} (a row is missing)"
        if entry.previous_hash != previous_hash:
            yield f"{where}: does not follow the previous entry"
        if entry.compute_hash() != entry.hash:
            yield f"{where}: content changed after it was written"
        previous_hash = entry.hash
        expected_position = entry.position + 1
