"""A working day at GUP, for Locust: citizens, clerks, officers and supervisors at once.

    .venv/bin/locust -f tests/load/locustfile.py --host http://127.0.0.1:8000 \\
        --headless --users 60 --spawn-rate 5 --run-time 3m --csv var/load/run

What each kind of user does, how often, and how long they think between pages is declared in
``tests/load/mix.py`` (checked by ``tests/test_load_mix.py``); this file only acts it out. The
accounts and dossiers come from ``python -m tests.load.prepare`` (``GUP_LOAD_DATA``, default
``var/load/data.json``). The README's "Load test" says how to run it against gunicorn on
PostgreSQL and what it measured.

Requests are named by what they are, not by their URL (``/dossiers/[number]/``), so that the
statistics group them. A refusal a real user can meet under load ("someone else is handling this
dossier", a dossier claimed meanwhile) is a success: it is the system working.
"""

import json
import os
import random
import re
import sys
from pathlib import Path

from locust import HttpUser, between

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # Locust puts only this folder on the path
    sys.path.insert(0, str(ROOT))

from tests.load import mix  # noqa: E402

DATA = Path(os.environ.get("GUP_LOAD_DATA", ROOT / "var" / "load" / "data.json"))
_data = None

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
EXPECTED_STATE = re.compile(r'name="expected_state" value="([^"]+)"')
DOSSIER_LINK = re.compile(r'href="/dossiers/([A-Z]{3}-\d{4}-\d{6}-[0-9A-Z])/"')
OFFICE_CHOICE = re.compile(r'name="office" value="(\d+)"')


def data() -> dict:
    """The accounts and dossiers written by ``tests.load.prepare``, read once per process."""
    global _data
    if _data is None:
        _data = json.loads(DATA.read_text())
    return _data


def csrf_of(response) -> str:
    found = CSRF.search(response.text or "")
    return found.group(1) if found else ""


def tasks_of(user_class, kind: mix.Kind) -> dict:
    """Locust's ``tasks`` for ``user_class``: its methods named in the mix, with their weights."""
    return {getattr(user_class, name): task.weight for name, task in kind.tasks.items()}


class GupUser(HttpUser):
    abstract = True
    kind: mix.Kind

    def get(self, path, name, **kwargs):
        return self.client.get(path, name=name, **kwargs)

    def post_form(self, path, name, page, fields, **kwargs):
        """Post ``fields`` to a form read from ``page``, with its CSRF token."""
        payload = {"csrfmiddlewaretoken": csrf_of(page), **fields}
        return self.client.post(
            path, data=payload, name=name, headers={"Referer": self.host + path}, **kwargs
        )


class Citizen(GupUser):
    kind = mix.CITIZEN
    wait_time = between(*mix.CITIZEN.think_seconds)
    weight = mix.CITIZEN.weight

    def browse_the_catalogue(self):
        self.get("/services/", "catalogue")
        self.get(f"/services/{random.choice(data()['services'])}/", "service page")

    def track_a_dossier(self):
        page = self.get("/track/", "track (form)")
        number, digits = random.choice(data()["tracked"])
        with self.post_form(
            "/track/",
            "track (look-up)",
            page,
            {"tracking_number": number, "phone_digits": digits},
            catch_response=True,
        ) as response:
            if response.status_code != 200 or number not in response.text:
                response.failure(f"{number} not found ({response.status_code})")

    def start_filing_online(self):
        service = random.choice(data()["services"])
        path = f"/services/{service}/apply/"
        page = self.get(path, "apply: choose the office")
        offices = OFFICE_CHOICE.findall(page.text or "")
        if not offices:
            return
        with self.post_form(
            path,
            "apply: start (writes a draft)",
            page,
            {"office": random.choice(offices)},
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"no draft started ({response.status_code})")
                return
        self.get(response.headers["Location"], "apply: applicant page")


Citizen.tasks = tasks_of(Citizen, mix.CITIZEN)


