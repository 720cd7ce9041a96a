"""Realistic documents of every kind, for measuring, made without leaving anything behind.

``documents()`` gives the template and context of one document per kind that has a builder
(``contents.BUILDERS``), as issuing would render it. To be realistic whatever a builder reads
(attachments, payments, decisions, scheduled steps...), the dossiers are walked through the real
events (``workflows.actions.perform``) by a clerk and an officer, and each document's context is
built right after the event that prints it, as ``issuing.print_documents`` would.

All of it happens inside one transaction that is rolled back, in well under a second: under a
hundred rows once every kind has a builder (an office, three services, five dossiers and their
history), which nobody else ever sees, in an office of its own so that no counter row of a real
office is locked meanwhile. Uploaded files go to a temporary folder
that is removed, and the documents are sealed with a throwaway key, never the instance's. The
side effects of the events (SMS, issuing) wait for a commit that never comes.

The dossiers are in Kirundi, so every text is printed twice (Kirundi with French beside it): the
longest documents GUP prints.
"""

import datetime
import io
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from gup.accounts.models import User
from gup.roles import Role
from services.models import (
    Commune,
    FieldKind,
    Institution,
    IssuedDocumentTemplate,
    Office,
    Province,
    RequiredDocument,
    RoutingRule,
    Service,
    ServiceField,
)
from workflows import uploads
from workflows.actions import perform
from workflows.calendar import OFFICE_TIME_ZONE
from workflows.deadlines import is_working_day
from workflows.documents import contents, keys, kinds, seal
from workflows.documents.contents import Occasion
from workflows.documents.render import render_pdf
from workflows.models import Dossier, HistoryEntry, PaymentMethod
from workflows.numbering import allocate_document_number
from workflows.states import INSTITUTION_STEPS


@dataclass(frozen=True)
class Sample:
    """One document ready to render: what issuing renders, once the database has been read."""

    kind: kinds.DocumentKind
    context: dict

    def html(self) -> str:
        return render_to_string(self.kind.template, self.context)

    def render(self) -> bytes:
        """The PDF, exactly as ``issuing.render`` makes it from the same context."""
        return render_pdf(self.html(), archival=self.kind.archival, framed=self.kind.framed)


class NoScenario(LookupError):
    """A kind has a builder but no scenario below reaches the event that prints it."""


def documents() -> list[Sample]:
    """One sample per kind that has a builder, in the order of ``kinds.KINDS``."""
    wanted = [name for name in kinds.KINDS if name in contents.BUILDERS]
    found: dict[str, Sample] = {}
    with tempfile.TemporaryDirectory(prefix="gup-samples-") as scratch:
        scratch = Path(scratch)
        with (
            override_settings(UPLOAD_ROOT=scratch / "uploads", DOCUMENT_ROOT=scratch / "documents"),
            transaction.atomic(),
        ):
            try:
                place = _Place.create()
                for service_code, steps in SCENARIOS:
                    steps = _useful_steps(place.services[service_code], steps, wanted, found)
                    if steps is not None:
                        _walk(place, service_code, steps, wanted, found)
                for sample in found.values():
                    # Any relation a template reads is loaded now, while the rows exist: the
                    # renders that are measured later never touch the database.
                    sample.html()
            finally:
                transaction.set_rollback(True)
    missing = [name for name in wanted if name not in found]
    if missing:
        raise NoScenario(
            f"No scenario in workflows.documents.samples prints {', '.join(missing)}: add one."
        )
    return [found[name] for name in wanted]


# --- The office, the catalogue and the staff, modelled on the real catalogue -------------------

