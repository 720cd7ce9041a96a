"""The SMS gateways: one interface, four backends, signed requests, masked numbers in logs.

The HTTP backend talks to a real HTTP server on 127.0.0.1 started by the test. Nothing here
depends on the machine's speed: the "slow" gateway does not answer at all until the test lets it,
long after the client has given up.
"""

import io
import json
import logging
import socket
import threading
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gup.sms import signing
from gup.sms.backends import OutgoingSms, SmsNotSent, get_backend
from gup.sms.backends.console import ConsoleBackend
from gup.sms.backends.file import FileBackend
from gup.sms.backends.http_gateway import HttpGatewayBackend
from gup.sms.backends.locmem import LocMemBackend
from gup.sms.masking import mask_phone

PHONE = "+25779123456"
SECRET_TEXT = "Your code is 731904. Resume: https://gup.example/resume/Xy7secret/"
GATEWAY_SECRET = "shared-with-the-gateway"


def an_sms(key="42", text=SECRET_TEXT, to=PHONE, callback_url=None):
    return OutgoingSms(to=to, text=text, idempotency_key=key, callback_url=callback_url)


# --- The message and the interface ------------------------------------------------------------


def test_a_message_never_shows_its_text_or_whole_number_when_printed():
    sms = an_sms()

    assert "731904" not in repr(sms)
    assert PHONE not in repr(sms)
    assert "+257 79 ** ** 56" in repr(sms)


@pytest.mark.parametrize("key", ["", "../etc/passwd", "a/b", ".hidden", "x" * 101, "clé", 42])
def test_an_idempotency_key_that_could_not_name_a_file_or_header_is_a_programming_error(key):
    with pytest.raises(ValueError, match="idempotency key"):
        an_sms(key=key)


@pytest.mark.parametrize("to", ["79123456", "+257 79 12 34 56", "+2571234", "", "not a number"])
def test_a_number_not_in_e164_is_refused_for_good_and_nothing_is_sent(to, sms_outbox):
    with pytest.raises(SmsNotSent) as refused:
        LocMemBackend().send(an_sms(to=to))

    assert refused.value.permanent
    assert sms_outbox == []


def test_the_backend_is_the_one_the_settings_name_made_once_until_they_change(settings, tmp_path):
    assert isinstance(get_backend(), LocMemBackend)  # the test settings

    settings.GUP_SMS_BACKEND = "gup.sms.backends.file.FileBackend"
    settings.GUP_SMS_FILE_PATH = tmp_path / "first"
    backend = get_backend()
    assert isinstance(backend, FileBackend)
    assert get_backend() is backend

    settings.GUP_SMS_FILE_PATH = tmp_path / "second"
    assert get_backend().file_path == tmp_path / "second"


# --- File, console and memory -----------------------------------------------------------------


def test_the_file_backend_writes_one_file_per_key_and_a_resend_replaces_it(tmp_path):
    backend = FileBackend(file_path=tmp_path)

    assert backend.send(an_sms(key="42", text="first")) == "file-42"
    assert backend.send(an_sms(key="43", text="other")) == "file-43"
    assert backend.send(an_sms(key="42", text="again")) == "file-42"

    assert sorted(path.name for path in tmp_path.iterdir()) == ["42.txt", "43.txt"]
    written = (tmp_path / "42.txt").read_text()
    assert written.startswith(f"To: {PHONE}\nKey: 42\nTime: ")
    assert written.endswith("\n\nagain\n")
    assert "first" not in written


def test_the_files_hold_secrets_so_only_their_owner_reads_them(tmp_path):
    FileBackend(file_path=tmp_path / "sms").send(an_sms())

    assert (tmp_path / "sms" / "42.txt").stat().st_mode & 0o077 == 0


def test_the_file_backend_follows_the_setting_by_default(settings, tmp_path):
    settings.GUP_SMS_FILE_PATH = tmp_path / "from-settings"

    FileBackend().send(an_sms())

    assert (tmp_path / "from-settings" / "42.txt").exists()


def test_the_log_line_masks_the_number_and_never_holds_the_text(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="gup.sms")

    FileBackend(file_path=tmp_path).send(an_sms(key="42"))

    assert len(caplog.records) == 1
    line = caplog.records[0].getMessage()
    assert "+257 79 ** ** 56" in line
    assert "42" in line
    assert PHONE not in caplog.text
    assert "731904" not in caplog.text
    assert "Xy7secret" not in caplog.text


