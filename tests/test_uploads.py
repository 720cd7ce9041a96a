"""Uploads: the type is decided by the bytes, size is capped, and files get generated names."""

import io
import stat

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from workflows.uploads import discard, inspect_upload, store

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
ALL_TYPES = [PDF, JPEG, PNG]


def minimal_pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table, as a scanner would produce."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref_at = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    body += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return body


def image_bytes(image_format: str, size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, image_format)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    # The browser's content type is deliberately wrong: it must not matter.
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(uploaded_file, accepted_types) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        inspect_upload(uploaded_file, accepted_types)
    return caught.value


@pytest.fixture(autouse=True)
def english():
    # The messages are checked in English; the default language (French) may be translated.
    with translation.override("en"):
        yield


@pytest.fixture
def upload_root(settings, tmp_path):
    settings.UPLOAD_ROOT = tmp_path / "uploads"
    return settings.UPLOAD_ROOT


def test_a_small_pdf_is_accepted():
    content = minimal_pdf()

    inspected = inspect_upload(upload("permis.pdf", content), ALL_TYPES)

    assert inspected.content_type == PDF
    assert inspected.content == content
    assert inspected.size == len(content)
    assert inspected.original_name == "permis.pdf"
    assert len(inspected.sha256) == 64


@pytest.mark.parametrize(("image_format", "expected_type"), [("PNG", PNG), ("JPEG", JPEG)])
def test_photos_are_accepted(image_format, expected_type):
    inspected = inspect_upload(upload("photo", image_bytes(image_format)), ALL_TYPES)

    assert inspected.content_type == expected_type


def test_the_original_name_keeps_no_directories():
    inspected = inspect_upload(upload("../../etc/passwd.pdf", minimal_pdf()), ALL_TYPES)

    assert inspected.original_name == "passwd.pdf"


def test_a_windows_program_renamed_pdf_is_refused():
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)

    error = refusal(upload("cni.pdf", program, PDF), [PDF])

    assert error.code == "bad_type"
    assert error.messages == ["This file is not a PDF document, whatever its name says."]


def test_a_png_where_only_a_pdf_is_accepted_is_refused():
    error = refusal(upload("plan.pdf", image_bytes("PNG"), PDF), [PDF])

    assert error.code == "bad_type"
    assert "not a PDF document" in error.messages[0]


def test_the_refusal_lists_every_accepted_type():
    error = refusal(upload("notes.txt", b"just some text\n"), [PDF, JPEG])

    assert "not a PDF, JPEG document" in error.messages[0]


def test_an_empty_file_is_refused():
    error = refusal(upload("vide.pdf", b""), ALL_TYPES)

    assert error.code == "empty"
    assert "empty" in error.messages[0]


def test_a_file_over_the_limit_is_refused_with_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 1024

    error = refusal(upload("scan.png", image_bytes("PNG", size=(400, 400))), ALL_TYPES)

    assert error.code == "too_big"
    assert "1.0\xa0KB" in error.messages[0]


def test_a_file_exactly_at_the_limit_is_accepted(settings):
    content = minimal_pdf()
    settings.UPLOAD_MAX_BYTES = len(content)

    assert inspect_upload(upload("permis.pdf", content), ALL_TYPES).size == len(content)


def test_a_truncated_png_is_refused_as_damaged():
    content = image_bytes("PNG", size=(200, 200))

    error = refusal(upload("photo.png", content[: len(content) // 2]), ALL_TYPES)

    assert error.code == "damaged"
    assert "damaged or incomplete" in error.messages[0]


def test_a_pdf_cut_before_its_end_is_refused_as_damaged():
    content = minimal_pdf()

    error = refusal(upload("permis.pdf", content[: content.index(b"xref")]), ALL_TYPES)

    assert error.code == "damaged"


def test_store_writes_the_bytes_under_a_generated_name(upload_root):
    inspected = inspect_upload(upload("cni-jean.pdf", minimal_pdf()), ALL_TYPES)

    name = store(inspected)

    assert "cni" not in name
    assert name != inspected.original_name
    path = upload_root / name[:2] / name
    assert path.read_bytes() == inspected.content
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_same_file_stored_twice_gets_two_names(upload_root):
    inspected = inspect_upload(upload("cni.pdf", minimal_pdf()), ALL_TYPES)

    assert store(inspected) != store(inspected)


def test_discard_removes_the_stored_file(upload_root):
    name = store(inspect_upload(upload("cni.pdf", minimal_pdf()), ALL_TYPES))
    path = upload_root / name[:2] / name
    assert path.exists()

    discard(name)

    assert not path.exists()
    discard(name)  # harmless when already gone
