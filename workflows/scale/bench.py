"""Timing the staff pages, ``/track/`` and online filing on the current database, honestly.

Each page is fetched through its real URL with the test client (the whole middleware stack,
``DEBUG`` off), after warm-up rounds, then in interleaved rounds (every page once per round, so
a noisy neighbour slows all pages alike) beside a floor: a tiny view reading one row. Nothing is
written: sessions live in signed cookies, signing in does not touch ``last_login``, and the
online filing runs inside a transaction rolled back after each round (its uploads go to a
temporary folder, removed at the end).
"""

import contextlib
import datetime
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field

from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client, override_settings

from gup.accounts.models import User
from gup.roles import Role
from services.models import Service
from workflows.models import Dossier
from workflows.queues import COUNTER_TABS, review_tabs
from workflows.views.paging import PAGE_SIZE

#: Rows skipped before a "deep" page: page 400 of 50 rows.
DEEP = 20_000

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


#: Answers to the building permit's questions (the catalogue's and the tests'), posted to each page.
ANSWERS = {
    "answer-plot_number": "Parcelle 12",
    "answer-plot_location": "Quartier Magarama, Gitega",
    "answer-building_use": "residential",
    "answer-floors": "2",
    "answer-floor_area_m2": "120",
}


class NothingToMeasure(Exception):
    pass


class Rollback(Exception):
    pass


@dataclass
class Page:
    name: str
    client: Client
    url: str
    post: dict | None = None
    timings: list = field(default_factory=list)
    queries: int = 0

    def fetch(self, record: bool):
        with counting() as captured:
            started = time.perf_counter()
            if self.post is None:
                response = self.client.get(self.url)
            else:
                response = self.client.post(self.url, self.post)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise NothingToMeasure(f"{self.url} answered {response.status_code}")
        if record:
            self.timings.append(elapsed)
            self.queries = len(captured)


@contextlib.contextmanager
def counting():
    """The SQL statements run inside the block (without DEBUG's query log, which a request
    clears and which stops growing past 9,000 entries)."""
    statements = []

    def wrapper(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield statements


def is_savepoint(sql: str) -> bool:
    """A savepoint statement: inside the bench's rolled-back transaction, each ``atomic()`` of a
    request becomes a savepoint, which a real request (its own transaction) never sends."""
    return sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO"))


def figures(timings) -> dict:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2)}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def deep_cursor(queryset) -> str:
    """The keyset cursor of a deep page: the row just before it, in queue order. The page is
    page 400 where the queue is that long, else the deepest full page (so that a small database
    is not timed on a short last page, which would flatter the comparison across sizes)."""
    ordered = queryset.order_by("due_date", "id").values_list("due_date", "id")
    total = ordered.count()
    if total == 0:
        raise NothingToMeasure("No dossier in that queue: run generate_dossiers first.")
    skipped = max(1, min(DEEP, total - PAGE_SIZE))
    due, pk = ordered[skipped - 1]
    return f"{due.isoformat()},{pk}"


