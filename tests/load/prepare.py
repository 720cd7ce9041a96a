"""Make a load-test database ready for the locustfile: staff who can sign in, dossiers to track.

    DJANGO_SETTINGS_MODULE=gup.settings.dev DATABASE_URL=postgres://.../gup_load \\
        .venv/bin/python -m tests.load.prepare [--out var/load/data.json]

Run it on a database already filled with dossiers (``manage.py generate_dossiers``). It creates
(or resets) one clerk per office, one officer per institution and a supervisor of each side,
named ``load.*`` with the password ``GUP_LOAD_PASSWORD`` (default ``gup-load-2026``), and writes
a JSON file the locustfile reads: their user names and the password, the services, and a sample
of tracking numbers with the last four digits of their phone, as a citizen would type them on
``/track/``. It refuses a database that has no dossiers, and any database where ``DEBUG`` is off
unless ``--yes`` is given: it sets known passwords.
"""

import argparse
import json
import os
from pathlib import Path

PASSWORD = os.environ.get("GUP_LOAD_PASSWORD", "gup-load-2026")
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "var" / "load" / "data.json"
TRACKED_SAMPLE = 2000


def staff() -> dict[str, list[str]]:
    """The load-test accounts, created or reset; user names per kind."""
    from gup.accounts.models import User
    from gup.roles import Role
    from services.models import Institution, Office

    accounts = {"clerk": [], "officer": [], "supervisor": []}

    def account(username, role, **scope):
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={"role": role, "is_active": True, "first_name": "Load", **scope},
        )
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        return username

    for office in Office.objects.filter(is_active=True).order_by("code"):
        code = office.code.lower()
        accounts["clerk"].append(account(f"load.clerk.{code}", Role.CLERK, office=office))
        accounts["supervisor"].append(
            account(f"load.supervisor.{code}", Role.OFFICE_SUPERVISOR, office=office)
        )
    for institution in Institution.objects.order_by("code"):
        code = institution.code.lower()
        accounts["officer"].append(
            account(f"load.officer.{code}", Role.OFFICER, institution=institution)
        )
        accounts["supervisor"].append(
            account(f"load.supervisor.{code}", Role.MINISTRY_SUPERVISOR, institution=institution)
        )
    return accounts


def tracked(sample: int = TRACKED_SAMPLE) -> list[list[str]]:
    """A random sample of filed dossiers: [tracking number, last four digits of the phone]."""
    from workflows.models import Dossier
    from workflows.states import DossierState

    rows = (
        Dossier.objects.exclude(state=DossierState.DRAFT)
        .exclude(tracking_number="")
        .order_by("?")
        .values_list("tracking_number", "applicant_phone")[:sample]
    )
    return [[number, phone[-4:]] for number, phone in rows if phone]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--yes", action="store_true", help="allowed with DEBUG off")
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gup.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    from services.models import Service
    from workflows.models import Dossier

    if not settings.DEBUG and not arguments.yes:
        raise SystemExit("DEBUG is off: this sets known passwords. Add --yes on a test database.")
    if not Dossier.objects.exists():
        raise SystemExit("No dossiers: fill the database first (manage.py generate_dossiers).")
    data = {
        "password": PASSWORD,
        "accounts": staff(),
        "services": list(
            Service.objects.filter(is_active=True).order_by("code").values_list("code", flat=True)
        ),
        "tracked": tracked(),
    }
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(data, indent=1))
    counts = {kind: len(names) for kind, names in data["accounts"].items()}
    print(f"{arguments.out}: {counts}, {len(data['tracked'])} dossiers to track")


if __name__ == "__main__":
    main()
