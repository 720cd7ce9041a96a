"""The demo's dossiers: an office's ordinary day, for a newcomer's first look (``load_demo``).

About forty dossiers across the catalogue's four services, at GUP Gitega and GUP Ngozi: most
finished long ago (collected, a few rejected and closed, one withdrawn), and some at every stage
of the work in hand (to check, awaiting payment, waiting for the citizen — one past its
answer-by day —, forwarded and not claimed, in review with two different officers, at a site
inspection, a public notice, an appointment, approved, ready for collection, overdue), a few
filed online by the demo citizen's account. Staff queues, the supervisors' page and the
citizen's pages therefore all have something to show.

**Only through the one door.** Each dossier lives its life step by step through
``workflows.actions.perform``, with the real events (``filed_at_counter``; ``draft_started``,
``draft_saved`` and ``submit`` online) taken by the demo staff and the demo citizen, so every
history row (and its hash chain), payment, receipt number, decision, scheduled step and
attachment is what the application itself writes. The steps of all dossiers are taken in the
order of their moments, so tracking and receipt numbers grow with time as they would.

**Backdating.** ``perform`` reads the time from ``django.utils.timezone.now``. While the
dossiers are written, and only then, ``backdated`` patches that function (``unittest.mock``)
with a clock set to each step's moment, together with the model fields whose default is
``timezone.now`` (Django keeps a reference to the function, which a patch of the module does not
reach: ``Dossier.created_at``, ``Attachment.uploaded_at``...). Ages, expected dates, answer-by
days, overdue flags and the supervisors' medians are therefore those of a real past.

**What the events owe.** No message is relayed to a queue (``outbox.relay`` does nothing while
loading): after each step, still at its moment, the loader runs what it owes with the outbox's
own job (``outbox.run``). Documents are numbered, sealed, rendered and stored as usual. SMS and
emails are composed in the applicant's language and handed to in-memory backends: recorded as
sent at their moment, but no file is written under ``var/sms/`` or ``var/mail/`` (some two
hundred messages nobody would read). What the newcomer does afterwards is sent as usual.

**Idempotent.** A counter dossier is known by its filing key, an online one by its resume
link's hash, both derived from the dossier's name in the scenario (``uuid5``): dossiers already
there are skipped, so running the loader twice creates nothing more. The resume links are
therefore guessable, like the demo accounts' password: the demo refuses to run without DEBUG.
"""

import contextlib
import datetime
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from unittest import mock

from django.apps import apps
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from gup.accounts.models import User
from services.models import Office, Service
from workflows import assignment, online, outbox
from workflows.actions import perform
from workflows.calendar import OFFICE_TIME_ZONE
from workflows.citizen_access import hash_token
from workflows.deadlines import add_working_days, is_working_day
from workflows.documents import kinds
from workflows.models import Dossier, OutboxMessage, OutboxState, PaymentMethod
from workflows.sample_data import FIRST_NAMES, LAST_NAMES, answers_for, inspected_file_for
from workflows.states import INSTITUTION_STEPS, DossierState

S = DossierState

#: The namespace of the demo's filing keys and resume tokens (``uuid5``).
NAMESPACE = uuid.UUID("6f1d2c3e-7a4b-5c6d-8e9f-0a1b2c3d4e5f")
#: The demo citizen's account (``load_demo``): they file online, and one counter dossier
#: carries their phone number, to be linked to their account once the phone is confirmed.
CITIZEN = "citizen"
CITIZEN_PHONE = "+25779123456"
CITIZEN_NATIONAL_ID = "0512/204.611"
CITIZEN_BIRTH_DATE = datetime.date(1988, 3, 14)
#: Who takes the office's steps at each office, the institution's at each institution.
CLERKS = {"GIT": ("clerk.gitega", "clerk2.gitega"), "NGO": ("clerk.ngozi",)}
OFFICERS = {
    "urbanism": ("officer.urbanism", "officer2.urbanism"),
    "migration": ("officer.migration",),
    "land-registry": ("officer.land",),
}
#: Steps the applicant takes: online, their account; at the counter, the clerk for them.
APPLICANT_STEPS = {"resubmit", "provide_information", "withdraw"}

