"""Touch targets, focus ring and the attachment viewer, measured in Chromium.

Every visible ``a``, ``button``, ``select`` and ``input[type=submit]`` in the header, its nav and
``main`` is at least 44 x 44 px (WCAG 2.5.5, stricter than 2.5.8's 24 px) on a citizen page, a
staff queue, a dossier page and the attachment viewer, at 360 px and at 1280 px.

Exempt, per WCAG 2.5.8's inline exception: links in running text, that is an ``a`` that is not
styled as a button inside a paragraph, a definition, a quotation or a note of small print
(``INLINE`` below). Elements out of sight (the skip link before it is focused) are not measured.
"""

import pytest
from django.urls import reverse

from tests.factories import AttachmentFactory, DossierFactory, UserFactory, sample_upload

TARGETS = (
    "header a, header button, header select, header input[type=submit],"
    " main a, main button, main select, main input[type=submit]"
)
INLINE = ":is(p, dd, blockquote, .meta, .help) a:not(.button)"
MIN_PX = 44
WIDTHS = (360, 1280)

MEASURE = """([targets, inline]) => {
  const out = [];
  for (const el of document.querySelectorAll(targets)) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === "hidden") continue;
    if (box.right <= 0 || box.bottom <= 0) continue;  // off-screen until focused
    if (el.matches(inline)) continue;
    const name = (el.innerText || el.value || el.id || "").trim().replace(/\\s+/g, " ");
    out.push({what: `${el.tagName.toLowerCase()} "${name.slice(0, 40)}"`,
              width: box.width, height: box.height});
  }
  return out;
}"""

