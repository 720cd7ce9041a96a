"""The supervision page and the assignment page at 360 px and 1280 px: every target 44 x 44 px,
a visible focus ring, and ticking two dossiers and choosing a clerk assigns both."""

from django.urls import reverse

from tests.e2e.test_touch_and_viewer import WIDTHS, assert_focus_ring, too_small
from tests.factories import PASSWORD, DossierFactory, UserFactory


def test_the_supervision_pages_on_a_phone_and_a_desktop(
    page, live_server, sign_in, transactional_db
):
    first = DossierFactory(counter=True, intake=True)
    office = first.office
    second = DossierFactory(counter=True, intake=True, office=office, service=first.service)
    clerk = UserFactory(username="clerk.touch", clerk=True, office=office, first_name="Divine")
    supervisor = UserFactory(
        username="supervisor.touch", office_supervisor=True, office=office, preferred_language="en"
    )
    sign_in(page, live_server, supervisor.username, PASSWORD)
    urls = [
        reverse("supervision") + "?show=open",
        reverse("dossier_assign", args=[first.tracking_number]),
    ]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for url in urls:
            page.goto(live_server.url + url)
            _measured, small = too_small(page)
            assert not small, (width, url, small)
            assert_focus_ring(page)

    page.goto(live_server.url + urls[0])
    for dossier in (first, second):
        page.locator(f"input[name=dossier][value='{dossier.tracking_number}']").check()
    page.select_option("#id_assignee", value=str(clerk.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Assign the ticked dossiers").click()
    assert "Assigned to Divine" in page.content()
    for dossier in (first, second):
        dossier.refresh_from_db()
        assert dossier.clerk.username == "clerk.touch"