COMMENTS = {
    "return_for_correction": "La copie de la carte d'identité est illisible : apportez une "
    "copie lisible des deux faces.",
    "resubmit": "Copie lisible apportée au guichet.",
    "request_information": "Précisez le nombre de pièces au rez-de-chaussée et joignez la "
    "façade principale du plan.",
    "provide_information": "Quatre pièces au rez-de-chaussée ; la façade est à la page 3.",
    "record_inspection": "Le terrain correspond aux plans ; les limites sont bornées.",
    "close_public_notice": "Aucune opposition reçue pendant l'affichage.",
    "approve": "Dossier complet et conforme.",
    "reject": "La parcelle se trouve dans une zone humide protégée : aucune construction "
    "n'y est autorisée.",
    "withdraw": "Le citoyen n'a plus besoin du document.",
    "record_attendance": "Empreintes et photo prises.",
}


# --- Time ---------------------------------------------------------------------------------------


class Clock:
    """The time the events see while the demo is written: each step's moment in turn."""

    def __init__(self):
        self.moment = timezone.now()

    def now(self) -> datetime.datetime:
        return self.moment


@contextlib.contextmanager
def backdated(clock: Clock) -> Iterator[Clock]:
    """``timezone.now()`` (and so ``localdate()``) answers ``clock.moment``, for the events and
    for the fields whose default is ``timezone.now``, until the block ends."""
    real_now = timezone.now
    with contextlib.ExitStack() as stack:
        for model in apps.get_models():
            for model_field in model._meta.concrete_fields:
                if model_field.default is real_now:
                    # Django calls the default through this cached attribute.
                    stack.enter_context(mock.patch.object(model_field, "_get_default", clock.now))
        stack.enter_context(mock.patch.object(timezone, "now", clock.now))
        yield clock


class Days:
    """Working days counted back from the last working day before today (``ago(0)``): every
    step of the demo happens before today, whatever the hour the loader runs at."""

    def __init__(self, today: datetime.date):
        day = today - datetime.timedelta(days=1)
        while not is_working_day(day):
            day -= datetime.timedelta(days=1)
        self.anchor = day
        self.today = today

    def ago(self, count: int) -> datetime.date:
        day = self.anchor
        for _ in range(count):
            day -= datetime.timedelta(days=1)
            while not is_working_day(day):
                day -= datetime.timedelta(days=1)
        return day

    def ahead(self, count: int) -> datetime.date:
        """A working day ``count`` working days after today (a visit still to come)."""
        return add_working_days(self.today, count)


def at(day: datetime.date, hhmm: str) -> datetime.datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime.datetime.combine(day, datetime.time(hours, minutes), tzinfo=OFFICE_TIME_ZONE)


def after_calendar_days(day: datetime.date, days: int) -> datetime.date:
    """The first working day at least ``days`` calendar days after ``day``."""
    day += datetime.timedelta(days=days)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


# --- The scenario -------------------------------------------------------------------------------


@dataclass
class Step:
    moment: datetime.datetime
    kind: str
    actor: str
    inputs: dict = field(default_factory=dict)


