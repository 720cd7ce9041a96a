"""SMS written to files, never sent: the default, for the demo and development.

Each message is one file, ``<GUP_SMS_FILE_PATH>/<idempotency key>.txt``: a second send with the
same key replaces the file instead of adding one, as a gateway would not send it twice. The files
hold the texts, secrets included, so they are readable by their owner only.
"""

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from gup.sms.backends import OutgoingSms, SmsBackend, SmsNotSent


def readable(sms: OutgoingSms) -> str:
    """The message as a developer reads it: who, which key, when, then the text."""
    now = timezone.localtime().isoformat(timespec="seconds")
    return f"To: {sms.to}\nKey: {sms.idempotency_key}\nTime: {now}\n\n{sms.text}\n"


class FileBackend(SmsBackend):
    def __init__(self, file_path: Path | str | None = None):
        self.file_path = Path(settings.GUP_SMS_FILE_PATH if file_path is None else file_path)

    def deliver(self, sms: OutgoingSms) -> str:
        try:
            self.file_path.mkdir(parents=True, exist_ok=True)
            # Written aside, then renamed over: two sends of one key at once leave one whole
            # file, never a mix of both. mkstemp creates it readable by its owner only.
            handle, temporary = tempfile.mkstemp(dir=self.file_path, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as file:
                    file.write(readable(sms))
                os.replace(temporary, self.file_path / f"{sms.idempotency_key}.txt")
            finally:
                Path(temporary).unlink(missing_ok=True)  # gone already once renamed
        except OSError as error:
            raise SmsNotSent(
                f"the SMS file could not be written: {error}", permanent=False
            ) from error
        return f"file-{sms.idempotency_key}"
