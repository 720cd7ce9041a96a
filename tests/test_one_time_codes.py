"""One-time codes: six digits by SMS, stored hashed, valid 10 minutes, 5 tries, once; used to
confirm a citizen's phone at sign-up (then the dossiers filed with it are offered for linking)
and to download a dossier's documents from /track/."""

import datetime
import hashlib
import hmac
import re
import uuid
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gup.accounts import one_time_codes
from gup.accounts.models import CodePurpose, OneTimeCode, User
from gup.accounts.one_time_codes import (
    CodeExpired,
    NoCode,
    TooManyAttempts,
    TooManyCodes,
    TooSoon,
    WrongCode,
)
from tests.factories import DossierFactory, UserFactory, clock_at
from tests.test_page_weight import BUDGET_BYTES, FIELD, first_visit_weight
from workflows import citizen_access
from workflows.actions import perform
from workflows.exceptions import NotAllowed
from workflows.models import OutboxMessage

PHONE = "+25779123456"
OTHER_PHONE = "+25761987654"
VERIFY = CodePurpose.VERIFY_PHONE
TRACK = CodePurpose.TRACK_DOCUMENTS
SIX_DIGITS = re.compile(r"\b\d{6}\b")

SIGN_UP = {
    "first_name": "Aline",
    "last_name": "Ndayishimiye",
    "identifier": "79 12 34 56",
    "password1": "imvura-nyinshi-2026",
    "password2": "imvura-nyinshi-2026",
}