@dataclass
class Life:
    """One demo dossier: who files it where, and every later step at its moment."""

    name: str
    number: int
    service: str
    office: str
    clerk: str
    officer: str
    online: bool = False
    language: str = "rn"
    #: The demo citizen's number on a counter dossier: hers, not linked to her account yet.
    phone: str = ""
    #: Its events print their documents (receipts, letters, the permit). Off for the counter
    #: dossiers finished long ago: some hundred PDFs nobody opens would take the loader from
    #: seconds to half a minute.
    prints: bool = True
    steps: list[Step] = field(default_factory=list)

    @property
    def key(self) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, self.name)

    @property
    def token_hash(self) -> str:
        return hash_token(self.key.hex)

    @property
    def last(self) -> datetime.datetime:
        return self.steps[-1].moment

    def actor_of(self, kind: str) -> str:
        if kind in INSTITUTION_STEPS:
            return self.officer
        if self.online and kind in APPLICANT_STEPS | {"submit"}:
            return CITIZEN
        return self.clerk

    def step(self, kind: str, moment: datetime.datetime, *, by: str = "", **inputs) -> "Life":
        if self.steps and moment <= self.last:
            moment = self.last + datetime.timedelta(minutes=25)
        if kind in COMMENTS and "comment" not in inputs:
            inputs["comment"] = COMMENTS[kind]
        self.steps.append(Step(moment, kind, by or self.actor_of(kind), inputs))
        return self

    def then(self, kind: str, *, after: int = 1, hhmm: str = "10:30", **inputs) -> "Life":
        """``kind``, ``after`` working days after the previous step (0: the same day)."""
        day = add_working_days(self.last.date(), after) if after else self.last.date()
        return self.step(kind, at(day, hhmm), **inputs)

    def file(self, moment: datetime.datetime) -> "Life":
        if not self.online:
            return self.step("filed_at_counter", moment, by=self.clerk)
        self.step("draft_started", moment, by=CITIZEN)
        self.step(
            "draft_saved", moment + datetime.timedelta(minutes=4), by=CITIZEN, page="applicant"
        )
        self.step(
            "draft_saved", moment + datetime.timedelta(minutes=9), by=CITIZEN, page="questions"
        )
        self.step(
            "draft_saved", moment + datetime.timedelta(minutes=15), by=CITIZEN, page="documents"
        )
        return self.step("submit", moment + datetime.timedelta(minutes=18), by=CITIZEN)

    def visit(self, schedule: str, record: str, *, slot_day: datetime.date, **inputs) -> "Life":
        """A site inspection or appointment set now for ``slot_day``, recorded that day when
        ``record`` is given and the day is past."""
        slot = at(slot_day, "10:00")
        self.then(schedule, after=0, hhmm="14:00", scheduled_for=slot, **inputs)
        if record:
            self.step(record, slot + datetime.timedelta(hours=2))
        return self


SERVICES = {
    "laissez-passer": "migration",
    "passport": "migration",
    "building-permit": "urbanism",
    "land-title": "land-registry",
}
FEES = {"laissez-passer", "passport"}


def _life(name, number, service, office, *, clerk=0, officer=0, **extra) -> Life:
    institution = SERVICES[service]
    return Life(
        name=name,
        number=number,
        service=service,
        office=office,
        clerk=CLERKS[office][clerk % len(CLERKS[office])],
        officer=OFFICERS[institution][officer % len(OFFICERS[institution])],
        **extra,
    )


def _intake(life: Life, *, returned=False, after=1) -> Life:
    """From filing to forwarded: a return for correction if asked, the fee where there is one."""
    if returned:
        life.then("return_for_correction", after=0, hhmm="11:30")
        life.then("resubmit", after=2, hhmm="09:15")
        life.then("start_intake", after=0, hhmm="09:40")
    if life.service in FEES:
        life.then("request_payment", after=0, hhmm="11:50")
        life.then("record_payment", after=after, hhmm="09:20")
    return life.then("forward", after=0 if life.service in FEES else after, hhmm="15:00")


def _review(life: Life, *, asked=False) -> Life:
    """From claimed to decided-to-be: questions, the service's side steps."""
    life.then("receive", after=1, hhmm="08:45")
    if asked:
        life.then("request_information", after=1)
        life.then("provide_information", after=3, hhmm="10:10")
    if life.service in ("building-permit", "land-title"):
        slot_day = add_working_days(life.last.date(), 4)
        life.visit(
            "schedule_inspection",
            "record_inspection",
            slot_day=slot_day,
            place="Sur la parcelle",
            what_to_bring="Le titre de propriété original",
        )
    if life.service == "land-title":
        life.then("open_public_notice", after=1, hhmm="09:00")
        life.step("close_public_notice", at(after_calendar_days(life.last.date(), 31), "09:30"))
    if life.service == "passport":
        life.visit(
            "give_appointment",
            "record_attendance",
            slot_day=add_working_days(life.last.date(), 3),
            place="GUP, guichet 2",
            what_to_bring="La carte nationale d'identité originale",
        )
    return life


