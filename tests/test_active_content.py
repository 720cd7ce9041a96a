"""Active content and polyglots in uploads: a PDF that could run something is refused, an image
is kept as an image only, a PDF loses what is appended after its end.

The PDFs are built here byte by byte (a cross-reference table, or an object stream with a
cross-reference stream) so that each hiding place is exercised: the catalogue, a page's
additional actions, a link, an object stream compressed or hex-encoded, a name written with
``#xx`` escapes, a file pypdf cannot read.
"""

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from tests.factories import MINIMAL_PDF, PASSWORD, png_bytes
from tests.test_citizen_filing import applicant_data, step_url
from tests.test_counter_views import filing_data, only_kept_files
from workflows import active_content
from workflows.models import Attachment, Dossier
from workflows.uploads import inspect_upload

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
CATALOG = b"<< /Type /Catalog /Pages 2 0 R %s >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] %s >>"


def pdf_with(objects: list[bytes]) -> bytes:
    """A PDF with a correct cross-reference table; object 1 is the catalogue."""
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


def plain_pdf(catalog_extra=b"", page_extra=b"", more=()) -> bytes:
    return pdf_with([CATALOG % catalog_extra, PAGES, PAGE % page_extra, *more])


def pdf_with_object_stream(hidden: bytes, *, hex_encoded=False) -> bytes:
    """A PDF 1.5 whose object 4 (the catalogue's /OpenAction) sits in a compressed object stream
    (object 5), listed by a cross-reference stream (object 6)."""
    packed = b"4 0 " + hidden
    if hex_encoded:
        data, filter_name = packed.hex().encode() + b">", b"/ASCIIHexDecode"
    else:
        data, filter_name = zlib.compress(packed), b"/FlateDecode"
    objects = {
        1: CATALOG % b"/OpenAction 4 0 R",
        2: PAGES,
        3: PAGE % b"",
    }
    body = b"%PDF-1.5\n"
    offsets = {}
    for number, content in objects.items():
        offsets[number] = len(body)
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    offsets[5] = len(body)
    body += b"5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter %s /Length %d >>\nstream\n" % (
        filter_name,
        len(data),
    )
    body += data + b"\nendstream\nendobj\n"
    offsets[6] = len(body)
    rows = [b"\x00\x00\x00\xff"]
    for number in range(1, 7):
        if number == 4:
            rows.append(b"\x02\x00\x05\x00")  # in object stream 5, index 0
        else:
            rows.append(b"\x01" + offsets[number].to_bytes(2, "big") + b"\x00")
    xref = b"".join(rows)
    body += b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 2 1] /Root 1 0 R /Length %d >>\nstream\n" % len(
        xref
    )
    body += xref + b"\nendstream\nendobj\n"
    body += b"startxref\n%d\n%%%%EOF\n" % offsets[6]
    return body


def inspected(name, content, accepted=(PDF, JPEG, PNG)):
    return inspect_upload(SimpleUploadedFile(name, content), list(accepted))


def refusal(content) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        inspected("document.pdf", content)
    return caught.value


JS_ACTION = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"