@pytest.fixture(autouse=True)
def fresh_rate_limit(settings):
    """Counters of this test only (the Redis cache is shared by every test and every run)."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl-test-{uuid.uuid4().hex}:"
    settings.GUP_TRACK_RATE = "10/m"


@pytest.fixture
def sent(django_capture_on_commit_callbacks, sms_outbox):
    """``sent(lambda: ...)``: run it, deliver what it owed, return the codes sent by SMS."""

    def run(action):
        before = len(sms_outbox)
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        codes = [SIX_DIGITS.search(sms.text).group() for sms in sms_outbox[before:]]
        return result, codes

    return run


def issue(sent, phone=PHONE, purpose=VERIFY, scope="user:1"):
    _row, codes = sent(lambda: one_time_codes.issue(phone, purpose, scope, "fr"))
    (code,) = codes
    return code


def check(typed, phone=PHONE, purpose=VERIFY, scope="user:1"):
    return one_time_codes.check(phone, purpose, scope, typed)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def later(**delta):
    return clock_at(timezone.now() + datetime.timedelta(**delta))


# --- The rules --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_six_digits_go_by_sms_and_only_an_hmac_is_stored(sent, sms_outbox):
    code = issue(sent)

    assert [sms.to for sms in sms_outbox] == [PHONE]
    row = OneTimeCode.objects.get()
    assert (row.phone, row.purpose, row.scope, row.attempts, row.used_at) == (
        PHONE,
        VERIFY,
        "user:1",
        0,
        None,
    )
    stored = " ".join(str(value) for value in OneTimeCode.objects.values().get().values())
    assert code not in stored
    # Not a plain hash either: a million candidates would find it in a second.
    assert row.code_hash != hashlib.sha256(code.encode()).hexdigest()
    assert len(row.code_hash) == 64
    # The outbox forgets it once the SMS has left.
    assert all(code not in message.sealed_secrets for message in OutboxMessage.objects.all())
    assert OutboxMessage.objects.get().sealed_secrets == ""


@pytest.mark.django_db
def test_the_right_code_works_once(sent):
    code = issue(sent)

    assert check(code) is True
    assert OneTimeCode.objects.get().used_at is not None
    with pytest.raises(NoCode):
        check(code)


@pytest.mark.django_db
def test_a_code_lasts_ten_minutes(sent):
    code = issue(sent)
    with later(minutes=9, seconds=59):
        assert check(code, scope="user:1")

    code = issue(sent, scope="user:2")
    with later(minutes=10), pytest.raises(CodeExpired) as expired:
        check(code, scope="user:2")
    assert "expired" in expired.value.message
    assert "10 minutes" in expired.value.message


@pytest.mark.django_db
def test_five_wrong_tries_kill_the_code(sent):
    code = issue(sent)

    for left in (4, 3, 2, 1):
        with pytest.raises(WrongCode) as refused:
            check(wrong(code))
        assert refused.value.attempts_left == left
        assert f"{left} more tr" in refused.value.message
    with pytest.raises(TooManyAttempts):
        check(wrong(code))
    # Even the right code is refused now: a new one must be asked for.
    with pytest.raises(TooManyAttempts) as dead:
        check(code)
    assert "Ask for a new code" in dead.value.message
    assert OneTimeCode.objects.get().attempts == 5


@pytest.mark.django_db
def test_a_wrong_try_stays_counted_although_it_is_refused(sent):
    code = issue(sent)

    with pytest.raises(WrongCode):
        check("abcdef")  # not even digits: a try all the same
    with pytest.raises(WrongCode):
        check(wrong(code))

    assert OneTimeCode.objects.get().attempts == 2


@pytest.mark.django_db
def test_no_code_sent_and_codes_of_another_purpose_or_scope(sent):
    with pytest.raises(NoCode) as none:
        check("123456")
    assert "Ask for a new code" in none.value.message

    code = issue(sent, purpose=TRACK, scope="dossier:1")

    for purpose, scope, phone in [
        (TRACK, "dossier:2", PHONE),
        (VERIFY, "dossier:1", PHONE),
        (TRACK, "dossier:1", OTHER_PHONE),
    ]:
        with pytest.raises(NoCode):
            check(code, phone=phone, purpose=purpose, scope=scope)
    assert check(code, purpose=TRACK, scope="dossier:1")


@pytest.mark.django_db
def test_a_new_code_waits_a_minute_then_replaces_the_earlier_one(sent, sms_outbox):
    start = timezone.now()
    with clock_at(start):
        first = issue(sent)
        with pytest.raises(TooSoon) as too_soon:
            issue(sent)
        assert too_soon.value.seconds == 60
        assert len(sms_outbox) == 1  # nothing sent
        assert one_time_codes.seconds_before_resend(PHONE, VERIFY, "user:1") == 60

    with clock_at(start + datetime.timedelta(minutes=1)):
        second = issue(sent)
        assert one_time_codes.seconds_before_resend(PHONE, VERIFY, "user:1") == 60
        if first != second:
            with pytest.raises(WrongCode):
                check(first)
        assert check(second)
    earlier = OneTimeCode.objects.order_by("created_at").first()
    assert earlier.expires_at == earlier.created_at + datetime.timedelta(minutes=1)


@pytest.mark.django_db
def test_a_phone_gets_at_most_five_codes_an_hour_whatever_they_are_for(sent, sms_outbox):
    for n in range(5):
        issue(sent, purpose=TRACK, scope=f"dossier:{n}")

    with pytest.raises(TooManyCodes) as too_many:
        issue(sent, scope="user:1")
    assert too_many.value.minutes == 60
    assert "too many codes" in too_many.value.message
    assert len(sms_outbox) == 5
    issue(sent, phone=OTHER_PHONE)  # another phone is not held back

    with later(minutes=59), pytest.raises(TooManyCodes) as still:
        issue(sent)
    assert still.value.minutes == 1
    with later(hours=1, seconds=1):
        assert issue(sent)


@pytest.mark.django_db
def test_the_comparison_takes_the_same_time_whatever_the_digits(sent):
    code = issue(sent)

    with mock.patch.object(one_time_codes, "compare_digest", wraps=hmac.compare_digest) as compare:
        with pytest.raises(WrongCode):
            check(wrong(code))
        check(code)
        with pytest.raises(NoCode):
            check(code)

    assert compare.call_count == 3


@pytest.mark.django_db
def test_purge_spent_deletes_what_was_spent_more_than_a_day_ago(sent):
    start = timezone.now()
    with clock_at(start):
        used = issue(sent, scope="user:1")
        check(used, scope="user:1")
        issue(sent, scope="user:2")  # never used: it expires 10 minutes later
    with clock_at(start + datetime.timedelta(days=1, minutes=5)):
        fresh = issue(sent, scope="user:3")
        check(fresh, scope="user:3")
        issue(sent, scope="user:4")

        assert one_time_codes.purge_spent() == 1  # user:1, used a day and 5 minutes ago
        assert set(OneTimeCode.objects.values_list("scope", flat=True)) == {
            "user:2",
            "user:3",
            "user:4",
        }
    with clock_at(start + datetime.timedelta(days=1, minutes=11)):
        assert one_time_codes.purge_spent() == 1  # user:2, expired a day and a minute ago
    assert one_time_codes.purge_spent(start + datetime.timedelta(days=3)) == 2
    assert not OneTimeCode.objects.exists()


# --- Signing up: the phone confirmed, earlier dossiers offered --------------------------------


@pytest.fixture
def english_client(client):
    """The browser of a citizen who reads English (the conftest's ``english`` fixture sets the
    domain's language; this one, the screens')."""
    client.cookies["django_language"] = "en"
    return client


def sign_up(client, sent):
    response, codes = sent(lambda: client.post(reverse("citizen_sign_up"), SIGN_UP))
    assert response.status_code == 302
    return response, codes[0]


def confirm(client, code, **extra):
    return client.post(reverse("confirm_phone"), {"code": code, **extra})


@pytest.fixture
def filed_with_the_phone(personas):
    """Filed at the counter with the phone the citizen signs up with, before they had an account."""
    return DossierFactory(
        counter=True,
        intake=True,
        service=personas.passport,
        office=personas.office_gitega,
        clerk=personas.clerk_gitega,
        applicant_phone=PHONE,
    )


@pytest.mark.django_db
def test_sign_up_confirm_then_link_the_dossiers_filed_with_that_phone(
    english_client, sent, sms_outbox, personas, filed_with_the_phone
):
    other_phone = DossierFactory(counter=True, intake=True, applicant_phone=OTHER_PHONE)
    someones = DossierFactory(submitted=True, applicant_phone=PHONE)  # an account has it
    draft = DossierFactory(applicant_phone=PHONE, applicant_account=None)

    response, code = sign_up(english_client, sent)

    assert response.url == reverse("confirm_phone")
    assert sms_outbox[-1].to == PHONE
    page = english_client.get(response.url).text
    assert "+257 79 12 34 56" in page  # their own number, to spot a typo
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page
    user = User.objects.get(username=PHONE)
    assert citizen_access.offered_by_phone(user).count() == 0  # not before the code

    response = confirm(english_client, code)

    user.refresh_from_db()
    assert user.phone_verified_at is not None
    assert response.url == reverse("link_dossiers")
    page = english_client.get(response.url).text
    assert filed_with_the_phone.tracking_number in page
    assert "Passport" in page
    for not_offered in (other_phone, someones):
        assert not_offered.tracking_number not in page
    assert str(draft.public_id) not in page

    response = english_client.post(
        reverse("link_dossiers"), {"dossiers": [str(filed_with_the_phone.public_id)]}
    )

    assert response.url == reverse("my_dossiers")
    mine = english_client.get(response.url).text
    assert "1 dossier was added to your account." in mine
    assert filed_with_the_phone.tracking_number in mine
    filed_with_the_phone.refresh_from_db()
    assert filed_with_the_phone.applicant_account == user
    entry = filed_with_the_phone.history.order_by("-position").first()
    assert (entry.kind, entry.actor_user, entry.details) == (
        "linked_to_account",
        user,
        {"proof": "phone"},
    )
    someones.refresh_from_db()
    assert someones.applicant_account != user
    # Nothing more to offer: the page goes back to the dossiers.
    assert english_client.get(reverse("link_dossiers")).url == reverse("my_dossiers")


@pytest.mark.django_db
def test_linking_asks_for_a_choice_and_keeps_the_page(english_client, sent, filed_with_the_phone):
    _response, code = sign_up(english_client, sent)
    confirm(english_client, code)

    response = english_client.post(reverse("link_dossiers"), {})
    forged = english_client.post(reverse("link_dossiers"), {"dossiers": [str(uuid.uuid4())]})

    assert response.status_code == forged.status_code == 400
    assert "Tick at least one dossier" in response.text
    assert filed_with_the_phone.tracking_number in response.text
    assert "Select a valid choice" in forged.text
    filed_with_the_phone.refresh_from_db()
    assert filed_with_the_phone.applicant_account is None


@pytest.mark.django_db
def test_no_dossier_with_that_phone_goes_straight_to_my_dossiers(english_client, sent):
    _response, code = sign_up(english_client, sent)

    response = confirm(english_client, code)

    assert response.url == reverse("my_dossiers")
    assert "your phone number is confirmed" in english_client.get(response.url).text


@pytest.mark.django_db
def test_sign_up_keeps_where_the_citizen_was_going(english_client, sent):
    response, codes = sent(
        lambda: english_client.post(reverse("citizen_sign_up"), {**SIGN_UP, "next": "/track/"})
    )

    assert response.url == reverse("confirm_phone") + "?next=%2Ftrack%2F"
    assert 'name="next" value="/track/"' in english_client.get(response.url).text
    assert confirm(english_client, codes[0], next="/track/").url == "/track/"


@pytest.mark.django_db
def test_an_email_sign_up_sends_no_code(
    english_client, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = english_client.post(
            reverse("citizen_sign_up"), {**SIGN_UP, "identifier": "aline@example.bi"}
        )

    assert response.url == reverse("my_dossiers")
    assert sms_outbox == []
    assert english_client.get(reverse("confirm_phone")).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the 6 digits of the code we sent by SMS."),
        ("abcdef", "and nothing else"),
        ("12345", "and nothing else"),
        ("1234567", "and nothing else"),
        ("12 34 5a", "and nothing else"),
        ("١٢٣٤٥٦", "and nothing else"),  # digits, but not the ones the SMS shows
    ],
)
def test_bad_input_is_refused_before_it_counts_as_a_try(english_client, sent, typed, message):
    sign_up(english_client, sent)

    response = confirm(english_client, typed)

    assert response.status_code == 400
    assert message in response.text
    assert "There is a problem" in response.text
    assert OneTimeCode.objects.get().attempts == 0


@pytest.mark.django_db
def test_a_code_typed_with_spaces_is_accepted(english_client, sent):
    _response, code = sign_up(english_client, sent)

    assert confirm(english_client, f" {code[:3]} {code[3:]} ").status_code == 302
    assert User.objects.get().phone_verified_at is not None


@pytest.mark.django_db
def test_a_wrong_or_expired_code_says_what_to_do_and_keeps_the_page(english_client, sent):
    _response, code = sign_up(english_client, sent)

    response = confirm(english_client, wrong(code))

    assert response.status_code == 400
    assert "This is not the code we sent. Check the digits: 4 more tries." in response.text
    assert f'value="{wrong(code)}"' in response.text  # what was typed stays, to correct
    assert "Send me a new code" in response.text
    with later(minutes=11):
        expired = confirm(english_client, code)
        assert expired.status_code == 400
        assert "This code has expired" in expired.text
        # A new code, and the page works again.
        _response, codes = sent(lambda: english_client.post(reverse("confirm_phone_resend")))
        assert confirm(english_client, codes[0]).status_code == 302
    assert User.objects.get().phone_verified_at is not None


@pytest.mark.django_db
def test_a_new_code_waits_a_minute_and_says_so(english_client, sent, sms_outbox):
    _response, first = sign_up(english_client, sent)

    response, codes = sent(lambda: english_client.post(reverse("confirm_phone_resend")))

    assert codes == []
    page = english_client.get(response.url).text
    assert "A code was sent a moment ago" in page
    with later(seconds=61):
        response, codes = sent(lambda: english_client.post(reverse("confirm_phone_resend")))
        assert (
            "A new code is on its way to +257 79 12 34 56" in english_client.get(response.url).text
        )
        assert len(codes) == 1
        if codes[0] != first:
            assert confirm(english_client, first).status_code == 400
        assert confirm(english_client, codes[0]).status_code == 302


@pytest.mark.django_db
def test_a_citizen_who_signs_in_unconfirmed_asks_for_a_code_first(english_client, sent):
    user = UserFactory(username=PHONE, phone=PHONE)
    english_client.force_login(user)

    page = english_client.get(reverse("confirm_phone")).text

    assert "ask for a code" in page
    assert "Send me a code" in page
    _response, codes = sent(lambda: english_client.post(reverse("confirm_phone_resend")))
    assert "We sent a code of 6 digits by SMS" in english_client.get(reverse("confirm_phone")).text
    assert confirm(english_client, codes[0]).url == reverse("my_dossiers")


@pytest.mark.django_db
def test_five_wrong_codes_need_a_new_one(english_client, sent):
    _response, code = sign_up(english_client, sent)
    for _try in range(4):
        confirm(english_client, wrong(code))

    last = confirm(english_client, wrong(code))
    right = confirm(english_client, code)

    assert "Too many wrong tries" in last.text
    assert "Too many wrong tries" in right.text
    assert User.objects.get().phone_verified_at is None


@pytest.mark.django_db
def test_many_wrong_codes_from_one_client_are_slowed_down(english_client, sent, settings):
    settings.GUP_TRACK_RATE = "3/m"
    _response, code = sign_up(english_client, sent)
    for _try in range(3):
        confirm(english_client, wrong(code))

    assert confirm(english_client, code).status_code == 429


@pytest.mark.django_db
def test_an_unconfirmed_citizen_may_file_and_is_reminded(
    english_client, sent, building_permit, office_gitega
):
    sign_up(english_client, sent)

    assert "Confirm your phone number" in english_client.get(reverse("my_dossiers")).text
    start = reverse("citizen_start", args=["building-permit"])
    assert "Confirm your phone number" in english_client.get(start).text
    assert english_client.post(start, {"office": office_gitega.pk}).status_code == 302


@pytest.mark.django_db
def test_an_unconfirmed_account_sees_and_links_nothing_by_phone(
    english_client, personas, filed_with_the_phone
):
    user = UserFactory(username=PHONE, phone=PHONE)
    english_client.force_login(user)

    assert english_client.get(reverse("link_dossiers")).url == reverse("confirm_phone")
    assert (
        filed_with_the_phone.tracking_number not in english_client.get(reverse("my_dossiers")).text
    )
    with pytest.raises(NotAllowed):
        perform(filed_with_the_phone.pk, "linked_to_account", user, by_phone=True)
    filed_with_the_phone.refresh_from_db()
    assert filed_with_the_phone.applicant_account is None


@pytest.mark.django_db
def test_a_confirmed_account_is_told_of_dossiers_filed_with_its_phone_later(
    english_client, personas, filed_with_the_phone
):
    user = UserFactory(username=PHONE, phone=PHONE, phone_verified_at=timezone.now())
    english_client.force_login(user)

    page = english_client.get(reverse("my_dossiers")).text

    assert "Some dossiers filed with your phone number belong to no account yet." in page
    assert reverse("link_dossiers") in page


@pytest.mark.django_db
def test_who_may_link_a_dossier_by_phone(personas, filed_with_the_phone):
    """The rule (``permissions.phone_owner``): a citizen whose confirmed phone is the filed
    dossier's; never a draft, never another account's dossier, never staff."""
    now = timezone.now()
    other_number = UserFactory(phone=OTHER_PHONE, phone_verified_at=now)
    for stranger in (other_number, personas.clerk_gitega):
        with pytest.raises(NotAllowed):
            perform(filed_with_the_phone.pk, "linked_to_account", stranger, by_phone=True)
    owner = UserFactory(phone=PHONE, phone_verified_at=now)

    perform(filed_with_the_phone.pk, "linked_to_account", owner, by_phone=True)

    filed_with_the_phone.refresh_from_db()
    assert filed_with_the_phone.applicant_account == owner
    # Linked once: another confirmed account with that number (an old one) does not take it.
    older = UserFactory(phone=PHONE, phone_verified_at=now)
    perform(filed_with_the_phone.pk, "linked_to_account", older, by_phone=True)
    filed_with_the_phone.refresh_from_db()
    assert filed_with_the_phone.applicant_account == owner
    draft = DossierFactory(applicant_phone=PHONE, applicant_account=None)
    with pytest.raises(NotAllowed):
        perform(draft.pk, "linked_to_account", owner, by_phone=True)


@pytest.mark.django_db
def test_a_new_phone_number_is_not_confirmed(citizen):
    citizen.phone, citizen.phone_verified_at = PHONE, timezone.now()
    citizen.save()

    citizen.phone = "79 12 34 56"  # the same number, written another way
    citizen.full_clean()
    assert citizen.phone_verified_at is not None
    citizen.phone = "61 98 76 54"
    citizen.full_clean()
    assert citizen.phone_verified_at is None


@pytest.mark.django_db
def test_the_confirmation_pages_are_for_citizens_with_a_phone(client, personas):
    urls = [reverse("confirm_phone"), reverse("link_dossiers")]
    for url in urls:
        response = client.get(url)
        assert response.url.startswith(reverse("citizen_sign_in"))
    client.force_login(personas.clerk_gitega)
    assert client.post(reverse("confirm_phone_resend")).status_code == 404
    for url in urls:
        assert client.get(url).status_code == 404
    client.force_login(personas.citizen)  # signed up with an email: no phone to confirm
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.get(reverse("confirm_phone_resend")).status_code in {404, 405}


# --- /track/: the documents, after a code sent to the dossier's phone ------------------------


@pytest.fixture
def with_documents(personas, django_capture_on_commit_callbacks):
    """A counter passport in intake, its filing receipt printed."""
    with django_capture_on_commit_callbacks(execute=True):
        return DossierFactory(
            service=personas.passport,
            office=personas.office_gitega,
            clerk=personas.clerk_gitega,
            counter=True,
            intake=True,
            applicant_phone=PHONE,
            language="en",
        )


def look_up(client, dossier, digits="3456"):
    client.cookies["django_language"] = "en"
    return client.post(
        reverse("track"), {"tracking_number": dossier.tracking_number, "phone_digits": digits}
    )


def ask_code(client, sent, dossier):
    response, codes = sent(
        lambda: client.post(reverse("track_send_code", args=[dossier.public_id]))
    )
    assert response.url == reverse("track_code", args=[dossier.public_id])
    return codes[0] if codes else None


def type_code(client, dossier, code):
    return client.post(reverse("track_code", args=[dossier.public_id]), {"code": code})


def download_url(document):
    return reverse("citizen_document", args=[document.dossier.public_id, document.number])


@pytest.mark.django_db
def test_track_then_a_code_by_sms_then_the_documents(client, sent, sms_outbox, with_documents):
    receipt = with_documents.documents.get()

    status = look_up(client, with_documents).text

    assert "Get your documents by SMS code" in status
    assert "+257 79 ** ** 56" in status
    assert PHONE not in status and "79 12 34 56" not in status
    code = ask_code(client, sent, with_documents)
    assert sms_outbox[-1].to == PHONE
    page = client.get(reverse("track_code", args=[with_documents.public_id])).text
    assert "We sent a code by SMS to +257 79 ** ** 56." in page
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    assert "79 12 34 56" not in page

    response = type_code(client, with_documents, code)

    assert response.url == reverse("track_documents", args=[with_documents.public_id])
    listing = client.get(response.url).text
    assert str(receipt.title) in listing
    assert download_url(receipt) in listing
    pdf = client.get(download_url(receipt))
    assert pdf.status_code == 200
    assert pdf["Content-Disposition"].startswith("attachment")
    assert pdf["Cache-Control"] == "private, no-store"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    # The code opened the documents only: not the dossier's page, nor answering for it.
    assert client.get(reverse("citizen_follow", args=[with_documents.public_id])).status_code == 404


@pytest.mark.django_db
def test_without_the_code_there_is_no_document(client, sent, with_documents):
    receipt = with_documents.documents.get()
    public_id = with_documents.public_id
    stranger = Client()

    assert stranger.get(download_url(receipt)).status_code == 404
    assert stranger.get(reverse("track_documents", args=[public_id])).status_code == 404
    assert stranger.get(reverse("track_code", args=[public_id])).status_code == 404
    assert stranger.post(reverse("track_send_code", args=[public_id])).status_code == 404

    look_up(client, with_documents)  # found, the code not typed yet
    assert client.get(download_url(receipt)).status_code == 404
    response = client.get(reverse("track_documents", args=[public_id]))
    assert response.url == reverse("track_code", args=[public_id])

    code = ask_code(client, sent, with_documents)
    assert type_code(client, with_documents, wrong(code)).status_code == 400
    assert client.get(download_url(receipt)).status_code == 404
    assert stranger.get(download_url(receipt)).status_code == 404


@pytest.mark.django_db
def test_the_code_opens_that_dossier_only(
    client, sent, personas, with_documents, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        other = DossierFactory(
            service=personas.passport,
            office=personas.office_gitega,
            clerk=personas.clerk_gitega,
            counter=True,
            intake=True,
            applicant_phone=PHONE,
        )
    assert other.documents.exists()
    look_up(client, with_documents)
    type_code(client, with_documents, ask_code(client, sent, with_documents))

    for url in (
        reverse("track_documents", args=[other.public_id]),
        reverse("track_code", args=[other.public_id]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("track_send_code", args=[other.public_id])).status_code == 404
    for document in other.documents.all():
        assert client.get(download_url(document)).status_code == 404
    # Each dossier has its own code, although the phone is the same.
    look_up(client, other)
    with later(minutes=1):
        code = ask_code(client, sent, other)
        assert type_code(client, other, code).status_code == 302
        assert all(client.get(download_url(d)).status_code == 200 for d in other.documents.all())
    assert OneTimeCode.objects.filter(scope=f"dossier:{other.pk}").count() == 1


@pytest.mark.django_db
def test_the_documents_stay_open_half_an_hour(client, sent, with_documents):
    receipt = with_documents.documents.get()
    look_up(client, with_documents)
    type_code(client, with_documents, ask_code(client, sent, with_documents))

    with later(minutes=29):
        assert client.get(download_url(receipt)).status_code == 200
    with later(minutes=31):
        assert client.get(download_url(receipt)).status_code == 404
        assert (
            client.get(reverse("track_documents", args=[with_documents.public_id])).status_code
            == 404
        )


@pytest.mark.django_db
def test_a_revoked_document_is_listed_as_revoked(client, sent, personas, with_documents):
    receipt = with_documents.documents.get()
    perform(
        with_documents.pk,
        "revoke_document",
        personas.supervisor_gitega,
        comment="Issued to the wrong person by mistake.",
        number=receipt.number,
    )
    look_up(client, with_documents)
    type_code(client, with_documents, ask_code(client, sent, with_documents))

    listing = client.get(reverse("track_documents", args=[with_documents.public_id])).text

    assert str(receipt.title) in listing
    assert "Revoked" in listing


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["", "abcdef", "1234567", "12345"])
def test_bad_codes_on_track_keep_the_page(client, sent, with_documents, typed):
    look_up(client, with_documents)
    ask_code(client, sent, with_documents)

    response = type_code(client, with_documents, typed)

    assert response.status_code == 400
    assert "Enter the 6 digits of the code we sent by SMS" in response.text
    assert OneTimeCode.objects.get().attempts == 0


@pytest.mark.django_db
def test_track_code_refusals_say_what_to_do(client, sent, with_documents):
    look_up(client, with_documents)
    response = type_code(client, with_documents, "123456")
    assert "There is no code waiting to be typed" in response.text

    code = ask_code(client, sent, with_documents)
    assert "4 more tries" in type_code(client, with_documents, wrong(code)).text
    again = client.post(reverse("track_send_code", args=[with_documents.public_id]), follow=True)
    assert "A code was sent a moment ago" in again.text
    with later(minutes=11):
        assert "This code has expired" in type_code(client, with_documents, code).text


@pytest.mark.django_db
def test_unknown_dossiers_and_malformed_ids_are_404(client):
    unknown = uuid.uuid4()
    assert client.get(reverse("track_documents", args=[unknown])).status_code == 404
    assert client.get(reverse("track_code", args=[unknown])).status_code == 404
    assert client.post(reverse("track_send_code", args=[unknown])).status_code == 404
    assert client.get("/track/not-a-uuid/documents/").status_code == 404


@pytest.mark.django_db
def test_a_dossier_without_documents_is_not_offered_any(client, personas):
    dossier = DossierFactory(submitted=True, applicant_phone=PHONE)
    assert not dossier.documents.exists()

    page = look_up(client, dossier).text

    assert "Get your documents by SMS code" not in page
    assert client.post(reverse("track_send_code", args=[dossier.public_id])).status_code == 404


@pytest.mark.django_db
def test_wrong_track_codes_from_one_client_are_slowed_down(client, sent, settings, with_documents):
    settings.GUP_TRACK_RATE = "3/m"
    look_up(client, with_documents)
    code = ask_code(client, sent, with_documents)
    for _try in range(3):
        type_code(client, with_documents, wrong(code))

    assert type_code(client, with_documents, code).status_code == 429
    assert Client().get(download_url(with_documents.documents.get())).status_code == 404


@pytest.mark.django_db
def test_codes_sent_from_one_client_are_counted(client, sent, settings, with_documents):
    """A client cannot make GUP text every phone it finds: each SMS counts against it."""
    settings.GUP_TRACK_RATE = "1/m"
    look_up(client, with_documents)
    ask_code(client, sent, with_documents)

    with later(minutes=2):
        response = client.post(reverse("track_send_code", args=[with_documents.public_id]))

    assert response.status_code == 429
    assert OneTimeCode.objects.count() == 1


# --- Secrets and logs -------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_code_and_no_phone_number_in_clear_ever_reach_a_log(
    english_client, every_log, sent, with_documents
):
    _response, signup_code = sign_up(english_client, sent)
    confirm(english_client, wrong(signup_code))
    confirm(english_client, signup_code)
    tracker = Client()
    look_up(tracker, with_documents)
    track_code = ask_code(tracker, sent, with_documents)
    type_code(tracker, with_documents, wrong(track_code))
    type_code(tracker, with_documents, track_code)
    one_time_codes.purge_spent(timezone.now() + datetime.timedelta(days=2))

    logged = [(record.getMessage(), str(record.args)) for record in every_log.records]
    assert any("+257 79 ** ** 56" in message for message, _args in logged)  # masked, it shows
    for message, args in logged:
        for secret in (signup_code, track_code, PHONE, "79123456", "79 12 34 56"):
            assert secret not in message, message
            assert secret not in args, args


# --- Pages ------------------------------------------------------------------------------------


def assert_light_and_labelled(client, url):
    weight, html = first_visit_weight(client, url)
    assert weight <= BUDGET_BYTES, url
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
    for field in FIELD.findall(html):
        if re.search(r'type="(?:hidden|submit)"', field):
            continue
        field_id = re.search(r'\bid="([^"]+)"', field)
        assert field_id and field_id.group(1) in labelled, f"{url}: {field}"
    assert '<html lang="rn">' in html


@pytest.mark.django_db
def test_the_new_pages_fit_the_budget_and_label_every_field(
    client, sent, filed_with_the_phone, with_documents
):
    user = UserFactory(username=PHONE, phone=PHONE)
    client.force_login(user)
    look_up(client, with_documents)
    client.cookies["django_language"] = "rn"
    code = ask_code(client, sent, with_documents)

    assert_light_and_labelled(client, reverse("confirm_phone"))
    assert_light_and_labelled(client, reverse("track_code", args=[with_documents.public_id]))
    type_code(client, with_documents, code)
    assert_light_and_labelled(client, reverse("track_documents", args=[with_documents.public_id]))
    User.objects.filter(pk=user.pk).update(phone_verified_at=timezone.now())
    assert_light_and_labelled(client, reverse("link_dossiers"))


@pytest.mark.django_db
def test_administrators_see_when_the_phone_was_confirmed(client, personas):
    confirmed = UserFactory(phone=PHONE, phone_verified_at=timezone.now())
    client.force_login(personas.administrator)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("admin:accounts_user_change", args=[confirmed.pk])).text

    assert "Phone number confirmed at" in page
    assert 'name="phone_verified_at"' not in page  # set by the code only


# --- At the same moment -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_eight_requests_at_once_get_five_codes(sms_outbox):
    from tests.test_concurrency import race

    outcomes = race(
        [lambda n=n: one_time_codes.issue(PHONE, TRACK, f"dossier:{n}", "fr") for n in range(8)]
    )

    assert sum(isinstance(outcome, OneTimeCode) for outcome in outcomes) == 5
    assert sum(isinstance(outcome, TooManyCodes) for outcome in outcomes) == 3
    assert OneTimeCode.objects.count() == 5 == len(sms_outbox)


@pytest.mark.django_db(transaction=True)
def test_a_code_typed_eight_times_at_once_works_once(sms_outbox):
    from tests.test_concurrency import race

    one_time_codes.issue(PHONE, VERIFY, "user:1", "fr")
    (code,) = [SIX_DIGITS.search(sms.text).group() for sms in sms_outbox]

    outcomes = race([lambda: check(code) for _n in range(8)])

    assert outcomes.count(True) == 1
    assert all(isinstance(outcome, NoCode) for outcome in outcomes if outcome is not True)
