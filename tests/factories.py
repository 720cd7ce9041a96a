"""Factories for the catalogue, people and dossiers.

A dossier's state is protected: nothing may assign it. ``DossierFactory(state=...)`` (or one of
its state traits, ``DossierFactory(in_review=True)``) therefore files a dossier and walks it to
that state through ``workflows.actions.perform``, as the people who may take each step, along the
shortest legal path. The dossier ends up with the history, payments, tracking number and dates a
real one would have, and a factory can never build a dossier the lifecycle could not reach.
"""

import contextlib
import datetime
import io
import uuid
from unittest import mock

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from PIL import Image

from gup.accounts.models import User
from gup.roles import Role
from services.models import (
    Commune,
    FieldKind,
    Institution,
    Office,
    Province,
    RequiredDocument,
    RoutingRule,
    Service,
    ServiceField,
)
from workflows import uploads
from workflows.actions import perform
from workflows.actors import Actor
from workflows.conditions import fee_is_due
from workflows.deadlines import is_working_day
from workflows.models import Attachment, Channel, Dossier, Payment, PaymentMethod
from workflows.states import INSTITUTION_STEPS, DossierState

S = DossierState
PASSWORD = "a-long-test-password"
#: The applicant page of the online filing as a citizen fills it in (the commune to add).
ONLINE_APPLICANT_POST = {
    "applicant-applicant_first_name": "Aline",
    "applicant-applicant_last_name": "Ndayishimiye",
    "applicant-applicant_national_id": "0412/000123",
    "applicant-applicant_birth_date": "1990-05-17",
    "applicant-applicant_phone": "79 12 34 56",
    "applicant-applicant_email": "",
    "applicant-language": "fr",
}

# --- Tiny real files --------------------------------------------------------------------------

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    return buffer.getvalue()


def sample_upload(accepted_types=("application/pdf",), name="document") -> uploads.InspectedUpload:
    """A tiny file of a type the document accepts, checked by the real upload inspection."""
    if "application/pdf" in accepted_types:
        uploaded = SimpleUploadedFile(f"{name}.pdf", MINIMAL_PDF)
    else:
        uploaded = SimpleUploadedFile(f"{name}.png", png_bytes())
    return uploads.inspect_upload(uploaded, list(accepted_types))


# --- A fixed clock ----------------------------------------------------------------------------


@contextlib.contextmanager
def clock_at(moment: datetime.datetime):
    """Make ``timezone.now()`` (and so ``timezone.localdate()``) return ``moment``.

    Actions, conditions and deadlines all read the time through ``django.utils.timezone``.
    """
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


# --- Geography and institutions ---------------------------------------------------------------


