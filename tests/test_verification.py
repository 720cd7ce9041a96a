"""Verifying a document: the public page, the JSON for other verifiers, the offline command.

Each way a document can fail is tried on each verifier: a changed character, facts changed
without signing again, another key, an expired document, a revoked one, and inputs that are no
code at all. A key rotation keeps old documents valid. The offline verifier in a browser is
tests/e2e/test_verify_offline.py.
"""

import base64
import datetime
import json
import subprocess
import sys
import uuid
from io import StringIO

import cbor2
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import DossierFactory
from tests.test_page_weight import BUDGET_BYTES, first_visit_weight
from workflows.actions import perform
from workflows.documents import keys, qr, seal
from workflows.documents.render import render_pdf
from workflows.documents.verification import Finding, check, revocation_list
from workflows.models import IssuedDocument

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def own_counters(settings):
    """Counters of this test only (the Redis cache is shared by every test and every run)."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl-test-{uuid.uuid4().hex}:"


@pytest.fixture(autouse=True)
def fresh_keys():
    keys.forget()
    yield
    keys.forget()


@pytest.fixture
def receipt(personas, django_capture_on_commit_callbacks):
    """A filing receipt issued at the Gitega counter, as the counter issues it."""
    with django_capture_on_commit_callbacks(execute=True):
        dossier = DossierFactory(
            service=personas.passport,
            office=personas.office_gitega,
            counter=True,
            intake=True,
            language="rn",
            applicant_first_name="Aline",
            applicant_last_name="Ndayishimiye",
        )
    return IssuedDocument.objects.get(dossier=dossier)


def sealed_facts(document, **changes) -> seal.SealedFacts:
    facts = {
        "kind": document.kind,
        "number": document.number,
        "tracking_number": document.dossier.tracking_number,
        "holder": document.holder_name,
        "issued_on": timezone.localdate(document.issued_at),
        "valid_until": document.valid_until,
        "key_id": document.key_id,
    }
    return seal.SealedFacts(**(facts | changes))


def with_a_changed_character(code: str) -> str:
    """One Base32 character of the signed message (not of the signature) replaced."""
    at = 40
    return code[:at] + ("A" if code[at] != "A" else "B") + code[at + 1 :]


def with_another_holder(code: str, holder: str = "Someone Else") -> str:
    """The holder changed inside the CBOR, encoded again, the old signature kept."""
    raw = base64.b32decode(code + "=" * (-len(code) % 8))
    message, signature = raw[: -seal.SIGNATURE_BYTES], raw[-seal.SIGNATURE_BYTES :]
    fields = cbor2.loads(message)
    fields[4] = holder
    return base64.b32encode(cbor2.dumps(fields) + signature).decode().rstrip("=")


def signed_with_another_key(document) -> str:
    other = Ed25519PrivateKey.generate()
    return seal.seal(sealed_facts(document, key_id=keys.key_id(other.public_key())), other)


def expired_in_the_register(document, valid_until) -> IssuedDocument:
    """The document as it would be had its validity ended on ``valid_until``: sealed so."""
    _kid, private_key = keys.signing_key()
    code = seal.seal(sealed_facts(document, valid_until=valid_until), private_key)
    IssuedDocument.objects.filter(pk=document.pk).update(code=code, valid_until=valid_until)
    document.refresh_from_db()
    return document


def revoke(document, supervisor, reason="Issued in error: wrong applicant."):
    perform(
        document.dossier_id,
        "revoke_document",
        supervisor,
        comment=reason,
        number=document.number,
    )
    document.refresh_from_db()
    return document


def pem(private_key) -> str:
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def verify_page(client, code, **extra):
    return client.get(reverse("verify_code", args=[code]), **extra)


# --- The register and the seal together (workflows.documents.verification) ------------------


def test_a_document_of_the_register_is_genuine(receipt):
    result = check(receipt.code)

    assert result.finding == Finding.GENUINE
    assert result.is_valid
    assert result.facts.number == receipt.number
    assert result.facts.holder == "Aline Ndayishimiye"


def test_the_code_is_found_however_it_was_pasted(receipt):
    for pasted in (
        qr.verification_url(receipt.code),
        receipt.code.lower(),
        f"  {receipt.code[:50]} {receipt.code[50:120]}\n{receipt.code[120:]}  ",
        f"https://gup.gov.bi/verify/{receipt.code}",
    ):
        assert check(pasted).is_valid, pasted


def test_a_correctly_signed_code_the_register_does_not_hold_is_not_valid(receipt):
    _kid, private_key = keys.signing_key()
    unknown = seal.seal(sealed_facts(receipt, number="GIT-2026-D999999"), private_key)
    other_facts = seal.seal(sealed_facts(receipt, holder="Someone Else"), private_key)

    assert check(unknown).finding == Finding.NOT_REGISTERED
    assert check(other_facts).finding == Finding.NOT_REGISTERED
    assert not check(unknown).is_valid


def test_revocation_wins_over_everything_and_keeps_its_reason_private(receipt, personas):
    revoke(receipt, personas.supervisor_gitega)

    result = check(receipt.code)

    assert result.finding == Finding.REVOKED
    assert result.revoked_on == timezone.localdate(receipt.revoked_at)
    assert "wrong applicant" not in result.explanation
    assert revocation_list()["revoked"] == [
        {"number": receipt.number, "revoked_on": result.revoked_on.isoformat()}
    ]


def test_an_expired_document_says_since_when(receipt):
    expired_in_the_register(receipt, TODAY)

    assert check(receipt.code, today=TODAY).is_valid
    result = check(receipt.code, today=TODAY + datetime.timedelta(days=1))
    assert result.finding == Finding.EXPIRED
    assert "10 March 2026" in result.explanation


# --- The public page ---------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["verify_code", "verify_code_qr"])
def test_the_page_says_genuine_with_the_sealed_facts(client, receipt, route):
    response = client.get(reverse(route, args=[receipt.code]), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Genuine" in html and "Not valid" not in html
    for fact in (
        "Filing receipt",
        receipt.number,
        receipt.dossier.tracking_number,
        "Aline Ndayishimiye",
        "No end date",
        receipt.key_id,
    ):
        assert fact in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-cache" in response["Cache-Control"]


def test_the_qr_code_text_opens_the_page(client, receipt):
    url = qr.verification_url(receipt.code)
    path = url[len(settings.GUP_PUBLIC_URL) :]

    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "Genuine" in response.content.decode()


def test_the_page_speaks_the_visitors_language(client, receipt):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    html = verify_page(client, receipt.code).content.decode()

    assert '<html lang="fr">' in html


@pytest.mark.parametrize(
    ("make_code", "reason"),
    [
        (lambda doc: with_a_changed_character(doc.code), "The seal does not match"),
        (lambda doc: with_another_holder(doc.code), "The seal does not match"),
        (signed_with_another_key, "not signed with any key GUP publishes"),
    ],
    ids=["changed-character", "changed-holder", "another-key"],
)
def test_a_changed_or_foreign_code_is_not_valid_and_shows_no_facts(
    client, receipt, make_code, reason
):
    response = verify_page(client, make_code(receipt), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Not valid" in html and reason in html
    assert receipt.number not in html and "Someone Else" not in html


def test_a_revoked_document_shows_the_day_not_the_reason(client, receipt, personas):
    revoke(receipt, personas.supervisor_gitega, reason="Fraud by the applicant's cousin")

    html = verify_page(client, receipt.code, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Not valid" in html
    assert "revoked this document on" in html
    assert "cousin" not in html


def test_an_expired_document_is_not_valid_on_the_page(client, receipt):
    expired_in_the_register(receipt, timezone.localdate() - datetime.timedelta(days=1))

    html = verify_page(client, receipt.code, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Not valid" in html and "it has expired" in html
    assert receipt.number in html


def test_a_code_signed_with_our_key_but_unknown_to_the_register_is_not_valid(client, receipt):
    _kid, private_key = keys.signing_key()
    code = seal.seal(sealed_facts(receipt, number="GIT-2026-D999999"), private_key)

    html = verify_page(client, code, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Not valid" in html and "register holds no such document" in html


@pytest.mark.parametrize(
    "text",
    [
        "garbage",
        "A" * 5000,
        "GUP\x00CODE",
        "\x00",
        "ABCDEFGH",
        "https://gup.gov.bi/V/",
        "<script>alert(1)</script>",
        "%s/../../etc/passwd",
        "ÉÇÀ ü ß",
    ],
)
def test_anything_that_is_no_code_gets_a_clear_answer_never_an_error(client, db, text):
    through_the_form = client.get(reverse("verify"), {"code": text}, HTTP_ACCEPT_LANGUAGE="en")
    if through_the_form.status_code == 302:
        through_the_form = client.get(through_the_form["Location"], HTTP_ACCEPT_LANGUAGE="en")

    assert through_the_form.status_code == 400
    html = through_the_form.content.decode()
    assert "Not valid" in html and "not a GUP verification code" in html
    assert "<script>alert" not in html


def test_codes_in_the_address_that_are_no_code_get_a_clear_answer(client, db):
    for path in ("/verify/A%00B", "/V/" + "Z" * 5000, "/V/lowercase-and-dashes", "/verify/%20"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, path
        assert "not a GUP verification code" in response.content.decode(), path


def test_the_form_sends_a_pasted_address_to_the_codes_own_page(client, receipt):
    response = client.get(reverse("verify"), {"code": qr.verification_url(receipt.code).lower()})

    assert response.status_code == 302
    assert response["Location"] == reverse("verify_code", args=[receipt.code])


def test_the_form_alone(client, db):
    response = client.get(reverse("verify"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_failed_look_ups_are_slowed_down_and_genuine_ones_do_not_count(client, receipt, settings):
    settings.GUP_TRACK_RATE = "3/m"
    for _attempt in range(3):
        assert verify_page(client, receipt.code).status_code == 200
        assert verify_page(client, with_a_changed_character(receipt.code)).status_code == 200

    locked = verify_page(client, receipt.code)

    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    assert verify_page(client, receipt.code, REMOTE_ADDR="10.0.0.9").status_code == 200


# --- The JSON other verifiers download -------------------------------------------------------


def test_keys_json_lists_every_key_by_id(client, db):
    current_id, _private = keys.signing_key()

    response = client.get(reverse("verify_keys"))

    data = response.json()
    assert data["algorithm"] == "Ed25519"
    assert [entry["kid"] for entry in data["keys"] if entry["current"]] == [current_id]
    assert "max-age" in response["Cache-Control"]
    assert keys.from_published(data).keys() == {current_id}


def test_revoked_json_lists_numbers_and_days_only(client, receipt, personas):
    revoke(receipt, personas.supervisor_gitega)

    data = client.get(reverse("verify_revoked")).json()

    assert datetime.datetime.fromisoformat(data["generated_at"]).tzinfo is not None
    assert data["revoked"] == [
        {"number": receipt.number, "revoked_on": timezone.localdate(receipt.revoked_at).isoformat()}
    ]


def test_a_document_signed_before_a_key_rotation_still_verifies(client, receipt):
    old_keys = json.dumps(keys.published())
    new_key = Ed25519PrivateKey.generate()
    new_pem = pem(new_key)

    with override_settings(GUP_SIGNING_KEY=new_pem, GUP_VERIFY_KEYS=old_keys):
        keys.forget()
        assert keys.signing_key()[0] != receipt.key_id
        listed = {entry["kid"] for entry in client.get(reverse("verify_keys")).json()["keys"]}
        html = verify_page(client, receipt.code, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert listed == {receipt.key_id, keys.key_id(new_key.public_key())}
    assert "Genuine" in html and "Not valid" not in html


def test_without_the_old_key_published_old_documents_are_not_valid(client, receipt):
    with override_settings(GUP_SIGNING_KEY=pem(Ed25519PrivateKey.generate()), GUP_VERIFY_KEYS=""):
        keys.forget()
        assert check(receipt.code).finding == Finding.UNKNOWN_KEY


# --- The offline verifier's page -------------------------------------------------------------


def test_the_offline_page_embeds_keys_revocations_and_texts(client, receipt, personas):
    revoke(receipt, personas.supervisor_gitega)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("verify_offline"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="verifier-data"' in html
    assert "<script>" not in html  # no inline script: only the JSON block and the file
    data = json.loads(html.split('id="verifier-data" type="application/json">')[1].split("<")[0])
    assert data["keys"] == keys.published()
    assert data["revoked"][0]["number"] == receipt.number
    assert data["kinds"]["1"] == "Filing receipt"
    assert len(data["months"]) == 12
    assert "%(date)s" in data["texts"]["expired"]


def test_the_offline_verifier_fits_the_page_budget(client, receipt, personas):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "rn"
    revoke(receipt, personas.supervisor_gitega)

    weight, html = first_visit_weight(client, reverse("verify_offline"))

    print(f"\n/verify/offline/ first visit, gzip: {weight} bytes")
    assert "js/verify-offline.js" in html and "css/gup.css" in html
    assert weight <= BUDGET_BYTES


def test_the_result_page_fits_the_page_budget(client, receipt):
    weight, _html = first_visit_weight(client, reverse("verify_code", args=[receipt.code]))

    assert weight <= BUDGET_BYTES


# --- manage.py verify_document -----------------------------------------------------------------


def verify_document(*args) -> tuple[int, str]:
    """(exit status, what the command wrote) of ``manage.py verify_document *args``."""
    out = StringIO()
    try:
        # In English, as the assertions are written, whatever a page request activated before.
        with translation.override("en"):
            call_command("verify_document", *args, stdout=out, stderr=StringIO())
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


@pytest.fixture
def published_keys(tmp_path, db):
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(keys.published()))
    return path


def test_the_command_says_genuine_and_prints_the_facts(receipt, published_keys):
    status, out = verify_document(receipt.code, "--keys", str(published_keys))

    assert status == 0
    assert "GENUINE" in out
    assert receipt.number in out and "Aline Ndayishimiye" in out and "Filing receipt" in out


@pytest.mark.parametrize(
    ("make_code", "words"),
    [
        (lambda doc: with_a_changed_character(doc.code), "The seal does not match"),
        (lambda doc: with_another_holder(doc.code), "The seal does not match"),
        (signed_with_another_key, "not signed with any key GUP publishes"),
        (lambda doc: "garbage", "not a GUP verification code"),
        (lambda doc: "A" * 5000, "not a GUP verification code"),
        (lambda doc: "\x00", "not a GUP verification code"),
    ],
    ids=["changed-character", "changed-holder", "another-key", "garbage", "long", "nul"],
)
def test_the_command_says_not_valid_and_why(receipt, published_keys, make_code, words):
    status, out = verify_document(make_code(receipt), "--keys", str(published_keys))

    assert status == 1
    assert "NOT VALID" in out and words in out


def test_the_command_checks_expiry_against_the_day_given(receipt, published_keys):
    _kid, private_key = keys.signing_key()
    code = seal.seal(sealed_facts(receipt, valid_until=TODAY), private_key)

    assert verify_document(code, "--keys", str(published_keys), "--today", "2026-03-10")[0] == 0
    status, out = verify_document(code, "--keys", str(published_keys), "--today", "2026-03-11")
    assert status == 1 and "valid until 10 March 2026" in out


def test_the_command_reads_a_downloaded_revocation_list(client, receipt, personas, tmp_path):
    revoke(receipt, personas.supervisor_gitega)
    revoked = tmp_path / "revoked.json"
    revoked.write_bytes(client.get(reverse("verify_revoked")).content)

    status, out = verify_document(receipt.code, "--revoked", str(revoked))

    assert status == 1 and "GUP revoked this document on" in out
    # Without the list it cannot know, and says so.
    status, out = verify_document(receipt.code)
    assert status == 0 and "was not checked" in out


def test_the_command_reads_the_qr_code_of_an_issued_pdf(receipt, published_keys):
    status, out = verify_document(str(receipt.path), "--keys", str(published_keys))

    assert status == 0, out
    assert receipt.number in out


def test_the_command_refuses_what_it_cannot_read(tmp_path, published_keys):
    blank = tmp_path / "blank.pdf"
    blank.write_bytes(render_pdf("<p>Nothing to see</p>", archival=False))
    not_a_pdf = tmp_path / "notes.pdf"
    not_a_pdf.write_text("hello")

    assert verify_document(str(tmp_path / "missing.pdf"))[0] == 2
    assert verify_document(str(blank), "--keys", str(published_keys))[0] == 2
    assert verify_document(str(not_a_pdf), "--keys", str(published_keys))[0] == 2
    assert verify_document("CODE", "--keys", str(tmp_path / "nowhere.json"))[0] == 2


def test_the_command_exits_with_its_status_and_needs_no_database(receipt, published_keys):
    """A real process, with a database address that leads nowhere: the check reads no database."""
    command = [sys.executable, "manage.py", "verify_document", "--keys", str(published_keys)]
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "gup.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing",
        "GUP_SIGNING_KEY_GENERATE": "false",
    }

    genuine = subprocess.run(
        [*command, receipt.code], env=environment, capture_output=True, text=True, check=False
    )
    forged = subprocess.run(
        [*command, with_a_changed_character(receipt.code)],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    usage = subprocess.run(
        [*command, "/nowhere/receipt.pdf"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert (genuine.returncode, forged.returncode, usage.returncode) == (0, 1, 2), (
        genuine.stderr + forged.stderr + usage.stderr
    )
    assert receipt.number in genuine.stdout
