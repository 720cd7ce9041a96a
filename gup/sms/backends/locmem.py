"""SMS kept in memory, for tests: ``outbox`` is to SMS what ``django.core.mail.outbox`` is to
e-mail. Tests start with it empty (``tests/conftest.py``)."""

import threading

from gup.sms.backends import OutgoingSms, SmsBackend

#: Every message sent in this process, once per idempotency key, in the order sent.
outbox: list[OutgoingSms] = []
_outbox_lock = threading.Lock()


class LocMemBackend(SmsBackend):
    def deliver(self, sms: OutgoingSms) -> str:
        with _outbox_lock:
            if not any(sent.idempotency_key == sms.idempotency_key for sent in outbox):
                outbox.append(sms)
        return f"locmem-{sms.idempotency_key}"