class Staff(GupUser):
    abstract = True
    role = ""
    queue = ""
    tabs: tuple = ()

    def on_start(self):
        username = random.choice(data()["accounts"][self.role])
        page = self.get("/staff/login/", "sign in (form)")
        with self.post_form(
            "/staff/login/",
            "sign in",
            page,
            {"username": username, "password": data()["password"]},
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{username} could not sign in ({response.status_code})")

    def dossiers_on(self, path, name) -> list[str]:
        return DOSSIER_LINK.findall(self.get(path, name).text or "")

    def open_a_dossier(self):
        """Browse the "All" tab a few pages deep, by its "Next" links as a person does, and open
        a dossier of the last page."""
        name = f"{self.role} queue: all"
        page = self.get(f"{self.queue}?show=all", name)
        for _ in range(random.randint(0, mix.DEEPEST_PAGE - 1)):
            cursor = mix.NEXT_PAGE.search(page.text or "")
            if not cursor:
                break
            page = self.get(f"{self.queue}?show=all&after={cursor.group(1)}", f"{name}, next page")
        numbers = DOSSIER_LINK.findall(page.text or "")
        if numbers:
            self.get(f"/dossiers/{random.choice(numbers)}/", "dossier page")

    def take_step_on_one_of(self, path, name, step):
        """Open a dossier of the list at ``path`` and take ``step`` on it, as its page offers."""
        numbers = self.dossiers_on(path, name)
        if not numbers:
            return
        step_path = f"/dossiers/{random.choice(numbers)}/steps/{step}/"
        form = self.get(step_path, f"step {step} (form)")
        state = EXPECTED_STATE.search(form.text or "")
        if not state:
            return  # taken meanwhile by a colleague: the page went back to the dossier
        with self.post_form(
            step_path,
            f"step {step}",
            form,
            {"expected_state": state.group(1), "comment": ""},
            catch_response=True,
            allow_redirects=False,
        ) as response:
            # 302: done. 409/400 with the refusal shown: a colleague was quicker.
            if response.status_code not in (302, 400, 409):
                response.failure(f"step {step}: {response.status_code}")
            else:
                response.success()


class Clerk(Staff):
    kind = mix.CLERK
    wait_time = between(*mix.CLERK.think_seconds)
    weight = mix.CLERK.weight
    role, queue, tabs = "clerk", "/counter/", mix.COUNTER_TABS

    def open_the_counter_queue(self):
        self.get("/counter/", "clerk queue")
        self.get(f"/counter/?show={random.choice(self.tabs)}", "clerk queue: a tab")

    def search_the_queue(self):
        self.get(f"/counter/?q={random.choice(mix.SEARCHED_NAMES)}", "clerk queue: search")

    def start_checking_a_dossier(self):
        self.take_step_on_one_of("/counter/?show=to-check", "clerk queue: a tab", "start_intake")


Clerk.tasks = tasks_of(Clerk, mix.CLERK)


class Officer(Staff):
    kind = mix.OFFICER
    wait_time = between(*mix.OFFICER.think_seconds)
    weight = mix.OFFICER.weight
    role, queue, tabs = "officer", "/review/", mix.REVIEW_TABS

    def open_the_review_queue(self):
        self.get("/review/", "officer queue")
        self.get(f"/review/?show={random.choice(self.tabs)}", "officer queue: a tab")

    def claim_a_dossier(self):
        self.take_step_on_one_of("/review/?show=to-claim", "officer queue: a tab", "receive")


Officer.tasks = tasks_of(Officer, mix.OFFICER)


class Supervisor(Staff):
    kind = mix.SUPERVISOR
    wait_time = between(*mix.SUPERVISOR.think_seconds)
    weight = mix.SUPERVISOR.weight
    role = "supervisor"

    def look_at_the_statistics(self):
        self.get("/supervision/", "supervision")

    def list_the_overdue(self):
        page = random.randint(1, mix.DEEPEST_PAGE)
        self.get(f"/supervision/?show=overdue&page={page}", "supervision: overdue")


Supervisor.tasks = tasks_of(Supervisor, mix.SUPERVISOR)

USERS = {"citizen": Citizen, "clerk": Clerk, "officer": Officer, "supervisor": Supervisor}
