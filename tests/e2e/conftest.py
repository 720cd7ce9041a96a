"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's ``live_server``.

Every test in this folder is marked ``browser``, so ``pytest -m "not browser"`` skips them all.
Tests take ``live_server`` (which needs ``transactional_db``: the server thread must see committed
rows) and the ``page`` fixture below; a failing test leaves a screenshot in ``test-artifacts/``.

The browser is Debian's ``chromium`` package (``make test`` installs it), never a build that
Playwright downloads: the machines that run the tests cannot download one.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an asyncio event loop in this thread; Django's ORM refuses to run
# where a loop is running unless told it is safe. It is: the tests, not the loop, call the ORM.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
# Flags for a machine without a screen or GPU, running as root, on a closed network: without the
# networking ones Chromium keeps trying to reach Google's servers.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 15_000

# Where the per-test reports are kept, so the page fixture can tell whether its test failed.
phase_reports = pytest.StashKey[dict]()


def pytest_collection_modifyitems(config, items):
    # This hook sees every collected item of the session, not only this folder's: filter by path.
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(phase_reports, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh page in a fresh context (no cookies shared between tests).

    Whatever the Content-Security-Policy blocked on the way (an inline script or style, a
    resource from elsewhere: gup/security_headers.py) fails the test when it ends.
    """
    context = browser.new_context()
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    call = request.node.stash.get(phase_reports, {}).get("call")
    if call is not None and call.failed:
        artifacts = request.config.rootpath / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        try:
            page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
        except Exception as error:  # noqa: BLE001  (the test's own failure matters more)
            print(f"No screenshot for {request.node.nodeid}: {error}")
    context.close()
    if blocked:
        pytest.fail("The Content-Security-Policy blocked:\n" + "\n".join(blocked))


@pytest.fixture
def sign_in():
    """``sign_in(page, live_server, username, password)``: staff sign-in through the login form."""

    def sign_in(page, live_server, username, password):
        page.goto(f"{live_server.url}/staff/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        form = page.locator("form", has=page.locator("#id_password"))
        with page.expect_navigation():
            form.locator("[type=submit]").click()

    return sign_in