def test_a_file_that_cannot_be_written_is_a_temporary_failure(tmp_path):
    (tmp_path / "taken").write_text("a file where the folder should be")

    with pytest.raises(SmsNotSent) as failed:
        FileBackend(file_path=tmp_path / "taken").send(an_sms())

    assert not failed.value.permanent


def test_the_console_backend_prints_the_message_whole():
    stream = io.StringIO()

    reference = ConsoleBackend(stream=stream).send(an_sms())

    assert reference == "console-42"
    assert f"To: {PHONE}\nKey: 42\n" in stream.getvalue()
    assert SECRET_TEXT in stream.getvalue()


def test_the_memory_backend_keeps_each_key_once(sms_outbox):
    backend = LocMemBackend()

    assert backend.send(an_sms(key="42", text="first")) == "locmem-42"
    assert backend.send(an_sms(key="43", text="other")) == "locmem-43"
    assert backend.send(an_sms(key="42", text="again")) == "locmem-42"

    assert [(sms.idempotency_key, sms.text) for sms in sms_outbox] == [
        ("42", "first"),
        ("43", "other"),
    ]


# --- The HTTP gateway -------------------------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: Message
    body: bytes


class FakeGateway:
    """What the gateway receives, and what it answers: ``status`` and ``answer``, once
    ``release`` is set (it is, unless a test holds the answer back)."""

    def __init__(self):
        self.url = ""
        self.requests: list[Received] = []
        self.status = 200
        self.answer = b'{"id": "gw-7"}'
        self.location = None
        self.release = threading.Event()
        self.release.set()

    def backend(self, **options) -> HttpGatewayBackend:
        options = {"url": self.url, "token": "t0ken", "secret": GATEWAY_SECRET} | options
        return HttpGatewayBackend(**options)


@pytest.fixture
def gateway(monkeypatch):
    # A proxy from the environment must not stand between the test and its own server.
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    fake = FakeGateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            fake.requests.append(Received(self.path, self.headers, body))
            fake.release.wait()
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(fake.answer)))
            if fake.location:
                self.send_header("Location", fake.location)
            self.end_headers()
            self.wfile.write(fake.answer)

        def log_message(self, format, *args):
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            pass  # the client of the timeout test is gone when the answer comes

    server = Server(("127.0.0.1", 0), Handler)
    # A short poll: shutdown() waits for the next one, half a second by default.
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/messages"
    yield fake
    fake.release.set()
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_gateway_receives_the_message_as_json_with_key_token_and_signature(gateway):
    sms = an_sms(key="42", callback_url="https://gup.example/sms/reports/")

    reference = gateway.backend().send(sms)

    assert reference == "gw-7"
    [request] = gateway.requests
    assert request.path == "/messages"
    assert json.loads(request.body) == {
        "to": PHONE,
        "text": SECRET_TEXT,
        "reference": "42",
        "callback_url": "https://gup.example/sms/reports/",
    }
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert request.headers["Idempotency-Key"] == "42"
    assert request.headers["Authorization"] == "Bearer t0ken"
    assert signing.verify(request.body, request.headers["X-GUP-Signature"], GATEWAY_SECRET)
    assert not signing.verify(request.body, request.headers["X-GUP-Signature"], "other")


def test_kirundi_and_french_letters_travel_as_utf8(gateway):
    gateway.backend().send(an_sms(text="Dossier reçu: ndabashimiye"))

    assert "reçu".encode() in gateway.requests[0].body


def test_without_a_token_no_authorization_header_is_sent(gateway):
    gateway.backend(token="").send(an_sms())

    assert "Authorization" not in gateway.requests[0].headers


@pytest.mark.parametrize(
    ("answer", "reference"),
    [(b'{"reference": "r-9"}', "r-9"), (b'{"id": 1234}', "1234"), (b'{"id": "a", "x": 1}', "a")],
)
def test_the_reference_is_read_from_id_or_reference(gateway, answer, reference):
    gateway.status, gateway.answer = 202, answer

    assert gateway.backend().send(an_sms()) == reference


