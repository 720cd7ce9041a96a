"""When a side step (site inspection, appointment) may be scheduled, and when it may be recorded.

Pure functions over aware datetimes: the caller passes ``now`` (``timezone.now()`` in an action),
so the rules are tested without a clock. The office calendar is fixed here rather than in
settings because it is a rule of the one-stop shops, not of a deployment: offices open 08:00 to
17:00 Bujumbura time on working days (``workflows.deadlines.is_working_day``: no weekends, no
Burundi public holidays), and an appointment must start by 16:30 so that it ends before closing.

Bujumbura keeps UTC+2 all year (no daylight saving time), so a local time is never ambiguous.
Messages are translated in the active language when the function is called.
"""

import datetime
import zoneinfo
from functools import lru_cache

import holidays
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from workflows.deadlines import is_working_day

OFFICE_TIME_ZONE = zoneinfo.ZoneInfo("Africa/Bujumbura")  # the project's TIME_ZONE
OFFICE_OPENS = datetime.time(8, 0)
OFFICE_CLOSES = datetime.time(17, 0)
LAST_START = datetime.time(16, 30)
MINIMUM_NOTICE = datetime.timedelta(hours=1)

SATURDAY, SUNDAY = 5, 6

# holidays names Burundi's days in French (fr_BI) and English (en_US) only; a Kirundi reader gets
# the French name, the language of the official calendar.
_HOLIDAY_LANGUAGES = {"en": "en_US"}
_DEFAULT_HOLIDAY_LANGUAGE = "fr_BI"


def _local(moment: datetime.datetime, name: str) -> datetime.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {moment!r}")
    return moment.astimezone(OFFICE_TIME_ZONE)


@lru_cache(maxsize=64)
def _holiday_names(year: int, language: str) -> dict[datetime.date, str]:
    return dict(holidays.country_holidays("BI", years=year, language=language).items())


def holiday_name(day: datetime.date) -> str | None:
    """The name of the Burundi public holiday on ``day`` in the active language, or None."""
    language = (get_language() or "fr").split("-")[0]
    language = _HOLIDAY_LANGUAGES.get(language, _DEFAULT_HOLIDAY_LANGUAGE)
    return _holiday_names(day.year, language).get(day)


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _time(moment: datetime.time) -> str:
    return formats.time_format(moment, "TIME_FORMAT")


def scheduling_problems(when: datetime.datetime, now: datetime.datetime) -> list[str]:
    """Why a site inspection or an appointment cannot take place at ``when``; empty when it can.

    Each rule gives its own message, so a clerk sees every problem at once:

    - ``when`` is in the past, or less than an hour from ``now`` (the citizen must be told);
    - it falls on a Saturday or a Sunday;
    - it falls on a public holiday, named when the calendar knows its name (a holiday on a
      weekend is reported as the weekend day: one reason to move is enough);
    - it is outside office hours: before 08:00 or after 16:30, local time.

    Both arguments are aware datetimes, in any zone: they are compared in Bujumbura time.
    Raises ValueError for a naive datetime, which is a programming error, not a user's.
    """
    local = _local(when, "when")
    local_now = _local(now, "now")
    day = local.date()
    problems = []
    if local <= local_now:
        problems.append(_("This date and time are in the past: choose a later time."))
    elif local < local_now + MINIMUM_NOTICE:
        problems.append(_("This is less than an hour from now: choose a later time."))
    if day.weekday() == SATURDAY:
        problems.append(_("%(date)s is a Saturday: choose a working day.") % {"date": _date(day)})
    elif day.weekday() == SUNDAY:
        problems.append(_("%(date)s is a Sunday: choose a working day.") % {"date": _date(day)})
    elif not is_working_day(day):
        name = holiday_name(day)
        if name:
            problems.append(
                _("%(date)s is a public holiday (%(holiday)s): choose a working day.")
                % {"date": _date(day), "holiday": name}
            )
        else:
            problems.append(
                _("%(date)s is a public holiday: choose a working day.") % {"date": _date(day)}
            )
    if not OFFICE_OPENS <= local.time() <= LAST_START:
        problems.append(
            _(
                "Outside office hours: choose a time between %(opens)s and %(last)s (the office "
                "closes at %(closes)s)."
            )
            % {
                "opens": _time(OFFICE_OPENS),
                "closes": _time(OFFICE_CLOSES),
                "last": _time(LAST_START),
            }
        )
    return problems


def recorded_too_early(scheduled_for: datetime.datetime, now: datetime.datetime) -> str | None:
    """Why attendance or an inspection report cannot be recorded yet, or None when it can.

    What happened at an appointment or an inspection is known only once it has started: nothing
    is recorded before the scheduled date and time. Both arguments are aware datetimes.
    """
    local = _local(scheduled_for, "scheduled_for")
    if _local(now, "now") >= local:
        return None
    return _("This is scheduled for %(date)s at %(time)s: it cannot be recorded before then.") % {
        "date": _date(local.date()),
        "time": _time(local.time()),
    }
