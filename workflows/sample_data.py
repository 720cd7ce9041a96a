"""What the demo and the benchmarks make up to fill dossiers as a citizen would: names common in
Burundi, answers to the catalogue's questions, and tiny documents of the accepted types."""

import datetime
import functools
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from services.models import FieldKind
from workflows import uploads

FIRST_NAMES = (
    "Aline",
    "Jean-Bosco",
    "Gloriose",
    "Pacifique",
    "Divine",
    "Emmanuel",
    "Claudine",
    "Léonidas",
    "Espérance",
    "Ferdinand",
    "Béatrice",
)
LAST_NAMES = (
    "Ndayishimiye",
    "Nshimirimana",
    "Uwimana",
    "Niyonzima",
    "Irakoze",
    "Hakizimana",
    "Bizimana",
    "Ndikumana",
    "Nkurunziza",
    "Havyarimana",
)
ANSWERS = {
    "plot_number": "GTG/MGR/{n:04d}",
    "plot_location": "Gitega, zone Magarama, quartier Nyabiharage, avenue de la Poste",
    "colline": "Magarama, commune de Gitega",
    "profession": "Enseignante",
    "previous_passport_number": "",
    "purpose": "Visite familiale",
}
#: A one-page PDF, the smallest a reader opens.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def answers_for(service, number: int, today: datetime.date) -> dict:
    """Acceptable answers to the service's questions, as ``Dossier.answers`` stores them; the
    ``number``-th dossier's differ a little from the next one's."""
    answers = {}
    for spec in service.fields.all():
        if spec.kind == FieldKind.CHOICE:
            answers[spec.code] = spec.choices[number % len(spec.choices)]["value"]
        elif spec.kind == FieldKind.INTEGER:
            low, high = spec.min_value or 1, spec.max_value or 10**6
            answers[spec.code] = max(low, min(high, (2, 120, 450, 3)[number % 4]))
        elif spec.kind == FieldKind.DATE:
            days = (spec.min_value or 0) + 14 + number % 20
            answers[spec.code] = (today + datetime.timedelta(days=days)).isoformat()
        elif spec.kind == FieldKind.YES_NO:
            answers[spec.code] = "yes"
        else:
            text = ANSWERS.get(spec.code, "Parcelle {n}, colline Magarama").format(n=number)
            if text or spec.required:
                answers[spec.code] = (text or "-")[: spec.max_value]
    return answers


@functools.cache
def photo() -> bytes:
    """An identity photo's proportions (240 x 320), grey, as a PNG."""
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize((240, 320)).save(buffer, "PNG")
    return buffer.getvalue()


def file_for(document) -> tuple[str, bytes]:
    """A tiny file of a type the required document accepts: its name and its content."""
    if "application/pdf" in document.accepted_types:
        return f"{document.code}.pdf", TINY_PDF
    return f"{document.code}.png", photo()


def inspected_file_for(document) -> uploads.InspectedUpload:
    """``file_for(document)`` as the upload checks pass it on, ready to attach."""
    name, content = file_for(document)
    return uploads.inspect_upload(SimpleUploadedFile(name, content), document.accepted_types)


def route_to_decision(service, *, asks_for_information: bool) -> list[str]:
    """The steps of a complete, checked dossier from payment to the eve of the decision: the fee
    if the service has one, forwarding and claiming, the optional question to the citizen, and
    the side steps the service declares (inspection, public notice, appointment)."""
    steps = ["request_payment", "record_payment"] if service.fee_bif else []
    steps += ["forward", "receive"]
    if asks_for_information:
        steps += ["request_information", "provide_information"]
    if service.has_inspection:
        steps += ["schedule_inspection", "record_inspection"]
    if service.public_notice_days:
        steps += ["open_public_notice", "close_public_notice"]
    if service.has_appointment:
        steps += ["give_appointment", "record_attendance"]
    return steps
