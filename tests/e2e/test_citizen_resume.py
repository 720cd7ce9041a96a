"""An interrupted online application is taken up again, in another browser, with its link."""

from django.core.management import call_command

from services.models import Service
from tests.e2e.test_citizen_filing import (
    attach_documents,
    continue_,
    fill_applicant,
    fill_questions,
)
from workflows.models import Dossier
from workflows.states import DossierState as S


def test_a_citizen_resumes_an_interrupted_application_with_the_link(browser, page, live_server):
    call_command("loaddata", "geography", "catalogue", verbosity=0)
    service = Service.objects.get(code="passport")

    page.goto(f"{live_server.url}/services/passport/apply/")
    page.locator("input[name=office]").first.check()
    continue_(page)
    fill_applicant(page)
    page.click("details.resume summary")
    link = page.locator("details.resume a.token").get_attribute("href")
    page.context.close()  # the phone's battery died

    other = browser.new_context()
    try:
        other.set_default_timeout(15_000)
        resumed = other.new_page()
        resumed.goto(link)
        assert "/questions-1/" in resumed.url  # where the citizen stopped
        resumed.click("main a[href$='/applicant/']")
        assert resumed.input_value("#id_applicant-applicant_first_name") == "Aline"
        continue_(resumed)
        fill_questions(resumed, service)
        attach_documents(resumed, service)
        continue_(resumed)
        number = resumed.locator("#tracking-number").inner_text().strip()
    finally:
        other.close()

    dossier = Dossier.objects.get()
    assert (dossier.tracking_number, dossier.state) == (number, S.SUBMITTED)
