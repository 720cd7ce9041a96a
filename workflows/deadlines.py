"""Deadlines in working days: weekends and Burundi's public holidays do not count.

The arithmetic lives in ``workflows.sla`` (the SLA clock, with closures and suspensions); these
are its plain-calendar forms (no closure), kept for the callers that need only weekends and
public holidays: the scheduling calendar, samples and benchmarks.
"""

import datetime

from django.utils import timezone

from workflows.sla import PLAIN

#: How long a citizen is given to answer a return for correction or a request for information,
#: when the service does not say (``Service.information_answer_working_days``).
CITIZEN_ANSWER_WORKING_DAYS = 10


def is_working_day(day: datetime.date) -> bool:
    return PLAIN.is_working_day(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    return PLAIN.add_working_days(start, days)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when end is earlier."""
    return PLAIN.working_days_between(start, end)


def answer_deadline(now: datetime.datetime) -> datetime.date:
    """The day by which a citizen asked for a correction or information at ``now`` answers."""
    return add_working_days(timezone.localdate(now), CITIZEN_ANSWER_WORKING_DAYS)
