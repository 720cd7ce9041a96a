"""Hostile input: whatever is typed, pasted or put in an address, no server error, no script run
in a page, nothing stored half-way.

The defects first (each failed before its fix): a huge ``?page=`` on every queue, a NUL in a
dossier address, a search or an admin list filter (PostgreSQL refuses NUL in text), a cookie
holding one. Then Hypothesis: text with NUL, lone surrogates (sent as the raw bytes a browser
could send, since UTF-8 cannot carry them), right-to-left overrides, huge numbers and markup,
put into every form the pages offer (found by reading the pages, so a new form is fuzzed the
day it appears), every query parameter of the queues and every URL parameter. Each example runs
in a savepoint rolled back afterwards; a page that does not move on (no redirect) must have
written nothing at all.
"""

import uuid
from html.parser import HTMLParser
from urllib.parse import quote, urljoin

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.factories import MINIMAL_PDF, PASSWORD, DossierFactory, png_bytes
from tests.test_citizen_filing import applicant_data
from tests.test_counter_views import filing_data
from workflows.actions import perform
from workflows.models import Dossier, PaymentMethod
from workflows.views.paging import MAX_PAGE, page_number

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def counted_apart(settings):
    """Hundreds of fuzzed look-ups would use up this run's /track/ allowance (counted per client
    address in the shared cache, under a key that names the rate) for the tests that follow: a
    rate of their own counts them apart, and lets every fuzzed look-up reach the form."""
    settings.GUP_TRACK_RATE = "1000000/h"


# --- What is typed --------------------------------------------------------------------------

