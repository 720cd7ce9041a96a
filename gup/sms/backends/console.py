"""SMS printed on standard output, for a developer who asks for it.

It prints the whole text, secrets included (resume links, one-time codes): never use it where the
output is kept, such as a server whose standard output goes to the logs. ``FileBackend`` is the
default for that reason.
"""

import sys
import threading

from gup.sms.backends import OutgoingSms, SmsBackend
from gup.sms.backends.file import readable

SEPARATOR = "-" * 79


class ConsoleBackend(SmsBackend):
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        # Two threads printing at once would interleave their messages.
        self._lock = threading.Lock()

    def deliver(self, sms: OutgoingSms) -> str:
        with self._lock:
            self.stream.write(f"{readable(sms)}{SEPARATOR}\n")
            self.stream.flush()
        return f"console-{sms.idempotency_key}"
