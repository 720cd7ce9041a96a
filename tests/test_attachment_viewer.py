"""Attachments shown in the browser, one after the other: safe headers, the same scope as the
downloads, and a viewer page with the previous and the next."""

import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, AttachmentFactory, DossierFactory, sample_upload
from workflows.views.files import VIEWING_POLICY

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def signed_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def dossier(clerk_gitega, building_permit):
    """A forwarded dossier with its PDFs, then a photo and a file of a type never shown."""
    dossier = DossierFactory(
        counter=True,
        forwarded=True,
        service=building_permit,
        office=clerk_gitega.office,
        clerk=clerk_gitega,
    )
    AttachmentFactory(dossier=dossier, upload=sample_upload(["image/png"], name="photo"))
    AttachmentFactory(dossier=dossier, original_name="page.html", content_type="text/html")
    return dossier


def inline_url(dossier, attachment):
    return reverse(
        "dossier_attachment_inline", args=[dossier.tracking_number, attachment.stored_name]
    )


def viewer_url(dossier, number):
    return reverse("dossier_attachment_view", args=[dossier.tracking_number, number])


def assert_safe(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == VIEWING_POLICY
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Cache-Control"] == "private, no-store"
    # Framed by the viewer page, by no other site.
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_policy_is_the_strict_one():
    assert VIEWING_POLICY == (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
        "plugin-types application/pdf; sandbox; frame-ancestors 'self'"
    )


def test_pdf_and_images_are_shown_inline_anything_else_is_downloaded(client, dossier, clerk_gitega):
    signed_in(client, clerk_gitega)
    by_type = {a.content_type: a for a in dossier.attachments.all()}
    assert {"application/pdf", "image/png", "text/html"} <= set(by_type)

    pdf = client.get(inline_url(dossier, by_type["application/pdf"]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline; filename=")
    assert by_type["application/pdf"].original_name in pdf["Content-Disposition"]
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert_safe(pdf)

    png = client.get(inline_url(dossier, by_type["image/png"]))
    assert png["Content-Type"] == "image/png"
    assert png["Content-Disposition"] == 'inline; filename="photo.png"'
    assert b"".join(png.streaming_content).startswith(b"\x89PNG")
    assert_safe(png)

    other = client.get(inline_url(dossier, by_type["text/html"]))
    assert other.status_code == 200
    assert other["Content-Type"] == "application/octet-stream"
    assert other["Content-Disposition"] == 'attachment; filename="page.html"'
    assert_safe(other)


def test_jpeg_is_shown_inline(client, dossier, clerk_gitega):
    jpeg = AttachmentFactory(dossier=dossier, original_name="scan.jpg", content_type="image/jpeg")
    signed_in(client, clerk_gitega)
    response = client.get(inline_url(dossier, jpeg))
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="scan.jpg"'


def test_viewer_goes_through_the_attachments_in_order(client, dossier, officer_urbanism):
    signed_in(client, officer_urbanism)
    attachments = list(dossier.attachments.all())
    count = len(attachments)
    assert count >= 3

    for number, attachment in enumerate(attachments, start=1):
        page = client.get(viewer_url(dossier, number))
        assert page.status_code == 200
        html = page.content.decode()
        assert f"Document {number} of {count}" in html
        assert reverse("dossier_detail", args=[dossier.tracking_number]) in html
        assert (
            reverse("dossier_attachment", args=[dossier.tracking_number, attachment.stored_name])
            in html
        )
        previous = re.search(r'rel="prev" href="([^"]+)"', html)
        following = re.search(r'rel="next" href="([^"]+)"', html)
        if number == 1:
            assert previous is None
        else:
            assert previous.group(1) == viewer_url(dossier, number - 1)
        if number == count:
            assert following is None
        else:
            assert following.group(1) == viewer_url(dossier, number + 1)
        shown = inline_url(dossier, attachment)
        if attachment.content_type == "application/pdf":
            assert f'<iframe class="viewer" src="{shown}"' in html
        elif attachment.content_type == "image/png":
            assert f'<img class="viewer-image" src="{shown}"' in html
        else:
            assert shown not in html
            assert "cannot be shown in the browser" in html


def test_the_dossier_page_links_each_attachment_to_its_view(client, dossier, clerk_gitega):
    signed_in(client, clerk_gitega)
    html = client.get(reverse("dossier_detail", args=[dossier.tracking_number])).content.decode()
    for number in range(1, dossier.attachments.count() + 1):
        assert f'href="{viewer_url(dossier, number)}"' in html


@pytest.mark.parametrize("number", ["0", "99", "-1", "abc", "1.5"])
def test_out_of_range_or_bad_number_is_404(client, dossier, clerk_gitega, number):
    signed_in(client, clerk_gitega)
    url = reverse("dossier_detail", args=[dossier.tracking_number]) + f"documents/{number}/view/"
    assert client.get(url).status_code == 404


def test_outside_the_scope_nothing_is_shown(client, dossier, personas):
    attachment = dossier.attachments.first()
    urls = [inline_url(dossier, attachment), viewer_url(dossier, 1)]
    for outsider in (personas.clerk_ngozi, personas.officer_migration):
        signed_in(client, outsider)
        for url in urls:
            assert client.get(url).status_code == 404, (outsider, url)
    # A citizen is refused every staff screen, as for the downloads (403, not a dossier's 404).
    signed_in(client, personas.citizen)
    for url in urls:
        assert client.get(url).status_code == 403
    signed_in(client, personas.clerk_gitega)
    wrong = reverse("dossier_attachment_inline", args=[dossier.tracking_number, "0" * 32])
    assert client.get(wrong).status_code == 404
    other = DossierFactory(counter=True, forwarded=True, office=dossier.office)
    # An attachment of another dossier is not reachable through this one.
    foreign = other.attachments.first() or AttachmentFactory(dossier=other)
    assert client.get(inline_url(dossier, foreign)).status_code == 404
