"""Who gets what from every URL: a matrix generated from the URL configuration.

Every URL pattern the project serves is requested, with the real ids of one scenario, by every
persona, with GET and with an empty POST, and the outcome is compared with the one declared in
``EXPECTED`` below. A URL name missing from ``EXPECTED`` fails the test with a message naming it,
so a new screen cannot ship without someone deciding who may open it. Denials of somebody
else's object are 404, never 403 (a 403 would confirm that the object exists). An empty POST
that is refused changes nothing: the history, the dossiers and the accounts are counted before
and after; and a complete POST from who may not write changes nothing either (``WRITES``).

Adding a URL: one line in ``EXPECTED``, ``"<url name>": expect(<GET rule>, <POST rule>),`` where
a rule is an outcome for everyone (``OK``) or ``only(OK, *some personas, others=NOT_FOUND)``
(see the persona groups under "Personas"). If the pattern takes an argument the scenario does
not yet provide, add it to ``ARGUMENTS`` (by argument name) or ``URL_ARGUMENTS`` (by URL name).
``GUP_MATRIX_PRINT=1`` (with ``pytest -s``) prints what every persona gets from every URL.

Everything under /admin/ (Django's admin and the RQ dashboard) is one group with one rule: only
administrators get in; everyone else is sent to the admin's sign-in page.
"""

import os
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import MINIMAL_PDF, DossierFactory, PaymentFactory, UserFactory, clock_at
from tests.test_objections import objection
from workflows.actions import perform
from workflows.citizen_access import new_token
from workflows.models import Dossier, HistoryEntry
from workflows.states import DossierState as S

# --- Outcomes ---------------------------------------------------------------------------------

OK = "200"
#: Sent to a sign-in page (the staff's or the citizen's).
SIGN_IN = "sign-in"
#: Sent elsewhere (after a POST, to the page that follows; or to a language's page...).
REDIRECT = "redirect"
BAD_REQUEST = "400"
FORBIDDEN = "403"
NOT_FOUND = "404"
NOT_ALLOWED = "405"
SUCCESS = {OK, REDIRECT}


def outcome_of(response) -> str:
    if response.status_code in (301, 302, 303):
        target = response.headers["Location"].split("?")[0]
        if target in SIGN_IN_PAGES:
            return SIGN_IN
        return REDIRECT
    return str(response.status_code)


SIGN_IN_PAGES = {"/staff/login/", "/account/sign-in/"}
ADMIN_SIGN_IN = "/admin/login/"

# --- Personas ---------------------------------------------------------------------------------

#: Office X is Gitega, office Y Ngozi; institution P decides the scenario's dossier (land
#: registry), institution Q does not (urbanism).
PERSONAS = (
    "anonymous",
    "citizen_a",
    "citizen_b",
    "resume_holder",
    "clerk_x",
    "supervisor_x",
    "clerk_y",
    "officer_p",
    "supervisor_p",
    "officer_q",
    "auditor",
    "administrator",
)
OFFICE_X = ("clerk_x", "supervisor_x")
INSTITUTION_P = ("officer_p", "supervisor_p")
STAFF = (*OFFICE_X, "clerk_y", *INSTITUTION_P, "officer_q", "auditor", "administrator")
#: Staff who see the scenario's dossier: its office, its institution, the auditor.
DOSSIER_STAFF = (*OFFICE_X, *INSTITUTION_P, "auditor")


def only(outcome, *personas, others=NOT_FOUND, **exceptions):
    """``outcome`` for ``personas``, ``others`` for everyone else; ``exceptions`` by persona."""
    unknown = set(personas) - set(PERSONAS) | set(exceptions) - set(PERSONAS)
    assert not unknown, f"no such persona: {unknown}"
    return {
        persona: exceptions.get(persona, outcome if persona in personas else others)
        for persona in PERSONAS
    }


def everyone(outcome, **exceptions):
    return only(outcome, *PERSONAS, **exceptions)


def expect(get, post):
    as_rule = lambda r: r if isinstance(r, dict) else everyone(r)  # noqa: E731
    return {"GET": as_rule(get), "POST": as_rule(post)}


def staff_only(outcome, *personas, others=FORBIDDEN, **exceptions):
    """A staff screen: visitors without an account are sent to sign in, citizens refused (403
    whatever the id: the role is checked before any object is looked up)."""
    return only(
        outcome,
        *personas,
        others=others,
        **{
            "anonymous": SIGN_IN,
            "resume_holder": SIGN_IN,
            "citizen_a": FORBIDDEN,
            "citizen_b": FORBIDDEN,
            **exceptions,
        },
    )


