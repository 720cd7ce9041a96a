"""Dossiers spread like real ones, with their history, attachments, payments and clocks.

An office that has run for years: most dossiers were collected long ago, about a quarter are
open, a few are drafts, withdrawn or expired. Offices weigh by the population they serve,
services by demand. Each dossier's history walks the real state graph (the transitions declared
in ``workflows.states``; a step the graph does not allow stops the generator), and each row is
hashed and chained by ``workflows.history_hash`` as ``HistoryEntry.objects.append`` would, so
``manage.py verify_history`` passes. Tracking numbers, receipt numbers and their counters move
on together, so the next real filing takes the next number.

Rows are written with COPY (``workflows.scale.copy``), in batches of one transaction each.
A dossier that went through approval or rejection has its ``Decision``, taken by the officer
and at the time of that step, as ``perform`` would have written it. Issued documents are not
generated (their PDFs and seals are out of scope).
"""

import datetime
import hashlib
import random
import types
from collections import Counter
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from gup.accounts.models import User
from gup.roles import Role
from services.models import Commune, Office, Service
from workflows import history_hash
from workflows.actors import Actor
from workflows.models import (
    Attachment,
    ClockSuspension,
    Decision,
    DocumentCounter,
    Dossier,
    HistoryEntry,
    HistoryHead,
    Outcome,
    Payment,
    TrackingCounter,
)
from workflows.sample_data import route_to_decision
from workflows.scale.copy import Copier, reserve_ids
from workflows.scale.names import NameDrawer
from workflows.states import INSTITUTION_STEPS, WAITING_FOR_CITIZEN_STATES
from workflows.states import DossierState as S
from workflows.tracking import format_tracking_number
from workflows.working_days import working_days_to_decide

#: Offices by the population of the provinces they serve (relative); unknown codes weigh 1.
OFFICE_WEIGHTS = {
    "NGO": 2.0,
    "KAY": 1.5,
    "MUY": 1.1,
    "GIT": 1.8,
    "MWA": 0.6,
    "BRR": 0.5,
    "MAK": 0.9,
    "RUT": 0.6,
    "CIB": 0.9,
}
#: Services by demand: travel documents far ahead of permits and titles.
SERVICE_WEIGHTS = {"laissez-passer": 45, "passport": 30, "land-title": 15, "building-permit": 10}
#: Where dossiers stand, in percent: about 62% collected, a quarter open.
STATE_WEIGHTS = {
    S.COLLECTED: 62.0,
    S.CLOSED: 3.0,
    S.WITHDRAWN: 2.0,
    S.EXPIRED: 4.0,
    S.DRAFT: 1.5,
    S.SUBMITTED: 2.0,
    S.INTAKE: 3.0,
    S.RETURNED: 1.5,
    S.AWAITING_PAYMENT: 2.0,
    S.FORWARDED: 3.0,
    S.IN_REVIEW: 5.0,
    S.INFORMATION_REQUESTED: 1.5,
    S.INSPECTION: 1.5,
    S.PUBLIC_NOTICE: 1.0,
    S.APPOINTMENT: 1.0,
    S.APPROVED: 1.0,
    S.ISSUED: 0.5,
    S.READY_FOR_COLLECTION: 2.5,
    S.REJECTED: 1.0,
}
OPEN_STATES = {
    s for s in STATE_WEIGHTS if s not in (S.COLLECTED, S.CLOSED, S.WITHDRAWN, S.EXPIRED, S.DRAFT)
}
HISTORY_YEARS = 10
LANGUAGES = (["fr"] * 50) + (["rn"] * 45) + (["en"] * 5)
METHODS = ["cash"] * 6 + ["lumicash"] * 2 + ["ecocash", "bank"]
STAFF_PER_SIDE = 3
#: The deciding steps (``workflows.events.review``) and the outcome each records.
OUTCOMES = {"approve": Outcome.APPROVED, "reject": Outcome.REJECTED}
#: What the steps that require a comment say (requests, reasons).
COMMENTS = {
    "return_for_correction": "Please bring a legible copy of your national ID card.",
    "request_information": "Please send the plot's survey plan.",
    "approve": "The application is complete and compliant.",
    "reject": "The plot is in a zone where building is not allowed.",
}


