"""Photos over a slow link, on the server's side: what is stored, and what every upload field says.

A phone photo (4000 × 3000, 1.5 MB, EXIF with its orientation and GPS position) is stored at
most ``UPLOAD_IMAGE_MAX_SIDE`` pixels on its longer side, upright, in its own format, without
EXIF; a small clean image is re-encoded without visible loss (same size, same tables; a PNG
pixel for pixel). Beside every upload field, citizen and staff,
the accepted types in words and the size limit the server checks.
"""

import hashlib
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageChops, ImageDraw

from tests.factories import MINIMAL_PDF, PASSWORD, DossierFactory
from tests.photos import GPS_IFD, ORIENTATION, phone_photo
from tests.test_citizen_filing import applicant_data
from tests.test_counter_views import filing_data
from workflows.models import Attachment, Dossier
from workflows.states import DossierState as S
from workflows.uploads import inspect_upload, type_names, upload_help

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"


def stored(inspected) -> Image.Image:
    return Image.open(io.BytesIO(inspected.content))


def inspected(name, content, accepted=(PDF, JPEG, PNG)):
    return inspect_upload(SimpleUploadedFile(name, content), list(accepted))


def png_document(size, mode="RGB") -> bytes:
    """A scanned page: black text-like lines on white."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for y in range(40, size[1] - 40, 60):
        draw.text((40, y), "Republika y'u Burundi - Icemezo " * 8, fill="black")
    if mode != "RGB":
        image = image.convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# --- Stored photos -------------------------------------------------------------------------------


def test_a_phone_photo_is_stored_downscaled_upright_and_without_its_position(settings):
    settings.UPLOAD_IMAGE_MAX_SIDE = 2000
    photo = phone_photo(orientation=6)  # taken holding the phone upright: turn by 90°
    assert 1_450_000 <= len(photo) <= 1_500_000

    result = inspected("IMG_2041.jpg", photo)

    image = stored(result)
    assert image.format == "JPEG" and result.content_type == JPEG
    assert image.size == (1500, 2000)  # upright: portrait, as the phone showed it
    exif = image.getexif()
    assert GPS_IFD not in exif and ORIENTATION not in exif and not exif.get_ifd(GPS_IFD)
    assert result.size == len(result.content) < len(photo) / 4
    assert result.original_name == "IMG_2041.jpg"


def test_what_is_recorded_is_what_is_stored(settings):
    result = inspected("IMG_2041.jpg", phone_photo())

    assert result.sha256 == hashlib.sha256(result.content).hexdigest()
    assert max(stored(result).size) == settings.UPLOAD_IMAGE_MAX_SIDE


def test_a_small_photo_with_a_position_loses_the_position_not_its_pixels():
    photo = phone_photo(size=(1200, 900), target=range(1, 10**7))

    image = stored(inspected("small.jpg", photo))

    assert image.size == (1200, 900)
    assert not image.getexif().get_ifd(GPS_IFD)


def test_a_small_image_without_metadata_is_re_encoded_without_visible_loss():
    # Every image is re-encoded (tests/test_active_content.py says why); a scan that is already
    # fine keeps its size, its JPEG tables and, for a PNG, every pixel.
    photo = phone_photo(size=(1200, 900), gps=False, target=range(1, 10**7))
    buffer = io.BytesIO()
    Image.open(io.BytesIO(photo)).save(buffer, "JPEG", quality=80)  # no EXIF at all
    plain = buffer.getvalue()

    kept = stored(inspected("small.jpg", plain))
    original = Image.open(io.BytesIO(plain))
    assert kept.size == original.size and kept.quantization == original.quantization
    _low, worst = ImageChops.difference(kept.convert("L"), original.convert("L")).getextrema()
    assert worst <= 8
    page = png_document((1000, 1400))
    assert stored(inspected("page.png", page)).tobytes() == Image.open(io.BytesIO(page)).tobytes()


@pytest.mark.parametrize("mode", ["RGB", "L", "P", "1"])
def test_a_large_scanned_png_stays_a_png_within_the_limit(mode):
    page = png_document((2480, 3508), mode)  # A4 at 300 dpi

    result = inspected("scan.png", page, accepted=(PNG,))

    image = stored(result)
    assert image.format == "PNG" and result.content_type == PNG
    assert image.size == (1414, 2000)


def test_a_limit_of_zero_keeps_every_size(settings):
    settings.UPLOAD_IMAGE_MAX_SIDE = 0

    image = stored(inspected("IMG.jpg", phone_photo()))

    assert image.size == (4000, 3000)
    assert not image.getexif().get_ifd(GPS_IFD)


def test_pdfs_are_never_touched():
    assert inspected("plans.pdf", MINIMAL_PDF).content == MINIMAL_PDF


def test_a_photo_too_heavy_for_the_limit_is_still_refused_before_anything_is_decoded(settings):
    settings.UPLOAD_MAX_BYTES = 1_000_000

    with pytest.raises(ValidationError) as refused:
        inspected("IMG.jpg", phone_photo())
    assert refused.value.code == "too_big"


# --- Through the pages: every upload path stores what inspect_upload made ------------------------


@pytest.fixture
def english_client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_a_photo_filed_at_the_counter_is_stored_downscaled(
    english_client, clerk_gitega, building_permit, commune_gitega
):
    english_client.login(username=clerk_gitega.username, password=PASSWORD)
    photo = SimpleUploadedFile("site.jpg", phone_photo(), content_type="image/jpeg")
    response = english_client.post(
        reverse("counter_file", args=[building_permit.code]),
        filing_data(commune_gitega, **{"document-site-photo": photo}),
    )

    assert response.status_code == 302
    attachment = Attachment.objects.get(document__code="site-photo")
    with open(attachment.path, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
    assert image.size == (2000, 1500) and image.format == "JPEG"
    assert attachment.size == attachment.path.stat().st_size


@pytest.mark.django_db
def test_a_photo_given_online_is_stored_downscaled(
    english_client, building_permit, office_gitega, commune_gitega
):
    english_client.post(
        reverse("citizen_start", args=["building-permit"]), {"office": office_gitega.pk}
    )
    dossier = Dossier.objects.get()
    step = lambda name: reverse("citizen_step", args=[dossier.public_id, name])  # noqa: E731
    english_client.post(step("applicant"), applicant_data(commune_gitega))
    english_client.post(step("questions-1"), {"answer-plot_number": "Parcelle 12"})
    files = {
        "document-plans": SimpleUploadedFile("plans.pdf", MINIMAL_PDF),
        "document-national-id": SimpleUploadedFile("id.pdf", MINIMAL_PDF),
        "document-site-photo": SimpleUploadedFile("site.jpg", phone_photo()),
    }

    response = english_client.post(step("documents"), files)

    assert response.url == step("check")
    attachment = dossier.attachments.get(document__code="site-photo")
    assert max(Image.open(attachment.path).size) == 2000


# --- What every upload field says ----------------------------------------------------------------


def test_the_accepted_types_read_as_words():
    assert type_names([PDF]) == "PDF"
    assert type_names([JPEG, PNG]) == "JPEG or PNG"
    assert type_names([PDF, JPEG, PNG]) == "PDF, JPEG or PNG"
    assert str(upload_help([PDF, JPEG, PNG])) == "PDF, JPEG or PNG, up to 10.0\xa0MB."


def test_the_help_follows_the_limit_the_server_checks(settings):
    help_text = upload_help([PDF])
    settings.UPLOAD_MAX_BYTES = 5 * 1024 * 1024

    assert str(help_text) == "PDF, up to 5.0\xa0MB."
    with pytest.raises(ValidationError) as refused:
        inspected("big.pdf", MINIMAL_PDF + b"%" * (5 * 1024 * 1024))
    assert "the limit is 5.0\xa0MB" in refused.value.messages[0]


def help_of(page: str) -> dict:
    """Each file input's id → the help text shown beside it."""
    found = {}
    for field_id in re.findall(r'<input type="file"[^>]*\bid="([^"]+)"', page):
        help_text = re.search(rf'<p class="help" id="{field_id}_helptext">([^<]*)</p>', page)
        found[field_id] = help_text.group(1) if help_text else None
    return found


