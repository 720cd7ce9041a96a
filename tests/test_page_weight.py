"""Every citizen page weighs at most 30 KB compressed on a first visit, its CSS and JS included,
asks nothing of another host, and labels every field it shows.

A first visit downloads the page and every stylesheet, script, icon and image it references; each
is measured gzip-compressed, as GZipMiddleware and whitenoise serve them.
"""

import gzip
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

from services.models import Office, Service
from tests.factories import DossierFactory
from workflows import online
from workflows.actions import perform
from workflows.actors import Actor
from workflows.citizen_access import new_token

BUDGET_BYTES = 30 * 1024
ASSET = re.compile(
    r"<(?:link[^>]*\brel=\"(?:stylesheet|icon)\"[^>]*\bhref|script[^>]*\bsrc|img[^>]*\bsrc)=\"([^\"]+)\""
)
EXTERNAL = re.compile(r"\b(?:src|href|action|srcset)=\"(?:https?:)?//(?!testserver[/\"])", re.I)


def compressed_size(content: bytes) -> int:
    return len(gzip.compress(content, compresslevel=9))


def first_visit_weight(client, url) -> tuple[int, str]:
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200, url
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        weight, html = len(body), gzip.decompress(body).decode()
    else:  # too small for the middleware to bother
        weight, html = len(body), body.decode()
    for asset in set(ASSET.findall(html)):
        assert asset.startswith(settings.STATIC_URL), f"{url} loads {asset}"
        path = finders.find(asset[len(settings.STATIC_URL) :])
        assert path, f"{url}: {asset} not found"
        with open(path, "rb") as handle:
            weight += compressed_size(handle.read())
    return weight, html


def citizen_page_urls(citizen) -> list[str]:
    """The URL of every page a citizen sees, with the real catalogue and map (also what
    ``tests/e2e/bench_citizen_pages.py`` times in a browser)."""
    call_command("loaddata", "geography", "catalogue", verbosity=0)
    building_permit = Service.objects.get(code="building-permit")
    draft = perform(
        None,
        "draft_started",
        Actor.for_user(citizen),
        service=building_permit,
        office=Office.objects.first(),
        language="rn",
        token_hash=new_token()[1],
    )
    draft.current_step = "check"
    draft.save()
    returned = DossierFactory(returned=True, applicant_account=citizen, service=building_permit)
    in_review = DossierFactory(in_review=True, applicant_account=citizen)
    # How to pay, and a decision with its reasons: the fullest dossier pages.
    passport = Service.objects.get(code="passport")
    to_pay = DossierFactory(awaiting_payment=True, applicant_account=citizen, service=passport)
    rejected = DossierFactory(rejected=True, applicant_account=citizen, service=building_permit)
    steps = [
        reverse("citizen_step", args=[draft.public_id, s]) for s in online.steps_for(draft.service)
    ]
    return [
        "/",
        reverse("catalogue"),
        reverse("service_detail", args=["passport"]),
        reverse("citizen_start", args=["building-permit"]),
        *steps,
        reverse("citizen_done", args=[returned.public_id]),
        reverse("citizen_follow", args=[returned.public_id]),
        reverse("citizen_answer", args=[returned.public_id]),
        reverse("citizen_withdraw", args=[in_review.public_id]),
        reverse("citizen_follow", args=[to_pay.public_id]),
        reverse("citizen_follow", args=[rejected.public_id]),
        reverse("my_dossiers"),
        reverse("track"),
        reverse("citizen_sign_in"),
        reverse("citizen_sign_up"),
    ]


@pytest.fixture
def citizen_pages(client, citizen):
    """Every citizen page, read in Kirundi by the signed-in citizen."""
    client.cookies["django_language"] = "rn"
    client.force_login(citizen)
    return citizen_page_urls(citizen)


@pytest.mark.django_db
def test_every_citizen_page_fits_the_budget_and_stays_on_this_host(client, citizen_pages):
    weights = {}
    for url in citizen_pages:
        weights[url], html = first_visit_weight(client, url)
        assert not EXTERNAL.search(html), f"{url} refers to another host"
    print("\nFirst-visit weight, gzip (bytes):")
    for url, weight in weights.items():
        print(f"  {weight:6d}  {url}")
    too_heavy = {url: weight for url, weight in weights.items() if weight > BUDGET_BYTES}
    assert not too_heavy


@pytest.mark.django_db
def test_the_public_status_page_fits_the_budget(client, db):
    dossier = DossierFactory(in_review=True, applicant_phone="+25779123456")

    response = client.post(
        reverse("track"),
        {"tracking_number": dossier.tracking_number, "phone_digits": "3456"},
        HTTP_ACCEPT_ENCODING="gzip",
    )

    assert response.status_code == 200
    assert (
        len(response.content)
        + compressed_size(
            open(finders.find("css/gup.css"), "rb").read()  # noqa: SIM115
        )
        + compressed_size(
            open(finders.find("js/uploads.js"), "rb").read()  # noqa: SIM115
        )
        <= BUDGET_BYTES
    )


FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*>")


@pytest.mark.django_db
def test_every_field_of_every_citizen_page_has_a_label(client, citizen_pages):
    for url in citizen_pages:
        html = client.get(url).content.decode()
        labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
        for field in FIELD.findall(html):
            if re.search(r'type="(?:hidden|submit)"', field):
                continue
            field_id = re.search(r'\bid="([^"]+)"', field)
            assert field_id and field_id.group(1) in labelled, f"{url}: {field}"
        assert '<html lang="rn">' in html


@pytest.mark.django_db
def test_the_upload_script_is_counted_on_the_pages_with_upload_fields(client, citizen_pages):
    """Pages with an upload field load js/uploads.js (downscaling, progress, error focus); its
    weight is part of their first visit, and it stays small."""
    script = finders.find("js/uploads.js")
    with open(script, "rb") as handle:
        assert compressed_size(handle.read()) <= 4 * 1024
    upload_pages = [url for url in citizen_pages if url.endswith(("/documents/", "/answer/"))]
    assert len(upload_pages) == 2
    for url in upload_pages:
        weight, html = first_visit_weight(client, url)
        assert '<script src="/static/js/uploads.js" defer>' in html
        assert "data-upload-progress" in html and 'type="file"' in html
        assert weight <= BUDGET_BYTES
