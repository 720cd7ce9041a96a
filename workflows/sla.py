"""The SLA clock: how many working days a dossier has taken, and when it is expected.

Pure functions over dates, no database: the caller builds a ``Calendar`` (weekends, Burundi's
public holidays from the ``holidays`` package, and the closures an administrator declared:
``workflows.clock.calendar_for`` loads them in one query) and passes the dossier's suspensions.

The rules
---------

- **Working days.** Saturdays, Sundays, Burundi's public holidays and the closures (national,
  or of the dossier's office) do not count. Everything else does.
- **The day something happens does not count; the next working days do.** A dossier filed on
  Monday with a target of 1 working day is expected on Tuesday (as
  ``workflows.deadlines.add_working_days``, which delegates here).
- **The clock suspends while the dossier waits for the citizen**: returned for correction
  (they must correct it), information requested (they must answer), awaiting payment (they
  must pay: the office cannot forward an unpaid dossier). These are
  ``workflows.states.WAITING_FOR_CITIZEN_STATES``. Every other state runs the clock, the side
  steps included (an inspection or a public notice is the institution's work; an appointment is
  set by the institution and the citizen comes to it).
- **A suspension paused on day P and resumed on day R removes the working days after P up to
  and including R** ``(P, R]``: the day of the pause was a day of work (the office did
  something that day), and the day of the answer is, like a filing day, a day the clock starts
  again from. So a suspension that starts and ends on the same day moves nothing.
- **A day counts once**: overlapping suspensions remove a day once.
- **The expected date** is the day on which the working days counted since filing, suspended
  days left out, reach the target plus the extension. A suspension that begins after that day
  (the dossier was already late) does not move it: the time was already lost.
- **An extension** adds working days to the target (once per dossier, by a supervisor, up to
  the service's limit: ``workflows.clock``).
- **The office's time and the institution's time are measured apart**: the office's from
  filing to the day it forwarded the dossier (or today), the institution's from then to its
  decision (or today); each without the suspended days.

The expected date is recomputed from these rules at each event that moves it (a resumption,
an extension), with the calendar known then.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property, lru_cache

import holidays

ONE_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=64)
def burundi_holidays(year: int) -> frozenset[datetime.date]:
    """Burundi's public holidays in ``year`` (the movable Muslim ones are the package's
    estimates: an administrator corrects them with a national closure)."""
    return frozenset(holidays.country_holidays("BI", years=year).keys())


@dataclass(frozen=True)
class Suspension:
    """The clock paused on ``paused_on`` and resumed on ``resumed_on`` (days ``(P, R]`` off)."""

    paused_on: datetime.date
    resumed_on: datetime.date

    def __post_init__(self):
        if self.resumed_on < self.paused_on:
            raise ValueError("a suspension cannot end before it starts")

    def covers(self, day: datetime.date) -> bool:
        return self.paused_on < day <= self.resumed_on


@dataclass(frozen=True)
class Calendar:
    """Which days are working days: weekends, public holidays and ``closures`` are not.

    ``closures`` are ``(first day, last day)`` pairs, both included.
    """

    closures: tuple[tuple[datetime.date, datetime.date], ...] = ()
    #: Leave public holidays out (tests of the closures alone); the real calendar keeps them.
    public_holidays: bool = True

    @cached_property
    def closed_days(self) -> frozenset[datetime.date]:
        days = set()
        for first, last in self.closures:
            day = first
            while day <= last:
                days.add(day)
                day += ONE_DAY
        return frozenset(days)

    def is_working_day(self, day: datetime.date) -> bool:
        if day.weekday() >= 5 or day in self.closed_days:
            return False
        return not (self.public_holidays and day in burundi_holidays(day.year))

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
        return add_counted_days(start, days, self, ())

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when end is
        earlier."""
        return counted_days(start, end, self, ())


#: Weekends and public holidays only: no closure.
PLAIN = Calendar()


def _counts(day, calendar, suspensions) -> bool:
    return calendar.is_working_day(day) and not any(s.covers(day) for s in suspensions)


def counted_days(start, end, calendar: Calendar, suspensions=()) -> int:
    """Working days in ``(start, end]`` outside every suspension; negative when end < start."""
    if end < start:
        return -counted_days(end, start, calendar, suspensions)
    suspensions = tuple(suspensions)
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if _counts(day, calendar, suspensions):
            count += 1
    return count


def add_counted_days(start, days: int, calendar: Calendar, suspensions=()) -> datetime.date:
    """The day on which ``days`` counted days have passed since ``start`` (``start`` itself
    does not count; 0 days is ``start``)."""
    if days < 0:
        raise ValueError("days must not be negative")
    suspensions = tuple(suspensions)
    day = start
    remaining = days
    while remaining:
        day += ONE_DAY
        if _counts(day, calendar, suspensions):
            remaining -= 1
    return day


def expected_date(
    filed_on: datetime.date,
    target_days: int,
    suspensions=(),
    extension_days: int = 0,
    calendar: Calendar = PLAIN,
) -> datetime.date:
    """The day the dossier is expected: ``target_days + extension_days`` working days after
    ``filed_on``, the days of ``suspensions`` (closed ones: ``Suspension``) left out."""
    return add_counted_days(filed_on, target_days + extension_days, calendar, suspensions)


def suspended_days(suspension: Suspension, calendar: Calendar) -> int:
    """The working days a suspension covers (what it moved, at most)."""
    return calendar.working_days_between(suspension.paused_on, suspension.resumed_on)


@dataclass(frozen=True)
class Elapsed:
    """Working days the dossier has spent at the office, and at the institution."""

    office: int
    institution: int


def elapsed(
    filed_on: datetime.date,
    today: datetime.date,
    calendar: Calendar,
    suspensions=(),
    forwarded_on: datetime.date | None = None,
    decided_on: datetime.date | None = None,
) -> Elapsed:
    """The office's time (filing → forwarding, or today) and the institution's (forwarding →
    decision, or today), each without the suspended days. An open suspension is passed closed
    on ``today``."""
    office_end = min(forwarded_on or today, today)
    office = max(counted_days(filed_on, office_end, calendar, suspensions), 0)
    institution = 0
    if forwarded_on is not None:
        end = min(decided_on or today, today)
        institution = max(counted_days(forwarded_on, end, calendar, suspensions), 0)
    return Elapsed(office=office, institution=institution)