def dossier_staff(outcome, **exceptions):
    """A page of the scenario's dossier: its office, its institution and the auditor; other
    staff get 404 (the dossier is not theirs)."""
    return staff_only(outcome, *DOSSIER_STAFF, others=NOT_FOUND, **exceptions)


def own(outcome):
    """A page of citizen A's dossier: everyone else gets 404, staff included."""
    return only(outcome, "citizen_a")


OFFICE_STAFF = (*OFFICE_X, "clerk_y")
INSTITUTION_STAFF = (*INSTITUTION_P, "officer_q")
SUPERVISORS = ("supervisor_x", "supervisor_p")
#: Staff whose home page is their queue (the administrator's is the public one).
QUEUED_STAFF = (*OFFICE_STAFF, *INSTITUTION_STAFF, "auditor")
#: Citizens' pages that need an account: no account, sign in; staff, 404.
ACCOUNT_ONLY = only(SIGN_IN, "anonymous", "resume_holder")

# --- The declarations: one line per URL name --------------------------------------------------

EXPECTED = {
    # Public pages.
    "home": expect(
        only(REDIRECT, *QUEUED_STAFF, others=OK), only(REDIRECT, *QUEUED_STAFF, others=OK)
    ),
    "healthz": expect(OK, NOT_ALLOWED),
    "set_language": expect(REDIRECT, REDIRECT),
    "login": expect(OK, OK),
    "logout": expect(NOT_ALLOWED, REDIRECT),
    # A staff member's own account: every staff member, for themselves only.
    # Citizens are told nothing is there (404); signing out everywhere ends this session too.
    "staff_account": expect(
        staff_only(OK, *STAFF, citizen_a=NOT_FOUND, citizen_b=NOT_FOUND),
        staff_only(NOT_ALLOWED, *STAFF, citizen_a=NOT_ALLOWED, citizen_b=NOT_ALLOWED),
    ),
    "staff_change_password": expect(
        staff_only(OK, *STAFF, citizen_a=NOT_FOUND, citizen_b=NOT_FOUND),
        staff_only(BAD_REQUEST, *STAFF, citizen_a=NOT_FOUND, citizen_b=NOT_FOUND),
    ),
    "sign_out_everywhere": expect(
        staff_only(NOT_ALLOWED, *STAFF, citizen_a=NOT_ALLOWED, citizen_b=NOT_ALLOWED),
        staff_only(SIGN_IN, *STAFF, citizen_a=NOT_FOUND, citizen_b=NOT_FOUND),
    ),
    "catalogue": expect(OK, OK),
    "service_detail": expect(OK, OK),
    "verify": expect(OK, OK),
    "verify_code": expect(OK, OK),
    "verify_code_qr": expect(OK, OK),
    "verify_keys": expect(OK, OK),
    "verify_revoked": expect(OK, OK),
    "verify_offline": expect(OK, OK),
    # The SMS gateway's callbacks: an unsigned request is refused.
    "sms_delivery_report": expect(NOT_ALLOWED, FORBIDDEN),
    "sms_inbound": expect(NOT_ALLOWED, FORBIDDEN),
    # Citizens: accounts, filing online, following.
    "citizen_sign_in": expect(OK, BAD_REQUEST),
    "citizen_sign_up": expect(OK, BAD_REQUEST),
    "confirm_phone": expect(ACCOUNT_ONLY, ACCOUNT_ONLY),
    "confirm_phone_resend": expect(ACCOUNT_ONLY, ACCOUNT_ONLY),
    "link_dossiers": expect(ACCOUNT_ONLY, ACCOUNT_ONLY),
    "citizen_start": expect(OK, BAD_REQUEST),
    "citizen_step": expect(only(OK, "resume_holder"), only(BAD_REQUEST, "resume_holder")),
    "citizen_submit": expect(NOT_ALLOWED, own(REDIRECT)),
    "citizen_done": expect(own(REDIRECT), own(REDIRECT)),
    # Whoever holds the link gets in: it is the secret.
    "citizen_resume": expect(REDIRECT, REDIRECT),
    "my_dossiers": expect(OK, OK),
    "citizen_follow": expect(own(OK), own(OK)),
    "citizen_answer": expect(own(REDIRECT), own(REDIRECT)),
    "citizen_withdraw": expect(own(OK), own(BAD_REQUEST)),
    "citizen_document": expect(own(OK), own(OK)),
    "citizen_file": expect(own(OK), own(OK)),
    # /track/: the code and documents pages need a look-up made in this browser first.
    "track": expect(OK, BAD_REQUEST),
    "track_code": expect(NOT_FOUND, NOT_FOUND),
    "track_send_code": expect(NOT_ALLOWED, NOT_FOUND),
    "track_documents": expect(NOT_FOUND, NOT_ALLOWED),
    # Staff queues and screens.
    "counter_queue": expect(staff_only(OK, *OFFICE_STAFF), staff_only(OK, *OFFICE_STAFF)),
    "counter_choose_service": expect(staff_only(OK, *OFFICE_STAFF), staff_only(OK, *OFFICE_STAFF)),
    "counter_file": expect(staff_only(OK, *OFFICE_STAFF), staff_only(BAD_REQUEST, *OFFICE_STAFF)),
    "review_queue": expect(staff_only(OK, *INSTITUTION_STAFF), staff_only(OK, *INSTITUTION_STAFF)),
    "audit_dossiers": expect(staff_only(OK, "auditor"), staff_only(OK, "auditor")),
    "supervision": expect(staff_only(OK, *SUPERVISORS), staff_only(BAD_REQUEST, *SUPERVISORS)),
    # The scenario's dossier, seen by staff.
    "dossier_detail": expect(dossier_staff(OK), dossier_staff(OK)),
    "dossier_attachment": expect(dossier_staff(OK), dossier_staff(OK)),
    "dossier_attachment_inline": expect(dossier_staff(OK), dossier_staff(OK)),
    "dossier_attachment_view": expect(dossier_staff(OK), dossier_staff(OK)),
    "dossier_document": expect(dossier_staff(OK), dossier_staff(OK)),
    # The objector's document: the office and the institution only, not the auditor.
    "dossier_objection_document": expect(
        dossier_staff(OK, auditor=NOT_FOUND), dossier_staff(OK, auditor=NOT_FOUND)
    ),
    "dossier_add_note": expect(staff_only(NOT_ALLOWED, *STAFF), dossier_staff(REDIRECT)),
    # A step the user may not take: GET sends back to the dossier, POST refuses (form first).
    "dossier_step": expect(
        dossier_staff(REDIRECT, officer_p=OK, supervisor_p=OK), dossier_staff(BAD_REQUEST)
    ),
    # Only who may decide previews the letter (the dossier in review), and only by POST.
    "dossier_step_preview": expect(
        staff_only(NOT_ALLOWED, *STAFF), staff_only(OK, *INSTITUTION_P, others=NOT_FOUND)
    ),
    "dossier_checklist": expect(
        staff_only(REDIRECT, *OFFICE_X, clerk_y=NOT_FOUND),
        staff_only(BAD_REQUEST, *OFFICE_X, clerk_y=NOT_FOUND),
    ),
    "dossier_assign": expect(staff_only(OK, *SUPERVISORS), staff_only(BAD_REQUEST, *SUPERVISORS)),
    # Its office's supervisor only; others who see the dossier are refused the page itself.
    "dossier_payment_reverse": expect(
        dossier_staff(FORBIDDEN, supervisor_x=OK),
        dossier_staff(FORBIDDEN, supervisor_x=BAD_REQUEST),
    ),
    "dossier_document_revoke": expect(
        staff_only(OK, *SUPERVISORS, others=NOT_FOUND),
        staff_only(BAD_REQUEST, *SUPERVISORS, others=NOT_FOUND),
    ),
}
#: Where a refused POST may write: the citizen's own draft page keeps what passed (by design).
KEEPS_WHAT_PASSED = {("citizen_step", "resume_holder")}

