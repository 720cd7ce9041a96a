"""Pages of a queue without COUNT(*) and without OFFSET: on a million rows, counting costs more
than the page, and an OFFSET reads and discards every row before the page.

Queues are read by keyset: the page after the row ``(due_date, id)`` is the next rows in that
order, found in the index where that row sits, so page 400 costs what page 1 costs. Links carry
a cursor, ``?after=2026-11-20,41236`` (or ``?before=`` for the previous page), with the tab and
the filters; a cursor that does not parse shows the first page.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.shortcuts import render

from workflows import queue_search
from workflows.queue_rows import queue_rows
from workflows.queue_search import QueueSearch, Tab, tab_counts

PAGE_SIZE = 50
#: The deepest page a link may ask for: 50 million rows. Beyond it (``?page=99999999999999``,
#: which PostgreSQL cannot take as an OFFSET) the last page we allow is shown, never an error.
MAX_PAGE = 1_000_000


@dataclass
class Page:
    rows: list
    number: int | None
    has_previous: bool
    has_next: bool
    #: Keyset pages: the cursors of the next and previous pages ("" when there is none).
    next_cursor: str = ""
    previous_cursor: str = ""


def page_number(raw) -> int:
    """``?page=`` as a page number from 1 to ``MAX_PAGE``: ASCII digits only (no sign, no
    underscores, no other scripts' digits); anything else is page 1."""
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit():
        return 1
    digits = raw.lstrip("0")
    if len(digits) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return min(max(1, int(digits or "0")), MAX_PAGE)


def page_of(queryset, raw_number, size: int = PAGE_SIZE) -> Page:
    """A numbered page (OFFSET): for short lists only, such as a supervisor's selection."""
    number = page_number(raw_number)
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return Page(rows=rows[:size], number=number, has_previous=number > 1, has_next=len(rows) > size)


def parse_cursor(raw, kind) -> tuple | None:
    """``"<value>,<id>"`` as (value, id), the value a date or a datetime; None if malformed."""
    if not raw or "," not in raw:
        return None
    value, _comma, pk = raw.rpartition(",")
    try:
        parse = datetime.date if kind == "date" else datetime.datetime
        return parse.fromisoformat(value), int(pk)
    except ValueError:
        return None


def cursor_of(row, field: str) -> str:
    """The cursor of a row: a model instance, or a dict of values (``for_queue()``)."""
    if isinstance(row, dict):
        return f"{row[field].isoformat()},{row['id']}"
    return f"{getattr(row, field).isoformat()},{row.pk}"


def keyset_page(
    queryset, field: str, *, after=None, before=None, descending=False, size=None
) -> Page:
    """The page after (or before) a cursor, ordered by ``(field, id)``; ``field`` is never null
    in ``queryset``. Two index range scans at most, whatever the depth."""
    size = size or PAGE_SIZE
    kind = (
        "date" if queryset.model._meta.get_field(field).get_internal_type() == "DateField" else ""
    )
    after, before = parse_cursor(after, kind), parse_cursor(before, kind)
    forward = [field, "id"] if not descending else [f"-{field}", "-id"]
    backward = [f"-{field}", "-id"] if not descending else [field, "id"]

    def beyond(cursor, upward: bool) -> Q:
        value, pk = cursor
        op, strict = ("gte", "gt") if upward else ("lte", "lt")
        # The first condition alone lets the index start at the cursor; the second is exact.
        return Q(**{f"{field}__{op}": value}) & (
            Q(**{f"{field}__{strict}": value}) | Q(**{f"id__{strict}": pk})
        )

    if before is not None and after is None:
        rows = list(
            queryset.filter(beyond(before, upward=descending)).order_by(*backward)[: size + 1]
        )
        has_previous = len(rows) > size
        rows = rows[:size][::-1]
        has_next = True
    else:
        if after is not None:
            queryset = queryset.filter(beyond(after, upward=not descending))
        rows = list(queryset.order_by(*forward)[: size + 1])
        has_next = len(rows) > size
        rows = rows[:size]
        has_previous = after is not None
    return Page(
        rows=rows,
        number=None,
        has_previous=has_previous and bool(rows),
        has_next=has_next and bool(rows),
        next_cursor=cursor_of(rows[-1], field) if has_next and rows else "",
        previous_cursor=cursor_of(rows[0], field) if has_previous and rows else "",
    )


def render_queue(request, template: str, queryset, tabs: dict, actor):
    """A queue screen: search and filters (``workflows.queue_search``) over the scoped
    ``queryset``, the chosen tab (the first by default) ordered by expected date and paged by
    keyset, and each tab's bounded count. A fixed number of queries, whatever the number of
    rows and the depth of the page."""
    search = QueueSearch(request.GET, actor=actor)
    current = request.GET.get("show")
    if current not in tabs:
        current = next(iter(tabs))
    found = search.apply(queryset.for_queue())
    bound = queue_search.COUNT_BOUND
    tallied = tab_counts(
        found, {key: tab for key, (_label, tab) in tabs.items()}, search, shown=current
    )
    if tallied.shown_ids is None:
        listed = found.filter(tabs[current][1])
    else:
        # The tab's matches, found by the count's one pass, within the same scope.
        listed = queryset.for_queue().filter(pk__in=tallied.shown_ids)
    page = keyset_page(
        listed.queue_values(),
        "due_date",
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    at_institution = actor.staff_institution_id is not None
    return render(
        request,
        template,
        {
            "page": page,
            "rows": queue_rows(page.rows, at_institution=at_institution),
            "tabs": [
                Tab(key, label, tallied.counts[key], bound) for key, (label, _tab) in tabs.items()
            ],
            "current": current,
            "search": search,
            "filter_query": search.query_string(),
        },
    )
