"""Print a new Ed25519 signing key for documents (PEM), to put in GUP_SIGNING_KEY(_FILE).

    (umask 077; python manage.py new_signing_key > /etc/gup/signing-key.pem)

Before switching, publish the current key's public part in GUP_VERIFY_KEYS (the JSON of
/verify/keys.json) so that documents signed with it keep verifying.
"""

from django.core.management.base import BaseCommand

from workflows.documents import keys


class Command(BaseCommand):
    help = "Print a new Ed25519 private key (PEM) for signing documents."
    requires_system_checks = []

    def handle(self, *args, **options):
        self.stdout.write(keys.new_private_pem().decode(), ending="")