ACTIVE = {
    "open action script": plain_pdf(b"/OpenAction " + JS_ACTION),
    "open action by reference": plain_pdf(b"/OpenAction 4 0 R", more=[JS_ACTION]),
    "page additional action": plain_pdf(page_extra=b"/AA << /O " + JS_ACTION + b" >>"),
    "document-level script": plain_pdf(
        b"/Names << /JavaScript << /Names [(a) 4 0 R] >> >>", more=[JS_ACTION]
    ),
    "obfuscated name": plain_pdf(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"),
    "launch": plain_pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
    "remote go-to over a share": plain_pdf(
        b"/OpenAction << /S /GoToR /F (\\\\\\\\evil\\\\share\\\\x.pdf) /D [0 /Fit] >>"
    ),
    "submit form": plain_pdf(b"/OpenAction << /S /SubmitForm /F << /FS /URL /F (http://x) >> >>"),
    "embedded file": plain_pdf(
        b"/Names << /EmbeddedFiles << /Names [(x.exe) 4 0 R] >> >>",
        more=[b"<< /Type /Filespec /F (x.exe) /EF << /F 5 0 R >> >>", b"<< /Length 0 >>"],
    ),
    "rich media": plain_pdf(page_extra=b"/Annots [<< /Subtype /RichMedia >>]"),
    "xml form": plain_pdf(b"/AcroForm << /Fields [] /XFA 4 0 R >>", more=[b"<< /Length 0 >>"]),
    "javascript link": plain_pdf(
        page_extra=b"/Annots [<< /Subtype /Link /A << /S /URI"
        b" /URI ( JavaScript:alert\\(1\\)) >> >>]"
    ),
    "file link": plain_pdf(
        page_extra=b"/Annots [<< /Subtype /Link /A << /S /URI /URI (file:///C:/x.exe) >> >>]"
    ),
    "in a compressed object stream": pdf_with_object_stream(JS_ACTION),
    "in a hex-encoded object stream, name escaped": pdf_with_object_stream(
        b"<< /S /J#61vaScript /JS (app.alert\\(1\\)) >>", hex_encoded=True
    ),
    "unreadable by pypdf, with a script": MINIMAL_PDF.replace(
        b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>"
    ),
    "unreadable by pypdf, open action hex-named": MINIMAL_PDF.replace(
        b"/Type/Catalog", b"/Type/Catalog/Op#65nAction 4 0 R"
    ),
}


@pytest.mark.parametrize("content", ACTIVE.values(), ids=ACTIVE.keys())
def test_a_pdf_with_active_content_is_refused_with_a_message(content):
    error = refusal(content)

    assert error.code == "active_content"
    assert "active content" in error.messages[0]
    assert "Print it to a new PDF or scan the paper document" in error.messages[0]


def test_a_script_added_by_a_pdf_library_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_js("app.alert('hello');")
    buffer = io.BytesIO()
    writer.write(buffer)

    assert refusal(buffer.getvalue()).code == "active_content"


HARMLESS = {
    "a minimal scan": plain_pdf(),
    "the factories' PDF without a cross-reference table": MINIMAL_PDF,
    "open at a page, fitted": plain_pdf(b"/OpenAction [3 0 R /Fit]"),
    "a go-to within the document": plain_pdf(b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >>"),
    "a web link": plain_pdf(
        page_extra=b"/Annots [<< /Subtype /Link /A << /S /URI /URI (https://gup.gov.bi/) >> >>]"
    ),
    "an object stream without anything active": pdf_with_object_stream(b"[3 0 R /Fit]"),
}


@pytest.mark.parametrize("content", HARMLESS.values(), ids=HARMLESS.keys())
def test_a_pdf_that_only_shows_pages_is_accepted_as_sent(content):
    assert inspected("scan.pdf", content).content == content


def test_a_pdf_with_a_password_is_refused_but_one_only_restricted_is_accepted():
    def encrypted(user_password):
        writer = PdfWriter()
        writer.add_blank_page(200, 200)
        writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    error = refusal(encrypted("secret"))
    assert error.code == "password"
    assert "without a password" in error.messages[0]
    assert inspected("statement.pdf", encrypted("")).content_type == PDF


def test_what_is_appended_after_the_end_of_a_pdf_is_not_kept():
    page = plain_pdf()
    polyglot = page + b"<html><script>alert(1)</script></html>"

    kept = inspected("scan.pdf", polyglot).content

    assert kept == page
    assert b"<script" not in kept


# --- Images: only the image is kept -------------------------------------------------------------


def jpeg_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def zip_archive() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return buffer.getvalue()


POLYGLOTS = {
    "PNG with a ZIP appended": (png_bytes() + zip_archive(), PNG),
    "PNG with HTML appended": (png_bytes() + b"<html><script>alert(1)</script>", PNG),
    "PNG with a PDF appended": (png_bytes() + plain_pdf(), PNG),
    "PNG with a script in a text chunk": (None, PNG),
    "JPEG with a ZIP appended": (jpeg_bytes() + zip_archive(), JPEG),
    "JPEG with a PDF appended": (jpeg_bytes() + plain_pdf(), JPEG),
    "JPEG with HTML in a comment": (None, JPEG),
}


def png_with_text_chunk() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def jpeg_with_comment() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(
        buffer, "JPEG", comment=b"<html><script>alert(1)</script>"
    )
    return buffer.getvalue()


@pytest.mark.parametrize("name", POLYGLOTS.keys())
def test_an_image_that_is_also_something_else_is_kept_as_an_image_only(name):
    content, content_type = POLYGLOTS[name]
    if content is None:
        content = png_with_text_chunk() if content_type == PNG else jpeg_with_comment()

    result = inspected("photo", content)
    kept = result.content

    assert result.content_type == content_type
    for payload in (b"<script", b"PK\x03\x04", b"%PDF", b"<html"):
        assert payload not in kept
    end_marker = b"IEND\xaeB`\x82" if content_type == PNG else b"\xff\xd9"
    assert kept.endswith(end_marker)
    with Image.open(io.BytesIO(kept)) as image:
        image.load()
        assert image.size == Image.open(io.BytesIO(content)).size
        assert not image.info.get("comment") and "Comment" not in image.info


def test_a_transparent_palette_png_stays_transparent():
    buffer = io.BytesIO()
    image = Image.new("P", (4, 4), 1)
    image.putpalette([0, 0, 0, 255, 255, 255] + [0] * 762)
    image.save(buffer, "PNG", transparency=1)

    kept = Image.open(io.BytesIO(inspected("stamp.png", buffer.getvalue()).content))

    assert kept.mode == "P" and kept.info.get("transparency") == 1


# --- Through the pages: a message beside the field, nothing stored -------------------------------


@pytest.fixture
def clerk_client(client, clerk_gitega):
    client.login(username=clerk_gitega.username, password=PASSWORD)
    client.cookies["django_language"] = "en"  # the assertions are written in English
    return client


@pytest.fixture
def draft(client, building_permit, office_gitega):
    client.post(reverse("citizen_start", args=[building_permit.code]), {"office": office_gitega.pk})
    return Dossier.objects.get()


def test_the_counter_refuses_a_pdf_with_a_script_beside_the_field_and_stores_nothing(
    clerk_client, building_permit, commune_gitega, upload_root
):
    hostile = SimpleUploadedFile("plans.pdf", ACTIVE["open action script"])
    url = reverse("counter_file", args=[building_permit.code])

    response = clerk_client.post(url, filing_data(commune_gitega, **{"document-plans": hostile}))

    assert response.status_code == 400
    errors = " ".join(response.context["documents_form"].errors["plans"])
    assert "active content" in errors
    assert 'value="Ndayishimiye"' in response.content.decode()  # nothing typed is lost
    assert not Dossier.objects.exists()
    assert not Attachment.objects.exists()
    assert only_kept_files(upload_root)


def test_online_filing_refuses_a_pdf_with_a_script_and_keeps_the_good_files(
    client, draft, commune_gitega
):
    client.cookies["django_language"] = "en"
    client.post(step_url(draft, "applicant"), applicant_data(commune_gitega))
    client.post(step_url(draft, "questions-1"), {"answer-plot_number": "Parcelle 12"})

    response = client.post(
        step_url(draft, "documents"),
        {
            "document-plans": SimpleUploadedFile(
                "plans.pdf", ACTIVE["in a compressed object stream"]
            ),
            "document-national-id": SimpleUploadedFile("id.pdf", plain_pdf()),
        },
    )

    assert response.status_code == 400
    assert "active content" in response.content.decode()
    assert [a.document.code for a in draft.attachments.all()] == ["national-id"]


def test_the_raw_reading_alone_finds_a_name_hidden_by_escapes():
    with pytest.raises(active_content.ActiveContent):
        active_content._check_raw(
            b"<< /S /J#61v#61Script >>", active_content.RAW_NAMES, javascript_uri=False
        )
