"""The offline verifier in Chromium: loaded once, then checked with the network cut.

Every answer comes from the page itself: the keys, the revocation list of load time and the
texts are in it, the signature is checked by WebCrypto. No request may leave once offline.
"""

import datetime

import pytest
from django.utils import timezone

from gup.formatting import day
from tests.factories import DossierFactory
from tests.test_verification import (
    revoke,
    sealed_facts,
    signed_with_another_key,
    with_a_changed_character,
    with_another_holder,
)
from workflows.documents import keys, qr, seal
from workflows.models import IssuedDocument


def filing_receipt(personas, first_name):
    dossier = DossierFactory(
        service=personas.passport,
        office=personas.office_gitega,
        counter=True,
        intake=True,
        language="rn",
        applicant_first_name=first_name,
        applicant_last_name="Ndayishimiye",
    )
    return IssuedDocument.objects.get(dossier=dossier)


@pytest.fixture
def receipts(personas):
    """Two receipts issued at the Gitega counter; the second revoked before the page loads."""
    genuine = filing_receipt(personas, "Aline")
    revoked = revoke(filing_receipt(personas, "Pacifique"), personas.supervisor_gitega)
    return genuine, revoked


@pytest.fixture
def offline_page(page, live_server, receipts):
    """/verify/offline/ loaded, then the network cut; every request after that is recorded."""
    page.goto(f"{live_server.url}/verify/offline/")
    page.context.set_offline(True)
    requests_offline = []
    page.on("request", lambda request: requests_offline.append(request.url))
    yield page
    assert requests_offline == []


def verdict_of(page, text) -> dict:
    """Paste ``text``, check, and read back the verdict and the facts shown."""
    page.eval_on_selector("#verdict", "verdict => { delete verdict.dataset.finding; }")
    page.fill("#code", text)
    page.click("#verify-form button[type=submit]")
    page.wait_for_function("document.getElementById('verdict').dataset.finding")
    facts_shown = page.is_visible("#facts")
    return {
        "finding": page.get_attribute("#verdict", "data-finding"),
        "ok": "ok" in page.get_attribute("#verdict", "class").split(),
        "headline": page.inner_text("#verdict [data-slot=headline]"),
        "explanation": page.inner_text("#verdict [data-slot=explanation]"),
        "facts": page.inner_text("#facts") if facts_shown else None,
    }


def test_a_genuine_code_is_genuine_with_its_facts(offline_page, receipts):
    genuine, _revoked = receipts

    answer = verdict_of(offline_page, genuine.code)

    assert answer["ok"] and answer["headline"] == "Genuine"
    assert "not on the list of revoked documents" in answer["explanation"]
    for fact in (
        "Filing receipt",
        genuine.number,
        genuine.dossier.tracking_number,
        "Aline Ndayishimiye",
        day(timezone.localdate(genuine.issued_at)),
        "No end date",
        genuine.key_id,
    ):
        assert fact in answer["facts"]


def test_a_pasted_address_in_lower_case_is_read_too(offline_page, receipts):
    genuine, _revoked = receipts

    answer = verdict_of(offline_page, "  " + qr.verification_url(genuine.code).lower() + "\n")

    assert answer["ok"]


@pytest.mark.parametrize(
    ("make_code", "finding", "reason"),
    [
        (lambda doc: with_a_changed_character(doc.code), "forged", "The seal does not match"),
        (lambda doc: with_another_holder(doc.code), "forged", "The seal does not match"),
        (signed_with_another_key, "unknown_key", "not signed with any key GUP publishes"),
        (lambda doc: "NOT-A-CODE", "malformed", "not a GUP verification code"),
        (lambda doc: doc.code[:80], "malformed", "not a GUP verification code"),
    ],
    ids=["changed-character", "changed-holder", "another-key", "garbage", "cut-short"],
)
def test_a_changed_or_foreign_code_is_not_valid(offline_page, receipts, make_code, finding, reason):
    genuine, _revoked = receipts

    answer = verdict_of(offline_page, make_code(genuine))

    assert not answer["ok"] and answer["headline"] == "Not valid"
    assert answer["finding"] == finding and reason in answer["explanation"]
    assert answer["facts"] is None


def test_an_expired_document_is_not_valid_since_its_last_day(offline_page, receipts):
    genuine, _revoked = receipts
    last_day = timezone.localdate() - datetime.timedelta(days=2)
    _kid, private_key = keys.signing_key()
    code = seal.seal(sealed_facts(genuine, valid_until=last_day), private_key)

    answer = verdict_of(offline_page, code)

    assert not answer["ok"] and answer["finding"] == "expired"
    assert f"valid until {day(last_day)}: it has expired" in answer["explanation"]
    assert genuine.number in answer["facts"]


def test_a_document_revoked_before_the_page_loaded_is_not_valid(offline_page, receipts):
    _genuine, revoked = receipts

    answer = verdict_of(offline_page, revoked.code)

    assert not answer["ok"] and answer["finding"] == "revoked"
    revoked_on = day(timezone.localdate(revoked.revoked_at))
    assert f"GUP revoked this document on {revoked_on}" in answer["explanation"]