#: Services modelled on the catalogue (services/fixtures/catalogue.json): a fee and an
#: appointment, a site inspection, a public notice; one per document printed on issue.
SERVICES = {
    "passport": {
        "service": {
            "name_fr": "Passeport ordinaire",
            "name_rn": "Pasiporo",
            "name_en": "Ordinary passport",
            "fee_bif": 235_000,
            "target_working_days": 15,
            "has_appointment": True,
            "issued_document_fr": "Passeport ordinaire",
            "issued_document_rn": "Pasiporo isanzwe",
            "issued_document_template": IssuedDocumentTemplate.COLLECTION_NOTICE,
            "issued_document_validity_days": 90,
        },
        "institution": {
            "name_fr": "Commissariat général des migrations",
            "name_rn": "Komiseriya nkuru ishinzwe abinjira n'abasohoka mu gihugu",
        },
        "documents": [
            ("Extrait d'acte de naissance", "Icemezo c'amavuka", "pdf"),
            ("Copie de la carte nationale d'identité", "Kopi y'ikarata karangamuntu", "pdf"),
            ("Photo d'identité", "Ifoto y'umwirondoro", "png"),
        ],
        "answers": {("profession", "Profession", "Akazi ukora"): "Enseignante"},
    },
    "building-permit": {
        "service": {
            "name_fr": "Permis de bâtir",
            "name_rn": "Uruhusha rwo kwubaka",
            "name_en": "Building permit",
            "target_working_days": 30,
            "has_inspection": True,
            "issued_document_fr": "Permis de bâtir",
            "issued_document_rn": "Uruhusha rwo kwubaka",
            "issued_document_template": IssuedDocumentTemplate.BUILDING_PERMIT,
            "issued_document_validity_days": 730,
        },
        "institution": {
            "name_fr": "Direction générale de l'urbanisme et de l'habitat",
            "name_rn": "Ubuyobozi bukuru bw'imyubakire n'amazu",
        },
        "documents": [
            (
                "Titre foncier ou certificat de propriété de la parcelle",
                "Icemezo c'ubwene bw'itongo",
                "pdf",
            ),
            ("Plans architecturaux", "Ibishushanyo vy'inyubakwa", "pdf"),
            ("Copie de la carte nationale d'identité", "Kopi y'ikarata karangamuntu", "pdf"),
        ],
        "answers": {
            ("plot_number", "Numéro de la parcelle", "Inomero y'itongo"): "GTG/MGR/1234",
            (
                "plot_location",
                "Colline et adresse de la parcelle",
                "Umusozi n'aho itongo riri",
            ): "Gitega, zone Magarama, quartier Nyabiharage, avenue de la Poste",
        },
    },
    "land-title": {
        "service": {
            "name_fr": "Certificat d'enregistrement (titre foncier)",
            "name_rn": "Icemezo c'ubwene bw'itongo",
            "name_en": "Certificate of registration (land title)",
            "target_working_days": 60,
            "has_inspection": True,
            "public_notice_days": 30,
            "issued_document_fr": "Certificat d'enregistrement",
            "issued_document_rn": "Icemezo c'ubwene bw'itongo",
            "issued_document_template": IssuedDocumentTemplate.LAND_TITLE_CERTIFICATE,
        },
        "institution": {
            "name_fr": "Direction des titres fonciers et du cadastre national",
            "name_rn": "Ubuyobozi bw'ivyemezo vy'ubwene bw'amatongo n'ibarura ry'amatongo",
        },
        "documents": [
            (
                "Acte de vente ou preuve d'acquisition",
                "Amasezerano y'ukugura canke icemezo c'ukuntu waronse itongo",
                "pdf",
            ),
            (
                "Plan de la parcelle (levé topographique)",
                "Igishushanyo c'itongo (ipimwa ryaryo)",
                "pdf",
            ),
        ],
        "answers": {
            ("plot_number", "Numéro de la parcelle", "Inomero y'itongo"): "GTG/MGR/1234",
            ("colline", "Colline", "Umusozi"): "Magarama, commune de Gitega",
        },
    },
}

#: Each walk files a dossier at the counter (the filing receipt), then takes these steps; a
#: document is sampled after the first event that prints it. The side steps with a date
#: (appointment, inspection) cannot be recorded before their date, so each ends a walk.
SCENARIOS = (
    (
        "passport",
        (
            "return_for_correction",
            "resubmit",
            "start_intake",
            "request_payment",
            "record_payment",
            "forward",
            "receive",
            "request_information",
            "provide_information",
            "approve",
            "issue",
        ),
    ),
    ("passport", ("request_payment", "record_payment", "forward", "receive", "give_appointment")),
    ("building-permit", ("forward", "receive", "schedule_inspection")),
    ("building-permit", ("forward", "receive", "approve", "issue")),
    ("land-title", ("forward", "receive", "approve", "issue")),
)


