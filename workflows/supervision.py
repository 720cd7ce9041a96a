"""What a supervisor's page shows: who holds how much, per stage, and how long decisions take.

Every figure is computed over a queryset already scoped (``Dossier.objects.visible_to``), so a
supervisor never counts another office's or institution's dossiers, and with a fixed number of
queries: the workload is one ``GROUP BY`` of the holder and the state, the people one query, the
medians two.
"""

import datetime
import statistics
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.models import Service
from workflows import assignment
from workflows.models import Decision
from workflows.queues import COUNTER_TABS
from workflows.states import REVIEW_STATES, DossierState

S = DossierState

#: The office's stages: the counter's tabs, "All" aside.
OFFICE_STAGES = {key: tab for key, tab in COUNTER_TABS.items() if key != "all"}
#: The institution's stages, from arrival to the document issued.
INSTITUTION_STAGES = {
    "to-claim": (_("To claim"), Q(state=S.FORWARDED)),
    "in-review": (_("In review"), Q(state__in=REVIEW_STATES)),
    "waiting": (_("Waiting for the citizen"), Q(state=S.INFORMATION_REQUESTED)),
    "to-issue": (_("Approved, to issue"), Q(state=S.APPROVED)),
}
#: Decisions older than this are not in the medians.
MEDIAN_WINDOW_DAYS = 90


def stages_of(side) -> dict:
    return OFFICE_STAGES if side is assignment.OFFICE else INSTITUTION_STAGES


def states_of(condition: Q) -> frozenset:
    """The states a stage's filter admits: a stage is ``Q(state=…)`` or ``Q(state__in=…)``."""
    ((lookup, value),) = condition.children
    if condition.negated or lookup not in ("state", "state__in"):
        raise ValueError(f"A stage filters on the state alone, not {condition!r}.")
    return frozenset([value] if lookup == "state" else value)


def open_dossiers(dossiers, side):
    """The dossiers a supervisor of ``side`` may still assign (filed, not finished)."""
    return dossiers.filter(state__in=side.states)


def overdue(dossiers, side, today: datetime.date):
    """Open dossiers whose expected date is past (the office's and institution's indexes on
    ``(scope, due_date, id)`` serve it)."""
    return open_dossiers(dossiers, side).filter(due_date__lt=today)


@dataclass
class WorkloadRow:
    #: The holder; None for the row of dossiers nobody holds.
    person: object
    counts: list
    #: The stages' labels, in the order of ``counts``.
    stages: list
    is_active: bool = True

    @property
    def cells(self) -> list:
        """(stage, count) pairs, for a table that labels each cell on a phone."""
        return list(zip(self.stages, self.counts, strict=True))

    @property
    def name(self) -> str:
        return assignment.name_of(self.person) if self.person is not None else ""

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class Workload:
    stages: list
    rows: list
    unassigned: WorkloadRow

    @property
    def totals(self) -> list:
        return [
            sum(row.counts[i] for row in [*self.rows, self.unassigned])
            for i in range(len(self.stages))
        ]


def holder_state_counts(dossiers, side):
    """(holder id, state, number of dossiers) for the open dossiers of ``dossiers`` on ``side``.

    The filter is the side's open states, exactly the condition of the side's partial index on
    ``(scope, holder, state)`` (``dossier_office_workload``, ``dossier_institution_workload``):
    the index answers alone, in holder and state order, and nothing is left to filter.
    """
    return (
        open_dossiers(dossiers, side)
        .order_by()
        .values_list(side.field, "state")
        .annotate(dossiers=Count("*"))
    )


def workload(dossiers, actor) -> Workload:
    """How many dossiers each colleague holds at each stage, and how many nobody holds.

    Two queries. The counts: one ``GROUP BY`` of the holder and the state
    (``holder_state_counts``), a few rows per holder however many dossiers, summed into stages
    here. The people: the active colleagues who may hold a dossier, and anyone who still holds
    one at some stage (a colleague who left keeps a row, marked inactive, until their dossiers
    are reassigned), taken from the counts rather than by reading the dossiers again.
    """
    side = assignment.side_of(actor)
    stages = stages_of(side)
    stage_states = [states_of(condition) for _label, condition in stages.values()]
    zeros = [0] * len(stages)
    by_holder: dict = {}
    for holder_id, state, count in holder_state_counts(dossiers, side):
        for index, states in enumerate(stage_states):
            if state in states:
                by_holder.setdefault(holder_id, list(zeros))[index] += count
    holders = sorted(pk for pk in by_holder if pk is not None)
    people = (
        get_user_model()
        .objects.filter(Q(pk__in=assignment.colleagues(actor).values("pk")) | Q(pk__in=holders))
        .order_by("last_name", "first_name", "username")
    )
    labels = [label for label, _condition in stages.values()]
    rows = [
        WorkloadRow(person, by_holder.get(person.pk, zeros), labels, is_active=person.is_active)
        for person in people
    ]
    return Workload(
        stages=labels, rows=rows, unassigned=WorkloadRow(None, by_holder.get(None, zeros), labels)
    )


@dataclass(frozen=True)
class ServiceMedian:
    service: object
    #: Median working days from forwarding to decision.
    median: float
    decisions: int


def decided_in_window(institution_id, *, now=None, days: int = MEDIAN_WINDOW_DAYS):
    """The decisions ``institution_id`` took on forwarded dossiers in the last ``days`` days.

    Read from the index on ``(institution, decided_at)``, which carries each decision's service
    and working days: a few thousand index entries at the busiest institution, no table read,
    where a join to the dossiers read thousands of them at random across ten years of rows.
    """
    now = now or timezone.now()
    return Decision.objects.filter(
        institution_id=institution_id,
        decided_at__gte=now - datetime.timedelta(days=days),
        working_days__isnull=False,
    ).order_by()


def median_days_to_decision(institution_id, *, now=None, days: int = MEDIAN_WINDOW_DAYS) -> list:
    """Per service, the median number of working days from forwarding to decision, over the
    decisions ``institution_id`` took in the last ``days`` days.

    Each decision recorded its working days when it was taken (weekends and Burundi's public
    holidays skipped, ``workflows.working_days``): the database counts the decisions per
    service and number of days, a few hundred rows, and the medians are read from the counts.
    A second query names the services.
    """
    counts = (
        decided_in_window(institution_id, now=now, days=days)
        .values("service_id", "working_days")
        .annotate(decisions=Count("*"))
        .values_list("service_id", "working_days", "decisions")
    )
    durations: dict[int, list[int]] = {}
    for service_id, working_days, decisions in counts:
        durations.setdefault(service_id, []).extend([working_days] * decisions)
    services = Service.objects.filter(pk__in=list(durations))
    return sorted(
        (
            ServiceMedian(
                service, statistics.median(durations[service.pk]), len(durations[service.pk])
            )
            for service in services
        ),
        key=lambda median: median.service.name,
    )
