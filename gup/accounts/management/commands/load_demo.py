"""Load the map, the catalogue, the demo accounts and the demo dossiers, for a first look.

Idempotent: running it again reloads the fixtures, resets the demo accounts (and their
password) to what is written here, and creates no dossier that is already there
(``workflows.demo``; ``--no-dossiers`` skips them). Refuses to run without DEBUG: a known
password must never reach a production database.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import transaction
from django.utils.translation import gettext as _

from gup.accounts.models import User
from gup.roles import Role
from services.models import Institution, Office
from workflows import demo
from workflows.states import FINAL_STATES, DossierState

STATE_ORDER = {state: position for position, state in enumerate(DossierState.values)}
DEMO_PASSWORD = "gup-demo-2026"  # public on purpose: printed by the command, DEBUG only

#: username, role, office code, institution code, extra fields.
DEMO_ACCOUNTS = [
    ("admin", Role.ADMINISTRATOR, None, None, {"first_name": "Admin", "last_name": "GUP"}),
    ("clerk.gitega", Role.CLERK, "GIT", None, {"first_name": "Aline", "last_name": "Niyonzima"}),
    (
        "supervisor.gitega",
        Role.OFFICE_SUPERVISOR,
        "GIT",
        None,
        {"first_name": "Pascal", "last_name": "Ndayishimiye"},
    ),
    (
        "clerk2.gitega",
        Role.CLERK,
        "GIT",
        None,
        {"first_name": "Fabrice", "last_name": "Manirakiza"},
    ),
    ("clerk.ngozi", Role.CLERK, "NGO", None, {"first_name": "Diane", "last_name": "Irakoze"}),
    (
        "officer.urbanism",
        Role.OFFICER,
        None,
        "urbanism",
        {"first_name": "Eric", "last_name": "Nshimirimana"},
    ),
    (
        "supervisor.urbanism",
        Role.MINISTRY_SUPERVISOR,
        None,
        "urbanism",
        {"first_name": "Chantal", "last_name": "Hakizimana"},
    ),
    (
        "officer2.urbanism",
        Role.OFFICER,
        None,
        "urbanism",
        {"first_name": "Sandrine", "last_name": "Ntakirutimana"},
    ),
    (
        "officer.migration",
        Role.OFFICER,
        None,
        "migration",
        {"first_name": "Jean", "last_name": "Bizimana"},
    ),
    (
        "supervisor.migration",
        Role.MINISTRY_SUPERVISOR,
        None,
        "migration",
        {"first_name": "Gaspard", "last_name": "Ciza"},
    ),
    (
        "officer.land",
        Role.OFFICER,
        None,
        "land-registry",
        {"first_name": "Claudine", "last_name": "Ndikumana"},
    ),
    ("auditor", Role.AUDITOR, None, None, {"first_name": "Audace", "last_name": "Nkurunziza"}),
    (
        "citizen",
        Role.CITIZEN,
        None,
        None,
        {"first_name": "Jeanne", "last_name": "Uwimana", "phone": "+25779123456"},
    ),
]


class Command(BaseCommand):
    # argparse needs plain strings: command help is for developers and stays in English.
    help = (
        "Load the provinces, communes, offices and catalogue, and create one demo account per "
        "role (development only)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even though DEBUG is off. The demo accounts share a public password.",
        )
        parser.add_argument(
            "--no-dossiers",
            action="store_true",
            help="Load the catalogue and the accounts only, without the demo dossiers.",
        )

    @no_translations  # console output for developers, in one language
    def handle(self, *args, allow_production=False, no_dossiers=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                _(
                    "DEBUG is off: this looks like a production database. load_demo creates "
                    "accounts whose password is public; pass --allow-production if you really "
                    "mean it."
                )
            )
        with transaction.atomic():
            call_command("loaddata", "geography", "catalogue", verbosity=options["verbosity"])
            users = [self._demo_user(*account) for account in DEMO_ACCOUNTS]
        self._print_table(users)
        if not no_dossiers:
            self._print_dossiers(demo.load())

    def _demo_user(self, username, role, office_code, institution_code, extra):
        office = Office.objects.get(code=office_code) if office_code else None
        institution = Institution.objects.get(code=institution_code) if institution_code else None
        is_admin = role == Role.ADMINISTRATOR
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "office": office,
                "institution": institution,
                "is_active": True,
                "is_staff": is_admin,
                "is_superuser": is_admin,
                # A reserved domain: no demo notification reaches anyone.
                "email": f"{username}@example.org",
                **extra,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        return user

    def _print_table(self, users):
        headers = (_("username"), _("role"), _("scope"), _("admin site"))
        rows = [
            (
                user.username,
                str(Role(user.role).label),
                str(user.office or user.institution or ""),
                _("yes") if user.is_staff else "",
            )
            for user in users
        ]
        self._table(headers, rows)
        message = _("Password for every demo account: %(password)s") % {"password": DEMO_PASSWORD}
        self.stdout.write(self.style.SUCCESS(message))

    def _print_dossiers(self, loaded):
        self.stdout.write("")
        if not loaded.created:
            self.stdout.write(f"Demo dossiers: all {loaded.skipped} are there already.")
            return
        finished = [dossier for dossier in loaded.created if dossier.state in FINAL_STATES]
        open_dossiers = [dossier for dossier in loaded.created if dossier.state not in FINAL_STATES]
        headers = ("tracking number", "service", "office", "state", "held by")
        rows = [
            (
                dossier.tracking_number or "(draft)",
                dossier.service.code,
                dossier.office.code,
                dossier.state,
                demo.holder(dossier),
            )
            # In the lifecycle's order: from the office's in-tray to the result to collect.
            for dossier in sorted(open_dossiers, key=lambda dossier: STATE_ORDER[dossier.state])
        ]
        self._table(headers, rows)
        endings = {}
        for dossier in finished:
            endings[dossier.state] = endings.get(dossier.state, 0) + 1
        summary = ", ".join(f"{count} {state}" for state, count in sorted(endings.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(loaded.created)} demo dossiers created: {len(open_dossiers)} open "
                f"(above) and {len(finished)} finished long ago ({summary or 'none'})."
            )
        )

    def _table(self, headers, rows):
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

        def line(cells):
            return "  ".join(
                cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
            ).rstrip()

        self.stdout.write(line(headers))
        self.stdout.write(line(["-" * width for width in widths]))
        for row in rows:
            self.stdout.write(line(row))
        self.stdout.write("")