@pytest.mark.django_db
def test_every_upload_field_states_the_types_and_the_limit(english_client, personas, settings):
    settings.UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    clerk = personas.clerk_gitega
    english_client.post(
        reverse("citizen_start", args=["building-permit"]), {"office": personas.office_gitega.pk}
    )
    draft = Dossier.objects.get()
    step = lambda name: reverse("citizen_step", args=[draft.public_id, name])  # noqa: E731
    english_client.post(step("applicant"), applicant_data(personas.commune_gitega))
    english_client.post(step("questions-1"), {"answer-plot_number": "Parcelle 12"})
    returned_online = DossierFactory(returned=True, applicant_account=personas.citizen)
    returned_at_counter = DossierFactory(
        counter=True, returned=True, service=personas.building_permit, clerk=clerk
    )
    ready = DossierFactory(counter=True, ready_for_collection=True, clerk=clerk)
    notice = DossierFactory(
        state=S.PUBLIC_NOTICE,
        service=personas.land_title,
        office=personas.office_gitega,
        officer=personas.officer_land_registry,
    )
    citizen_pages = [
        step("documents"),
        reverse("citizen_answer", args=[returned_online.public_id]),
    ]
    pages = {}
    for url in citizen_pages[:1]:
        pages[url] = english_client.get(url).content.decode()
    english_client.force_login(personas.citizen)
    pages[citizen_pages[1]] = english_client.get(citizen_pages[1]).content.decode()
    english_client.force_login(clerk)
    for url in [
        reverse("counter_file", args=["building-permit"]),
        reverse("dossier_step", args=[returned_at_counter.tracking_number, "resubmit"]),
        reverse("dossier_step", args=[ready.tracking_number, "hand_over"]),
    ]:
        pages[url] = english_client.get(url).content.decode()
    english_client.force_login(personas.officer_land_registry)
    url = reverse("dossier_step", args=[notice.tracking_number, "record_objection"])
    pages[url] = english_client.get(url).content.decode()

    for url, page in pages.items():
        helps = help_of(page)
        assert helps, url
        for field_id, text in helps.items():
            assert text and re.search(r"\b(PDF|JPEG|PNG)\b", text), (url, field_id, text)
            assert "up to 5.0\xa0MB" in text, (url, field_id, text)
        assert "data-upload-progress" in page, url
    counter = pages[reverse("counter_file", args=["building-permit"])]
    assert help_of(counter)["id_document-site-photo"] == "JPEG or PNG, up to 5.0\xa0MB."
    assert help_of(counter)["id_document-plans"] == "PDF, up to 5.0\xa0MB."