def national_id(rng) -> str:
    return f"{rng.randint(1, 9999):04d}/{rng.randint(0, 999):03d}.{rng.randint(0, 999):03d}"


def graph() -> dict[str, dict[str, str]]:
    """The transitions of ``workflows.states``: name → {source state: target state}."""
    steps: dict[str, dict[str, str]] = {}
    for t in Dossier._meta.get_field("state").get_all_transitions(Dossier):
        steps.setdefault(t.name, {})[t.source] = t.target
    return steps


@dataclass
class Step:
    name: str
    from_state: str
    to_state: str
    at: datetime.datetime


@dataclass
class Rows:
    """A batch's rows, table by table, as ``Copier.write`` takes them."""

    dossiers: list = field(default_factory=list)
    entries: list = field(default_factory=list)
    heads: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    suspensions: list = field(default_factory=list)
    decisions: list = field(default_factory=list)


@dataclass
class Plan:
    """One dossier before it is written: its outcome, its path and the times of its steps."""

    dossier: dict
    steps: list[Step] = field(default_factory=list)


class Generator:
    def __init__(
        self,
        seed: int = 2026,
        now: datetime.datetime | None = None,
        stdout=None,
        office_codes: list[str] | None = None,
    ):
        self.office_codes = office_codes
        self.rng = random.Random(seed)
        self.names = NameDrawer(self.rng)
        self.now = (now or timezone.now()).replace(microsecond=0)
        self.graph = graph()
        self.stdout = stdout
        self.created = Counter()

    # --- Set-up -------------------------------------------------------------------------------

    def prepare(self):
        if not Service.objects.exists():
            call_command("loaddata", "geography", "catalogue", verbosity=0)
        offices = Office.objects.filter(is_active=True).select_related("province")
        if self.office_codes:
            offices = offices.filter(code__in=self.office_codes)
        self.offices = list(offices)
        if not self.offices:
            raise ValueError("No active office to file at: check the office codes.")
        self.services = list(
            Service.objects.filter(is_active=True).prefetch_related("documents", "routing_rules")
        )
        self.office_weights = [OFFICE_WEIGHTS.get(o.code, 1.0) for o in self.offices]
        self.service_weights = [SERVICE_WEIGHTS.get(s.code, 1.0) for s in self.services]
        self.states = list(STATE_WEIGHTS)
        self.state_weights = list(STATE_WEIGHTS.values())
        communes = list(Commune.objects.all())
        self.communes = {
            o.pk: [c.pk for c in communes if c.province_id == o.province_id]
            or [c.pk for c in communes]
            for o in self.offices
        }
        self.institution = {}
        for s in self.services:
            rule = s.routing_rules.all()[0] if s.routing_rules.all() else None
            self.institution[s.pk] = rule.institution_id if rule else None
        self.mandatory = {
            s.pk: [d.pk for d in s.documents.all() if d.mandatory] for s in self.services
        }
        self.clerks = {
            o.pk: self._staff(Role.CLERK, o.code.lower(), office=o) for o in self.offices
        }
        for o in self.offices:
            self._staff(Role.OFFICE_SUPERVISOR, o.code.lower(), office=o, count=1)
        institutions = {
            s.routing_rules.all()[0].institution for s in self.services if s.routing_rules.all()
        }
        self.officers = {
            i.pk: self._staff(Role.OFFICER, i.code, institution=i) for i in institutions
        }
        for i in institutions:
            self._staff(Role.MINISTRY_SUPERVISOR, i.code, institution=i, count=1)
        User.objects.get_or_create(username="scale-auditor", defaults={"role": Role.AUDITOR})
        self.tracking = {(c.office_id, c.year): c.last_value for c in TrackingCounter.objects.all()}
        self.receipts = {
            (c.office_id, c.year): c.last_value for c in DocumentCounter.objects.filter(series="R")
        }

    def _staff(self, role, where, count=STAFF_PER_SIDE, **place):
        people = []
        for n in range(1, count + 1):
            user, created = User.objects.get_or_create(
                username=f"scale-{role}-{where}-{n}",
                defaults={
                    "role": role,
                    "first_name": self.names.first_name(),
                    "last_name": self.names.surname(),
                    **place,
                },
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            people.append(Actor.for_user(user))
        return people

    # --- Planning one dossier -----------------------------------------------------------------

    def path(self, service, target) -> list[str]:
        """The transitions from draft to ``target`` for this service, optional loops included."""
        rng = self.rng
        if target == S.DRAFT:
            return []
        if target == S.EXPIRED:
            return ["expire"]
        steps = ["submit", "start_intake"]
        if target == S.RETURNED or rng.random() < 0.12:
            steps += ["return_for_correction", "resubmit", "start_intake"]
        asks = target == S.INFORMATION_REQUESTED or rng.random() < 0.08
        steps += route_to_decision(service, asks_for_information=asks)
        if target in (S.REJECTED, S.CLOSED):
            return steps + ["reject"] + (["notify_rejection"] if target == S.CLOSED else [])
        steps += ["approve", "issue", "dispatch", "hand_over"]
        if target == S.WITHDRAWN:
            undecided = [
                i
                for i, n in enumerate(steps)
                if n in ("submit", "start_intake", "forward", "receive")
            ]
            return steps[: rng.choice(undecided) + 1] + ["withdraw"]
        if target == S.COLLECTED:
            return steps
        # An open state: the path up to the first time it is reached.
        state, walked = S.DRAFT, []
        for name in steps:
            state = self.graph[name][state]
            walked.append(name)
            if state == target:
                return walked
        return None  # this service never passes through that state

    def plan(self) -> Plan:
        rng = self.rng
        office_index = rng.choices(range(len(self.offices)), self.office_weights)[0]
        office = self.offices[office_index]
        while True:
            service = rng.choices(self.services, self.service_weights)[0]
            target = rng.choices(self.states, self.state_weights)[0]
            names = self.path(service, target)
            if names is not None:
                break
        # Open dossiers are recent; finished ones spread over the years the office has run.
        if target in OPEN_STATES:
            age = min(rng.expovariate(1 / 25), 400)
        elif target == S.DRAFT:
            age = rng.uniform(0, 20)
        else:
            age = rng.uniform(30, 365 * HISTORY_YEARS)
        start = self.now - datetime.timedelta(days=age, seconds=rng.randint(0, 86400))
        gaps = [rng.uniform(0.05, 4.0) for _ in names]
        span = (self.now - start).total_seconds() / 86400
        if sum(gaps) > span:
            gaps = [g * span / (sum(gaps) * 1.01) for g in gaps]
        steps, state, at = [], S.DRAFT, start
        for name, gap in zip(names, gaps, strict=True):
            at = at + datetime.timedelta(days=gap)
            nxt = self.graph[name].get(state) or self.graph[name].get("*")
            if nxt is None:
                raise RuntimeError(f"{name} cannot be taken from {state}: the graph changed.")
            steps.append(Step(name, state, nxt, at.replace(microsecond=0)))
            state = nxt
        first, last = self.names.first_name(), self.names.surname()
        filed = target not in (S.DRAFT, S.EXPIRED)
        d = {
            "state": state,
            "service": service,
            "office": office,
            "channel": "online" if rng.random() < 0.2 else "counter",
            "language": rng.choice(LANGUAGES),
            "applicant_first_name": first if filed or rng.random() < 0.5 else "",
            "applicant_last_name": last if filed or rng.random() < 0.5 else "",
            "applicant_national_id": national_id(rng) if filed else "",
            "applicant_birth_date": datetime.date(
                rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)
            )
            if filed
            else None,
            "applicant_phone": f"+2577{rng.randint(0, 9999999):07d}" if filed else "",
            "applicant_commune_id": rng.choice(self.communes[office.pk]) if filed else None,
            "created_at": start,
        }
        return Plan(dossier=d, steps=steps)

    # --- Writing a batch ----------------------------------------------------------------------

    def write_batch(self, count: int):
        plans = [self.plan() for _ in range(count)]
        ids = reserve_ids(Dossier, count)
        rows = Rows()
        for pk, plan in zip(ids, plans, strict=True):
            self._rows(pk, plan, rows)
        with transaction.atomic():
            Copier(Dossier, with_id=True).write(rows.dossiers)
            Copier(HistoryEntry).write(rows.entries)
            Copier(HistoryHead, with_id=True).write(rows.heads)
            Copier(Attachment).write(rows.attachments)
            Copier(Payment).write(rows.payments)
            Copier(ClockSuspension).write(rows.suspensions)
            Copier(Decision).write(rows.decisions)
            self._save_counters()
        self.created.update(
            dossiers=len(rows.dossiers),
            history=len(rows.entries),
            attachments=len(rows.attachments),
            payments=len(rows.payments),
            suspensions=len(rows.suspensions),
            decisions=len(rows.decisions),
        )

    def _rows(self, pk, plan, rows: Rows):
        rng = self.rng
        payments, suspensions = rows.payments, rows.suspensions
        d = dict(plan.dossier)
        service, office = d.pop("service"), d.pop("office")
        d.update(
            id=pk,
            service_id=service.pk,
            office_id=office.pk,
            answers={},
            updated_at=plan.steps[-1].at if plan.steps else d["created_at"],
        )
        clerk = rng.choice(self.clerks[office.pk])
        institution_id = self.institution[service.pk]
        officer = (
            rng.choice(self.officers[institution_id]) if institution_id in self.officers else clerk
        )
        citizen = Actor.resume_link(
            pk, f"{d['applicant_first_name']} {d['applicant_last_name']}".strip()
        )
        counter_filing = d["channel"] == "counter"
        if counter_filing:
            d["created_by_id"] = clerk.user_id
        previous_hash, position, paused = "", 0, None
        for step in plan.steps:
            details = {}
            if step.name == "submit":
                year = step.at.year
                key = (office.pk, year)
                self.tracking[key] = self.tracking.get(key, 0) + 1
                d["tracking_number"] = format_tracking_number(office.code, year, self.tracking[key])
                d["submitted_at"] = step.at
                d["target_working_days"] = service.target_working_days
                d["due_date"] = (
                    step.at + datetime.timedelta(days=service.target_working_days * 7 // 5)
                ).date()
                actor = clerk if counter_filing else citizen
            elif step.name == "start_intake":
                d["clerk_id"] = clerk.user_id
                actor = clerk
            elif step.name == "record_payment":
                year = step.at.year
                key = (office.pk, year)
                self.receipts[key] = self.receipts.get(key, 0) + 1
                receipt = f"{office.code}-{year:04d}-R{self.receipts[key]:06d}"
                method = rng.choice(METHODS)
                payments.append(
                    {
                        "dossier_id": pk,
                        "amount_bif": service.fee_bif,
                        "method": method,
                        "reference": "" if method == "cash" else f"SC{pk}-{len(payments)}",
                        "recorded_by_id": clerk.user_id,
                        "recorded_at": step.at,
                        "receipt_number": receipt,
                        "reversal_reason": "",
                    }
                )
                details = {
                    "amount_bif": service.fee_bif,
                    "method": method,
                    "reference": payments[-1]["reference"],
                    "receipt_number": receipt,
                }
                actor = clerk
            elif step.name == "forward":
                d["institution_id"] = institution_id
                d["forwarded_at"] = step.at
                actor = clerk
            elif step.name == "receive":
                d["officer_id"] = officer.user_id
                actor = officer
            elif step.name in ("resubmit", "provide_information", "withdraw"):
                actor = citizen
            elif step.name == "expire":
                actor = Actor.system()
            elif step.name in INSTITUTION_STEPS:
                actor = officer
                if step.name in OUTCOMES:
                    rows.decisions.append(
                        {
                            "dossier_id": pk,
                            "outcome": OUTCOMES[step.name],
                            "reasons": COMMENTS[step.name],
                            "decided_by_id": officer.user_id,
                            "decided_by_name": officer.display_name[:300],
                            "decided_at": step.at,
                            "institution_id": d["institution_id"],
                            "service_id": service.pk,
                            "working_days": working_days_to_decide(d.get("forwarded_at"), step.at),
                        }
                    )
            else:
                actor = clerk
            comment = COMMENTS.get(step.name, "")
            if step.name in ("return_for_correction", "request_information"):
                details = {"answer_by": (step.at + datetime.timedelta(days=14)).date().isoformat()}
            if paused is not None:
                suspensions.append(
                    {
                        "dossier_id": pk,
                        "waiting_state": paused[0],
                        "paused_at": paused[1],
                        "resumed_at": step.at,
                        "moved_by": rng.randint(0, 5),
                    }
                )
                paused = None
            if step.to_state in WAITING_FOR_CITIZEN_STATES:
                paused = (step.to_state, step.at)
            position += 1
            entry = types.SimpleNamespace(
                dossier_id=pk,
                position=position,
                kind=step.name,
                from_state=step.from_state,
                to_state=step.to_state,
                actor_kind=actor.kind,
                actor_user_id=actor.user_id,
                actor_reference=actor.reference,
                actor_role=actor.role,
                actor_name=actor.display_name[:300],
                comment=comment,
                details=details,
                is_public=step.name not in ("start_intake",),
                at=step.at,
                version=history_hash.CURRENT_VERSION,
                previous_hash=previous_hash,
            )
            entry.hash = history_hash.compute_hash(entry)
            previous_hash = entry.hash
            rows.entries.append(vars(entry))
        if paused is not None:
            suspensions.append(
                {"dossier_id": pk, "waiting_state": paused[0], "paused_at": paused[1]}
            )
            d["clock_paused_at"] = paused[1]
            if d["state"] in (S.RETURNED, S.INFORMATION_REQUESTED):
                d["citizen_request"] = COMMENTS[plan.steps[-1].name]
                d["answer_by"] = (paused[1] + datetime.timedelta(days=14)).date()
        if d["state"] == S.DRAFT and d["channel"] == "online":
            d["current_step"] = "applicant"
        rows.heads.append({"dossier_id": pk, "position": position, "hash": previous_hash})
        if d.get("submitted_at"):
            for document_id in self.mandatory[service.pk]:
                rows.attachments.append(
                    {
                        "dossier_id": pk,
                        "document_id": document_id,
                        "original_name": "scan.pdf",
                        "content_type": "application/pdf",
                        "size": rng.randint(40_000, 2_000_000),
                        "sha256": hashlib.sha256(f"{pk}-{document_id}".encode()).hexdigest(),
                        "uploaded_by_id": clerk.user_id if counter_filing else None,
                        "uploaded_at": d["submitted_at"],
                    }
                )
        rows.dossiers.append(d)

    def _save_counters(self):
        with connection.cursor() as cursor:
            mine = {o.pk for o in self.offices}
            for (office_id, year), value in self.tracking.items():
                if office_id not in mine:
                    continue
                cursor.execute(
                    f"INSERT INTO {TrackingCounter._meta.db_table} (office_id, year, last_value) "
                    "VALUES (%s, %s, %s) ON CONFLICT (office_id, year) "
                    "DO UPDATE SET last_value = GREATEST(EXCLUDED.last_value, "
                    f"{TrackingCounter._meta.db_table}.last_value)",
                    [office_id, year, value],
                )
            for (office_id, year), value in self.receipts.items():
                if office_id not in mine:
                    continue
                cursor.execute(
                    f"INSERT INTO {DocumentCounter._meta.db_table} "
                    "(office_id, year, series, last_value) "
                    "VALUES (%s, %s, 'R', %s) ON CONFLICT (office_id, year, series) "
                    "DO UPDATE SET last_value = GREATEST(EXCLUDED.last_value, "
                    f"{DocumentCounter._meta.db_table}.last_value)",
                    [office_id, year, value],
                )

    def run(self, count: int, batch_size: int = 10_000):
        self.prepare()
        done = 0
        while done < count:
            size = min(batch_size, count - done)
            self.write_batch(size)
            done += size
            if self.stdout:
                self.stdout.write(f"{done:,} / {count:,}")
        analyse()
        return self.created


def analyse():
    tables = [
        m._meta.db_table
        for m in (
            Dossier,
            HistoryEntry,
            HistoryHead,
            Attachment,
            Payment,
            ClockSuspension,
            Decision,
        )
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f'VACUUM ANALYZE "{table}"'
                if not connection.in_atomic_block
                else f'ANALYZE "{table}"'
            )
