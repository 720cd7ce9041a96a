"""Checking the history's hash chains and their anchors.

A row edited in the database no longer matches its hash; a row removed from the middle leaves a
gap and breaks the next row's link; rows removed from the end, or all of them, leave the dossier's
``HistoryHead`` naming a row that is gone; a head removed leaves the dossier unanchored.

For each dossier, only the first problem is named: the rows in position order, then the anchor.
What follows a broken row cannot be vouched for anyway, and one line per dossier keeps the report
readable when a whole table was tampered with.

One pass over the entries and one over the dossiers (with their heads), both in position order
and streamed in batches, merged as they go. Run it in one snapshot (``verify_history`` does), or
rows appended meanwhile may show up ahead of a head read earlier.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter

from workflows.models import Dossier, HistoryEntry

BATCH_SIZE = 2000


@dataclass
class Verification:
    """Walks every chain; counts what it checked as it goes."""

    batch_size: int = BATCH_SIZE
    dossiers_checked: int = 0
    entries_checked: int = 0

    def problems(self) -> Iterator[str]:
        """One sentence per dossier whose history does not hold, in dossier order."""
        dossiers = (
            Dossier.objects.order_by("pk")
            .values_list("pk", "tracking_number", "history_head__position", "history_head__hash")
            .iterator(self.batch_size)
        )
        entries = HistoryEntry.objects.order_by("dossier_id", "position").iterator(self.batch_size)
        chains = groupby(entries, key=attrgetter("dossier_id"))
        chain_id, chain = next(chains, (None, None))
        for dossier_id, tracking_number, head_position, head_hash in dossiers:
            self.dossiers_checked += 1
            while chain_id is not None and chain_id < dossier_id:  # the foreign key forbids it
                chain_id, chain = next(chains, (None, None))
            rows = chain if chain_id == dossier_id else iter(())
            head = None if head_position is None else (head_position, head_hash)
            problem = self._first_problem(rows, head)
            if chain_id == dossier_id:
                # The rows after a problem: walked past (and counted), not checked.
                self.entries_checked += sum(1 for _ in chain)
                chain_id, chain = next(chains, (None, None))
            if problem:
                yield f"dossier {tracking_number or dossier_id}{problem}"

    def _first_problem(self, rows, head) -> str | None:
        """The first problem of one dossier, as the end of a sentence; None if all holds."""
        expected, previous_hash, last = 1, "", None
        for entry in rows:
            self.entries_checked += 1
            where = f", entry {entry.position}: "
            if entry.compute_hash() != entry.hash:
                return where + "content changed after it was written"
            if entry.position > expected:
                return f": entry {expected} is missing"
            if entry.position != expected or entry.previous_hash != previous_hash:
                return where + "does not follow the previous entry"
            if head is not None and entry.position > head[0]:
                return where + f"comes after the last entry its anchor names ({head[0]})"
            expected, previous_hash, last = entry.position + 1, entry.hash, entry
        if head is None:
            return ": has no history anchor"
        head_position, head_hash = head
        if last is None:
            return ": all entries are missing" if head_position else None
        if last.position < head_position:
            if head_position == last.position + 1:
                return f": the last entry ({head_position}) is missing"
            return f": the last entries ({last.position + 1} to {head_position}) are missing"
        if last.hash != head_hash:
            return f", entry {last.position}: does not match the history anchor"
        return None


def broken_links(batch_size: int = BATCH_SIZE) -> Iterator[str]:
    """Describe, dossier by dossier, the first place where the history does not hold."""
    return Verification(batch_size=batch_size).problems()
