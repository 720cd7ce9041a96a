"""Documents print what people typed, literally, and never fetch anything outside the project.

Names, answers, requests, reasons, places, what to bring and payment references are typed by
citizens and staff. Whatever they contain (markup, links to style sheets, very long words,
characters that reverse the direction of text), the document renders, prints the text as it
was typed, keeps it inside the page, and its renderer asks for no file but the project's fonts.
"""

import datetime
from unittest import mock

import pypdfium2
import pytest
from weasyprint.urls import FatalURLFetchingError

from services.models import FieldKind
from tests.documents import MONDAY, Walk, documents_of, flat, text_of
from tests.factories import DossierFactory, PaymentMethod, S, ServiceFieldFactory, clock_at
from workflows.documents import keys, render, seal

BOLD = "<b>x</b>"
IMAGE = '<img src="file:///etc/passwd">'
STYLE_SHEET = '<link rel=stylesheet href="http://127.0.0.1:1/x.css">'
IMPORT = "<style>@import url(http://127.0.0.1:1/)</style>"
MARKUP = (BOLD, IMAGE, STYLE_SHEET, IMPORT)
#: U+202E RIGHT-TO-LEFT OVERRIDE would make the reader see these letters backwards: "Ndayishime".
REVERSED_NAME = "\u202eemihsiyadN"
RIGHT_TO_LEFT_MARK = "\u200f"
TEN_DAYS_LATER = MONDAY + datetime.timedelta(days=10)


@pytest.fixture(autouse=True)
def document_root(settings, tmp_path):
    settings.DOCUMENT_ROOT = tmp_path / "documents"


@pytest.fixture
def walk(django_capture_on_commit_callbacks):
    return Walk(django_capture_on_commit_callbacks)


@pytest.fixture
def urls_asked():
    """Every URL the renderer asks for and the file it got, from a fresh engine (so that the
    fonts are fetched too)."""
    asked = []
    real = render.project_file

    def recording(url):
        path = real(url)
        asked.append((url, path))
        return path

    render.engine.cache_clear()
    with mock.patch.object(render, "project_file", side_effect=recording):
        yield asked


def assert_asked_for_assets_only(asked):
    assert asked, "the fonts are fetched through the project's fetcher"
    for url, path in asked:
        assert path is not None and path.is_relative_to(render.ASSETS), url


def ink_in_right_margin(document, margin_mm: float = 8) -> bool:
    """Something printed in the last ``margin_mm`` of the page width, where no text belongs."""
    image = pypdfium2.PdfDocument(document.path)[0].render(scale=2).to_pil().convert("L")
    width, height = image.size
    margin = round(margin_mm / 25.4 * 72 * 2)
    darkest, _ = image.crop((width - margin, 0, width, height)).getextrema()
    return darkest < 200


# --- Markup in every field --------------------------------------------------------------------


def test_markup_in_names_answers_requests_places_and_reasons_prints_as_text(
    personas, walk, django_capture_on_commit_callbacks, urls_asked
):
    service = personas.building_permit
    ServiceFieldFactory(
        service=service, code="description", kind=FieldKind.LONG_TEXT, label_fr="Description"
    )
    officer = personas.officer_urbanism
    with clock_at(MONDAY), django_capture_on_commit_callbacks(execute=True):
        dossier = DossierFactory(
            service=service,
            office=personas.office_gitega,
            state=S.IN_REVIEW,
            language="rn",
            applicant_first_name=BOLD + IMAGE,
            applicant_last_name=STYLE_SHEET,
            answers={"plot_number": IMAGE + STYLE_SHEET, "description": IMPORT + "\n" + BOLD},
            officer=officer,
        )
    dossier = walk.take(dossier, "request_information", officer, comment=" ".join(MARKUP))
    dossier = walk.take(dossier, "provide_information", dossier.applicant_account)
    dossier = walk.take(
        dossier,
        "schedule_inspection",
        officer,
        place=IMAGE + STYLE_SHEET,
        what_to_bring=IMPORT + "\n" + BOLD,
    )
    dossier = walk.take(dossier, "record_inspection", officer, at=TEN_DAYS_LATER)
    dossier = walk.take(dossier, "approve", officer, at=TEN_DAYS_LATER, comment="\n".join(MARKUP))
    dossier = walk.take(dossier, "issue", officer, at=TEN_DAYS_LATER)

    documents = documents_of(dossier)
    assert set(documents) == {
        "filing_receipt",
        "information_request",
        "inspection_notice",
        "decision_letter",
        "building_permit",
    }
    for kind, document in documents.items():
        text = flat(text_of(document))
        assert f"{BOLD}{IMAGE} {STYLE_SHEET}" in text, kind  # the holder's name
        if kind != "filing_receipt":
            for markup in MARKUP:
                assert markup in text, (kind, markup)
    assert_asked_for_assets_only(urls_asked)


