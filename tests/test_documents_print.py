"""How the documents are printed, whatever their length: the footer of every page, the faces
embedded, the QR codes beside their text.

The documents are the realistic ones of ``workflows.documents.samples`` (a dossier in Kirundi,
every text with its French), rendered by the real renderer.
"""

import io
import re
from dataclasses import replace

import pypdfium2
import pytest
from pypdf import PdfReader

from tests.documents import flat
from workflows.documents import render, samples

pytestmark = pytest.mark.django_db

#: The faces the documents ship (assets/fonts.css): regular, bold, and the italic of the French.
SHIPPED_FACES = {"Noto-Sans", "Noto-Sans-Bold", "Noto-Sans-Italic"}


@pytest.fixture(autouse=True)
def pillow_as_it_was():
    """Importing WeasyPrint sets Pillow's ``LOAD_TRUNCATED_IMAGES`` for the whole process (see
    tests/test_bench_pdf.py): put it back for the upload tests that run after these."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    yield
    ImageFile.LOAD_TRUNCATED_IMAGES = before


@pytest.fixture
def documents():
    return {sample.kind.name: sample for sample in samples.documents()}


def pages_of(pdf: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def embedded_faces(pdf: bytes) -> set[str]:
    """The fonts the PDF embeds, without their subset prefix ("ABCDEF+")."""
    faces = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            faces.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return faces


def test_every_page_of_a_long_document_says_its_number_and_which_page_of_how_many(documents):
    sample = documents["information_request"]
    long_request = "Précisez la date de votre dernier voyage à l'étranger.\n" * 90
    long_one = replace(sample, context={**sample.context, "request": long_request})

    pages = pages_of(long_one.render())

    assert len(pages) >= 2
    number = sample.context["number"]
    page_label = sample.context["label"]["page"].text
    for index, text in enumerate(pages, start=1):
        assert text.endswith(f"{number} {page_label} {index}/{len(pages)}"), text[-120:]


def test_a_one_page_document_says_page_one_of_one(documents):
    sample = documents["payment_receipt"]

    (text,) = pages_of(sample.render())

    page_label = sample.context["label"]["page"].text
    assert text.endswith(f"{sample.context['number']} {page_label} 1/1")


def test_documents_embed_only_the_faces_we_ship(documents):
    """A bold French line was once drawn in a bold italic synthesized from the italic: a fourth
    font in every decision, certificate and collection notice, which no reader asked for."""
    for name, sample in documents.items():
        faces = embedded_faces(sample.render())
        assert faces <= SHIPPED_FACES, name


def test_the_seal_prints_its_code_in_full_beside_the_qr_code(documents):
    """The code under the seal's text is whole (the QR code, placed in the seal's padding,
    takes no line from it), so that it can be typed in when the QR code cannot be read."""
    sample = documents["collection_notice"]

    (text,) = pages_of(sample.render())

    code = sample.context["code"]
    assert code in re.sub(r"\s", "", text)
    assert sample.context["verify_page"] in text


def pixels(pdf: bytes) -> list[bytes]:
    document = pypdfium2.PdfDocument(pdf)
    return [document[index].render(scale=1).to_pil().tobytes() for index in range(len(document))]


def test_our_user_agent_style_sheet_prints_every_kind_exactly_as_weasyprints_own(documents):
    """``render.user_agent_css`` leaves out WeasyPrint's footnote and note rules only: every
    kind of document looks the same, pixel for pixel, as with WeasyPrint's whole sheet."""
    import weasyprint

    assert "::footnote-call" not in render.user_agent_css()
    assert "@footnote" in render.user_agent_css()  # the @page areas stay
    engine = render.engine()
    for name, sample in documents.items():
        html = sample.html()
        sheets = engine.framed_stylesheets if sample.kind.framed else engine.stylesheets
        own = weasyprint.HTML(
            string=html, base_url=render.ASSETS.as_uri() + "/", url_fetcher=engine.url_fetcher
        ).write_pdf(stylesheets=sheets, font_config=engine.font_config)
        ours = render.render_pdf(html, archival=False, framed=sample.kind.framed)
        assert pixels(ours) == pixels(own), name
