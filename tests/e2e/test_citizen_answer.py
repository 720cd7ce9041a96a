"""A signed-in citizen reads the institution's questions and answers them online."""

from tests.factories import MINIMAL_PDF, PASSWORD, STEP_COMMENTS, DossierFactory, UserFactory
from workflows.states import DossierState as S


def test_a_citizen_answers_an_information_request(page, live_server):
    citizen = UserFactory(username="+25779123456", phone="+25779123456")
    dossier = DossierFactory(information_requested=True, applicant_account=citizen)

    page.goto(f"{live_server.url}/account/sign-in/")
    page.fill("#id_identifier", "79 12 34 56")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    page.click(f"a[href='/my-dossiers/{dossier.public_id}/']")
    assert STEP_COMMENTS["request_information"] in page.inner_text("main")

    page.click(f"a[href='/my-dossiers/{dossier.public_id}/answer/']")
    page.fill("#id_reply-comment", "The shop is on the ground floor.")
    page.set_input_files(
        "#id_reply-other",
        {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF},
    )
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    assert "The shop is on the ground floor." in page.inner_text("main")
    dossier.refresh_from_db()
    assert dossier.state == S.IN_REVIEW
    assert dossier.attachments.filter(document=None, original_name="plan.pdf").exists()
