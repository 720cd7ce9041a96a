"""The counter in Chromium: a file chosen once survives a form error, and the new controls
(the look-up, a kept file's remove box, the checklist's marks) are 44 px touch targets at 360
and 1280 px."""

import pytest
from django.urls import reverse

from tests.e2e.test_touch_and_viewer import INLINE, MEASURE, MIN_PX, TARGETS
from tests.factories import MINIMAL_PDF, PASSWORD, DossierFactory, UserFactory
from workflows.models import Dossier

pytestmark = pytest.mark.browser

# Radio and checkbox labels are what a finger hits on these pages.
LABELS = """() => [...document.querySelectorAll(
  ".kept-remove label, .checklist fieldset label")].map(el => {
    const box = el.getBoundingClientRect();
    return {what: el.innerText.trim(), height: box.height};
})"""


@pytest.fixture
def dossier(transactional_db):
    return DossierFactory(counter=True, intake=True)


@pytest.fixture
def clerk(dossier):
    return UserFactory(username="clerk.intake", clerk=True, office=dossier.office)


def test_a_file_chosen_once_is_filed_after_the_form_is_corrected(
    page, live_server, sign_in, dossier, clerk, tmp_path
):
    service = dossier.service
    plans = tmp_path / "plans.pdf"
    plans.write_bytes(MINIMAL_PDF)
    sign_in(page, live_server, clerk.username, PASSWORD)
    url = live_server.url + reverse("counter_file", args=[service.code])

    # A returning citizen: their details fill the form.
    page.goto(url)
    page.fill("#id_lookup-national_id", dossier.applicant_national_id)
    with page.expect_navigation():
        page.get_by_role("button", name="Find").click()
    assert page.input_value("#id_applicant-applicant_last_name") == dossier.applicant_last_name

    # The phone is mistyped; the file is chosen once.
    page.fill("#id_applicant-applicant_phone", "12")
    for field in page.locator("input[type=file]").all():
        field.set_input_files(str(plans))
    with page.expect_navigation():
        page.get_by_role("button", name="File the dossier").click()
    assert page.locator(".kept").first.inner_text().startswith("Kept: plans.pdf")

    page.fill("#id_applicant-applicant_phone", "79 12 34 56")
    for name, value in dossier.answers.items():
        field = page.locator(f"[name='answer-{name}']")
        if field.count() and field.first.get_attribute("type") not in ("radio", "checkbox"):
            field.first.fill(str(value))
    with page.expect_navigation():
        page.get_by_role("button", name="File the dossier").click()

    filed = Dossier.objects.exclude(pk=dossier.pk).get()
    assert filed.attachments.count() == service.documents.count()
    assert filed.tracking_number in page.content()


def test_the_new_controls_are_touch_targets(page, live_server, sign_in, dossier, clerk, tmp_path):
    plans = tmp_path / "plans.pdf"
    plans.write_bytes(MINIMAL_PDF)
    sign_in(page, live_server, clerk.username, PASSWORD)
    counter = live_server.url + reverse("counter_file", args=[dossier.service.code])
    checklist = live_server.url + reverse("dossier_checklist", args=[dossier.tracking_number])
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(counter)
        for field in page.locator("input[type=file]").all():
            field.set_input_files(str(plans))
        with page.expect_navigation():
            page.get_by_role("button", name="File the dossier").click()
        for url in (None, checklist):
            if url:
                page.goto(url)
            measured = page.evaluate(MEASURE, [TARGETS, INLINE])
            small = [m for m in measured if m["width"] < MIN_PX or m["height"] < MIN_PX]
            assert not small, (width, page.url, small)
            labels = page.evaluate(LABELS)
            assert labels, page.url
            assert all(label["height"] >= 44 for label in labels), (width, labels)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