def _collected(life: Life) -> Life:
    life.then("approve", after=2, hhmm="11:00")
    life.then("issue", after=1, hhmm="09:30")
    life.then("dispatch", after=0, hhmm="15:30")
    return life.then("hand_over", after=2, hhmm="10:20")


def finished_lives(days: Days, first_number: int) -> list[Life]:
    """Dossiers finished long ago, filed between some 35 and 200 working days back: most
    collected, some rejected and closed, one withdrawn; two filed online by the demo citizen."""
    services = ("laissez-passer", "building-permit", "passport", "laissez-passer", "land-title")
    lives = []
    for index in range(24):
        service = services[index % len(services)]
        office = "NGO" if index % 3 == 2 else "GIT"
        online_filed = index in (3, 12)
        life = _life(
            f"finished-{index:02d}",
            first_number + index,
            service,
            office,
            clerk=index,
            officer=index // 2,
            online=online_filed,
            language=("rn", "fr", "rn", "en")[index % 4],
            prints=online_filed,
        )
        # The land titles (the longest) are the oldest; the others spread over eight months.
        back = 150 + index * 2 if service == "land-title" else 35 + index * 7
        life.file(at(days.ago(back), ("08:20", "09:45", "11:10", "14:05")[index % 4]))
        if online_filed:
            life.then("start_intake", after=1, hhmm="08:30")
        if index == 7:
            life.then("withdraw", after=1)
            lives.append(life)
            continue
        _intake(life, returned=index % 6 == 1)
        _review(life, asked=index % 5 == 3)
        if index in (6, 17):
            life.then("reject", after=2)
            life.then("notify_rejection", after=1, hhmm="09:00")
        else:
            _collected(life)
        lives.append(life)
    return lives


