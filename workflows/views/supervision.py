"""The supervisors' pages: the workload of their people, late dossiers, handing work over.

An office supervisor sees their office's clerks; a ministry supervisor their institution's
officers, and how long decisions take. Every assignment is the event ``assign``, taken through
``workflows.actions.perform``, one history row per dossier.
"""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from gup.db_routers import reporting_view
from gup.roles import Role
from workflows import actions, assignment, supervision
from workflows.actors import Actor
from workflows.assign_forms import MAX_SELECTED, AssignForm, SelectionAssignForm
from workflows.exceptions import ActionError
from workflows.models import Dossier
from workflows.queue_rows import queue_rows
from workflows.queue_search import COUNT_BOUND, QueueSearch, Tab, bounded_counts
from workflows.views.access import requires_role
from workflows.views.dossiers import visible_dossier
from workflows.views.paging import PAGE_SIZE, page_of
from workflows.views.refusals import show_refusal

supervisor_required = requires_role({Role.OFFICE_SUPERVISOR, Role.MINISTRY_SUPERVISOR})


def list_tabs(side, today) -> dict:
    """The supervisor's lists of open dossiers: key → (label, filter)."""
    return {
        "overdue": (gettext_lazy("Overdue"), Q(due_date__lt=today)),
        "unassigned": (gettext_lazy("Unassigned"), Q(**{f"{side.field}__isnull": True})),
        "open": (gettext_lazy("All open"), Q()),
    }


def assignees(actor, people) -> list:
    """Whom this supervisor may assign to, among ``people`` (already read for the workload)."""
    side = assignment.side_of(actor)
    scope = assignment.scope_id(actor, side)
    return [
        person
        for person in people
        if person.is_active
        and person.role in side.assignee_roles
        and getattr(person, side.scope) == scope
    ]


@reporting_view  # its GET reads from the replica, when one is configured
@supervisor_required
@require_http_methods(["GET", "POST"])
def overview(request):
    """The page (GET), and the assignment of the dossiers ticked in its list (POST)."""
    actor = Actor.for_user(request.user)
    side = assignment.side_of(actor)
    scoped = Dossier.objects.visible_to(actor)
    workload = supervision.workload(scoped, actor)
    people = assignees(actor, [row.person for row in workload.rows])
    form, status = None, 200
    if request.method == "POST":
        numbers = request.POST.getlist("dossier")[:MAX_SELECTED]
        found = dict(
            scoped.filter(tracking_number__in=numbers).values_list("tracking_number", "pk")
        )
        if set(numbers) - set(found):
            raise Http404  # Not this supervisor's dossier, whether or not it exists.
        form = SelectionAssignForm(request.POST, people=people, numbers=numbers)
        status = 400
        if form.is_valid():
            if _assign_each(request, actor, form, found):
                return redirect(request.get_full_path())
        else:
            messages.error(request, _("Nothing was assigned: see the fields marked below."))
    return _render(request, actor, side, scoped, workload, people, form, status)


def _assign_each(request, actor, form, found) -> bool:
    """Assign every ticked dossier, each through the one door; True when all were assigned."""
    data = form.cleaned_data
    done, refused = [], 0
    for number in data["dossier"]:
        try:
            actions.perform(
                found[number], "assign", actor, comment=data["comment"], assignee=data["assignee"]
            )
        except ActionError as error:
            refused += 1
            messages.error(
                request,
                " ".join([f"{number}:", str(error.message), *map(str, error.details)]),
            )
        else:
            done.append(number)
    if done:
        name = dict(form.fields["assignee"].choices).get(data["assignee"], "")
        messages.success(
            request,
            _("Assigned to %(name)s: %(numbers)s.") % {"name": name, "numbers": ", ".join(done)},
        )
    return refused == 0


def _render(request, actor, side, scoped, workload, people, form, status):
    today = timezone.localdate()
    search = QueueSearch(request.GET, actor=actor)
    tabs = list_tabs(side, today)
    current = request.GET.get("show")
    if current not in tabs:
        current = next(iter(tabs))
    found = search.apply(supervision.open_dossiers(scoped, side).for_queue())
    counts = bounded_counts({key: found.filter(tab) for key, (_label, tab) in tabs.items()})
    page = page_of(
        found.filter(tabs[current][1]).order_by("due_date", "id").queue_values(),
        request.GET.get("page"),
        size=PAGE_SIZE,
    )
    if form is None:
        form = SelectionAssignForm(
            people=people, numbers=[values["tracking_number"] for values in page.rows]
        )
    at_institution = side is assignment.INSTITUTION
    return render(
        request,
        "supervision/overview.html",
        {
            "at_institution": at_institution,
            "workload": workload,
            "medians": (
                supervision.median_days_to_decision(assignment.scope_id(actor, side))
                if at_institution
                else None
            ),
            "median_window": supervision.MEDIAN_WINDOW_DAYS,
            "page": page,
            "rows": queue_rows(page.rows, at_institution=at_institution, today=today),
            "tabs": [
                Tab(key, label, counts[key], COUNT_BOUND) for key, (label, _tab) in tabs.items()
            ],
            "current": current,
            "search": search,
            "filter_query": search.query_string(),
            "form": form,
            "selected": set(form["dossier"].value() or []),
        },
        status=status,
    )


@supervisor_required
@require_http_methods(["GET", "POST"])
def assign_one(request, tracking_number):
    """One dossier's page for handing it to a colleague (linked from the dossier page)."""
    dossier = visible_dossier(request, tracking_number)
    actor = Actor.for_user(request.user)
    side = assignment.side_of(actor)
    people = list(assignment.colleagues(actor, assignees=True))
    holder = assignment.holder(dossier, side)
    form = AssignForm(request.POST if request.method == "POST" else None, people=people)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.perform(
                    dossier.pk,
                    "assign",
                    actor,
                    comment=form.cleaned_data["comment"],
                    expected_state=dossier.state,
                    assignee=form.cleaned_data["assignee"],
                )
            except ActionError as error:
                status = show_refusal(request, error)
            else:
                messages.success(request, _("Done: %(step)s.") % {"step": _("Assign")})
                return redirect("dossier_detail", tracking_number=dossier.tracking_number)
    return render(
        request,
        "supervision/assign.html",
        {
            "dossier": dossier,
            "holder": assignment.name_of(holder),
            "form": form,
            "assignable": dossier.state in side.states,
        },
        status=status,
    )
