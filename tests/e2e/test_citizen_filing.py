"""A citizen files a building permit online in Kirundi, from the catalogue to the confirmation."""

import re

from django.core.management import call_command
from django.utils import translation

from gup.formatting import day
from services.models import FieldKind, Service
from tests.factories import MINIMAL_PDF, png_bytes
from workflows.models import Dossier
from workflows.states import DossierState as S
from workflows.tracking import TRACKING_PATTERN

APPLICANT = {
    "#id_applicant-applicant_first_name": "Aline",
    "#id_applicant-applicant_last_name": "Ndayishimiye",
    "#id_applicant-applicant_national_id": "0412/000123",
    "#id_applicant-applicant_birth_date": "1990-05-17",
    "#id_applicant-applicant_phone": "79 12 34 56",
}


def sample_file(document):
    """A tiny real file of a type the document accepts."""
    if "application/pdf" in document.accepted_types:
        return {
            "name": f"{document.code}.pdf",
            "mimeType": "application/pdf",
            "buffer": MINIMAL_PDF,
        }
    return {"name": f"{document.code}.png", "mimeType": "image/png", "buffer": png_bytes()}


def continue_(page):
    """The page's own submit button (the header has the language one)."""
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def fill_applicant(page):
    for selector, value in APPLICANT.items():
        page.fill(selector, value)
    page.select_option("#id_applicant-applicant_commune", index=1)
    continue_(page)


def fill_questions(page, service):
    """Answer every question page that is shown, whatever the number of pages."""
    specs = {spec.code: spec for spec in service.fields.all()}
    while "/questions-" in page.url:
        for field in page.locator("main [name^='answer-']").all():
            code = field.get_attribute("name").removeprefix("answer-")
            spec = specs[code]
            if spec.kind == FieldKind.CHOICE:
                field.select_option(spec.choices[0]["value"])
            elif spec.kind == FieldKind.INTEGER:
                field.fill(str(max(spec.min_value or 1, 1)))
            else:
                field.fill("Parcelle 12")
        continue_(page)


def attach_documents(page, service):
    for document in service.documents.filter(mandatory=True):
        page.set_input_files(f"#id_document-{document.code}", sample_file(document))
    continue_(page)


def test_a_citizen_files_online_in_kirundi(page, live_server):
    call_command("loaddata", "geography", "catalogue", verbosity=0)
    service = Service.objects.get(code="building-permit")

    page.goto(live_server.url + "/")
    page.select_option("#language", "rn")
    with page.expect_navigation():
        page.locator("form.lang button").click()
    assert page.locator("html").get_attribute("lang") == "rn"

    page.click("main a[href='/services/']")
    page.click("a[href='/services/building-permit/']")
    assert service.name_rn in page.locator("h1").inner_text()
    page.locator("a[href='/services/building-permit/apply/']").first.click()

    page.locator("input[name=office]").first.check()
    continue_(page)
    fill_applicant(page)
    fill_questions(page, service)
    attach_documents(page, service)

    assert page.url.endswith("/check/")
    assert "Parcelle 12" in page.inner_text("main")
    continue_(page)

    assert page.locator("html").get_attribute("lang") == "rn"
    number = page.locator("#tracking-number").inner_text().strip()
    assert TRACKING_PATTERN.match(number)
    dossier = Dossier.objects.get(tracking_number=number)
    assert dossier.state == S.SUBMITTED
    assert dossier.language == "rn"
    with translation.override("rn"):
        expected = day(dossier.due_date)
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", expected)  # "16 Kigarama 2026"
    assert expected in page.inner_text("main")  # the expected date, with its Kirundi month
