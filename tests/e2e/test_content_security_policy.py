"""In Chromium, the Content-Security-Policy stops what an injection would add, and nothing else.

Markup slipped into a page (an inline script, an ``onerror`` handler, a ``style=``, a script
from another host) is refused by the browser, which reports each refusal; the page's own script
still runs. The page is opened in a context of its own: the shared ``page`` fixture fails any
test that meets a violation, and meeting them is the point here.
"""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

INJECT = """() => {
    window.refused = [];
    document.addEventListener('securitypolicyviolation', (event) => {
        window.refused.push(event.effectiveDirective + ' ' + event.blockedURI);
    });
    const main = document.querySelector('main');
    main.insertAdjacentHTML('beforeend',
        '<p id="styled" style="color: rgb(255, 0, 0)">x</p>' +
        '<img id="handler" src="/no-such-image" onerror="window.byHandler = true">');
    const inline = document.createElement('script');
    inline.textContent = 'window.byInlineScript = true;';
    document.body.appendChild(inline);
    const foreign = document.createElement('script');
    foreign.src = 'https://cdn.example.org/x.js';
    document.body.appendChild(foreign);
}"""


def test_injected_code_does_not_run_and_the_page_own_script_does(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/verify/offline/")
    # The page's own script (js/verify-offline.js) answers the form in the page.
    page.click("#verify-form button[type=submit]")
    page.wait_for_function("() => document.getElementById('verdict').dataset.finding === 'empty'")

    page.evaluate(INJECT)
    page.wait_for_function("() => window.refused.length >= 4")

    assert sorted(page.evaluate("() => window.refused")) == [
        "script-src-attr inline",
        "script-src-elem https://cdn.example.org/x.js",
        "script-src-elem inline",
        "style-src-attr inline",
    ]
    assert page.evaluate("() => [window.byInlineScript, window.byHandler]") == [None, None]
    color = page.evaluate("() => getComputedStyle(document.getElementById('styled')).color")
    assert color != "rgb(255, 0, 0)"
    context.close()
