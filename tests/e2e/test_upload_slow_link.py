"""A photo sent from a phone over a slow link, in Kirundi, at 360 px (issue 10).

With JavaScript, the 1.5 MB, 4000 × 3000 photo is made smaller in the browser before it leaves
(at most 1600 px, JPEG), a progress bar counts the kilobytes and the button waits; the page
that answers is the one a plain submit would show. Without JavaScript the plain form still
files, and the server downscales the photo it stores. After a failed submit the focus is on the
error summary; a lost connection gives the button back and says so. A large scanned PNG is
made smaller but stays a PNG, and Back after a sending leads to the form again, as after a
plain submit.
"""

import io
import random

from PIL import Image, ImageDraw

from tests.e2e.slow_link import (
    building_permit,
    choose_documents,
    open_documents_page,
    phone_context,
    slow_down,
)
from tests.photos import GPS_IFD, phone_photo
from workflows.models import Attachment

SEND = "main form button[type=submit]"


def stored_photo() -> tuple[Attachment, Image.Image]:
    attachment = Attachment.objects.get(document__code="site-photo")
    with open(attachment.path, "rb") as handle:
        return attachment, Image.open(io.BytesIO(handle.read()))


def test_with_javascript_the_photo_is_made_smaller_and_its_sending_shown(
    browser, live_server, transactional_db
):
    service = building_permit()
    photo = phone_photo()
    assert 1_450_000 <= len(photo) <= 1_500_000
    context = phone_context(browser, live_server)
    page = context.new_page()
    open_documents_page(page, live_server, service)
    assert page.locator("html").get_attribute("lang") == "rn"
    help_text = page.inner_text("#id_document-site-photo_helptext")
    assert "JPEG" in help_text and "PNG" in help_text and "10" in help_text

    choose_documents(page, service, photo)
    slow_down(page)
    page.click(SEND)

    # While it is sent: the bar, the kilobytes in a live region, the button waiting.
    # A function, not an expression: polling an expression is an eval, which the CSP refuses.
    page.wait_for_function(
        "() => document.querySelector('.upload-progress progress').value > 0", polling=50
    )
    sending = page.evaluate(
        """() => ({
            barShown: !document.querySelector('.upload-progress progress').hidden,
            buttonDisabled: document.querySelector('main form button[type=submit]').disabled,
            status: document.querySelector('.upload-status').textContent,
            live: document.querySelector('.upload-status').getAttribute('aria-live'),
        })"""
    )
    assert sending["barShown"] and sending["buttonDisabled"], sending
    assert "KB" in sending["status"] and "%" in sending["status"], sending
    assert sending["live"] == "polite"

    page.wait_for_url("**/check/")
    assert page.locator("html").get_attribute("lang") == "rn"
    assert "IMG_20260412_101512.jpg" in page.inner_text("main")
    attachment, image = stored_photo()
    assert image.format == "JPEG" and attachment.content_type == "image/jpeg"
    assert max(image.size) <= 1600
    assert attachment.size < len(photo) / 3
    assert not image.getexif().get_ifd(GPS_IFD)
    context.close()


def test_without_javascript_the_plain_form_files_and_the_server_downscales(
    browser, live_server, transactional_db
):
    service = building_permit()
    photo = phone_photo(size=(2400, 1800), target=range(150_000, 260_000))
    context = phone_context(browser, live_server, javascript=False)
    page = context.new_page()
    open_documents_page(page, live_server, service)

    choose_documents(page, service, photo)
    slow_down(page)
    with page.expect_navigation(url="**/check/"):
        page.click(SEND)

    assert page.locator("html").get_attribute("lang") == "rn"
    attachment, image = stored_photo()
    assert image.format == "JPEG" and image.size == (2000, 1500)
    assert not image.getexif().get_ifd(GPS_IFD)
    assert attachment.size == attachment.path.stat().st_size
    context.close()


def test_after_a_failed_submit_the_focus_is_on_the_error_summary(
    browser, live_server, transactional_db
):
    service = building_permit()
    context = phone_context(browser, live_server)
    page = context.new_page()
    open_documents_page(page, live_server, service)
    documents = service.documents.filter(mandatory=True)
    for document in documents:
        page.set_input_files(
            f"#id_document-{document.code}",
            {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf at all"},
        )

    with page.expect_navigation():
        page.click(SEND)

    assert page.url.endswith("/documents/")
    page.wait_for_function("document.activeElement.classList.contains('error-summary')")
    assert page.locator(".error-summary li").count() == documents.count()
    assert page.locator("html").get_attribute("lang") == "rn"
    assert not Attachment.objects.exists()
    context.close()


def test_a_lost_connection_gives_the_button_back_and_says_so(
    browser, live_server, transactional_db
):
    service = building_permit()
    context = phone_context(browser, live_server)
    page = context.new_page()
    open_documents_page(page, live_server, service)
    choose_documents(page, service, phone_photo(size=(1200, 900), target=range(1, 10**7)))

    context.set_offline(True)
    page.click(SEND)

    page.wait_for_function("document.querySelector('.upload-status.error')")
    assert not page.locator(SEND).is_disabled()
    assert page.locator("#id_document-site-photo").evaluate("input => input.files.length") == 1
    assert page.url.endswith("/documents/")
    assert not Attachment.objects.exists()
    context.close()


def scanned_png(size=(2480, 3508)) -> bytes:
    """An A4 page scanned at 300 dpi: lines of words on paper with the scanner's grain, a PNG
    of some 8 MB."""
    page = Image.effect_noise(size, 12).point(lambda v: min(255, v + 110)).convert("RGB")
    draw = ImageDraw.Draw(page)
    chance = random.Random(3)
    for y in range(200, size[1] - 200, 70):
        x = 200
        while x < size[0] - 300:
            width = chance.randrange(60, 260)
            draw.rectangle((x, y, x + width, y + 28), fill=(20, 20, 20))
            x += width + 30
    buffer = io.BytesIO()
    page.save(buffer, "PNG")
    return buffer.getvalue()


def test_a_large_scan_stays_a_png_and_back_returns_to_the_form(
    browser, live_server, transactional_db
):
    service = building_permit()
    scan = scanned_png()
    assert len(scan) > 1024 * 1024
    context = phone_context(browser, live_server)
    page = context.new_page()
    open_documents_page(page, live_server, service)
    choose_documents(page, service, phone_photo(size=(1200, 900), target=range(1, 10**7)))
    page.set_input_files(
        "#id_document-national-id", {"name": "id.png", "mimeType": "image/png", "buffer": scan}
    )

    with page.expect_navigation(url="**/check/"):
        page.click(SEND)

    scan_kept = Attachment.objects.get(document__code="national-id")
    with open(scan_kept.path, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
    assert image.format == "PNG" and image.size == (1131, 1600)
    assert scan_kept.original_name == "id.png"

    # Back, as after a plain submit: the documents page, loaded again.
    page.go_back()
    page.wait_for_function("location.pathname.endsWith('/documents/')")
    page.wait_for_selector("#id_document-site-photo")
    assert page.locator("html").get_attribute("lang") == "rn"
    context.close()
