"""What the upload tests and the upload benchmark share: a citizen's browser in Kirundi on a
360 px phone, a slow link (400 kbps both ways, 400 ms of latency, through Chromium's own network
emulation), and the online building permit up to its documents page."""

from django.core.management import call_command

from services.models import Service
from tests.e2e.test_citizen_filing import continue_, fill_applicant, fill_questions, sample_file

PHONE = {"width": 360, "height": 740}
#: 400 kbps is 50 000 bytes a second.
SLOW_LINK = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
}


def phone_context(browser, live_server, *, javascript=True):
    """A fresh browser context: a 360 px phone, Kirundi chosen, JavaScript on or off."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    context.set_default_timeout(60_000)
    context.add_cookies([{"name": "django_language", "value": "rn", "url": live_server.url}])
    return context


def slow_down(page):
    """From now on, this page's requests go at 400 kbps with 400 ms of latency."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", SLOW_LINK)
    return session


def building_permit():
    call_command("loaddata", "geography", "catalogue", verbosity=0)
    return Service.objects.get(code="building-permit")


def open_documents_page(page, live_server, service):
    """Start the building permit online and answer everything up to the documents page."""
    page.goto(f"{live_server.url}/services/{service.code}/apply/")
    page.locator("input[name=office]").first.check()
    continue_(page)
    fill_applicant(page)
    fill_questions(page, service)
    assert page.url.endswith("/documents/"), page.url


def choose_documents(page, service, photo: bytes):
    """The mandatory documents as small files, and ``photo`` as the photo of the site."""
    for document in service.documents.filter(mandatory=True):
        page.set_input_files(f"#id_document-{document.code}", sample_file(document))
    page.set_input_files(
        "#id_document-site-photo",
        {"name": "IMG_20260412_101512.jpg", "mimeType": "image/jpeg", "buffer": photo},
    )
