"""What each document says, as the citizen and whoever checks it read it.

Every kind of document, for every service of the catalogue (a passport: fee, appointment and a
notice to collect it; a building permit: inspection and the permit itself; a land title:
inspection, public notice and the certificate), issued by the real events and read back from
the PDF: the text a reader sees, and the QR code a phone reads. Kirundi dossiers print French
beside every text; French dossiers print French only.

Some sentences are not yet translated into Kirundi (translators follow); the assertions about
Kirundi rest on texts that are: the catalogue's own Kirundi names, labels such as "Tracking
number", and the month names of dates (November is "Munyonyo", "novembre" in French).
"""

import datetime

import pytest
from django.template.loader import get_template
from django.utils import timezone

from services.models import FieldKind
from tests.documents import (
    MONDAY,
    Walk,
    documents_of,
    flat,
    is_pdf_a,
    page_count,
    qr_texts,
    said,
    text_of,
)
from tests.factories import DossierFactory, S, ServiceFieldFactory, clock_at
from workflows.documents import issuing, keys, kinds, labels, qr, seal
from workflows.documents.contents import BUILDERS, Occasion, decision, receipts, requests, visits

KIRUNDI_TRACKING_NUMBER = "Inomero ikurikirana dosiye"
FRENCH_TRACKING_NUMBER = "Numéro de suivi"
TEN_DAYS_LATER = MONDAY + datetime.timedelta(days=10)
#: After the 30 days of the land title's public notice.
NOTICE_OVER = TEN_DAYS_LATER + datetime.timedelta(days=31)
#: Small enough to send by WhatsApp from a slow connection, and to keep for decades.
MAX_PDF_BYTES = 100_000


@pytest.fixture(autouse=True)
def document_root(settings, tmp_path):
    settings.DOCUMENT_ROOT = tmp_path / "documents"


@pytest.fixture
def catalogue(personas):
    """The persona services as the real catalogue has them: Kirundi names and their questions."""
    office = personas.office_gitega
    office.address = "Boulevard Mwezi Gisabo, Gitega"
    office.opening_hours = "Lundi-vendredi 8:00-17:00"
    office.save()
    passport = personas.passport
    passport.name_rn = "Pasiporo"
    passport.issued_document_fr = "Passeport ordinaire"
    passport.issued_document_rn = "Pasiporo isanzwe"
    passport.save()
    personas.migration.name_rn = "Igipolisi c'imbibe n'abanyamahanga"
    personas.migration.save()
    personas.building_permit.name_rn = "Uruhusha rwo kwubaka"
    personas.building_permit.save()
    land_title = personas.land_title
    land_title.name_rn = "Icemezo c'ubwene bw'itongo"
    land_title.save()
    # A question without a Kirundi label: its French label is printed once.
    ServiceFieldFactory(service=land_title, code="plot_number", label_fr="Numéro de la parcelle")
    ServiceFieldFactory(
        service=land_title,
        code="area_m2",
        kind=FieldKind.INTEGER,
        label_fr="Superficie de la parcelle (m²)",
        label_rn="Ubuso bw'itongo (m²)",
    )
    ServiceFieldFactory(
        service=land_title,
        code="acquisition",
        kind=FieldKind.CHOICE,
        label_fr="Mode d'acquisition",
        label_rn="Ingene waronse itongo",
        choices=[
            {"value": "purchase", "fr": "Achat", "rn": "Kurigura", "en": "Purchase"},
            {"value": "inheritance", "fr": "Succession", "rn": "Izungura", "en": "Inheritance"},
        ],
    )
    return personas


@pytest.fixture
def walk(django_capture_on_commit_callbacks):
    return Walk(django_capture_on_commit_callbacks)


def filed(capture, **kwargs):
    """A dossier walked by the factory on Monday 16 November 2026, its documents issued."""
    with clock_at(MONDAY), capture(execute=True):
        return DossierFactory(**kwargs)


def read(document) -> str:
    return flat(text_of(document))


def assert_one_small_page(document):
    assert page_count(document) == 1
    assert document.path.stat().st_size < MAX_PDF_BYTES


def assert_names_the_dossier(text, document, dossier):
    assert document.number in text
    assert dossier.tracking_number in text
    assert dossier.applicant_name in text


# --- A passport, in Kirundi with French -------------------------------------------------------


@pytest.fixture
def passport_collected(catalogue, walk, django_capture_on_commit_callbacks):
    """A Kirundi passport dossier from filing to the notice to collect it."""
    people = catalogue
    dossier = filed(
        django_capture_on_commit_callbacks,
        service=people.passport,
        office=people.office_gitega,
        state=S.APPOINTMENT,
        language="rn",
        applicant_account=people.citizen,
        clerk=people.clerk_gitega,
        officer=people.officer_migration,
    )
    officer = people.officer_migration
    for step in ("record_attendance", "approve", "issue"):
        dossier = walk.take(dossier, step, officer, at=TEN_DAYS_LATER)
    return dossier


