"""Search and filters of the staff queues, shared by the counter and the review queue.

``QueueSearch`` reads the query string (``q``, ``service``, ``state``, ``province``, ``overdue``,
``holder``: assigned to me, to nobody yet or to a named colleague, the clerk at an office and the
officer at an institution) into a validated filter and applies it to a queryset that is already
scoped (``Dossier.objects.visible_to``): it narrows what the actor may see, never widens it.
Choices that name people or places come from the actor's own scope, so a colleague of another
office or institution is an invalid choice, refused like any other bad parameter: the page says so
and lists the scoped queue without filters, never a 500.

One search box finds a dossier by what the citizen brings to the desk:

- a tracking number, typed loosely (``git 2026 000123 7``): exact match after normalization;
- a national ID number, whole or its beginning: prefix match on the normalized number;
- a phone number written as people write it (``79 12 34 56``): exact match in E.164;
- a part of the applicant's name, accents and case ignored (``ndayishimiye``, ``Gloriose``):
  on PostgreSQL, ``gup_search_name()`` served by a GIN trigram index (migration 0010); on
  SQLite (the embedded default), a plain ``icontains`` on each name.

Tab counts are bounded (``bounded_counts``): each tab counts at most ``COUNT_BOUND + 1`` rows,
all tabs in one query, so a queue of a million dossiers shows "50+" without counting them.
"""

import contextlib
import functools
import operator
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connections
from django.db.models import BooleanField, CharField, ExpressionWrapper, Func, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.models import Province, Service
from workflows import assignment, tracking
from workflows.applicant import NATIONAL_ID_PATTERN, normalize_phone
from workflows.states import FINAL_STATES, WAITING_FOR_CITIZEN_STATES, DossierState

#: A tab shows its number of dossiers up to this bound, and "50+" beyond.
COUNT_BOUND = 50
MAX_QUERY_LENGTH = 100
#: A name search counts its tabs in one pass over the dossiers it matches, up to this many (see
#: ``counts_in_one_pass``); a broader search is counted tab by tab.
MATCHED_BOUND = 5000
#: That pass keeps the shown tab's matches up to this many, and its page reads them by id.
KEPT_BOUND = 500
#: Fewer letters give no trigram to look up: the index could not help, and the answer would be
#: half the queue anyway.
MIN_NAME_LENGTH = 3

#: A dossier in these states is never late: never filed, finished, or its clock paused while
#: the citizen has to act.
NEVER_OVERDUE = frozenset([DossierState.DRAFT, *FINAL_STATES, *WAITING_FOR_CITIZEN_STATES])

HOLDER_ME = "me"
HOLDER_NONE = "none"


class SearchName(Func):
    """The applicant's name, lower case and without accents (the trigram index's expression)."""

    function = "gup_search_name"
    output_field = CharField()


class Normalized(Func):
    """A text lower case and without accents, as ``SearchName`` writes the name."""

    function = "gup_normalize"
    output_field = CharField()


def is_a_name(raw: str) -> bool:
    """Whether the search box holds a name (not a tracking, ID or phone number)."""
    text = " ".join(raw.split())
    return not tracking.is_valid(tracking.normalize(text)) and not any(
        char.isdigit() for char in text
    )


def search_condition(raw: str, vendor: str) -> Q:
    """What the search box means, as a condition on dossiers; ``ValidationError`` when it means
    nothing searchable (a name too short to look up)."""
    text = " ".join(raw.split())
    number = tracking.normalize(text)
    if tracking.is_valid(number):
        return Q(tracking_number=number)
    if any(char.isdigit() for char in text):
        conditions = []
        national_id = re.sub(r"\s", "", text).upper()
        if NATIONAL_ID_PATTERN.match(national_id):
            conditions.append(Q(applicant_national_id__startswith=national_id))
        with contextlib.suppress(ValidationError):
            conditions.append(Q(applicant_phone=normalize_phone(text)))
        if not conditions:
            raise ValidationError(
                _("This is neither a tracking number, a national ID number nor a phone number."),
                code="not_a_number",
            )
        return functools.reduce(operator.or_, conditions)
    if len(text) < MIN_NAME_LENGTH:
        raise ValidationError(
            _("Type at least %(count)d letters of the name."),
            code="too_short",
            params={"count": MIN_NAME_LENGTH},
        )
    if vendor == "postgresql":
        return Q(search_name__contains=Normalized(Value(text, output_field=CharField())))
    condition = Q()
    for word in text.split():
        condition &= Q(applicant_first_name__icontains=word) | Q(
            applicant_last_name__icontains=word
        )
    return condition


