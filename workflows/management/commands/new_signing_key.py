"""Print a new Ed25519 signing key for documents (PEM), to put in GUP_SIGNING_KEY(_FILE).

    (umask 077; python manage.py new_signing_key > /etc/gup/signing-key.pem)

Before switching, publish the current key's public part in GUP_VERIFY_KEYS (the JSON of
/verify/keys.json) so that documents signed with it keep verifying.
"""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print a new Ed25519 private key (PEM) for signing documents."
    requires_system_checks = []

    def handle(self, *args, **options):
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self.stdout.write(pem.decode(), ending="")