@pytest.mark.parametrize("answer", [b"", b"OK", b"[]", b'{"id": ""}', b'{"id": true}', b"{}"])
def test_an_acceptance_without_a_reference_is_retried(gateway, answer):
    gateway.answer = answer

    with pytest.raises(SmsNotSent) as failed:
        gateway.backend().send(an_sms())

    assert not failed.value.permanent


@pytest.mark.parametrize(
    ("status", "permanent"),
    [
        (500, False),
        (502, False),
        (503, False),
        (429, False),
        (408, False),
        (400, True),
        (401, True),
        (404, True),
        (422, True),
    ],
)
def test_an_error_status_is_permanent_only_for_refusals(gateway, status, permanent):
    gateway.status, gateway.answer = status, b'{"error": "echoing ' + SECRET_TEXT.encode() + b'"}'

    with pytest.raises(SmsNotSent) as failed:
        gateway.backend().send(an_sms())

    assert failed.value.permanent is permanent
    assert str(status) in failed.value.reason
    assert "731904" not in failed.value.reason


def test_a_redirection_is_not_followed_and_the_message_waits(gateway):
    gateway.status, gateway.location = 302, gateway.url + "/elsewhere"

    with pytest.raises(SmsNotSent) as failed:
        gateway.backend().send(an_sms())

    assert not failed.value.permanent
    assert len(gateway.requests) == 1


def test_a_gateway_that_does_not_answer_in_time_is_a_temporary_failure(gateway):
    gateway.release.clear()  # it will not answer before the test ends

    with pytest.raises(SmsNotSent) as failed:
        gateway.backend(timeout=0.2).send(an_sms())

    assert not failed.value.permanent
    assert len(gateway.requests) == 1


def test_a_refused_connection_is_a_temporary_failure(monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    # Closed again: nothing listens on the port.
    backend = HttpGatewayBackend(url=f"http://127.0.0.1:{port}/", token="", secret="s")

    with pytest.raises(SmsNotSent) as failed:
        backend.send(an_sms())

    assert not failed.value.permanent


@pytest.mark.parametrize("missing", ["url", "secret"])
def test_a_gateway_not_configured_keeps_the_message_waiting(missing, gateway):
    with pytest.raises(SmsNotSent) as failed:
        gateway.backend(**{missing: ""}).send(an_sms())

    assert not failed.value.permanent
    assert gateway.requests == []


def test_the_gateway_settings_are_read_by_default(settings):
    settings.GUP_SMS_GATEWAY_URL = "https://sms.example/messages"
    settings.GUP_SMS_GATEWAY_TOKEN = "token"
    settings.GUP_SMS_GATEWAY_SECRET = "secret"
    settings.GUP_SMS_GATEWAY_TIMEOUT = 3

    backend = HttpGatewayBackend()

    assert (backend.url, backend.token, backend.secret, backend.timeout) == (
        "https://sms.example/messages",
        "token",
        "secret",
        3,
    )


# --- Signatures -------------------------------------------------------------------------------

NOW = 1_767_225_600
BODY = b'{"reference": "42", "status": "delivered"}'


def test_a_signature_is_a_timestamp_and_an_hmac():
    header = signing.sign(BODY, GATEWAY_SECRET, now=NOW)

    assert header.startswith(f"t={NOW},v1=")
    assert signing.verify(BODY, header, GATEWAY_SECRET, now=NOW)


def test_a_tampered_body_or_another_secret_is_refused():
    header = signing.sign(BODY, GATEWAY_SECRET, now=NOW)

    assert not signing.verify(BODY.replace(b"delivered", b"failed"), header, GATEWAY_SECRET, NOW)
    assert not signing.verify(BODY, header, "another secret", now=NOW)


def test_a_timestamp_is_accepted_within_the_tolerance_either_way_and_refused_beyond():
    header = signing.sign(BODY, GATEWAY_SECRET, now=NOW)

    assert signing.verify(BODY, header, GATEWAY_SECRET, now=NOW + 300)
    assert signing.verify(BODY, header, GATEWAY_SECRET, now=NOW - 300)
    assert not signing.verify(BODY, header, GATEWAY_SECRET, now=NOW + 301)  # replayed
    assert not signing.verify(BODY, header, GATEWAY_SECRET, now=NOW - 301)  # from the future
    assert signing.verify(BODY, header, GATEWAY_SECRET, now=NOW + 1000, tolerance=1000)


def test_a_changed_timestamp_breaks_the_signature():
    digest = signing.sign(BODY, GATEWAY_SECRET, now=NOW).split("v1=")[1]

    assert not signing.verify(BODY, f"t={NOW + 1},v1={digest}", GATEWAY_SECRET, now=NOW)


def test_one_matching_signature_among_several_is_enough():
    good = signing.sign(BODY, GATEWAY_SECRET, now=NOW).split("v1=")[1]
    header = f"t={NOW},v1={'0' * 64},v1={good},v0=ignored"

    assert signing.verify(BODY, header, GATEWAY_SECRET, now=NOW)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "garbage",
        f"v1={'a' * 64}",
        f"t={NOW}",
        f"t={NOW},v1=",
        f"t={NOW},v1=xyz",
        f"t={NOW},v1={'A' * 64}",
        f"t={NOW},v1={'é' * 64}",
        f"t=soon,v1={'a' * 64}",
        f"t=-{NOW},v1={'a' * 64}",
        f"t={NOW},t={NOW},v1={'a' * 64}",
        f"t={NOW};v1={'a' * 64}",
    ],
)
def test_a_missing_or_malformed_header_is_refused_without_an_error(header):
    assert not signing.verify(BODY, header, GATEWAY_SECRET, now=NOW)