def _office_code(n: int) -> str:
    """Three capital letters, counting down from ZZZ so as not to meet real codes (GIT, NGO)."""
    n = 26**3 - 1 - (n % 26**3)
    letters = ""
    for _ in range(3):
        n, rest = divmod(n, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = Province

    code = factory.Sequence(lambda n: f"P{n:04d}")
    name = factory.Sequence(lambda n: f"Province {n}")
    capital = factory.LazyAttribute(lambda o: o.name)


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Commune

    province = factory.SubFactory(ProvinceFactory)
    name = factory.Sequence(lambda n: f"Commune {n}")


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = Office

    code = factory.Sequence(_office_code)
    name = factory.LazyAttribute(lambda o: f"GUP {o.town}")
    town = factory.Sequence(lambda n: f"Town {n}")
    province = factory.SubFactory(ProvinceFactory)
    opening_hours = "Mon-Fri 7:30-15:30"


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = Institution

    code = factory.Sequence(lambda n: f"institution-{n}")
    name_fr = factory.Sequence(lambda n: f"Institution {n}")


# --- The catalogue ----------------------------------------------------------------------------


class RequiredDocumentFactory(DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    service = factory.SubFactory("tests.factories.ServiceFactory", document=None)
    code = factory.Sequence(lambda n: f"document-{n}")
    name_fr = factory.Sequence(lambda n: f"Pièce {n}")
    mandatory = True


class ServiceFieldFactory(DjangoModelFactory):
    class Meta:
        model = ServiceField

    service = factory.SubFactory("tests.factories.ServiceFactory")
    code = factory.Sequence(lambda n: f"field_{n}")
    kind = FieldKind.TEXT
    label_fr = factory.Sequence(lambda n: f"Question {n}")
    required = True
    position = factory.Sequence(int)


class RoutingRuleFactory(DjangoModelFactory):
    """The default rule (every province) unless ``province`` is given."""

    class Meta:
        model = RoutingRule

    service = factory.SubFactory("tests.factories.ServiceFactory", routing=None)
    province = None
    institution = factory.SubFactory(InstitutionFactory)


class ServiceFactory(DjangoModelFactory):
    """A service with a fee, one mandatory document and a default routing rule.

    ``routing__institution=...`` picks the institution; ``unrouted=True`` leaves it without a
    rule; ``document=None`` without the document.
    """

    class Meta:
        model = Service
        skip_postgeneration_save = True

    class Params:
        free = factory.Trait(fee_bif=None)
        with_inspection = factory.Trait(has_inspection=True)
        with_appointment = factory.Trait(has_appointment=True)
        with_public_notice = factory.Trait(public_notice_days=30)
        unrouted = factory.Trait(routing=None)

    code = factory.Sequence(lambda n: f"service-{n}")
    name_fr = factory.Sequence(lambda n: f"Service {n}")
    name_en = factory.LazyAttribute(lambda o: o.name_fr)
    fee_bif = 30_000
    target_working_days = 10
    issued_document_fr = "Attestation"

    document = factory.RelatedFactory(RequiredDocumentFactory, factory_related_name="service")
    routing = factory.RelatedFactory(RoutingRuleFactory, factory_related_name="service")


def sample_date(spec) -> datetime.date:
    """A date the question accepts: its limits count in days from today (services.answers).

    A day inside the limits when there is room, so a test running across midnight still passes.
    """
    low, high = spec.min_value, spec.max_value
    if low is None and high is None:
        return datetime.date(2027, 3, 1)
    today = timezone.localdate()
    if low is None:
        return today + datetime.timedelta(days=high - 1)
    days = low if high is not None and high <= low else low + 1
    return today + datetime.timedelta(days=days)


def sample_answers(service) -> dict:
    """Acceptable answers to every question of the service, as stored in ``Dossier.answers``."""
    answers = {}
    for spec in service.fields.all():
        if spec.kind == FieldKind.INTEGER:
            answers[spec.code] = max(spec.min_value or 1, 1)
        elif spec.kind == FieldKind.DATE:
            answers[spec.code] = sample_date(spec).isoformat()
        elif spec.kind == FieldKind.CHOICE:
            answers[spec.code] = spec.choices[0]["value"]
        elif spec.kind == FieldKind.YES_NO:
            answers[spec.code] = "yes"
        else:
            answers[spec.code] = "Parcelle 12, colline Magarama"[: spec.max_value]
    return answers


# --- People -----------------------------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    """A citizen unless a role trait says otherwise: ``UserFactory(clerk=True, office=...)``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        clerk = factory.Trait(role=Role.CLERK, office=factory.SubFactory(OfficeFactory))
        office_supervisor = factory.Trait(
            role=Role.OFFICE_SUPERVISOR, office=factory.SubFactory(OfficeFactory)
        )
        officer = factory.Trait(
            role=Role.OFFICER, institution=factory.SubFactory(InstitutionFactory)
        )
        ministry_supervisor = factory.Trait(
            role=Role.MINISTRY_SUPERVISOR, institution=factory.SubFactory(InstitutionFactory)
        )
        administrator = factory.Trait(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
        auditor = factory.Trait(role=Role.AUDITOR)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Iterator(["Aline", "Jean-Claude", "Divine", "Emmanuel", "Claudine"])
    last_name = factory.Iterator(["Ndayishimiye", "Niyonzima", "Irakoze", "Hakizimana"])
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.bi")
    role = Role.CITIZEN
    password = factory.django.Password(PASSWORD)


# --- Dossiers ---------------------------------------------------------------------------------

#: How each state is reached on the shortest legal path: (the state before, the step).
ROUTE = {
    S.SUBMITTED: (S.DRAFT, "submit"),
    S.INTAKE: (S.SUBMITTED, "start_intake"),
    S.RETURNED: (S.INTAKE, "return_for_correction"),
    S.AWAITING_PAYMENT: (S.INTAKE, "request_payment"),
    S.FORWARDED: (S.INTAKE, "forward"),
    S.IN_REVIEW: (S.FORWARDED, "receive"),
    S.INFORMATION_REQUESTED: (S.IN_REVIEW, "request_information"),
    S.INSPECTION: (S.IN_REVIEW, "schedule_inspection"),
    S.PUBLIC_NOTICE: (S.IN_REVIEW, "open_public_notice"),
    S.APPOINTMENT: (S.IN_REVIEW, "give_appointment"),
    S.APPROVED: (S.IN_REVIEW, "approve"),
    S.ISSUED: (S.APPROVED, "issue"),
    S.READY_FOR_COLLECTION: (S.ISSUED, "dispatch"),
    S.COLLECTED: (S.READY_FOR_COLLECTION, "hand_over"),
    S.REJECTED: (S.IN_REVIEW, "reject"),
    S.CLOSED: (S.REJECTED, "notify_rejection"),
    S.WITHDRAWN: (S.DRAFT, "withdraw"),
    S.EXPIRED: (S.DRAFT, "expire"),
}
#: A counter filing starts in intake: it is never a draft, and "submitted" comes after a return.
COUNTER_ROUTE = {
    **ROUTE,
    S.SUBMITTED: (S.RETURNED, "resubmit"),
    S.WITHDRAWN: (S.INTAKE, "withdraw"),
}

APPLICANT_STEPS = {"submit", "resubmit", "provide_information", "withdraw"}
SYSTEM_STEPS = {"expire"}

STEP_COMMENTS = {
    "return_for_correction": "The plot number is missing from the form.",
    "request_information": "On which floor is the shop?",
    "provide_information": "On the ground floor.",
    "record_inspection": "The site matches the plans.",
    "close_public_notice": "No objection was received.",
    "reject": "The plot lies in a protected wetland.",
    "withdraw": "The citizen no longer needs the permit.",
}


def next_slot(days_ahead: int = 7, hour: int = 10) -> datetime.datetime:
    """A time the calendar accepts for an inspection or appointment: a working day, 10:00."""
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def step_inputs(dossier, step) -> dict:
    """Valid keyword arguments for ``perform`` when taking ``step`` on ``dossier``."""
    inputs = {}
    if step in STEP_COMMENTS:
        inputs["comment"] = STEP_COMMENTS[step]
    if step == "record_payment":
        inputs.update(
            method=PaymentMethod.CASH,
            amount_bif=(dossier.service.fee_bif or 0) - dossier.total_paid(),
        )
    if step == "hand_over":
        inputs.update(collector="applicant", national_id=dossier.applicant_national_id)
    if step in ("schedule_inspection", "give_appointment"):
        inputs["scheduled_for"] = next_slot()
        inputs["place"] = "GUP Gitega, counter 2"
        inputs["what_to_bring"] = "National ID card"
    return inputs


def path_between(start, target, *, counter=False) -> list[str]:
    """The steps from ``start`` to ``target`` along ROUTE (or COUNTER_ROUTE)."""
    route = COUNTER_ROUTE if counter else ROUTE
    steps = []
    state = target
    while state != start:
        if state not in route:
            raise ValueError(
                f"A dossier filed {'at the counter' if counter else 'online'} "
                f"never reaches {target!r}."
            )
        state, step = route[state]
        steps.insert(0, step)
    return steps


class _Walker:
    """Takes steps on one dossier as the right person, creating staff only when needed."""

    def __init__(self, dossier, *, clerk=None, officer=None):
        self.dossier = dossier
        self.clerk = clerk
        self.officer = officer

    def actor(self, step):
        dossier = self.dossier
        if step in SYSTEM_STEPS:
            return Actor.system()
        if step in APPLICANT_STEPS and dossier.applicant_account_id is not None:
            return dossier.applicant_account
        if step in INSTITUTION_STEPS:
            if self.officer is None:
                self.officer = UserFactory(officer=True, institution=dossier.institution)
            return self.officer
        if self.clerk is None:
            self.clerk = UserFactory(clerk=True, office=dossier.office)
        return self.clerk

    def take(self, step):
        # The shortest legal way through "forward" pays the fee first, when there is one.
        if step == "forward" and fee_is_due(self.dossier):
            self.take("request_payment")
            self.take("record_payment")
        self.dossier = perform(
            self.dossier.pk,
            step,
            self.actor(step),
            expected_state=self.dossier.state,
            **step_inputs(self.dossier, step),
        )


class DossierFactory(DjangoModelFactory):
    """A dossier in any state: ``DossierFactory(state=S.IN_REVIEW)`` or ``(in_review=True)``.

    Online by default: a citizen account drafts it with every mandatory document attached, and
    submits it. ``counter=True`` files it at the counter (``filed_at_counter``) instead.
    ``clerk`` and ``officer`` choose who takes the office's and the institution's steps (the
    officer is the one who claims it); by default new staff of the right office and institution
    are created. ``documents=False`` attaches nothing, so that ``forward`` cannot happen.
    """

    class Meta:
        model = Dossier

    class Params:
        counter = factory.Trait(channel=Channel.COUNTER, applicant_account=None)
        # One trait per state.
        draft = factory.Trait(state=S.DRAFT)
        submitted = factory.Trait(state=S.SUBMITTED)
        intake = factory.Trait(state=S.INTAKE)
        returned = factory.Trait(state=S.RETURNED)
        awaiting_payment = factory.Trait(state=S.AWAITING_PAYMENT)
        forwarded = factory.Trait(state=S.FORWARDED)
        in_review = factory.Trait(state=S.IN_REVIEW)
        information_requested = factory.Trait(state=S.INFORMATION_REQUESTED)
        inspection = factory.Trait(state=S.INSPECTION)
        public_notice = factory.Trait(state=S.PUBLIC_NOTICE)
        appointment = factory.Trait(state=S.APPOINTMENT)
        approved = factory.Trait(state=S.APPROVED)
        issued = factory.Trait(state=S.ISSUED)
        ready_for_collection = factory.Trait(state=S.READY_FOR_COLLECTION)
        collected = factory.Trait(state=S.COLLECTED)
        rejected = factory.Trait(state=S.REJECTED)
        closed = factory.Trait(state=S.CLOSED)
        withdrawn = factory.Trait(state=S.WITHDRAWN)
        expired = factory.Trait(state=S.EXPIRED)

    service = factory.SubFactory(ServiceFactory)
    office = factory.SubFactory(OfficeFactory)
    channel = Channel.ONLINE
    applicant_first_name = factory.Iterator(["Aline", "Jean-Bosco", "Gloriose", "Pacifique"])
    applicant_last_name = factory.Iterator(["Ndayishimiye", "Nshimirimana", "Uwimana"])
    applicant_national_id = factory.Sequence(lambda n: f"0412/{n:06d}")
    applicant_birth_date = datetime.date(1990, 5, 17)
    applicant_phone = factory.Sequence(lambda n: f"+25779{n % 1_000_000:06d}")
    applicant_commune = factory.SubFactory(
        CommuneFactory, province=factory.SelfAttribute("..office.province")
    )
    applicant_account = factory.SubFactory(UserFactory)
    language = "fr"
    answers = factory.LazyAttribute(lambda o: sample_answers(o.service))
    created_by = factory.SelfAttribute("applicant_account")

    # Not fields: how the dossier is brought to life. Taken out in _create.
    state = S.DRAFT
    clerk = None
    officer = None
    documents = True

    @classmethod
    def _build(cls, model_class, *args, state, clerk, officer, documents, **kwargs):
        if state != S.DRAFT:
            raise ValueError("Only drafts can be built without saving; use create().")
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, state, clerk, officer, documents, **kwargs):
        service, office = kwargs["service"], kwargs["office"]
        to_attach = [doc for doc in service.documents.all() if doc.mandatory] if documents else []
        counter = kwargs["channel"] == Channel.COUNTER
        if counter:
            if clerk is None:
                clerk = UserFactory(clerk=True, office=office)
            answers = kwargs.pop("answers")
            for name in ("service", "office", "channel", "created_by", "applicant_account"):
                kwargs.pop(name)
            dossier = perform(
                None,
                "filed_at_counter",
                clerk,
                filing_key=uuid.uuid4(),
                service=service,
                applicant=kwargs,
                answers=answers,
                documents={doc: sample_upload(doc.accepted_types, doc.code) for doc in to_attach},
            )
        else:
            dossier = super()._create(model_class, *args, **kwargs)
            for doc in to_attach:
                AttachmentFactory(dossier=dossier, document=doc, uploaded_by=dossier.created_by)
        walker = _Walker(dossier, clerk=clerk, officer=officer)
        for step in path_between(dossier.state, state, counter=counter):
            walker.take(step)
        return Dossier.objects.get(pk=dossier.pk)


def dossier_in_state(state, **kwargs) -> Dossier:
    """A dossier brought to ``state`` by the real actions (see DossierFactory)."""
    return DossierFactory(state=state, **kwargs)


class AttachmentFactory(DjangoModelFactory):
    """An attachment whose tiny file really exists under UPLOAD_ROOT, so downloads work."""

    class Meta:
        model = Attachment

    dossier = factory.SubFactory(DossierFactory)
    document = None
    upload = factory.LazyAttribute(
        lambda o: sample_upload(o.document.accepted_types if o.document else ["application/pdf"])
    )
    original_name = factory.LazyAttribute(lambda o: o.upload.original_name)
    content_type = factory.LazyAttribute(lambda o: o.upload.content_type)
    size = factory.LazyAttribute(lambda o: o.upload.size)
    sha256 = factory.LazyAttribute(lambda o: o.upload.sha256)
    uploaded_by = factory.SelfAttribute("dossier.created_by")

    @classmethod
    def _build(cls, model_class, *args, upload, **kwargs):
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, upload, **kwargs):
        kwargs["stored_name"] = uploads.store(upload)
        return super()._create(model_class, *args, **kwargs)


class PaymentFactory(DjangoModelFactory):
    """A payment row as it exists; to record one, call the ``record_payment`` step instead."""

    class Meta:
        model = Payment

    class Params:
        mobile_money = factory.Trait(
            method=PaymentMethod.LUMICASH,
            reference=factory.Sequence(lambda n: f"LC{n:010d}"),
        )

    dossier = factory.SubFactory(DossierFactory)
    amount_bif = factory.LazyAttribute(lambda o: o.dossier.service.fee_bif or 1_000)
    method = PaymentMethod.CASH
    reference = ""
    recorded_by = factory.SubFactory(
        UserFactory, clerk=True, office=factory.SelfAttribute("..dossier.office")
    )
