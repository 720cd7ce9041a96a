"""Allocating tracking numbers without a race."""

from django.db import transaction
from django.db.models import F

from workflows.models import TrackingCounter
from workflows.tracking import format_tracking_number


def allocate_tracking_number(office, year: int) -> str:
    """The next tracking number of this office for this year.

    Must run inside the caller's transaction: the UPDATE holds the counter's row lock until that
    transaction ends, so two filings at the same office are numbered one after the other, and a
    rolled-back filing gives its number back.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Tracking numbers are allocated inside the filing's transaction.")
    counter, _created = TrackingCounter.objects.get_or_create(office=office, year=year)
    TrackingCounter.objects.filter(pk=counter.pk).update(last_value=F("last_value") + 1)
    sequence = TrackingCounter.objects.values_list("last_value", flat=True).get(pk=counter.pk)
    return format_tracking_number(office.code, year, sequence)
