"""Deadlines in working days: weekends and Burundi's public holidays do not count.

Pure functions over dates. Holidays come from the ``holidays`` package (Burundi, "BI"), whose
movable Muslim holidays are estimates; an administrator-maintained calendar can replace it later.
"""

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone

#: How long a citizen is given to answer a return for correction or a request for information.
CITIZEN_ANSWER_WORKING_DAYS = 10


@lru_cache(maxsize=64)
def _burundi_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("BI", years=year).keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _burundi_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when end is earlier."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def answer_deadline(now: datetime.datetime) -> datetime.date:
    """The day by which a citizen asked for a correction or information at ``now`` answers."""
    return add_working_days(timezone.localdate(now), CITIZEN_ANSWER_WORKING_DAYS)
