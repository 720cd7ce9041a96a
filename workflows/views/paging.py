"""Pages of a queue without COUNT(*): on a million rows, counting costs more than the page."""

from dataclasses import dataclass

from django.shortcuts import render

from workflows import queue_search
from workflows.queue_rows import queue_rows
from workflows.queue_search import QueueSearch, Tab, bounded_counts

PAGE_SIZE = 50


@dataclass
class Page:
    rows: list
    number: int
    has_previous: bool
    has_next: bool


def page_of(queryset, raw_number, size: int = PAGE_SIZE) -> Page:
    try:
        number = max(1, int(raw_number))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return Page(rows=rows[:size], number=number, has_previous=number > 1, has_next=len(rows) > size)


def render_queue(request, template: str, queryset, tabs: dict, actor):
    """A queue screen: search and filters (``workflows.queue_search``) over the scoped
    ``queryset``, the chosen tab (the first by default) ordered by expected date and paged, and
    each tab's bounded count. A fixed number of queries, whatever the number of rows."""
    search = QueueSearch(request.GET, actor=actor)
    current = request.GET.get("show")
    if current not in tabs:
        current = next(iter(tabs))
    found = search.apply(queryset.for_queue())
    bound = queue_search.COUNT_BOUND
    counts = bounded_counts({key: found.filter(tab) for key, (_label, tab) in tabs.items()}, bound)
    dossiers = found.filter(tabs[current][1]).order_by("due_date", "id")
    page = page_of(dossiers, request.GET.get("page"), size=PAGE_SIZE)
    at_institution = actor.staff_institution_id is not None
    return render(
        request,
        template,
        {
            "page": page,
            "rows": queue_rows(page.rows, at_institution=at_institution),
            "tabs": [Tab(key, label, counts[key], bound) for key, (label, _tab) in tabs.items()],
            "current": current,
            "search": search,
            "filter_query": search.query_string(),
        },
    )
