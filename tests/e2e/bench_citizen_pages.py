"""What each citizen page costs on a first visit over the issue's slow link, in Chromium.

Not part of the suite (its name does not start with ``test_``): run it by name, it prints the
figures::

    DJANGO_SETTINGS_MODULE=gup.settings.test .venv/bin/pytest -p no:cacheprovider -s \\
        tests/e2e/bench_citizen_pages.py

Every page a citizen sees (the pages ``tests/test_page_weight.py`` weighs) is opened in a fresh
browser context (an empty cache: a first visit) on a 360 px phone in Kirundi, over Chromium's
emulated 400 kbps / 400 ms link. For each page it prints the bytes that crossed the wire (the
page, its style sheet, its script and its favicon, compressed as served) and the time from the
start of the navigation to the ``load`` event, the median of three visits.
"""

import statistics

from django.test import Client

from tests.e2e.slow_link import phone_context, slow_down
from tests.factories import UserFactory
from tests.test_page_weight import citizen_page_urls

VISITS = 3

LOAD_TIME = """() => {
  const navigation = performance.getEntriesByType("navigation")[0];
  return navigation.loadEventEnd - navigation.startTime;
}"""


def first_visit(browser, live_server, url, session_cookie) -> tuple[float, int]:
    context = phone_context(browser, live_server)
    context.add_cookies([{**session_cookie, "url": live_server.url}])
    page = context.new_page()
    session = slow_down(page)
    transferred = []
    session.on(
        "Network.loadingFinished", lambda event: transferred.append(event["encodedDataLength"])
    )
    page.goto(live_server.url + url, wait_until="load")
    # The favicon is asked for after ``load``: wait until nothing is on the wire any more.
    page.wait_for_load_state("networkidle")
    elapsed = page.evaluate(LOAD_TIME)
    context.close()
    return elapsed, sum(transferred)


def test_bench_citizen_pages(browser, live_server, transactional_db):
    citizen = UserFactory(username="aline", first_name="Aline", last_name="Ndayishimiye")
    client = Client()
    client.force_login(citizen)
    cookie = client.cookies["sessionid"]
    session_cookie = {"name": "sessionid", "value": cookie.value}
    urls = citizen_page_urls(citizen)
    print(f"\nFirst visit of each citizen page at 400 kbps, 400 ms latency (median of {VISITS}):")
    print(f"  {'page':58s} {'bytes':>8s} {'load ms':>8s}")
    for url in urls:
        visits = [first_visit(browser, live_server, url, session_cookie) for _ in range(VISITS)]
        elapsed = statistics.median(ms for ms, _ in visits)
        transferred = max(size for _, size in visits)
        print(f"  {url[:58]:58s} {transferred:8,d} {elapsed:8.0f}")