def work_in_hand(days: Days, first: int) -> list[Life]:
    """The dossiers on their way today, one or more at every stage a newcomer should see."""
    ago, lives = days.ago, []

    def new(name, service, office, **extra) -> Life:
        life = _life(name, first + len(lives), service, office, **extra)
        lives.append(life)
        return life

    # At the office: to check, awaiting payment, returned.
    new("to-check-laissez-passer", "laissez-passer", "GIT").file(at(ago(0), "09:10"))
    new("to-check-building-permit", "building-permit", "GIT", clerk=1).file(at(ago(0), "10:40"))
    new("to-check-online-passport", "passport", "GIT", online=True, language="fr").file(
        at(ago(1), "19:30")
    )
    new("awaiting-payment", "passport", "GIT", clerk=1).file(at(ago(2), "10:05")).then(
        "request_payment", after=0, hhmm="10:30"
    )
    new("returned-for-correction", "land-title", "GIT").file(at(ago(4), "14:20")).then(
        "return_for_correction", after=1
    )
    # At the institution: forwarded and nobody claimed it yet (one of them overdue).
    _intake(new("forwarded-building-permit", "building-permit", "GIT").file(at(ago(2), "09:00")))
    _intake(new("forwarded-overdue", "laissez-passer", "NGO").file(at(ago(9), "08:50")))
    # In review, with two different officers; one given by the supervisor; one overdue.
    _intake(new("in-review", "building-permit", "GIT").file(at(ago(8), "11:00"))).then(
        "receive", after=1, hhmm="08:40"
    )
    _intake(new("assigned", "building-permit", "NGO").file(at(ago(7), "13:00"))).then(
        "assign", after=1, hhmm="09:05", by="supervisor.urbanism", assignee="officer2.urbanism"
    )
    _intake(
        new("in-review-overdue", "building-permit", "GIT", officer=1).file(at(ago(48), "10:00"))
    ).then("receive", after=2)
    # Waiting for the citizen: asked by the institution, one past its answer-by day.
    _intake(new("no-answer", "building-permit", "NGO").file(at(ago(32), "09:30"))).then(
        "receive", after=1
    ).then("request_information", after=2)
    _intake(
        new("question-online", "laissez-passer", "GIT", online=True, language="fr")
        .file(at(ago(5), "20:10"))
        .then("start_intake", after=1, hhmm="08:15")
    ).then("receive", after=1, hhmm="08:30").then(
        "request_information",
        after=0,
        hhmm="09:00",
        comment="Quel poste-frontière utiliserez-vous, et pour combien de jours ?",
    )
    # The side steps: a site inspection to come, a public notice running, an appointment.
    life = _intake(new("inspection", "building-permit", "GIT", clerk=1).file(at(ago(9), "10:00")))
    life.then("receive", after=1).visit(
        "schedule_inspection", "", slot_day=days.ahead(2), place="Sur la parcelle"
    )
    life = _intake(new("public-notice", "land-title", "GIT").file(at(ago(14), "09:00")))
    life.then("receive", after=1)
    life.visit(
        "schedule_inspection",
        "record_inspection",
        slot_day=add_working_days(life.last.date(), 3),
        place="Sur la parcelle",
    )
    life.then("open_public_notice", after=1, hhmm="09:00")
    life = _intake(new("appointment", "passport", "NGO").file(at(ago(6), "09:20")))
    life.then("receive", after=1).visit(
        "give_appointment",
        "",
        slot_day=days.ahead(3),
        place="GUP Ngozi, guichet 2",
        what_to_bring="La carte nationale d'identité originale",
    )
    # Decided: approved and to issue; ready for collection at the office.
    _review(_intake(new("approved", "passport", "GIT").file(at(ago(16), "08:30")))).then(
        "approve", after=1
    )
    ready = new("ready-citizen-phone", "laissez-passer", "GIT", phone=CITIZEN_PHONE)
    _review(_intake(ready.file(at(ago(6), "09:00")))).then("approve", after=1).then(
        "issue", after=0, hhmm="14:00"
    ).then("dispatch", after=0, hhmm="15:30")
    life = _review(
        _intake(new("ready-building-permit", "building-permit", "NGO").file(at(ago(25), "10:00")))
    )
    life.then("approve", after=1).then("issue", after=1).then("dispatch", after=0, hhmm="15:00")
    # Online, still a draft: the demo citizen has not finished it.
    draft = new("draft-online", "building-permit", "GIT", online=True)
    draft.step("draft_started", at(ago(0), "18:30"), by=CITIZEN)
    draft.step("draft_saved", at(ago(0), "18:34"), by=CITIZEN, page="applicant")
    return lives


def scenario(today: datetime.date) -> list[Life]:
    days = Days(today)
    finished = finished_lives(days, 1)
    return finished + work_in_hand(days, len(finished) + 1)


# --- Writing it ---------------------------------------------------------------------------------


class DemoNotWritten(RuntimeError):
    """A step of the scenario was refused, or what it owed did not go out: a bug to fix here."""


@dataclass
class Loaded:
    created: list[Dossier]
    skipped: int


