"""Working days between two dates in constant time, for lists that count them for every row.

``workflows.deadlines.working_days_between`` walks the days one by one: right for a deadline,
too slow for a queue of dossiers filed years ago (40 ms a row) or the medians over thousands of
decisions. Here each year's working days are counted once per process, cumulatively, and two
look-ups answer. Same answer (``tests/test_keyset_paging.py`` checks it against the original).
"""

import datetime
import functools

from django.utils.timezone import localdate

from workflows.deadlines import is_working_day


@functools.cache
def _year_prefix(year: int) -> tuple[int, ...]:
    """Working days of ``year`` up to each day of it: ``[n]`` counts days 1..n of the year."""
    counts, day = [0], datetime.date(year, 1, 1)
    while day.year == year:
        counts.append(counts[-1] + is_working_day(day))
        day += datetime.timedelta(days=1)
    return tuple(counts)


@functools.lru_cache(maxsize=8192)
def _working_days_to(day: datetime.date) -> int:
    """Working days from 1 January 2000 up to ``day`` included (negative before)."""
    years = range(2000, day.year) if day.year >= 2000 else range(day.year, 2000)
    full = sum(_year_prefix(year)[-1] for year in years)
    within = _year_prefix(day.year)[day.timetuple().tm_yday]
    return full + within if day.year >= 2000 else within - full


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """``workflows.deadlines.working_days_between``, in constant time per row: a queue shows
    dossiers filed years ago, and counting their days one by one cost 40 ms a row."""
    return _working_days_to(end) - _working_days_to(start)


def working_days_to_decide(forwarded_at: datetime.datetime | None, decided_at) -> int | None:
    """Working days from forwarding to decision, each counted on its day in Burundi (what a
    decision records and the supervisors' medians read); ``None`` if never forwarded."""
    if forwarded_at is None:
        return None
    return working_days_between(localdate(forwarded_at), localdate(decided_at))
