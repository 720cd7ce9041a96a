"""``manage.py verify_document <code, address or PDF>``: is this document genuine? Offline.

The seal is read with the published keys only (``--keys``, a ``/verify/keys.json`` as
downloaded; by default this installation's keys) and the list of revoked documents given with
``--revoked`` (a ``/verify/revoked.json``): the database is never read, so the command works on
a laptop with neither network nor GUP's database. From a PDF, every QR code of every page is
read and checked.

Exit status: 0 when every code is valid, 1 when one is not, 2 when the command cannot run
(no such file, a PDF without a QR code, a key or revocation file that is not one).
"""

import datetime
import json
from pathlib import Path

import pypdfium2
import zxingcpp
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gup.formatting import day
from workflows.documents import keys, seal, verification

NOT_VALID = 1
USAGE = 2
#: QR codes are printed about 30 mm wide with modules of half a millimetre: 300 dpi gives a
#: reader six pixels a module.
RENDER_DPI = 300


class Command(BaseCommand):
    help = (
        "Check a document's seal offline: a code, a verification address, or a PDF (its QR "
        "codes). Exits 0 if valid, 1 if not valid, 2 on a usage error."
    )

    def add_arguments(self, parser):
        parser.add_argument("document", help="The code, the address the QR code holds, or a PDF.")
        parser.add_argument(
            "--keys",
            dest="keys_file",
            type=Path,
            help="A keys.json as published at /verify/keys.json; this installation's keys if not.",
        )
        parser.add_argument(
            "--revoked",
            dest="revoked_file",
            type=Path,
            help="A revoked.json as published at /verify/revoked.json; not checked if not given.",
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="The day to check expiry against (YYYY-MM-DD); today by default.",
        )

    def handle(self, *args, document, keys_file, revoked_file, today, **options):
        public_keys = (
            _read_json(keys_file, keys.from_published) if keys_file else keys.public_keys()
        )
        revocations, as_of = (
            _read_json(revoked_file, verification.read_revocation_list)
            if revoked_file
            else (None, None)
        )
        today = today or timezone.localdate()
        codes = _codes_in(document)
        results = [
            verification.check_offline(
                code, public_keys, today=today, revocations=revocations, revocations_as_of=as_of
            )
            for code in codes
        ]
        for number, result in enumerate(results, start=1):
            if len(results) > 1:
                self.stdout.write(
                    _("QR code %(number)d of %(count)d:")
                    % {"number": number, "count": len(results)}
                )
            self._write(result)
        invalid = sum(not result.is_valid for result in results)
        if invalid:
            raise CommandError(
                ngettext(
                    "Not valid: %(invalid)d of %(count)d code.",
                    "Not valid: %(invalid)d of %(count)d codes.",
                    len(results),
                )
                % {"invalid": invalid, "count": len(results)},
                returncode=NOT_VALID,
            )

    def _write(self, result) -> None:
        headline = result.headline.upper()
        style = self.style.SUCCESS if result.is_valid else self.style.ERROR
        self.stdout.write(style(headline))
        self.stdout.write(result.explanation)
        facts = result.shown_facts
        if facts is None:
            return
        for label, value in (
            (_("Document"), result.kind_title),
            (_("Document number"), facts.number),
            (_("Tracking number"), facts.tracking_number),
            (_("Holder"), facts.holder),
            (_("Issued on"), day(facts.issued_on)),
            (_("Valid until"), day(facts.valid_until) if facts.valid_until else _("No end date")),
            (_("Signing key"), facts.key_id),
        ):
            self.stdout.write(f"  {label}: {value}")


def _codes_in(document: str) -> list[str]:
    """The code given, or the text of every QR code in the PDF named."""
    path = Path(document)
    if not (document.lower().endswith(".pdf") or _is_file(path)):
        return [document]
    if not _is_file(path):
        raise CommandError(_("No such file: %(path)s") % {"path": path}, returncode=USAGE)
    try:
        pdf = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError as error:
        raise CommandError(
            _("%(path)s is not a PDF that can be read (%(error)s).")
            % {"path": path, "error": error},
            returncode=USAGE,
        ) from None
    texts = []
    try:
        for page in pdf:
            image = page.render(scale=RENDER_DPI / 72, grayscale=True).to_pil()
            qr_codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            texts += [code.text for code in qr_codes if seal.is_seal_address(code.text)]
    finally:
        pdf.close()
    if not texts:
        raise CommandError(
            _("No seal QR code found in %(path)s.") % {"path": path}, returncode=USAGE
        )
    return texts


def _is_file(path: Path) -> bool:
    """Whether ``path`` names a file; a code is no file name (too long, or with a NUL byte)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _read_json(path: Path, parse):
    try:
        return parse(json.loads(path.read_text()))
    except OSError as error:
        raise CommandError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror},
            returncode=USAGE,
        ) from None
    except ValueError as error:
        raise CommandError(
            _("%(path)s is not what was expected: %(error)s") % {"path": path, "error": error},
            returncode=USAGE,
        ) from None