def test_a_passport_dossier_prints_every_paper_in_kirundi_with_french(passport_collected):
    dossier = passport_collected
    documents = documents_of(dossier)

    assert set(documents) == {
        "filing_receipt",
        "payment_receipt",
        "appointment_notice",
        "decision_letter",
        "collection_notice",
    }
    for document in documents.values():
        text = read(document)
        assert_names_the_dossier(text, document, dossier)
        assert KIRUNDI_TRACKING_NUMBER in text
        assert FRENCH_TRACKING_NUMBER in text
        assert "Pasiporo" in text and "Passeport" in text
        assert "Munyonyo 2026" in text and "novembre 2026" in text
        assert_one_small_page(document)


def test_the_payment_receipt_says_how_much_how_and_that_nothing_is_left(passport_collected):
    receipt = documents_of(passport_collected)["payment_receipt"]

    text = read(receipt)

    assert text.count("235 000 BIF") == 3  # received, the fee, paid in all
    assert "Amafaranga y’inoti ku biro" in text  # cash at the counter, in Kirundi
    assert "Espèces au guichet" in text
    assert "16 Munyonyo 2026, 09:00" in text and "16 novembre 2026, 09:00" in text
    clerk = passport_collected.payments.get().recorded_by.get_full_name()
    assert clerk in text
    assert said(receipts.FEE_PAID, "rn") in text and said(receipts.FEE_PAID, "fr") in text


def test_the_appointment_notice_says_when_where_and_what_to_bring(passport_collected):
    notice = documents_of(passport_collected)["appointment_notice"]

    text = read(notice)

    # Seven days after Monday 16 November: Monday 23 November at 10:00, with its weekday.
    assert "Ku wa mbere 23 Munyonyo 2026, 10:00" in text
    assert "lundi 23 novembre 2026, 10:00" in text
    assert "GUP Gitega, counter 2" in text
    assert "National ID card" in text
    assert "Igipolisi c'imbibe n'abanyamahanga" in text


def test_the_collection_notice_says_where_to_collect_and_to_bring_the_id_card(
    passport_collected,
):
    notice = documents_of(passport_collected)["collection_notice"]

    text = read(notice)

    assert "Pasiporo isanzwe" in text and "Passeport ordinaire" in text
    assert "GUP Gitega, Gitega" in text
    assert "Boulevard Mwezi Gisabo, Gitega" in text
    assert "Lundi-vendredi 8:00-17:00" in text
    assert "Ikarata yawe karangamuntu" in text  # your national ID card
    assert "Votre carte nationale d’identité" in text
    assert passport_collected.applicant_national_id in text
    assert "Urupapuro ruriteguye ku biro" in text  # "ready for collection", as the dossier says


def test_decisions_and_issued_documents_are_pdf_a_and_receipts_are_not(passport_collected):
    for kind, document in documents_of(passport_collected).items():
        assert is_pdf_a(document) is kinds.get(kind).archival, kind
        assert document.archival is kinds.get(kind).archival


# --- A building permit, in French only --------------------------------------------------------


