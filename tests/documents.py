"""Reading issued documents as a citizen or a police officer would: the text, the QR code.

Shared by the ``test_documents_*`` files. The documents are issued by the real events: each step
runs its side effects (``workflows.effects``) at once, as after a commit.
"""

import datetime

import pypdfium2
import zxingcpp
from django.utils import translation
from pypdf import PdfReader

from tests.factories import clock_at, step_inputs
from workflows.actions import perform
from workflows.calendar import OFFICE_TIME_ZONE
from workflows.models import IssuedDocument

#: A Monday in November: Kirundi prints the month "Munyonyo", French "novembre".
MONDAY = datetime.datetime(2026, 11, 16, 9, 0, tzinfo=OFFICE_TIME_ZONE)


class Walk:
    """Takes steps on one dossier, each with its side effects run at once (documents issued)."""

    def __init__(self, capture):
        self.capture = capture

    def take(self, dossier, step, actor, *, at=None, **inputs):
        with clock_at(at or MONDAY), self.capture(execute=True):
            inputs = {**step_inputs(dossier, step), **inputs}
            return perform(dossier.pk, step, actor, expected_state=dossier.state, **inputs)


def documents_of(dossier) -> dict[str, IssuedDocument]:
    """The dossier's documents by kind (the latest of each kind)."""
    return {document.kind: document for document in IssuedDocument.objects.filter(dossier=dossier)}


def _path(source):
    """An issued document's file, or a path as is (a preview written by the test)."""
    return getattr(source, "path", source)


def text_of(source, page: int | None = None) -> str:
    """The text a reader sees, on every page or on one, line by line."""
    pages = PdfReader(_path(source)).pages
    chosen = pages if page is None else [pages[page]]
    return "\n".join(one.extract_text() for one in chosen)


def flat(text: str) -> str:
    """The text with every run of white space (no-break spaces too) made one space, lines
    joined: assertions do not depend on where the layout ends a line."""
    return " ".join(text.split())


def said(text, language: str, **params) -> str:
    """A text of the documents as ``language`` writes it, flattened like ``flat``."""
    with translation.override(language):
        return flat(str(text) % params if params else str(text))


def page_count(source) -> int:
    return len(PdfReader(_path(source)).pages)


def qr_texts(source, page: int = 0) -> list[str]:
    """What a phone reads from the QR codes printed on the page."""
    image = pypdfium2.PdfDocument(_path(source))[page].render(scale=3).to_pil()
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def is_pdf_a(source) -> bool:
    """The PDF declares itself PDF/A in its XMP metadata (``pdfaid:part``)."""
    metadata = PdfReader(_path(source)).xmp_metadata
    return metadata is not None and b"pdfaid:part" in metadata.stream.get_data()
