"""The browser-test machinery works: Chromium opens a page served by the live server."""

import json


def test_the_browser_reaches_the_live_server(page, live_server):
    response = page.goto(live_server.url + "/healthz")

    assert response is not None
    assert response.status == 200
    assert "database" in page.locator("body").inner_text()
    assert json.loads(response.text())["database"] == "ok"