def test_a_building_permit_dossier_prints_in_french_only(
    catalogue, walk, django_capture_on_commit_callbacks
):
    people = catalogue
    officer, clerk, citizen = people.officer_urbanism, people.clerk_gitega, people.citizen
    dossier = filed(
        django_capture_on_commit_callbacks,
        service=people.building_permit,
        office=people.office_gitega,
        state=S.RETURNED,
        language="fr",
        applicant_account=citizen,
        clerk=clerk,
        answers={"plot_number": "GIT/MAG/0042"},
    )
    steps = [
        ("resubmit", citizen, {}),
        ("start_intake", clerk, {}),
        ("forward", clerk, {}),
        ("receive", officer, {}),
        ("request_information", officer, {"comment": "À quel étage ?\nJoignez le plan."}),
        ("provide_information", citizen, {}),
        ("schedule_inspection", officer, {"place": "Parcelle GIT/MAG/0042, Magarama"}),
    ]
    for step, actor, inputs in steps:
        dossier = walk.take(dossier, step, actor, **inputs)
    for step, inputs in (
        ("record_inspection", {}),
        ("approve", {"comment": "Recul de 5 m depuis la route."}),
        ("issue", {}),
    ):
        dossier = walk.take(dossier, step, officer, at=TEN_DAYS_LATER, **inputs)

    documents = documents_of(dossier)
    assert set(documents) == {
        "filing_receipt",
        "correction_notice",
        "information_request",
        "inspection_notice",
        "decision_letter",
        "building_permit",
    }
    for document in documents.values():
        text = read(document)
        assert_names_the_dossier(text, document, dossier)
        assert FRENCH_TRACKING_NUMBER in text
        assert KIRUNDI_TRACKING_NUMBER not in text
        assert "Munyonyo" not in text
        assert_one_small_page(document)

    correction = read(documents["correction_notice"])
    assert "The plot number is missing from the form." in correction
    assert "/my-dossiers/" in correction  # online, from the citizen's account
    assert "Boulevard Mwezi Gisabo, Gitega" in correction  # or at the office
    # Ten working days from Monday 16 November.
    assert f"{said(requests.ANSWER_BY, 'fr')} 30 novembre 2026" in correction

    # The officer's two lines stay two lines.
    questions = text_of(documents["information_request"])
    assert "À quel étage ?\nJoignez le plan." in questions
    assert "Urbanisme" in questions

    inspection = read(documents["inspection_notice"])
    assert "lundi 23 novembre 2026, 10:00" in inspection
    assert "Parcelle GIT/MAG/0042, Magarama" in inspection
    assert said(visits.BE_AT_THE_SITE, "fr") in inspection

    letter = read(documents["decision_letter"])
    assert "Approuvé" in letter
    assert "Recul de 5 m depuis la route." in letter
    assert "26 novembre 2026, 09:00" in letter
    assert officer.get_full_name() in letter

    permit = read(documents["building_permit"])
    assert dossier.applicant_national_id in permit
    assert "17 mai 1990" in permit  # date of birth
    assert "Numéro de parcelle GIT/MAG/0042" in permit  # the question and the answer
    assert "Urbanisme" in permit
    assert "Recul de 5 m depuis la route." in permit
    assert "26 novembre 2026" in permit and "25 novembre 2028" in permit  # valid for 730 days
    assert is_pdf_a(documents["building_permit"])
    assert not is_pdf_a(documents["inspection_notice"])


def test_a_rejection_letter_gives_the_reasons_and_what_the_citizen_can_do(
    catalogue, django_capture_on_commit_callbacks
):
    people = catalogue
    dossier = filed(
        django_capture_on_commit_callbacks,
        service=people.building_permit,
        office=people.office_gitega,
        state=S.REJECTED,
        language="fr",
        officer=people.officer_urbanism,
    )

    letter = documents_of(dossier)["decision_letter"]

    text = read(letter)
    assert "Rejeté" in text
    assert "The plot lies in a protected wetland." in text
    assert said(decision.NEXT_FILE_AGAIN, "fr") in text
    assert said(decision.NEXT_ASK_THE_OFFICE, "fr", office="GUP Gitega") in text
    assert people.officer_urbanism.get_full_name() in text
    assert_one_small_page(letter)


# --- A land title, filed at the counter, in Kirundi -------------------------------------------


def test_a_land_title_prints_the_inspection_notice_and_the_certificate(
    catalogue, walk, django_capture_on_commit_callbacks
):
    people = catalogue
    officer = people.officer_land_registry
    dossier = filed(
        django_capture_on_commit_callbacks,
        service=people.land_title,
        office=people.office_gitega,
        state=S.INSPECTION,
        language="rn",
        counter=True,
        clerk=people.clerk_gitega,
        officer=officer,
        answers={"plot_number": "GIT/1234", "area_m2": 850, "acquisition": "inheritance"},
    )
    dossier = walk.take(dossier, "record_inspection", officer, at=TEN_DAYS_LATER)
    dossier = walk.take(dossier, "open_public_notice", officer, at=TEN_DAYS_LATER)
    for step in ("close_public_notice", "approve", "issue"):
        dossier = walk.take(dossier, step, officer, at=NOTICE_OVER)

    documents = documents_of(dossier)
    assert set(documents) == {
        "filing_receipt",
        "inspection_notice",
        "decision_letter",
        "land_title_certificate",
    }
    inspection = read(documents["inspection_notice"])
    assert "Ku wa mbere 23 Munyonyo 2026, 10:00" in inspection
    assert "lundi 23 novembre 2026, 10:00" in inspection

    certificate = documents["land_title_certificate"]
    text = read(certificate)
    assert_names_the_dossier(text, certificate, dossier)
    assert KIRUNDI_TRACKING_NUMBER in text and FRENCH_TRACKING_NUMBER in text
    assert "Icemezo c'ubwene bw'itongo" in text
    assert "Numéro de la parcelle GIT/1234" in text
    # A question and its answer in Kirundi, each with its French beside it.
    assert "Ubuso bw'itongo (m²)" in text and "Superficie de la parcelle (m²)" in text
    assert "850" in text
    assert "Ingene waronse itongo" in text and "Mode d'acquisition" in text
    assert "Izungura" in text and "Succession" in text
    assert "27 Kigarama 2026" in text and "27 décembre 2026" in text  # December: the decision
    assert dossier.applicant_national_id in text
    assert_one_small_page(certificate)
    assert is_pdf_a(certificate)