class QueueSearch(forms.Form):
    """The search and filters of a staff queue, for one actor (their scope gives the choices)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_("Tracking number, applicant's name, national ID number or phone number."),
    )
    service = forms.TypedChoiceField(
        label=_("Service"), required=False, coerce=int, empty_value=None
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    province = forms.TypedChoiceField(
        label=_("Province"), required=False, coerce=int, empty_value=None
    )
    holder = forms.ChoiceField(label=_("Handled by"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, data, *, actor, **kwargs):
        super().__init__(data, **kwargs)
        self.actor = actor
        self.vendor = None
        anything = [("", _("Any"))]
        services = Service.objects.order_by("code").only(
            "pk", "code", "name_fr", "name_rn", "name_en"
        )
        self.fields["service"].choices = anything + [(s.pk, s.name) for s in services]
        self.fields["state"].choices = anything + [
            (value, label) for value, label in DossierState.choices if value != DossierState.DRAFT
        ]
        if actor.staff_institution_id is None:
            # An office serves one province: the filter has no meaning there.
            del self.fields["province"]
        else:
            provinces = Province.objects.order_by("name")
            self.fields["province"].choices = anything + [(p.pk, p.name) for p in provinces]
        # The holder is the actor's side's (``workflows.assignment``): the clerk at an office,
        # the officer at an institution; the choices are the actor's own colleagues only.
        self.side = assignment.side_of(actor)
        if self.side is None:
            del self.fields["holder"]
        else:
            self.colleagues = list(assignment.colleagues(actor))
            self.fields["holder"].choices = [
                *anything,
                (HOLDER_ME, _("Me")),
                (HOLDER_NONE, _("Nobody yet")),
                *(
                    (str(user.pk), assignment.name_of(user))
                    for user in self.colleagues
                    if user.pk != actor.user_id
                ),
            ]

    def clean_q(self):
        text = self.cleaned_data["q"].strip()
        if text:
            # Checked here, so that a name too short is an error like any other.
            search_condition(text, vendor="")
        return text

    def apply(self, queryset):
        """``queryset`` narrowed by the valid filters; unchanged when any parameter is bad."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        vendor = connections[queryset.db].vendor
        if data["q"]:
            if vendor == "postgresql":
                queryset = queryset.alias(
                    search_name=SearchName("applicant_first_name", "applicant_last_name")
                )
            queryset = queryset.filter(search_condition(data["q"], vendor))
        if data["service"]:
            queryset = queryset.filter(service_id=data["service"])
        if data["state"]:
            queryset = queryset.filter(state=data["state"])
        if data.get("province"):
            queryset = queryset.filter(office__province_id=data["province"])
        if data["overdue"]:
            # A dossier waiting for the citizen is not late: its clock is paused. Drafts are
            # named too (they are never late) so that PostgreSQL reads the open dossiers'
            # partial index (``dossier_office_open``) instead of ten years of finished ones.
            queryset = queryset.filter(due_date__lt=timezone.localdate()).exclude(
                state__in=NEVER_OVERDUE
            )
        holder = data.get("holder")
        if holder:
            field = f"{self.side.field}_id"
            if holder == HOLDER_ME:
                queryset = queryset.filter(**{field: self.actor.user_id})
            elif holder == HOLDER_NONE:
                queryset = queryset.filter(**{f"{field}__isnull": True})
            else:
                queryset = queryset.filter(**{field: int(holder)})
        return queryset

    def states_left_out(self) -> frozenset:
        """The states no dossier found can be in, given the valid filters: a tab of those
        states alone is empty without asking the database (which would read the whole tab to
        find nothing: 2,000 dossiers awaiting payment, none of them overdue)."""
        if not self.is_valid():
            return frozenset()
        left_out = set()
        if self.cleaned_data["overdue"]:
            left_out |= NEVER_OVERDUE
        if chosen := self.cleaned_data["state"]:
            left_out |= {state for state in DossierState.values if state != chosen}
        return frozenset(left_out)

    def searches_a_name(self) -> bool:
        """A valid search for a name (not a number), which the trigram index answers."""
        text = self.cleaned_data["q"] if self.is_valid() else ""
        return bool(text) and is_a_name(text)

    def query_string(self) -> str:
        """The valid filters as URL parameters, for the tabs and the pager to carry."""
        if not self.is_valid():
            return ""
        pairs = []
        for name in self.fields:
            value = self.cleaned_data.get(name)
            if value is True:
                pairs.append((name, "on"))
            elif value:
                pairs.append((name, value))
        return urlencode(pairs)


@dataclass
class Tab:
    key: str
    label: str
    count: int
    bound: int

    @property
    def count_label(self) -> str:
        return f"{self.bound}+" if self.count > self.bound else str(self.count)


