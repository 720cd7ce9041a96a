"""Allocating tracking numbers without a race."""

from django.db import models, transaction

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
    value = _increment(counter_model, key)
    if value is None:
        # The office's first number of the year (or of the series): its counter is created once.
        counter_model.objects.get_or_create(**key)
        value = _increment(counter_model, key)
    return value


def _increment(counter_model, key: dict) -> int | None:
    """Add one to the counter named by ``key`` and return its new value (None: no counter yet).

    One statement, ``UPDATE ... RETURNING``: the update takes the row lock and gives the value
    it wrote, which the ORM's ``update()`` cannot return.
    """
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    conditions, params = [], []
    for name, value in key.items():
        column = counter_model._meta.get_field(name).column
        conditions.append(f"{quote(column)} = %s")
        params.append(value.pk if isinstance(value, models.Model) else value)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(counter_model._meta.db_table)} SET last_value = last_value + 1 "
            f"WHERE {' AND '.join(conditions)} RETURNING last_value",
            params,
        )
        row = cursor.fetchone()
    return row[0] if row else None