def load(today: datetime.date | None = None) -> Loaded:
    """Write the scenario's dossiers that are not there yet; return those created."""
    today = today or timezone.localdate()
    lives = scenario(today)
    existing_keys = set(
        Dossier.objects.filter(filing_key__in=[life.key for life in lives]).values_list(
            "filing_key", flat=True
        )
    )
    existing_tokens = set(
        Dossier.objects.filter(
            resume_token_hash__in=[life.token_hash for life in lives]
        ).values_list("resume_token_hash", flat=True)
    )
    to_write = [
        life
        for life in lives
        if (
            life.token_hash not in existing_tokens if life.online else life.key not in existing_keys
        )
    ]
    if not to_write:
        return Loaded([], len(lives))
    writer = _Writer(to_write)
    timeline = sorted(
        (
            (step.moment, index, position)
            for index, life in enumerate(to_write)
            for position, step in enumerate(life.steps)
        ),
    )
    clock = Clock()
    with (
        backdated(clock),
        _sent_nowhere(),
        mock.patch.object(outbox, "relay", lambda ids: 0),
        transaction.atomic(),
    ):
        for moment, index, position in timeline:
            clock.moment = moment
            writer.take(to_write[index], to_write[index].steps[position])
    created = list(
        Dossier.objects.filter(pk__in=writer.ids.values())
        .select_related("service", "office", "clerk", "officer")
        .order_by("pk")
    )
    return Loaded(created, len(lives) - len(to_write))