def test_an_empty_secret_verifies_nothing_and_signs_nothing():
    header = signing.sign(BODY, GATEWAY_SECRET, now=NOW)

    assert not signing.verify(BODY, header, "", now=NOW)
    with pytest.raises(ValueError, match="empty secret"):
        signing.sign(BODY, "", now=NOW)


@given(body=st.binary(), secret=st.text(min_size=1), flip=st.integers(min_value=0))
def test_every_signed_body_verifies_and_no_changed_byte_does(body, secret, flip):
    header = signing.sign(body, secret, now=NOW)
    assert signing.verify(body, header, secret, now=NOW)

    if body:
        position = flip % len(body)
        changed = body[:position] + bytes([body[position] ^ 1]) + body[position + 1 :]
        assert not signing.verify(changed, header, secret, now=NOW)


# --- Masking ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("+25779123456", "+257 79 ** ** 56"),
        ("+25761987654", "+257 61 ** ** 54"),
        ("+33612345678", "+33 6 1* ** ** 78"),
        ("+257", "***"),
        ("+2571234", "***"),
        ("call me", "***"),
        ("", "***"),
        (None, "***"),
    ],
)
def test_a_number_in_a_log_keeps_its_country_and_two_digits_at_each_end(number, masked):
    assert mask_phone(number) == masked


# --- The deploy check -------------------------------------------------------------------------


def sms_problems():
    from gup.checks import sms_reach_phones

    return [problem.id for problem in sms_reach_phones(None)]


@pytest.mark.parametrize(
    "backend",
    ["gup.sms.backends.file.FileBackend", "gup.sms.backends.console.ConsoleBackend"],
)
def test_production_is_warned_that_files_and_console_send_nothing(settings, backend):
    settings.GUP_SMS_BACKEND = backend

    assert sms_problems() == ["gup.W004"]


def test_production_is_refused_a_gateway_without_address_or_secret(settings):
    settings.GUP_SMS_BACKEND = "gup.sms.backends.http_gateway.HttpGatewayBackend"
    settings.GUP_SMS_GATEWAY_URL, settings.GUP_SMS_GATEWAY_SECRET = "", "secret"
    assert sms_problems() == ["gup.E003"]

    settings.GUP_SMS_GATEWAY_URL, settings.GUP_SMS_GATEWAY_SECRET = "https://sms.example/", ""
    assert sms_problems() == ["gup.E003"]

    settings.GUP_SMS_GATEWAY_SECRET = "secret"
    assert sms_problems() == []

    settings.GUP_SMS_GATEWAY_URL = "http://sms.example/"
    assert sms_problems() == ["gup.W005"]


def test_production_is_refused_a_backend_that_does_not_exist(settings):
    settings.GUP_SMS_BACKEND = "gup.sms.backends.pigeon.PigeonBackend"

    assert sms_problems() == ["gup.E004"]