def test_markup_in_a_payment_reference_and_an_appointment_prints_as_text(
    personas, walk, django_capture_on_commit_callbacks, urls_asked
):
    clerk, officer = personas.clerk_gitega, personas.officer_migration
    with clock_at(MONDAY), django_capture_on_commit_callbacks(execute=True):
        dossier = DossierFactory(
            service=personas.passport,
            office=personas.office_gitega,
            state=S.AWAITING_PAYMENT,
            clerk=clerk,
        )
    dossier = walk.take(
        dossier,
        "record_payment",
        clerk,
        method=PaymentMethod.LUMICASH,
        reference=IMAGE,
        amount_bif=235_000,
    )
    dossier = walk.take(dossier, "forward", clerk)
    dossier = walk.take(dossier, "receive", officer)
    dossier = walk.take(
        dossier, "give_appointment", officer, place=STYLE_SHEET, what_to_bring=IMPORT
    )

    documents = documents_of(dossier)
    receipt = flat(text_of(documents["payment_receipt"]))
    assert IMAGE in receipt
    assert "Lumicash" in receipt
    appointment = flat(text_of(documents["appointment_notice"]))
    assert STYLE_SHEET in appointment
    assert IMPORT in appointment
    assert_asked_for_assets_only(urls_asked)


# --- Long words and reversed text -------------------------------------------------------------


def test_very_long_words_wrap_and_stay_inside_the_page(
    personas, walk, django_capture_on_commit_callbacks
):
    service = personas.building_permit
    ServiceFieldFactory(
        service=service, code="description", kind=FieldKind.LONG_TEXT, label_fr="Description"
    )
    first, last, answer, reasons = "F" * 100, "L" * 100, "A" * 300, "R" * 300
    officer = personas.officer_urbanism
    with clock_at(MONDAY), django_capture_on_commit_callbacks(execute=True):
        dossier = DossierFactory(
            service=service,
            office=personas.office_gitega,
            state=S.IN_REVIEW,
            applicant_first_name=first,
            applicant_last_name=last,
            answers={"plot_number": "GIT/1", "description": answer},
            officer=officer,
        )
    place = "P" * 300
    dossier = walk.take(dossier, "schedule_inspection", officer, place=place)
    dossier = walk.take(dossier, "record_inspection", officer, at=TEN_DAYS_LATER)
    dossier = walk.take(dossier, "approve", officer, at=TEN_DAYS_LATER, comment=reasons)
    dossier = walk.take(dossier, "issue", officer, at=TEN_DAYS_LATER)

    documents = documents_of(dossier)
    for kind, document in documents.items():
        letters = "".join(text_of(document).split())
        assert first + last in letters, kind
        assert not ink_in_right_margin(document), kind
    assert place in "".join(text_of(documents["inspection_notice"]).split())
    assert reasons in "".join(text_of(documents["decision_letter"]).split())
    permit = "".join(text_of(documents["building_permit"]).split())
    assert answer in permit and reasons in permit


def test_direction_controls_cannot_make_a_name_or_reasons_read_backwards(
    personas, django_capture_on_commit_callbacks
):
    with clock_at(MONDAY), django_capture_on_commit_callbacks(execute=True):
        dossier = DossierFactory(
            service=personas.building_permit,
            office=personas.office_gitega,
            state=S.REJECTED,
            applicant_first_name="Aline",
            applicant_last_name=REVERSED_NAME + RIGHT_TO_LEFT_MARK,
            officer=personas.officer_urbanism,
        )

    for kind, document in documents_of(dossier).items():
        text = text_of(document)
        # Printed in the order typed: the letters a reader sees are the letters recorded.
        assert "Aline emihsiyadN" in text, kind
        assert "Ndayishime" not in text, kind
        assert "\u202e" not in text and RIGHT_TO_LEFT_MARK not in text, kind
        # The seal, and so every verifier, keeps the name in the same order.
        verdict = seal.read(document.code, keys.public_keys(), today=datetime.date(2026, 1, 1))
        assert verdict.facts.holder == "Aline emihsiyadN", kind


# --- The fetcher ------------------------------------------------------------------------------

FONT = render.ASSETS / "fonts" / "noto-sans-latin-400-normal.woff2"
REFUSED = (
    "file:///etc/passwd",
    "http://127.0.0.1:1/x.css",
    "https://example.org/logo.png",
    "data:text/css,body{color:red}",
    render.ASSETS.as_uri() + "/../render.py",
    render.ASSETS.as_uri() + "/%2e%2e/render.py",
    render.ASSETS.as_uri() + "/fonts/../../keys.py",
    "file://example.org" + FONT.as_posix(),
    render.ASSETS.as_uri() + "/fonts/missing.woff2",
)


@pytest.mark.parametrize("url", REFUSED)
def test_the_fetcher_refuses_everything_outside_the_assets(url):
    assert render.project_file(url) is None
    with pytest.raises(FatalURLFetchingError):
        render.engine().fetcher().fetch(url)


def test_the_fetcher_serves_the_fonts():
    assert render.project_file(FONT.as_uri()) == FONT
    response = render.engine().fetcher().fetch(FONT.as_uri())
    try:
        assert response.read(4) == b"wOF2"
    finally:
        response.close()