# A radio button or a check box is hit through its label.
CHOICE_LABELS = """() => [...document.querySelectorAll(
  ".field fieldset label, .field label.check")].map(el => {
    const box = el.getBoundingClientRect();
    return {what: el.innerText.trim(), height: box.height};
})"""

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {what: `${el.tagName.toLowerCase()} ${(el.innerText || el.id || "").trim().slice(0, 30)}`,
          style: style.outlineStyle, width: parseFloat(style.outlineWidth),
          shadow: style.boxShadow};
}"""


@pytest.fixture
def dossier(transactional_db):
    dossier = DossierFactory(counter=True, forwarded=True)
    AttachmentFactory(dossier=dossier)
    AttachmentFactory(dossier=dossier, upload=sample_upload(["image/png"], name="photo"))
    return dossier


@pytest.fixture
def clerk(dossier):
    return UserFactory(username="clerk.touch", clerk=True, office=dossier.office)


def too_small(page):
    measured = page.evaluate(MEASURE, [TARGETS, INLINE])
    assert measured, page.url
    return measured, [m for m in measured if m["width"] < MIN_PX or m["height"] < MIN_PX]


def assert_focus_ring(page, stops=6):
    page.locator("body").focus()
    for _ in range(stops):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["what"].startswith("body"):
            break
        assert focused["style"] != "none", (page.url, focused)
        assert focused["width"] >= 3, (page.url, focused)
        assert focused["shadow"] != "none", (page.url, focused)


def test_touch_targets_and_focus_ring(page, live_server, sign_in, dossier, clerk):
    from tests.factories import PASSWORD

    citizen_pages = [reverse("catalogue")]
    staff_pages = [
        reverse("counter_queue"),
        reverse("dossier_detail", args=[dossier.tracking_number]),
        reverse("dossier_attachment_view", args=[dossier.tracking_number, 2]),
    ]
    report = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.context.clear_cookies()
        pages = [(url, False) for url in citizen_pages] + [(url, True) for url in staff_pages]
        signed_in = False
        for url, staff in pages:
            if staff and not signed_in:
                sign_in(page, live_server, clerk.username, PASSWORD)
                signed_in = True
            page.goto(live_server.url + url)
            measured, small = too_small(page)
            assert not small, (width, url, small)
            report.append(
                (
                    width,
                    url,
                    len(measured),
                    min(measured, key=lambda m: m["width"]),
                    min(measured, key=lambda m: m["height"]),
                )
            )
            assert_focus_ring(page)
    for line in report:
        print(*line)


def test_viewer_shows_a_pdf_and_an_image_then_goes_back(page, live_server, sign_in, dossier, clerk):
    from tests.factories import PASSWORD

    sign_in(page, live_server, clerk.username, PASSWORD)
    page.goto(live_server.url + reverse("dossier_detail", args=[dossier.tracking_number]))
    page.locator("a.view").first.click()

    # The PDF, sandboxed by its Content-Security-Policy, still opens in Chromium's viewer.
    page.wait_for_function("() => document.querySelector('iframe.viewer') !== null", timeout=5_000)
    page.wait_for_timeout(200)
    for _ in range(50):
        if any(frame.url.startswith("chrome-extension://") for frame in page.frames):
            break
        page.wait_for_timeout(100)
    assert any(frame.url.startswith("chrome-extension://") for frame in page.frames), [
        frame.url for frame in page.frames
    ]

    # The photo was attached last: "Next" leads to it, through any other documents.
    image = page.locator("img.viewer-image")
    while page.locator("a[rel=next]").count():
        with page.expect_navigation():
            page.locator("a[rel=next]").click()
    image.wait_for()
    page.wait_for_function("() => document.querySelector('img.viewer-image').complete")
    assert image.evaluate("img => img.naturalWidth") == 8
    assert page.locator("a[rel=next]").count() == 0
    last = dossier.attachments.count()
    assert page.url.endswith(f"/documents/{last}/view/")

    with page.expect_navigation():
        page.locator("a[rel=prev]").click()
    assert page.url.endswith(f"/documents/{last - 1}/view/")
    page.get_by_role("link", name=dossier.tracking_number).first.click()
    assert page.url.endswith(
        reverse("dossier_detail", args=[dossier.tracking_number]) + "#documents"
    )


def test_the_counter_steps_are_touch_targets_with_their_errors_shown(
    page, live_server, sign_in, transactional_db
):
    """The payment, the relayed answer and the hand-over, as the clerk sees them, first empty
    and then sent empty (the error summary's links and the messages beside the fields)."""
    from tests.factories import PASSWORD

    steps = {
        "record_payment": DossierFactory(counter=True, awaiting_payment=True),
        "provide_information": DossierFactory(counter=True, information_requested=True),
        "hand_over": DossierFactory(counter=True, ready_for_collection=True),
    }
    offices = {dossier.office for dossier in steps.values()}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for office in offices:
            clerk = UserFactory(username=f"clerk.{office.code}.{width}", clerk=True, office=office)
            page.context.clear_cookies()
            sign_in(page, live_server, clerk.username, PASSWORD)
            for step, dossier in steps.items():
                if dossier.office != office:
                    continue
                page.goto(
                    live_server.url + reverse("dossier_step", args=[dossier.tracking_number, step])
                )
                for attempt in ("blank", "sent empty"):
                    measured, small = too_small(page)
                    assert not small, (width, step, attempt, small)
                    choices = page.evaluate(CHOICE_LABELS)
                    assert all(label["height"] >= MIN_PX for label in choices), (step, choices)
                    assert page.evaluate("document.documentElement.scrollWidth") <= width
                    if attempt == "blank":
                        if page.locator("#id_amount_bif").count():
                            page.fill("#id_amount_bif", "")  # prefilled with the amount due
                        with page.expect_navigation():
                            page.locator("form.stack button.primary").click()
                        assert page.locator(".error-summary li").count(), (step, page.url)
                assert_focus_ring(page)


def test_every_citizen_page_is_made_of_touch_targets_in_kirundi(
    page, live_server, transactional_db
):
    """The pages a citizen sees, signed in and reading Kirundi, on a phone and a desktop."""
    from django.test import Client

    from tests.test_page_weight import citizen_page_urls

    citizen = UserFactory(username="aline", first_name="Aline", last_name="Ndayishimiye")
    client = Client()
    client.force_login(citizen)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
            {"name": "django_language", "value": "rn", "url": live_server.url},
        ]
    )
    urls = citizen_page_urls(citizen)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for url in urls:
            page.goto(live_server.url + url)
            assert page.locator("html").get_attribute("lang") == "rn", url
            measured, small = too_small(page)
            assert not small, (width, url, small)
            choices = page.evaluate(CHOICE_LABELS)
            assert all(label["height"] >= MIN_PX for label in choices), (width, url, choices)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, url)