def bounded_counts(querysets: dict, bound: int | None = None) -> dict:
    """How many rows each queryset has, counting at most ``bound + 1`` of each: one query.

    One scalar subquery per tab, each ``SELECT COUNT(*) FROM (… LIMIT bound + 1)``, in a single
    ``SELECT``: the database stops reading each tab at the bound, and the page pays one round
    trip whatever the number of tabs. (A single conditional aggregate over one bounded subquery
    would bound the total, not each tab.)
    """
    bound = COUNT_BOUND if bound is None else bound
    if not querysets:
        return {}
    parts, params = [], []
    using = next(iter(querysets.values())).db
    for queryset in querysets.values():
        bounded = queryset.order_by().values("pk")[: bound + 1]
        try:
            sql, sub_params = bounded.query.get_compiler(using).as_sql()
        except EmptyResultSet:  # ``.none()``, or a filter that can match nothing
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS bounded)")
        params.extend(sub_params)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


def admitted_states(condition: Q) -> frozenset | None:
    """The states a tab's filter admits when it names them (``state`` or ``state__in``, with
    other conditions or not); None when it admits any state."""
    if condition.negated or condition.connector != Q.AND:
        return None
    for child in condition.children:
        if isinstance(child, tuple) and child[0] in ("state", "state__in"):
            return frozenset([child[1]] if child[0] == "state" else child[1])
    return None


@dataclass(frozen=True)
class TabCounts:
    counts: dict
    #: A name search's matches in the shown tab, kept by the count's one pass when they are few
    #: (``KEPT_BOUND``): its page is then read by id, without searching the names a second time
    #: (the trigram index costs 6 ms a search at a million). None otherwise.
    shown_ids: list | None = None


def tab_counts(found, tabs: dict, search: QueueSearch, shown: str) -> TabCounts:
    """Each tab's bounded count of the dossiers ``found``: tab by tab (``bounded_counts``), or,
    for a name search on PostgreSQL, in one pass that keeps the ``shown`` tab's matches
    (``counts_in_one_pass``). A tab whose states the filters leave out counts none, without a
    query, and shows none."""
    left_out = search.states_left_out()
    empty = {
        key
        for key, condition in tabs.items()
        if (states := admitted_states(condition)) is not None and states <= left_out
    }
    counted = {key: condition for key, condition in tabs.items() if key not in empty}
    zeros = dict.fromkeys(empty, 0)
    if search.searches_a_name() and connections[found.db].vendor == "postgresql":
        tallied = counts_in_one_pass(found, counted, shown)
        if tallied is not None:
            return TabCounts(
                {**zeros, **tallied.counts}, [] if shown in empty else tallied.shown_ids
            )
    counts = bounded_counts({key: found.filter(condition) for key, condition in counted.items()})
    return TabCounts({**zeros, **counts}, [] if shown in empty else None)


def counts_in_one_pass(found, tabs: dict, shown: str) -> TabCounts | None:
    """How many of ``found`` each tab holds, reading ``found`` once, and the ids of the
    ``shown`` tab's when they are at most ``KEPT_BOUND``; None when ``found`` holds more than
    ``MATCHED_BOUND`` dossiers.

    Counted tab by tab, a name search repeats its trigram index scan in every tab (5 to 12 ms
    each at a million dossiers); here the matches are read once, each marked with the tabs it
    belongs to, and the marks are summed."""
    marks = {
        f"in_tab_{index}": ExpressionWrapper(
            condition if condition else Value(True), output_field=BooleanField()
        )
        for index, condition in enumerate(tabs.values())
    }
    matched = found.order_by().annotate(**marks).values("pk", *marks)[: MATCHED_BOUND + 1]
    try:
        sql, params = matched.query.get_compiler(found.db).as_sql()
    except EmptyResultSet:
        return TabCounts(dict.fromkeys(tabs, 0), [])
    sums = ", ".join(f'COUNT(*) FILTER (WHERE matched."{mark}")' for mark in marks)
    shown_mark = f"in_tab_{list(tabs).index(shown)}" if shown in tabs else None
    kept = (
        f'(array_agg(matched."pk") FILTER (WHERE matched."{shown_mark}"))[1:{KEPT_BOUND + 1}]'
        if shown_mark
        else "NULL"
    )
    with connections[found.db].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), {kept}, {sums} FROM ({sql}) AS matched", params)
        total, shown_ids, *counts = cursor.fetchone()
    if total > MATCHED_BOUND:
        return None
    shown_ids = shown_ids or []
    return TabCounts(
        dict(zip(tabs, counts, strict=True)),
        shown_ids if shown_mark and len(shown_ids) <= KEPT_BOUND else None,
    )