@contextlib.contextmanager
def _sent_nowhere():
    """SMS and emails composed and recorded as sent, into memory; their log lines quiet."""
    loggers = [logging.getLogger(name) for name in ("gup", "workflows")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        with override_settings(
            GUP_SMS_BACKEND="gup.sms.backends.locmem.LocMemBackend",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ):
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class _Writer:
    """Takes each step through ``perform`` as its actor, then runs what the step owes."""

    def __init__(self, lives: list[Life]):
        names = {step.actor for life in lives for step in life.steps} | {CITIZEN}
        names |= {
            step.inputs["assignee"]
            for life in lives
            for step in life.steps
            if "assignee" in step.inputs
        }
        self.users = {user.username: user for user in User.objects.filter(username__in=names)}
        missing = names - set(self.users)
        if missing:
            raise DemoNotWritten(f"Demo accounts missing: {', '.join(sorted(missing))}")
        self.services = {
            service.code: service
            for service in Service.objects.prefetch_related("fields", "documents")
        }
        self.offices = {office.code: office for office in Office.objects.select_related("province")}
        self.ids: dict[str, int] = {}

    def take(self, life: Life, step: Step) -> None:
        try:
            with self._printing(life):
                dossier_id = self._perform(life, step)
                self._carry_out(dossier_id)
        except Exception as error:
            raise DemoNotWritten(
                f"{life.name}: {step.kind} by {step.actor} at {step.moment:%Y-%m-%d %H:%M} was "
                f"refused: {error!r} {getattr(error, 'details', '')}"
            ) from error
        self.ids[life.name] = dossier_id

    @staticmethod
    def _printing(life: Life):
        """Nothing printed for the dossiers that print nothing (``Life.prints``), and so
        nothing owed that a worker would print later, at the wrong date."""
        if life.prints:
            return contextlib.nullcontext()
        return mock.patch.object(kinds, "printed_by", lambda event_name, service: [])

    def _perform(self, life: Life, step: Step) -> int:
        actor = self.users[step.actor]
        if step.kind in ("filed_at_counter", "draft_started"):
            return perform(None, step.kind, actor, **self._filing(life, step.kind)).pk
        inputs = dict(step.inputs)
        comment = inputs.pop("comment", "")
        dossier = Dossier.objects.select_related("service").get(pk=self.ids[life.name])
        inputs = self._inputs(life, step, dossier, inputs)
        if inputs.get("page") == "questions":
            self._save_questions(life, dossier, actor)
            return dossier.pk
        perform(
            dossier.pk,
            step.kind,
            actor,
            comment=comment,
            expected_state=dossier.state,
            **inputs,
        )
        return dossier.pk

    def _applicant(self, life: Life) -> dict:
        office = self.offices[life.office]
        n = life.number
        commune = office.commune or office.province.communes.first()
        if life.online or life.phone == CITIZEN_PHONE:
            # The demo citizen herself: online from her account, or once at the counter.
            citizen = self.users[CITIZEN]
            return {
                "applicant_first_name": citizen.first_name,
                "applicant_last_name": citizen.last_name,
                "applicant_national_id": CITIZEN_NATIONAL_ID,
                "applicant_birth_date": CITIZEN_BIRTH_DATE,
                "applicant_phone": CITIZEN_PHONE,
                "applicant_email": citizen.email if life.online else "",
                "applicant_commune": commune,
                "language": life.language,
            }
        return {
            "applicant_first_name": FIRST_NAMES[n % len(FIRST_NAMES)],
            "applicant_last_name": LAST_NAMES[(n * 7) % len(LAST_NAMES)],
            "applicant_national_id": f"{1000 + (n * 389) % 9000:04d}/{n:03d}.{n * 53 % 1000:03d}",
            "applicant_birth_date": datetime.date(1960 + (n * 3) % 45, 1 + n % 12, 1 + n % 27),
            "applicant_phone": f"+257{('79', '71', '68', '61')[n % 4]}{400000 + n * 1237:06d}",
            "applicant_email": "",
            "applicant_commune": commune,
            "language": life.language,
        }

    def _filing(self, life: Life, kind: str) -> dict:
        service, office = self.services[life.service], self.offices[life.office]
        if kind == "draft_started":
            return {
                "service": service,
                "office": office,
                "language": life.language,
                "token_hash": life.token_hash,
            }
        return {
            "filing_key": life.key,
            "service": service,
            "applicant": self._applicant(life),
            "answers": answers_for(service, life.number, timezone.localdate()),
            "documents": _documents(service),
        }

    def _inputs(self, life: Life, step: Step, dossier: Dossier, inputs: dict) -> dict:
        service = self.services[life.service]
        if step.kind == "draft_saved":
            page = inputs.pop("page")
            if page == "applicant":
                return {"page": online.APPLICANT, "applicant": self._applicant(life)}
            if page == "documents":
                return {"page": online.DOCUMENTS, "documents": _documents(service)}
            return {"page": page}
        if step.kind == "record_payment":
            return {**_payment(life), "amount_bif": dossier.amount_due()}
        if step.kind == "hand_over":
            return {"collector": "applicant", "national_id": dossier.applicant_national_id}
        if step.kind == "assign":
            return {"assignee": self.users[inputs["assignee"]]}
        return inputs

    def _save_questions(self, life: Life, dossier: Dossier, actor) -> None:
        """The service's questions, page after page, as the online form saves them."""
        service = self.services[life.service]
        answers = answers_for(service, life.number, timezone.localdate())
        for number, page in enumerate(online.question_pages(service), start=1):
            codes = [spec.code for spec in page]
            perform(
                dossier.pk,
                "draft_saved",
                actor,
                page=online.question_step(number),
                answers={code: answers[code] for code in codes if code in answers},
                codes=codes,
            )

    def _carry_out(self, dossier_id: int) -> None:
        """Run what the step owes, at its moment, as a worker would: documents, SMS, emails."""
        for _round in range(5):
            owed = list(
                OutboxMessage.objects.filter(
                    dossier_id=dossier_id, status=OutboxState.PENDING
                ).values_list("pk", flat=True)
            )
            if not owed:
                return
            for message_id in owed:
                outbox.run(message_id)
        raise DemoNotWritten(f"Dossier {dossier_id}: messages keep being owed.")


def _payment(life: Life) -> dict:
    if life.number % 3:
        return {"method": PaymentMethod.LUMICASH, "reference": f"LCDEMO{life.key.hex[:10].upper()}"}
    return {"method": PaymentMethod.CASH, "reference": ""}


def _documents(service: Service) -> dict:
    """Every document the service asks for, as a tiny file of a type it accepts."""
    return {
        document: inspected_file_for(document)
        for document in service.documents.all()
        if document.mandatory
    }


# --- What the command prints --------------------------------------------------------------------


def holder(dossier: Dossier) -> str:
    """Who holds the dossier now: the institution's officer while it is there, else the clerk;
    nobody once it is finished."""
    for side in (assignment.INSTITUTION, assignment.OFFICE):
        if dossier.state in side.states:
            person = assignment.holder(dossier, side)
            return person.username if person else ""
    return ""