MARKUP = [
    "<script>gupxss()</script>",
    '"><svg onload=gupxss()>',
    "'><img src=x onerror=gupxss()>",
    "javascript:gupxss()",
    "{{ gupxss }}{% now 'Y' %}",
]
#: What must never appear as it was typed: it would run.
LIVE_MARKUP = [b"<script>gupxss", b"<svg onload=gupxss", b"<img src=x onerror=gupxss"]
SAMPLES = [
    "\x00",
    "GIT-2026-\x00",
    "\ud800",
    "\udfff",
    "a\udc80b",
    "\u202e",
    "\u202egpj.exe",
    "\u200f\u2066\u2069",
    "\ufeff",
    "9" * 30,
    "9" * 5000,
    "-1",
    "0",
    "1e309",
    "NaN",
    "-0.0",
    "2026-02-30",
    "99999999999999999999999999999999",
    "../../../etc/passwd",
    "' OR 1=1 --",
    "%00%ED%A0%80",
    "\r\nSet-Cookie: x=1",
    " ",
    "",
    *MARKUP,
]
hostile_text = st.one_of(
    st.sampled_from(SAMPLES),
    st.lists(st.sampled_from(SAMPLES), min_size=2, max_size=4).map("".join),
    st.text(max_size=40),
    st.integers(min_value=0xD800, max_value=0xDFFF).map(chr),
    st.integers().map(str),
    st.tuples(st.text(max_size=8), st.sampled_from(SAMPLES)).map("".join),
)
FUZZ = settings(
    max_examples=30,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def raw(text: str) -> bytes:
    """The bytes a browser could send for ``text``, lone surrogates included."""
    return text.encode("utf-8", "surrogatepass")


def urlencoded(pairs) -> str:
    return "&".join(
        f"{quote(raw(name), safe='')}={quote(raw(value), safe='')}" for name, value in pairs
    )


BOUNDARY = "gup-hostile-boundary"


def multipart(pairs, files) -> bytes:
    parts = []
    for name, value in pairs:
        parts.append(
            b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
            % (BOUNDARY.encode(), raw(name).replace(b'"', b"%22"), raw(value))
        )
    for name, (filename, content) in files.items():
        parts.append(
            b'--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
            b"Content-Type: application/octet-stream\r\n\r\n%s\r\n"
            % (BOUNDARY.encode(), raw(name), raw(filename).replace(b'"', b"%22"), content)
        )
    return b"".join(parts) + b"--%s--\r\n" % BOUNDARY.encode()


# --- Reading the forms a page offers --------------------------------------------------------


class Form:
    def __init__(self, action, method, enctype):
        self.action, self.method, self.enctype = action, method, enctype
        self.fields: list[tuple[str, str]] = []  # (name, default value)
        self.files: list[str] = []

    def __repr__(self):
        return f"<Form {self.method} {self.action} {[n for n, _v in self.fields]}>"


class FormReader(HTMLParser):
    def __init__(self, page_url):
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self.current = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urljoin(self.page_url, attrs.get("action") or self.page_url)
            self.current = Form(
                action, (attrs.get("method") or "get").lower(), attrs.get("enctype") or ""
            )
            self.forms.append(self.current)
            return
        form = self.current
        if form is None or not attrs.get("name"):
            if tag == "option" and self.select is not None and self.select[1] is None:
                self.select[1] = attrs.get("value", "")
            return
        name = attrs["name"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind == "file":
                form.files.append(name)
            elif kind in ("checkbox", "radio"):
                if name not in [n for n, _v in form.fields]:
                    form.fields.append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "reset", "image"):
                form.fields.append((name, attrs.get("value", "")))
        elif tag == "textarea":
            form.fields.append((name, "A plain sentence."))
        elif tag == "select":
            self.select = [name, None]
        elif tag == "button" and attrs.get("value"):
            form.fields.append((name, attrs["value"]))

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None and self.current is not None:
            self.current.fields.append((self.select[0], self.select[1] or ""))
            self.select = None
        elif tag == "form":
            self.current = None


def forms_on(client, url) -> list[Form]:
    response = client.get(url)
    assert response.status_code == 200, url
    reader = FormReader(url)
    reader.feed(response.content.decode())
    return [f for f in reader.forms if "/i18n/" not in f.action and "logout" not in f.action]


def links_on(client, url, needle) -> list[str]:
    page = client.get(url).content.decode()
    reader = _LinkReader()
    reader.feed(page)
    return sorted({urljoin(url, href) for href in reader.links if needle in href})


class _LinkReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


# --- What must hold after each attempt ------------------------------------------------------

CSRF = "csrfmiddlewaretoken"  # the test client does not check it: nothing to fuzz
COUNTED_APPS = ("workflows", "accounts", "services")


def row_counts() -> dict:
    return {
        model._meta.label: model.objects.count()
        for app in COUNTED_APPS
        for model in apps.get_app_config(app).get_models()
    }


def assert_no_live_markup(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    for live in LIVE_MARKUP:
        assert live not in content, live


def submit(client, form: Form, values: dict, files=None):
    pairs = [(name, values.get(name, default)) for name, default in form.fields]
    if form.method == "get":
        return client.get(form.action.split("?")[0] + "?" + urlencoded(pairs))
    if form.files or "multipart" in form.enctype:
        files = files or dict.fromkeys(form.files, ("document.pdf", MINIMAL_PDF))
        return client.generic(
            "POST",
            form.action,
            multipart(pairs, files),
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
        )
    return client.generic(
        "POST", form.action, urlencoded(pairs), content_type="application/x-www-form-urlencoded"
    )


DRAFT_SAVED = "workflows.HistoryEntry"


def attempt(client, form: Form, values: dict, files=None, *, draft=None, may_keep=()):
    """Send the form in a savepoint rolled back afterwards; check what must hold.

    A page of the online form that is refused still keeps what passed on it (on purpose: the
    citizen does not type it again), as one "draft saved" row; nothing else may be written, and
    the refused value is not kept. ``may_keep`` names other rows a refusal keeps on purpose
    (the counter keeps the documents of a form sent back with errors)."""
    with transaction.atomic():
        before = row_counts()
        response = submit(client, form, values, files)
        assert response.status_code < 500
        assert_no_live_markup(response)
        if response.status_code != 302 and form.method == "post":
            after = row_counts()
            if draft is not None and after[DRAFT_SAVED] == before[DRAFT_SAVED] + 1:
                entry = draft.history.latest("id")
                assert entry.kind == "draft_saved"
                after[DRAFT_SAVED] = before[DRAFT_SAVED]
                saved = Dossier.objects.filter(pk=draft.pk).values().get()
                assert not any("\x00" in str(value) for value in saved.values())
            for label in may_keep:
                after[label] = before[label]
            assert after == before, "a refused form wrote something"
        transaction.set_rollback(True)
    return response


def fuzz_forms(client, forms, *, files=None, defaults=None, max_examples=30, draft=None):
    """Hypothesis over ``forms``: one to three fields set to hostile text, the others left as
    the page filled them (so that the hostile value is what the view has to deal with)."""
    forms = [f for f in forms if any(name != CSRF for name, _v in f.fields)]
    assert forms

    @settings(FUZZ, max_examples=max_examples)
    @given(data=st.data())
    def run(data):
        form = data.draw(st.sampled_from(forms), label="form")
        names = [name for name, _v in form.fields if name != CSRF]
        chosen = data.draw(
            st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True), label="fields"
        )
        values = dict(defaults or {})
        for name in chosen:
            values[name] = data.draw(hostile_text, label=name)
        attempt(client, form, values, files, draft=draft)

    run()


def signed_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    client.cookies["django_language"] = "en"
    return client


# --- The defects ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw_page", "number"),
    [
        ("3", 3),
        ("99999999999999999999999", MAX_PAGE),
        ("9" * 5000, MAX_PAGE),
        (str(MAX_PAGE + 1), MAX_PAGE),
        ("-4", 1),
        ("0", 1),
        ("1_000", 1),
        ("١٢", 1),  # Arabic-Indic digits: int() would take them
        ("1e3", 1),
        (" 2", 1),
        ("", 1),
        (None, 1),
        ("\x00", 1),
    ],
)
def test_page_numbers_are_read_strictly_and_bounded(raw_page, number):
    assert page_number(raw_page) == number