def test_a_dossier_filed_at_the_counter_is_answered_at_the_office(
    catalogue, django_capture_on_commit_callbacks
):
    dossier = filed(
        django_capture_on_commit_callbacks,
        service=catalogue.building_permit,
        office=catalogue.office_gitega,
        state=S.RETURNED,
        counter=True,
        clerk=catalogue.clerk_gitega,
    )

    text = read(documents_of(dossier)["correction_notice"])

    assert "/my-dossiers/" not in text
    assert said(requests.ANSWER_WITH_LINK, "fr") not in text
    assert said(requests.ANSWER_AT_OFFICE, "fr", office="GUP Gitega") in text
    assert "Lundi-vendredi 8:00-17:00" in text


# --- The QR code ------------------------------------------------------------------------------


def test_the_qr_code_read_from_the_page_is_a_genuine_seal_of_this_document(
    catalogue, django_capture_on_commit_callbacks
):
    dossier = filed(
        django_capture_on_commit_callbacks,
        service=catalogue.passport,
        office=catalogue.office_gitega,
        state=S.SUBMITTED,
        language="rn",
    )
    receipt = documents_of(dossier)["filing_receipt"]

    texts = qr_texts(receipt)
    [url] = [text for text in texts if seal.is_seal_address(text)]
    # The receipt's second code opens the status page with the tracking number filled in.
    [status_page] = [text for text in texts if not seal.is_seal_address(text)]
    assert status_page.endswith(f"/track/?number={dossier.tracking_number}")

    assert url == url.upper()
    assert url.endswith("/V/" + receipt.code)
    verdict = seal.read(url, keys.public_keys(), today=timezone.localdate())
    assert verdict.is_valid
    assert verdict.facts.kind == "filing_receipt"
    assert verdict.facts.number == receipt.number
    assert verdict.facts.tracking_number == dossier.tracking_number
    assert verdict.facts.holder == dossier.applicant_name


def test_a_200_character_name_keeps_the_qr_code_small_enough_to_read(
    catalogue, django_capture_on_commit_callbacks
):
    first, last = "A" * 100, "B" * 99
    dossier = filed(
        django_capture_on_commit_callbacks,
        service=catalogue.passport,
        office=catalogue.office_gitega,
        state=S.SUBMITTED,
        applicant_first_name=first,
        applicant_last_name=last,
    )
    receipt = documents_of(dossier)["filing_receipt"]
    assert len(receipt.holder_name) == 200

    [url] = [text for text in qr_texts(receipt) if seal.is_seal_address(text)]

    assert qr.make(url).version <= qr.MAX_VERSION
    verdict = seal.read(url, keys.public_keys(), today=timezone.localdate())
    assert verdict.is_valid
    assert verdict.facts.holder == seal.cut_holder(receipt.holder_name)
    # The page prints the whole name, however the seal shortens it.
    assert first in read(receipt).replace(" ", "")


# --- Previews and the registry ----------------------------------------------------------------


def test_a_decision_letter_preview_needs_no_decision_and_carries_no_seal(
    catalogue, django_capture_on_commit_callbacks, tmp_path
):
    dossier = filed(
        django_capture_on_commit_callbacks,
        service=catalogue.building_permit,
        office=catalogue.office_gitega,
        state=S.IN_REVIEW,
        officer=catalogue.officer_urbanism,
    )
    occasion = Occasion(
        event="reject",
        at=timezone.now(),
        comment="The plans are not signed by an architect.",
        actor_name="Claudine Irakoze",
    )

    preview = tmp_path / "preview.pdf"
    preview.write_bytes(issuing.preview(dossier, kinds.get("decision_letter"), occasion))

    text = flat(text_of(preview))
    assert said(labels.PREVIEW, "fr") in text
    assert "The plans are not signed by an architect." in text
    assert "Claudine Irakoze" in text
    assert "Rejeté" in text
    assert qr_texts(preview) == []
    assert not dossier.documents.filter(kind="decision_letter").exists()


def test_every_kind_has_a_builder_a_template_and_a_seal_number():
    for name, kind in kinds.KINDS.items():
        assert name in BUILDERS
        assert name in seal.KIND_NUMBERS
        get_template(kind.template)
        assert kind.template == f"pdf/{name}.html"