STEP_INPUTS = {
    "return_for_correction": {
        "comment": "La copie de la carte d'identité est illisible : apportez une copie lisible "
        "des deux faces."
    },
    "resubmit": {"comment": "Copie lisible des deux faces apportée au guichet."},
    "record_payment": {"method": PaymentMethod.LUMICASH},
    "request_information": {
        "comment": "Précisez la date de votre dernier voyage à l'étranger et le numéro de votre "
        "ancien passeport, si vous en avez eu un."
    },
    "provide_information": {"comment": "Dernier voyage à Kigali en mars 2024 ; aucun passeport."},
    "give_appointment": {
        "place": "GUP Gitega, guichet 2 (biométrie)",
        "what_to_bring": "La carte nationale d'identité originale et le reçu de paiement",
    },
    "schedule_inspection": {
        "place": "Parcelle GTG/MGR/1234, quartier Nyabiharage, Gitega",
        "what_to_bring": "Les plans architecturaux originaux",
    },
    "approve": {"comment": "Dossier complet et conforme."},
}

APPLICANT = {
    "applicant_first_name": "Jean-Bosco",
    "applicant_last_name": "Nshimirimana",
    "applicant_national_id": "0412/345.678",
    "applicant_birth_date": datetime.date(1988, 3, 14),
    "applicant_phone": "+25779123456",
    "applicant_email": "",
    "language": "rn",
}


@dataclass
class _Place:
    office: Office
    commune: Commune
    clerk: User
    services: dict[str, Service]
    officers: dict[int, User]

    @classmethod
    def create(cls) -> "_Place":
        token = uuid.uuid4().hex[:8]
        province = Province.objects.create(code=token, name="Gitega", capital="Gitega")
        commune = Commune.objects.create(province=province, name="Gitega")
        office = Office.objects.create(
            code=_free_office_code(),
            name="GUP Gitega",
            town="Gitega",
            province=province,
            commune=commune,
            address="Avenue de l'Indépendance, bâtiment de la province",
        )
        clerk = User.objects.create(
            username=f"sample-clerk-{token}",
            first_name="Aline",
            last_name="Niyonzima",
            role=Role.CLERK,
            office=office,
        )
        services, officers = {}, {}
        for code, spec in SERVICES.items():
            institution = Institution.objects.create(code=f"{code}-{token}", **spec["institution"])
            service = Service.objects.create(code=f"{code}-{token}", **spec["service"])
            RoutingRule.objects.create(service=service, institution=institution)
            for position, (name_fr, name_rn, file_type) in enumerate(spec["documents"]):
                RequiredDocument.objects.create(
                    service=service,
                    code=f"document-{position}",
                    name_fr=name_fr,
                    name_rn=name_rn,
                    accepted_types=[_UPLOADS[file_type][1]],
                    position=position,
                )
            for position, (field, label_fr, label_rn) in enumerate(spec["answers"]):
                ServiceField.objects.create(
                    service=service,
                    code=field,
                    kind=FieldKind.TEXT,
                    label_fr=label_fr,
                    label_rn=label_rn,
                    position=position,
                )
            services[code] = service
            officers[institution.pk] = User.objects.create(
                username=f"sample-officer-{code}-{token}",
                first_name="Eric",
                last_name="Nshimirimana",
                role=Role.OFFICER,
                institution=institution,
            )
        return cls(office, commune, clerk, services, officers)