@given(st.one_of(st.text(), st.integers().map(str), st.none()))
@settings(max_examples=50, deadline=None)
def test_any_page_parameter_is_a_page_in_range(value):
    assert 1 <= page_number(value) <= MAX_PAGE


@pytest.fixture
def queues(personas, building_permit):
    """Every queue, as the person who sees it, with a dossier in it."""
    DossierFactory(
        counter=True, intake=True, service=building_permit, office=personas.office_gitega
    )
    DossierFactory(
        counter=True, forwarded=True, service=building_permit, office=personas.office_gitega
    )
    return [
        (personas.clerk_gitega, reverse("counter_queue")),
        (personas.officer_urbanism, reverse("review_queue")),
        (personas.supervisor_gitega, reverse("supervision")),
        (personas.supervisor_urbanism, reverse("supervision")),
        (personas.auditor, reverse("audit_dossiers")),
    ]


def test_a_huge_page_number_shows_an_empty_page_on_every_queue(client, queues):
    for person, url in queues:
        signed_in(client, person)
        for page in ("99999999999999999999", "9" * 5000, "-1", "abc"):
            response = client.get(url, {"page": page})
            assert response.status_code == 200, (url, page)
        client.logout()


def test_a_nul_in_an_address_or_a_search_is_a_400_not_a_server_error(client, queues, personas):
    signed_in(client, personas.clerk_gitega)
    for url in (
        "/dossiers/GIT-2026-%00/",
        "/dossiers/%00/steps/approve/",
        "/counter/?q=%00",
        "/counter/?service=%00",
        "/counter/?%00=1",
        "/track/?number=GIT%00",
        "/resume/%00/",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "could not be read" in response.content.decode()
    # The verification pages answer it themselves, more precisely (tests/test_verification.py).
    assert "not a GUP verification code" in client.get("/verify/%00").content.decode()


def test_a_nul_in_the_admin_search_or_list_filter_is_a_400(client, administrator, queues):
    signed_in(client, administrator)
    changelist = reverse("admin:workflows_dossier_changelist")
    assert client.get(changelist).status_code == 200
    for query in ("q=%00", "state__exact=%00", "q=GIT%00%00", "o=%00"):
        assert client.get(f"{changelist}?{query}").status_code == 400, query
    assert client.get(reverse("admin:workflows_dossier_change", args=["1%00"])).status_code in (
        302,
        400,
        404,
    )


def test_a_cookie_holding_a_nul_is_ignored_not_a_server_error(client, personas):
    signed_in(client, personas.clerk_gitega)
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    client.cookies["django_language"] = "fr\x00"

    response = client.get(reverse("counter_queue"))

    assert response.status_code == 302  # signed out: the damaged session is not a session
    assert client.get(reverse("track")).status_code == 200


# --- Fuzzed: URL parameters -----------------------------------------------------------------


def test_any_url_parameter_is_a_page_or_a_404_never_an_error(client, personas, building_permit):
    dossier = DossierFactory(
        counter=True, in_review=True, service=building_permit, office=personas.office_gitega
    )
    number = dossier.tracking_number
    templates = [
        "/dossiers/{}/",
        "/dossiers/{}/steps/approve/",
        "/dossiers/{}/notes/",
        f"/dossiers/{number}/steps/{{}}/",
        f"/dossiers/{number}/steps/{{}}/preview/",
        f"/dossiers/{number}/files/{{}}/",
        f"/dossiers/{number}/documents/{{}}.pdf",
        f"/dossiers/{number}/documents/{{}}/view/",
        f"/dossiers/{number}/payments/{{}}/reverse/",
        f"/dossiers/{number}/objections/{{}}/document/",
        "/verify/{}",
        "/V/{}",
        "/resume/{}/",
        "/services/{}/",
        "/services/{}/apply/",
        "/counter/new/{}/",
        "/apply/{}/applicant/",
        "/track/{}/code/",
        "/my-dossiers/{}/",
    ]
    signed_in(client, personas.officer_urbanism)

    @settings(FUZZ, max_examples=50)
    @given(template=st.sampled_from(templates), value=hostile_text)
    def run(template, value):
        url = template.format(quote(raw(value), safe=""))
        with transaction.atomic():
            before = row_counts()
            response = client.get(url)
            assert response.status_code in (200, 302, 400, 403, 404, 405), url
            assert_no_live_markup(response)
            assert row_counts() == before
            transaction.set_rollback(True)

    run()


# --- Fuzzed: query parameters of the queues and lists ---------------------------------------

QUERY_NAMES = ["q", "service", "state", "province", "holder", "show", "page", "overdue"]
QUERY_NAMES += ["unassigned", "after", "before", "sort", "o", "number"]


def test_any_query_parameter_of_a_queue_or_list_is_a_page(client, queues):
    targets = [*queues, (None, reverse("catalogue")), (None, reverse("track"))]

    @settings(FUZZ, max_examples=50)
    @given(
        target=st.sampled_from(targets),
        params=st.lists(
            st.tuples(st.one_of(st.sampled_from(QUERY_NAMES), hostile_text), hostile_text),
            min_size=1,
            max_size=4,
        ),
    )
    def run(target, params):
        person, url = target
        client.logout()
        if person is not None:
            signed_in(client, person)
        response = client.get(url + "?" + urlencoded(params))
        carries_nul = any("\x00" in name + value for name, value in params)
        assert response.status_code == (400 if carries_nul else 200), (url, params)
        assert_no_live_markup(response)

    run()


# --- Fuzzed: the forms of the public side and the citizen ----------------------------------


def test_public_forms_take_any_text_without_an_error(client, personas, building_permit):
    client.cookies["django_language"] = "en"
    forms = []
    for url in (
        reverse("track"),
        reverse("citizen_sign_in"),
        reverse("citizen_sign_up"),
        reverse("verify"),
        reverse("login"),
        reverse("catalogue"),
        reverse("citizen_start", args=[building_permit.code]),
    ):
        forms += forms_on(client, url)

    fuzz_forms(client, forms, max_examples=50)


@pytest.fixture
def draft(client, building_permit, office_gitega):
    client.cookies["django_language"] = "en"
    client.post(reverse("citizen_start", args=[building_permit.code]), {"office": office_gitega.pk})
    return Dossier.objects.get()


def test_every_page_of_online_filing_takes_any_text_without_an_error(client, draft, commune_gitega):
    forms = []
    for step, good in (
        ("applicant", applicant_data(commune_gitega)),
        ("questions-1", {"answer-plot_number": "Parcelle 12"}),
    ):
        forms += [
            f
            for f in forms_on(client, reverse("citizen_step", args=[draft.public_id, step]))
            if f.method == "post"
        ]
        if good:
            client.post(reverse("citizen_step", args=[draft.public_id, step]), good)

    # The documents page keeps each good file even when another is refused (on purpose: the
    # citizen does not send it again); its refusals are tried in test_active_content.py.
    fuzz_forms(client, forms, draft=draft)


def test_the_citizen_pages_after_filing_take_any_text(client, citizen, building_permit):
    dossier = DossierFactory(
        information_requested=True, service=building_permit, applicant_account=citizen
    )
    client.force_login(citizen)
    client.cookies["django_language"] = "en"
    follow = reverse("citizen_follow", args=[dossier.public_id])
    forms = [f for f in forms_on(client, follow) if f.method == "post"]
    for url in links_on(client, follow, str(dossier.public_id)):
        if url != follow and not url.endswith(".pdf") and "/documents/" not in url:
            response = client.get(url)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                forms += [f for f in forms_on(client, url) if f.method == "post"]

    fuzz_forms(client, forms)


# --- Fuzzed: the counter and every staff form on a dossier ----------------------------------


def test_counter_filing_takes_any_text_and_loses_nothing(
    client, clerk_gitega, building_permit, commune_gitega
):
    signed_in(client, clerk_gitega)
    url = reverse("counter_file", args=[building_permit.code])
    [form] = [f for f in forms_on(client, url) if f.method == "post"]
    good = filing_data(commune_gitega)
    defaults = {k: v for k, v in good.items() if isinstance(v, str)}
    files = {
        "document-plans": ("plans.pdf", MINIMAL_PDF),
        "document-national-id": ("cni.pdf", MINIMAL_PDF),
        "document-site-photo": ("site.png", png_bytes()),
    }

    @settings(FUZZ, max_examples=30)
    @given(data=st.data())
    def run(data):
        name = data.draw(st.sampled_from([n for n, _v in form.fields]), label="field")
        value = data.draw(hostile_text, label="value")
        values = {**defaults, "filing-filing_key": str(uuid.uuid4()), name: value}
        response = attempt(client, form, values, files, may_keep=["workflows.PendingUpload"])
        assert not Dossier.objects.exists() or response.status_code == 302
        if response.status_code == 400 and name in defaults and "\x00" not in value:
            # What the clerk typed in the other fields is still there.
            assert 'value="Ndayishimiye"' in response.content.decode() or name.endswith("last_name")

    run()


def staff_forms(client, dossier) -> list[Form]:
    """The forms on the dossier page and on every page it links to within the dossier."""
    detail = reverse("dossier_detail", args=[dossier.tracking_number])
    forms = forms_on(client, detail)
    for url in links_on(client, detail, f"/dossiers/{dossier.tracking_number}/"):
        if url == detail or "/files/" in url or url.endswith(".pdf") or "/view/" in url:
            continue
        if "/preview/" in url:
            continue
        response = client.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            forms += forms_on(client, url)
    return [f for f in forms if f.method == "post"]


SCENARIOS = {
    "clerk at intake": ("clerk_gitega", "building_permit", {"intake": True}),
    "clerk awaiting payment": ("clerk_gitega", "passport", {"awaiting_payment": True}),
    "clerk at collection": ("clerk_gitega", "building_permit", {"ready_for_collection": True}),
    "office supervisor, paid": ("supervisor_gitega", "passport", {"awaiting_payment": True}),
    "officer in review": ("officer_urbanism", "building_permit", {"in_review": True}),
    "officer at inspection": ("officer_urbanism", "building_permit", {"inspection": True}),
    "officer, public notice": ("officer_land_registry", "land_title", {"public_notice": True}),
    "institution supervisor": ("supervisor_urbanism", "building_permit", {"in_review": True}),
}
#: A form each scenario must find, so that the crawl is known to reach it.
MUST_FIND = {
    "clerk at intake": "/checklist/",
    "clerk awaiting payment": "/steps/record_payment/",
    "clerk at collection": "/steps/hand_over/",
    "office supervisor, paid": "/reverse/",
    "officer in review": "/steps/schedule_inspection/",
    "officer at inspection": "/steps/record_inspection/",
    "officer, public notice": "/steps/record_objection/",
    "institution supervisor": "/assign/",
}
OFFICERS = {
    "building_permit": "officer_urbanism",
    "passport": "officer_migration",
    "land_title": "officer_land_registry",
}


@pytest.mark.parametrize("scenario", SCENARIOS.keys())
def test_every_staff_form_on_a_dossier_takes_any_text(client, personas, scenario):
    person_name, service, state = SCENARIOS[scenario]
    person = getattr(personas, person_name)
    dossier = DossierFactory(
        counter=True,
        service=getattr(personas, service),
        office=personas.office_gitega,
        clerk=personas.clerk_gitega,
        officer=getattr(personas, OFFICERS[service]),
        **state,
    )
    if scenario == "office supervisor, paid":
        # Paid, so that the supervisor's page offers the reversal of the payment.
        dossier = perform(
            dossier.pk,
            "record_payment",
            personas.clerk_gitega,
            method=PaymentMethod.LUMICASH,
            amount_bif=dossier.service.fee_bif - dossier.total_paid(),
            reference="LC-100200",
        )
    signed_in(client, person)
    forms = staff_forms(client, dossier)
    assert any(MUST_FIND[scenario] in form.action for form in forms)
    assert any("/notes/" in form.action for form in forms)
    state_before = dossier.state

    fuzz_forms(client, forms, max_examples=25)

    dossier.refresh_from_db()
    assert dossier.state == state_before  # every attempt was rolled back