# --- The scenario -----------------------------------------------------------------------------


def build_scenario(personas, django_capture_on_commit_callbacks):
    """Office X's dossier of citizen A, forwarded to institution P and now in its public notice,
    with an attachment, a filing receipt, a payment and an objection; citizen A's draft; a draft
    opened by a resume link (no account)."""
    import datetime

    from django.utils import timezone

    s = SimpleNamespace(**vars(personas))
    s.supervisor_land_registry = UserFactory(
        username="supervisor.land", ministry_supervisor=True, institution=s.land_registry
    )
    with (
        clock_at(timezone.now() - datetime.timedelta(days=10)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        s.dossier = DossierFactory(
            state=S.PUBLIC_NOTICE,
            service=s.land_title,
            office=s.office_gitega,
            applicant_account=s.citizen,
            applicant_commune=s.commune_gitega,
            clerk=s.clerk_gitega,
            officer=s.officer_land_registry,
            language="en",
        )
    pdf = SimpleUploadedFile("objection.pdf", MINIMAL_PDF, content_type="application/pdf")
    perform(s.dossier.pk, "record_objection", s.officer_land_registry, **objection(document=pdf))
    s.objection = s.dossier.objections.get()
    s.payment = PaymentFactory(dossier=s.dossier, recorded_by=s.clerk_gitega)
    s.attachment = s.dossier.attachments.first()
    s.document = s.dossier.documents.first()
    assert s.attachment and s.document, "the scenario needs an attachment and a document"
    # Decisions are previewed only while the dossier is in review.
    s.in_review = DossierFactory(
        state=S.IN_REVIEW,
        service=s.land_title,
        office=s.office_gitega,
        applicant_account=s.citizen,
        clerk=s.clerk_gitega,
        officer=s.officer_land_registry,
    )
    s.draft = DossierFactory(
        draft=True,
        service=s.building_permit,
        office=s.office_gitega,
        applicant_account=s.citizen,
    )
    s.raw_token, hashed = new_token()
    s.resume_draft = DossierFactory(
        draft=True,
        service=s.building_permit,
        office=s.office_gitega,
        applicant_account=None,
        resume_token_hash=hashed,
    )
    return s


def clients(s):
    """One signed-in browser per persona."""
    users = {
        "citizen_a": s.citizen,
        "citizen_b": s.other_citizen,
        "clerk_x": s.clerk_gitega,
        "supervisor_x": s.supervisor_gitega,
        "clerk_y": s.clerk_ngozi,
        "officer_p": s.officer_land_registry,
        "supervisor_p": s.supervisor_land_registry,
        "officer_q": s.officer_urbanism,
        "auditor": s.auditor,
        "administrator": s.administrator,
    }
    browsers = {}
    for persona in PERSONAS:
        browser = Client()
        if persona in users:
            # Read afresh: a sign-out-everywhere earlier in the matrix moved the user's session
            # generation, which the session's check is made from.
            users[persona].refresh_from_db()
            browser.force_login(users[persona])
        browsers[persona] = browser
    browsers["resume_holder"].get(f"/resume/{s.raw_token}/", REMOTE_ADDR=fresh_address())
    return browsers


#: Values for the URL arguments, by argument name, from the scenario.
ARGUMENTS = {
    "tracking_number": lambda s: s.dossier.tracking_number,
    "public_id": lambda s: s.dossier.public_id,
    "service_code": lambda s: s.building_permit.code,
    "code": lambda s: s.document.code,
    "token": lambda s: s.raw_token,
    "objection_id": lambda s: s.objection.pk,
    "payment_id": lambda s: s.payment.pk,
    "stored_name": lambda s: s.attachment.stored_name,
    "number": lambda s: s.document.number,
    "step": lambda s: "record_objection",
}
#: Where one URL needs other values than ``ARGUMENTS`` gives.
URL_ARGUMENTS = {
    # The draft the resume link opens; citizen A's own draft for submitting and "done".
    "citizen_step": {
        "public_id": lambda s: s.resume_draft.public_id,
        "step": lambda s: "applicant",
    },
    "citizen_submit": {"public_id": lambda s: s.draft.public_id},
    "citizen_done": {"public_id": lambda s: s.draft.public_id},
    "dossier_attachment_view": {"number": lambda s: 1},
    "dossier_step_preview": {
        "tracking_number": lambda s: s.in_review.tracking_number,
        "step": lambda s: "reject",
    },
    "service_detail": {"code": lambda s: s.land_title.code},
}


# --- Walking the URL configuration ------------------------------------------------------------


def walk(patterns, prefix="", namespace=""):
    """(full regex, name) of every pattern, Django's own included; the admin's as one group."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, route, space)
        elif isinstance(entry, URLPattern):
            yield route, (namespace + entry.name) if entry.name else None


def project_urls():
    """Every non-admin URL name → its route; every admin route, apart."""
    named, admin, unnamed = {}, [], []
    for route, name in walk(get_resolver().url_patterns):
        if route.startswith("admin/"):
            admin.append(route)
        elif name is None:
            unnamed.append(route)
        else:
            named[name] = route
    return named, admin, unnamed


def test_every_url_has_a_declared_expectation():
    named, admin, unnamed = project_urls()
    assert not unnamed, f"URL patterns without a name cannot be declared: {unnamed}"
    missing = sorted(set(named) - set(EXPECTED))
    assert not missing, (
        f"No access expectation declared in tests/test_access_matrix.py EXPECTED for: "
        f"{', '.join(missing)}"
    )
    stale = sorted(set(EXPECTED) - set(named))
    assert not stale, f"EXPECTED declares URL names that no longer exist: {', '.join(stale)}"
    assert admin, "the admin's URLs are found under /admin/"


def url_of(name, s):
    resolver_route = project_urls()[0][name]
    kwargs = {}
    overrides = URL_ARGUMENTS.get(name, {})
    for argument in re.findall(r"<(?:[^>:]+:)?([^>]+)>", resolver_route):
        value = overrides.get(argument) or ARGUMENTS.get(argument)
        assert value, f"no scenario value for <{argument}> of {name}: add it to ARGUMENTS"
        kwargs[argument] = value(s)
    return reverse(name, kwargs=kwargs)


def footprint():
    return HistoryEntry.objects.count(), Dossier.objects.count(), get_user_model().objects.count()


_address = iter(range(1, 1_000_000))


def fresh_address():
    """A client address of its own per request: no rate limit counts one request against another."""
    n = next(_address)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def request(browser, method, url):
    if method == "GET":
        return browser.get(url, REMOTE_ADDR=fresh_address())
    return browser.post(url, {}, REMOTE_ADDR=fresh_address())


@pytest.mark.django_db
def test_every_persona_gets_what_is_declared_from_every_url(
    personas, django_capture_on_commit_callbacks
):
    s = build_scenario(personas, django_capture_on_commit_callbacks)
    named, _, _ = project_urls()
    printing = os.environ.get("GUP_MATRIX_PRINT")
    problems = []
    for name in sorted(named):
        url = url_of(name, s)
        # Fresh sessions for every URL: a sign-out (or sign-out-everywhere) ends them.
        browsers = clients(s)
        observed = {}
        for method in ("GET", "POST"):
            for persona in PERSONAS:
                before = footprint()
                response = request(browsers[persona], method, url)
                got = outcome_of(response)
                observed[(method, persona)] = got
                wanted = EXPECTED.get(name, {}).get(method, {}).get(persona)
                if wanted is not None and got != wanted:
                    problems.append(f"{method} {url} ({name}) as {persona}: {got}, not {wanted}")
                refused = got not in SUCCESS and (name, persona) not in KEEPS_WHAT_PASSED
                if method == "POST" and refused and footprint() != before:
                    problems.append(f"POST {url} ({name}) as {persona} refused but changed data")
        if printing:
            for method in ("GET", "POST"):
                row = " ".join(f"{p}={observed[(method, p)]}" for p in PERSONAS)
                print(f"{name:32} {method:4} {row}")
    assert not problems, "\n".join(problems)


#: Writes tried with a complete, valid body by everyone who may not (nothing changes) and, last,
#: by the last of those who may (the history grows: the body was good enough to write).
WRITES = {
    "dossier_add_note": ({"note": "Seen at the counter."}, (*OFFICE_X, *INSTITUTION_P)),
    "dossier_document_revoke": ({"reason": "Printed with a typing error."}, SUPERVISORS),
    # The scenario's dossier is past forwarding: nobody may reverse its payment any more.
    "dossier_payment_reverse": ({"reason": "Recorded on the wrong dossier."}, ()),
    # Only the applicant withdraws (last: the dossier is then withdrawn).
    "citizen_withdraw": (
        {"comment": "I no longer need it.", "expected_state": S.PUBLIC_NOTICE},
        ("citizen_a",),
    ),
}


@pytest.mark.django_db
def test_a_complete_post_from_who_may_not_write_changes_nothing(
    personas, django_capture_on_commit_callbacks
):
    s = build_scenario(personas, django_capture_on_commit_callbacks)
    problems = []
    for name, (body, allowed) in WRITES.items():
        url = url_of(name, s)
        browsers = clients(s)
        for persona in [p for p in PERSONAS if p not in allowed] + list(allowed[-1:]):
            before = footprint()
            response = browsers[persona].post(url, body, REMOTE_ADDR=fresh_address())
            changed = footprint() != before
            if changed != (persona in allowed):
                problems.append(f"POST {url} ({name}) as {persona}: changed={changed}")
            if persona not in allowed and outcome_of(response) == OK:
                problems.append(f"POST {url} ({name}) as {persona}: 200 for a refused write")
    assert not problems, "\n".join(problems)


# --- /admin/: Django's admin and the RQ dashboard, one rule -----------------------------------

#: Values for the admin's URL arguments: ids that may or may not exist; the rule is the same.
ADMIN_ARGUMENTS = {
    "app_label": "workflows",
    "object_id": "1",
    "id": "1",
    "content_type_id": "1",
    "url": "nothing-here",
    "token": "not-the-token",
    "queue_index": "0",
    "scheduler_index": "0",
    "connection_index": "0",
    "job_id": "no-such-job",
    "result_id": "no-such-result",
    "key": "no-such-worker",
    "scheduler_name": "no-such-scheduler",
    "cron_job_name": "no-such-job",
}
#: Open to everyone: the admin's own sign-in and sign-out pages.
ADMIN_OPEN = {"admin:login", "admin:logout"}
#: The RQ statistics, JSON for monitoring: 401 without an administrator's session or the token.
ADMIN_JSON = {"django_rq:home_json", "admin:django_rq_home_json"}
NON_ADMINISTRATORS = tuple(p for p in PERSONAS if p != "administrator")


def admin_urls():
    """(name, URL) of every route under /admin/, its arguments filled in."""
    for route, name in walk(get_resolver().url_patterns):
        if not route.startswith("admin/") or name in ADMIN_OPEN:
            continue
        # Routes and regular expressions alike; reverse() cannot fill an optional group.
        url = re.sub(r"\(\?P<(\w+)>[^)]*\)\??", lambda m: ADMIN_ARGUMENTS[m[1]], route)
        url = re.sub(r"<(?:[^>:]+:)?([^>]+)>", lambda m: ADMIN_ARGUMENTS[m[1]], url)
        url = "/" + re.sub(r"[\^$]", "", url).replace("/?", "/").replace("\\", "")
        yield name or route, url


@pytest.mark.django_db
def test_only_administrators_get_into_the_admin_and_the_rq_dashboard(personas):
    """Every non-administrator persona is sent to the admin's sign-in page, by GET and POST,
    and nothing changes; the administrator gets in. To keep the test fast, each route is tried
    by the anonymous visitor and by two other personas in turn (every persona meets a fifth of
    the routes, and the admin's index all of them)."""
    users = {
        "citizen_a": personas.citizen,
        "citizen_b": personas.other_citizen,
        "resume_holder": personas.other_citizen,
        "clerk_x": personas.clerk_gitega,
        "supervisor_x": personas.supervisor_gitega,
        "clerk_y": personas.clerk_ngozi,
        "officer_p": personas.officer_land_registry,
        "supervisor_p": personas.supervisor_urbanism,
        "officer_q": personas.officer_urbanism,
        "auditor": personas.auditor,
        "administrator": personas.administrator,
    }
    browsers = {"anonymous": Client()}
    for persona, user in users.items():
        browsers[persona] = Client()
        browsers[persona].force_login(user)
    problems = []
    urls = list(admin_urls())
    assert len(urls) > 50, "the admin's and the RQ dashboard's routes are walked"
    everybody = [(method, p) for method in ("GET", "POST") for p in NON_ADMINISTRATORS]
    for i, (name, url) in enumerate(urls):
        tries = (
            everybody
            if url == "/admin/"
            else [
                ("GET", "anonymous"),
                ("POST", "anonymous"),
                ("GET", NON_ADMINISTRATORS[1 + i % 10]),
                ("POST", NON_ADMINISTRATORS[1 + (i + 5) % 10]),
            ]
        )
        for method, persona in tries:
            before = footprint()
            response = request(browsers[persona], method, url)
            target = response.headers.get("Location", "").split("?")[0]
            refused = response.status_code == 302 and target == ADMIN_SIGN_IN
            if name in ADMIN_JSON:
                refused = refused or response.status_code == 401
            if not refused:
                problems.append(f"{method} {url} ({name}) as {persona}: {response.status_code}")
            if footprint() != before:
                problems.append(f"{method} {url} ({name}) as {persona} changed data")
    # The administrator gets in (the deep pages with made-up ids are the admin's business).
    for url in ("/admin/", "/admin/rq/", "/admin/workflows/dossier/", "/admin/accounts/user/"):
        response = request(browsers["administrator"], "GET", url)
        if response.status_code != 200:
            problems.append(f"GET {url} as administrator: {response.status_code}")
    assert not problems, "\n".join(problems)