def _free_office_code() -> str:
    """A code no office uses, counting down from ZZZ, far from the real ones (GIT, NGO...)."""
    used = set(Office.objects.values_list("code", flat=True))
    for number in range(26**3 - 1, -1, -1):
        code = "".join(chr(ord("A") + number // 26**power % 26) for power in (2, 1, 0))
        if code not in used:
            return code
    raise RuntimeError("Every office code is taken.")


# --- Walking a dossier through the real events ------------------------------------------------


def _useful_steps(service, steps, wanted, found) -> list[str] | None:
    """``steps`` up to the last one that prints a document still wanted; None if none does."""
    last = None
    for index, step in enumerate(("filed_at_counter", *steps)):
        if any(
            kind.name in wanted and kind.name not in found
            for kind in kinds.printed_by(step, service)
        ):
            last = index
    return None if last is None else list(steps[:last])


def _walk(place, service_code, steps, wanted, found) -> None:
    service = place.services[service_code]
    clerk = place.clerk
    officer = place.officers[service.routing_rules.get().institution_id]
    dossier = perform(
        None,
        "filed_at_counter",
        clerk,
        filing_key=uuid.uuid4(),
        service=service,
        applicant={**APPLICANT, "applicant_commune": place.commune},
        answers={
            field: answer for (field, *_labels), answer in SERVICES[service_code]["answers"].items()
        },
        documents={
            document: _upload(document) for document in service.documents.order_by("position")
        },
    )
    _sample(dossier, "filed_at_counter", wanted, found)
    for step in steps:
        actor = officer if step in INSTITUTION_STEPS else clerk
        dossier = perform(dossier.pk, step, actor, **_inputs(dossier, step))
        _sample(dossier, step, wanted, found)


def _inputs(dossier, step) -> dict:
    inputs = dict(STEP_INPUTS.get(step, {}))
    if step == "record_payment":
        inputs["amount_bif"] = dossier.amount_due()
        # A mobile-money reference is accepted once in the whole database.
        inputs["reference"] = f"LC{uuid.uuid4().int % 10**13:013d}"
    if step in ("give_appointment", "schedule_inspection"):
        inputs["scheduled_for"] = _next_slot()
    return inputs


def _next_slot() -> datetime.datetime:
    """10:00 in Gitega on a working day a week or more from now: a time the calendar accepts."""
    day = timezone.localdate() + datetime.timedelta(days=7)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=OFFICE_TIME_ZONE)


_UPLOADS = {"pdf": ("document.pdf", "application/pdf"), "png": ("photo.png", "image/png")}
_MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _upload(document) -> uploads.InspectedUpload:
    """A tiny real file of the type the document accepts, through the real inspection."""
    name, content_type = next(
        value for value in _UPLOADS.values() if value[1] in document.accepted_types
    )
    if content_type == "application/pdf":
        content = _MINIMAL_PDF
    else:
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
        content = buffer.getvalue()
    return uploads.inspect_upload(SimpleUploadedFile(name, content), document.accepted_types)


# --- What issuing would build -------------------------------------------------------------------

_SAMPLE_KEY = Ed25519PrivateKey.generate()


def _sample(dossier, event, wanted, found) -> None:
    """Build, as ``issuing.issue`` would, the documents ``event`` prints that are still wanted."""
    for kind in kinds.printed_by(event, dossier.service):
        if kind.name not in wanted or kind.name in found:
            continue
        # As the issuing event reads it: the dossier locked with these relations.
        dossier = Dossier.objects.select_related("service", "office__province").get(pk=dossier.pk)
        entry = HistoryEntry.objects.filter(dossier=dossier).latest("position")
        issued_at = entry.at
        issued_on = timezone.localdate(issued_at)
        number = allocate_document_number(dossier.office, issued_on.year, kind.series)
        valid_until = kind.valid_until(dossier, issued_on)
        key_id = keys.key_id(_SAMPLE_KEY.public_key())
        code = seal.seal(
            seal.SealedFacts(
                kind=kind.name,
                number=number,
                tracking_number=dossier.tracking_number,
                holder=dossier.applicant_name,
                issued_on=issued_on,
                valid_until=valid_until,
                key_id=key_id,
            ),
            _SAMPLE_KEY,
        )
        context = contents.build(
            kind,
            dossier,
            Occasion.of(entry),
            number=number,
            code=code,
            issued_at=issued_at,
            valid_until=valid_until,
        )
        found[kind.name] = Sample(kind, context)