class Bench:
    def __init__(self, rounds: int = 30, warmups: int = 3, stdout=None, only=()):
        self.rounds, self.warmups, self.stdout = rounds, warmups, stdout
        #: Name prefixes of the pages to time (all when empty); the floor is always timed.
        self.only = tuple(only)

    def wanted(self, name: str) -> bool:
        return name == "floor" or not self.only or name.startswith(self.only)

    def pages(self) -> list[Page]:
        clerk = (
            User.objects.filter(role=Role.CLERK, office__dossiers__isnull=False)
            .order_by("office_id", "pk")
            .first()
        )
        if clerk is None:
            raise NothingToMeasure("No clerk with dossiers: run generate_dossiers first.")
        office_supervisor = User.objects.filter(
            role=Role.OFFICE_SUPERVISOR, office_id=clerk.office_id
        ).first()
        officer = (
            User.objects.filter(role=Role.OFFICER, institution__dossiers__isnull=False)
            .order_by("institution_id", "pk")
            .first()
        )
        ministry_supervisor = User.objects.filter(
            role=Role.MINISTRY_SUPERVISOR, institution_id=officer.institution_id
        ).first()
        auditor = User.objects.filter(role=Role.AUDITOR).first()
        c, o = signed_in(clerk), signed_in(officer)
        office = Dossier.objects.visible_to(clerk).filter(tracking_number__isnull=False)
        institution = Dossier.objects.visible_to(officer)
        sample = (
            office.exclude(state__in=["collected", "closed", "withdrawn"])
            .order_by("-id")
            .values_list("tracking_number", "applicant_phone", "applicant_last_name")
            .first()
        )
        number, phone, last_name = sample
        # The name most dossiers of the office carry: the broadest search a clerk makes.
        common_name = (
            office.values("applicant_last_name")
            .annotate(n=Count("id"))
            .order_by("-n")
            .values_list("applicant_last_name", flat=True)
            .first()
        )
        pages = [Page("floor", c, "/bench/floor/")]
        pages += [Page(f"office_queue_{k}", c, f"/counter/?show={k}") for k in COUNTER_TABS]
        pages += [
            Page("office_queue", c, "/counter/"),
            Page("office_queue_deep", c, f"/counter/?show=all&after={deep_cursor(office)}"),
            Page("office_search_name", c, f"/counter/?show=all&q={last_name}"),
            Page("office_search_common_name", c, f"/counter/?show=all&q={common_name}"),
            Page("office_search_number", c, f"/counter/?show=all&q={number}"),
            Page("office_filter_overdue", c, "/counter/?show=all&overdue=on"),
            Page("office_filter_unassigned", c, "/counter/?show=all&holder=none"),
            Page("institution_queue", o, "/review/"),
            Page(
                "institution_queue_deep",
                o,
                f"/review/?show=all&after={deep_cursor(institution)}",
            ),
            Page("dossier", c, f"/dossiers/{number}/"),
            Page(
                "track",
                Client(),
                "/track/",
                {"tracking_number": number, "phone_digits": phone[-4:]},
            ),
        ]
        pages += [
            Page(f"institution_queue_{k}", o, f"/review/?show={k}") for k in review_tabs(officer)
        ]
        if office_supervisor:
            pages.append(Page("office_supervision", signed_in(office_supervisor), "/supervision/"))
        if ministry_supervisor:
            pages.append(
                Page("institution_supervision", signed_in(ministry_supervisor), "/supervision/")
            )
        if auditor:
            pages.append(Page("audit", signed_in(auditor), "/audit/"))
        return pages

    def filing(self, record: bool, timings: dict, queries: dict):
        """One online filing of a building permit, page by page, rolled back afterwards."""
        service = Service.objects.filter(code="building-permit").first()
        commune_id = (
            Dossier.objects.filter(applicant_commune__isnull=False)
            .values_list("applicant_commune_id", "office_id")
            .first()
        )
        if service is None or commune_id is None:
            return
        client = Client()

        def post(name, url, data):
            with counting() as captured:
                started = time.perf_counter()
                response = client.post(url, data)
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 302:
                raise NothingToMeasure(f"{url} answered {response.status_code}")
            if record:
                timings.setdefault(name, []).append(elapsed)
                queries[name] = len([sql for sql in captured if not is_savepoint(sql)])
            return response.url

        try:
            with transaction.atomic():
                url = post(
                    "file_online_start",
                    f"/services/{service.code}/apply/",
                    {"office": commune_id[1]},
                )
                applicant = {
                    "applicant-applicant_first_name": "Aline",
                    "applicant-applicant_last_name": "Ndayishimiye",
                    "applicant-applicant_national_id": "0412/345.678",
                    "applicant-applicant_birth_date": "1990-04-12",
                    "applicant-applicant_phone": "79 12 34 56",
                    "applicant-applicant_email": "",
                    "applicant-language": "fr",
                    "applicant-applicant_commune": commune_id[0],
                }
                url = post("file_online_applicant", url, applicant)
                while "/questions-" in url:
                    url = post("file_online_questions", url, ANSWERS)
                documents = {
                    f"document-{d.code}": SimpleUploadedFile(
                        f"{d.code}.pdf", MINIMAL_PDF, "application/pdf"
                    )
                    for d in service.documents.all()
                    if d.mandatory
                }
                url = post("file_online_documents", url, documents)
                submit = url.replace("/check/", "/submit/")
                post("file_online_submit", submit, {})
                raise Rollback
        except Rollback:
            pass

    def run(self) -> dict:
        uploads = tempfile.mkdtemp(prefix="gup-bench-")
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        try:
            with override_settings(
                ROOT_URLCONF="workflows.scale.urls",
                DEBUG=False,
                ALLOWED_HOSTS=["testserver"],
                SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
                UPLOAD_ROOT=__import__("pathlib").Path(uploads),
                GUP_JOBS_INLINE=True,
            ):
                return self._measure()
        finally:
            user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")
            shutil.rmtree(uploads, ignore_errors=True)

    def _measure(self) -> dict:
        pages = [page for page in self.pages() if self.wanted(page.name)]
        files_online = self.wanted("file_online")
        filing_timings, filing_queries = {}, {}
        for n in range(self.warmups + self.rounds):
            record = n >= self.warmups
            for page in pages:
                page.fetch(record)
            if files_online:
                self.filing(record, filing_timings, filing_queries)
        floor = pages[0]
        result = {
            "dossiers": Dossier.objects.count(),
            "rounds": self.rounds,
            "at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "floor": figures(floor.timings),
            "pages": {},
        }
        for page in pages[1:]:
            result["pages"][page.name] = {**figures(page.timings), "queries": page.queries}
        if filing_timings:
            whole = [sum(t) for t in zip(*filing_timings.values(), strict=False)]
            for name, timings in filing_timings.items():
                result["pages"][name] = {**figures(timings), "queries": filing_queries[name]}
            result["pages"]["file_online"] = {
                **figures(whole),
                "queries": sum(filing_queries.values()),
            }
        return result
