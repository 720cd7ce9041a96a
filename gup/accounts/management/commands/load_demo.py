"""Load the map, the catalogue and one demo account per role, for a first look.

Idempotent: running it again reloads the fixtures and resets the demo accounts (and their
password) to what is written here. Refuses to run without DEBUG: a known password must never
reach a production database.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import transaction
from django.utils.translation import gettext as _

from gup.accounts.models import User
from gup.roles import Role
from services.models import Institution, Office

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
        "officer.migration",
        Role.OFFICER,
        None,
        "migration",
        {"first_name": "Jean", "last_name": "Bizimana"},
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

    @no_translations  # console output for developers, in one language
    def handle(self, *args, allow_production=False, **options):
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
        rows = [
            (
                user.username,
                str(Role(user.role).label),
                str(user.office or user.institution or ""),
                _("yes") if user.is_staff else "",
            )
            for user in users
        ]
        headers = (_("username"), _("role"), _("scope"), _("admin site"))
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
        message = _("Password for every demo account: %(password)s") % {"password": DEMO_PASSWORD}
        self.stdout.write(self.style.SUCCESS(message))
