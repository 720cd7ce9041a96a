"""Pages of a queue without COUNT(*): on a million rows, counting costs more than the page."""

from dataclasses import dataclass

from django.shortcuts import render

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


def render_queue(request, template: str, queryset, tabs: dict):
    """A queue screen: the chosen tab (the first by default), ordered by expected date, paged."""
    current = request.GET.get("show")
    if current not in tabs:
        current = next(iter(tabs))
    dossiers = queryset.for_queue().filter(tabs[current][1]).order_by("due_date", "id")
    return render(
        request,
        template,
        {
            "page": page_of(dossiers, request.GET.get("page")),
            "filters": [(key, label) for key, (label, _filter) in tabs.items()],
            "current": current,
        },
    )
