"""Allocating tracking numbers without a race."""

from django.db import transaction
from django.db.models import F

from workflows.models import DocumentCounter, TrackingCounter
from workflows.tracking import format_tracking_number


def allocate_tracking_number(office, year: int) -> str:
    """The next tracking number of this office for this year.

    Must run inside the caller's transaction: the UPDATE holds the counter's row lock until that
    transaction ends, so two filings at the same office are numbered one after the other, and a
    rolled-back filing gives its number back.
    """
    sequence = _next_value(TrackingCounter, office=office, year=year)
    return format_tracking_number(office.code, year, sequence)


#: The shape of a document number (``allocate_document_number``), for URLs.
DOCUMENT_NUMBER_PATTERN = r"[A-Z]{3}-[0-9]{4}-[A-Z][0-9]{6,9}"


def allocate_document_number(office, year: int, series: str) -> str:
    """The next number of a document series (``R``: payment receipts...) of this office and year.

    ``GIT-2026-R000042``: unique per office, year and series, like tracking numbers, and given
    back the same way if the document's transaction rolls back.
    """
    sequence = _next_value(DocumentCounter, office=office, year=year, series=series)
    return f"{office.code}-{year:04d}-{series}{sequence:06d}"


def _next_value(counter_model, **key) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Numbers are allocated inside the transaction that uses them.")
    counter, _created = counter_model.objects.get_or_create(**key)
    counter_model.objects.filter(pk=counter.pk).update(last_value=F("last_value") + 1)
    return counter_model.objects.values_list("last_value", flat=True).get(pk=counter.pk)
