"""What GUP tells citizens by SMS and email: every topic in every language, with the longest
real values, fits in two GSM-7 messages and says what the citizen needs."""

import datetime
import json
import secrets as random_secrets
import string

import pytest
from django.conf import settings
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from gup.formatting import day, moment, money, phone
from gup.sms.gsm import GSM_7, segments, to_gsm
from services.models import Institution, PaymentChannel, Service
from tests.factories import (
    DossierFactory,
    InstitutionFactory,
    OfficeFactory,
    ServiceFactory,
    UserFactory,
    clock_at,
    next_slot,
)
from workflows import events
from workflows.actions import perform
from workflows.messages import TOPIC_OF_EVENT, TOPICS, Topic, compose, compose_digest
from workflows.messages.sms import ELLIPSIS, fit, fits, shorten
from workflows.states import DossierState as S

LANGUAGES = ("rn", "fr", "en")
PUBLIC_URL = "https://guichet-unique.gov.bi"
SMS_NUMBER = "+25779123456"
#: Seven digits: above any fee of the catalogue.
LONGEST_FEE = 1_250_000
LONG_OFFICE = {
    "code": "MGM",
    "name": "Guichet unique provincial de Mugongo-Manga",
    "town": "Mugongo-Manga",
    "address": "Avenue de l’Indépendance n° 12, en face du marché central",
    "opening_hours": "Lundi-vendredi 7h30-15h30",
}
LONG_PLACE = "Commissariat général des migrations, bureau provincial de Butanyerera, guichet n° 4"
LONG_THINGS = (
    "Votre carte nationale d’identité, deux photos d’identité récentes sur fond blanc, "
    "le reçu de dépôt et le reçu de paiement"
)
RECIPIENT = "Jean-Bosco Nshimirimana"
CODE = "482913"
END_OF_REQUEST = "Fin de la demande : merci de votre compréhension."


def long_request() -> str:
    """4000 characters, the most a clerk may write, in paragraphs, with French typography."""
    paragraph = (
        "Le plan de situation de la parcelle n’est pas lisible : veuillez en joindre une copie "
        "nette, signée par le géomètre, avec l’échelle et l’orientation. « Précisez » aussi la "
        "superficie bâtie, la hauteur prévue et l’usage de chaque pièce — être précis évite un "
        "nouveau retour.\n\n"
    )
    body = paragraph * (4000 // len(paragraph) + 1)
    return body[: 4000 - len(END_OF_REQUEST) - 1].rstrip() + " " + END_OF_REQUEST


LONG_REQUEST = long_request()


def _catalogue_rows(model: str) -> list[dict]:
    path = settings.BASE_DIR / "services" / "fixtures" / "catalogue.json"
    return [row["fields"] for row in json.loads(path.read_text()) if row["model"] == model]


def _longest(model: str, field: str) -> dict[str, str]:
    """The longest ``<field>_<language>`` of the catalogue fixtures, per language."""
    rows = _catalogue_rows(model)
    return {
        f"{field}_{language}": max((row.get(f"{field}_{language}") or "" for row in rows), key=len)
        for language in LANGUAGES
    }


# --- The world of the longest values ----------------------------------------------------------


@pytest.fixture(autouse=True)
def public_addresses(settings):
    settings.GUP_PUBLIC_URL = PUBLIC_URL
    settings.GUP_SMS_NUMBER = SMS_NUMBER


@pytest.fixture
def institution(db) -> Institution:
    return InstitutionFactory(code="longest", **_longest("services.institution", "name"))


@pytest.fixture
def service(institution) -> Service:
    return ServiceFactory(
        code="longest",
        fee_bif=LONGEST_FEE,
        with_inspection=True,
        with_appointment=True,
        routing__institution=institution,
        **_longest("services.service", "name"),
        **_longest("services.service", "issued_document"),
    )


@pytest.fixture
def office(db):
    # How to pay comes from the catalogue's payment channels: the demo's, as an administrator
    # would set them (the "fee to pay" SMS names each with its number).
    for row in _catalogue_rows("services.paymentchannel"):
        PaymentChannel.objects.create(**row)
    return OfficeFactory(**LONG_OFFICE)


@pytest.fixture
def clerk(office):
    return UserFactory(clerk=True, office=office)


class World:
    """Dossiers brought to the event of each topic, with the longest values, and the history
    row of that event."""

    def __init__(self, service, office, clerk):
        self.service, self.office, self.clerk = service, office, clerk

    def dossier(self, state, **kwargs):
        return DossierFactory(
            state=state, service=self.service, office=self.office, clerk=self.clerk, **kwargs
        )

    def take(self, dossier, step, actor, **inputs):
        dossier = perform(dossier.pk, step, actor, expected_state=dossier.state, **inputs)
        return dossier, dossier.history.order_by("-position").first()

    def last(self, dossier):
        return dossier, dossier.history.order_by("-position").first()

    def prepare(self, topic) -> dict:
        """compose()'s keyword arguments for ``topic``."""
        dossier = entry = None
        extra = {}
        if topic == Topic.FILED:
            dossier, entry = self.last(self.dossier(S.SUBMITTED))
        elif topic == Topic.PAYMENT_REQUESTED:
            dossier, entry = self.last(self.dossier(S.AWAITING_PAYMENT))
        elif topic == Topic.RETURNED:
            dossier, entry = self.take(
                self.dossier(S.INTAKE), "return_for_correction", self.clerk, comment=LONG_REQUEST
            )
        elif topic == Topic.INFORMATION_REQUESTED:
            dossier = self.dossier(S.IN_REVIEW)
            dossier, entry = self.take(
                dossier, "request_information", dossier.officer, comment=LONG_REQUEST
            )
        elif topic in (Topic.APPOINTMENT, Topic.INSPECTION, Topic.STATUS_REPLY):
            dossier = self.dossier(S.IN_REVIEW)
            step = "schedule_inspection" if topic == Topic.INSPECTION else "give_appointment"
            dossier, entry = self.take(
                dossier,
                step,
                dossier.officer,
                scheduled_for=next_slot(),
                place=LONG_PLACE,
                what_to_bring=LONG_THINGS,
            )
        elif topic == Topic.APPROVED:
            dossier = self.dossier(S.IN_REVIEW)
            dossier, entry = self.take(dossier, "approve", dossier.officer, comment=LONG_REQUEST)
        elif topic == Topic.REJECTED:
            dossier = self.dossier(S.IN_REVIEW)
            dossier, entry = self.take(dossier, "reject", dossier.officer, comment=LONG_REQUEST)
        elif topic in (Topic.READY_FOR_COLLECTION, Topic.COLLECTION_REMINDER):
            dossier, entry = self.last(self.dossier(S.READY_FOR_COLLECTION))
        elif topic == Topic.DRAFT_EXPIRING:
            dossier = self.dossier(S.DRAFT)
            extra["expires_on"] = datetime.date(2026, 9, 30)
        elif topic == Topic.RESUME_LINK:
            dossier = self.dossier(S.DRAFT, applicant_account=None, resume_token_hash="x" * 64)
            token = random_secrets.token_urlsafe(24)
            extra["secrets"] = {"link": f"{PUBLIC_URL}/resume/{token}/"}
        elif topic == Topic.ONE_TIME_CODE:
            extra["secrets"] = {"code": CODE}
        if topic == Topic.STATUS_REPLY:
            entry = None
        return {"dossier": dossier, "entry": entry, "recipient_name": RECIPIENT, **extra}


@pytest.fixture
def world(service, office, clerk):
    return World(service, office, clerk)


CITIZEN_TOPICS = [topic for topic in TOPICS if topic != Topic.OVERDUE_DIGEST]


def _needs(topic, kwargs, language) -> list[str]:
    """What the SMS must say for the citizen to act, written as the SMS writes it."""
    dossier = kwargs["dossier"]
    with translation.override(language):
        number = dossier.tracking_number if dossier is not None else ""
        needs = {
            Topic.FILED: [number, day(dossier.due_date) if dossier else "", "/track/"],
            Topic.PAYMENT_REQUESTED: [
                number,
                money(LONGEST_FEE),
                "Lumicash to 71 000 100" if language == "en" else "71 000 100",
                "72 000 200",
            ],
            Topic.RETURNED: [number, day(dossier.answer_by) if dossier else "", "Le plan"],
            Topic.INFORMATION_REQUESTED: [number, day(dossier.answer_by) if dossier else ""],
            Topic.APPOINTMENT: [number, "Commissariat", "Votre carte"],
            Topic.INSPECTION: [number, "Commissariat", "Votre carte"],
            Topic.APPROVED: [number],
            Topic.REJECTED: [number, "Le plan"],
            Topic.READY_FOR_COLLECTION: [number, "Mugongo-Manga"],
            Topic.COLLECTION_REMINDER: [number, "Mugongo-Manga"],
            Topic.DRAFT_EXPIRING: [day(datetime.date(2026, 9, 30))],
            Topic.RESUME_LINK: [kwargs.get("secrets", {}).get("link", "")],
            Topic.ONE_TIME_CODE: [CODE],
            Topic.STATUS_REPLY: [number],
            Topic.STATUS_UNKNOWN: [],
        }[topic]
        if topic in (Topic.APPOINTMENT, Topic.INSPECTION):
            step = dossier.open_scheduled_step()
            needs.append(moment(step.starts_at))
        if topic == Topic.FILED:
            needs.append(phone(SMS_NUMBER))
        if topic == Topic.STATUS_REPLY:
            needs.append(str(dossier.state_label))
    return [to_gsm(need) for need in needs]


#: Words of each language, one of which every message writes (and the others do not).
MARKERS = {
    "rn": ("dosiye", "kode", "nta ", "biro"),
    "fr": ("votre", "vous", "guichet", "aucun"),
    "en": ("your", "you", "the ", "read it all", "in person"),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("topic", CITIZEN_TOPICS)
def test_every_sms_fits_in_two_gsm_7_messages_and_says_what_is_needed(world, topic, language):
    kwargs = world.prepare(topic)
    composed = compose(topic, language, **kwargs)
    sms = composed.sms
    length = segments(sms)

    assert length.encoding == GSM_7, f"{topic}/{language}: not GSM-7: {sms!r}"
    assert length.count <= 2, f"{topic}/{language}: {length.count} messages: {sms!r}"
    assert to_gsm(sms) == sms
    if topic == Topic.ONE_TIME_CODE:
        assert sms.startswith(CODE)
    else:
        assert sms.startswith("GUP: ")
    for need in _needs(topic, kwargs, language):
        assert need in sms, f"{topic}/{language}: {need!r} missing from {sms!r}"
    assert any(marker in sms.lower() for marker in MARKERS[language]), sms
    if language != "en":
        # Translated, not English left behind.
        assert sms != compose(topic, "en", **kwargs).sms
        assert composed.body != compose(topic, "en", **kwargs).body
    assert composed.subject and "\n" not in composed.subject
    assert composed.body.strip()


@pytest.mark.parametrize("topic", [Topic.RETURNED, Topic.INFORMATION_REQUESTED, Topic.REJECTED])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_long_request_is_shortened_in_the_sms_and_whole_in_the_email(world, topic, language):
    kwargs = world.prepare(topic)
    composed = compose(topic, language, **kwargs)

    assert ELLIPSIS in composed.sms
    assert END_OF_REQUEST not in to_gsm(composed.sms)
    assert LONG_REQUEST in composed.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sms_says_where_to_read_the_whole_request(world, language):
    kwargs = world.prepare(Topic.RETURNED)
    sms = compose(Topic.RETURNED, language, **kwargs).sms

    assert "guichet-unique.gov.bi/my-dossiers/" in sms
    assert "https://" not in sms


def test_a_counter_dossier_is_answered_at_the_office(world):
    dossier = world.dossier(S.INTAKE, counter=True)
    dossier, entry = world.take(
        dossier, "return_for_correction", world.clerk, comment="Le plan de la parcelle manque."
    )
    composed = compose(Topic.RETURNED, "en", dossier=dossier, entry=entry)

    assert "my-dossiers" not in composed.sms
    assert "Read it all and answer at Guichet unique provincial de Mugongo-Manga." in composed.sms
    assert '"Le plan de la parcelle manque."' in composed.sms


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_counter_dossier_refused_is_told_where_to_download_the_letter(world, language):
    """No account, no link: /track/ opens the letter with a code sent to the phone."""
    dossier = world.dossier(S.IN_REVIEW, counter=True)
    dossier, entry = world.take(dossier, "reject", dossier.officer, comment=LONG_REQUEST)
    composed = compose(Topic.REJECTED, language, dossier=dossier, entry=entry)

    assert segments(composed.sms).count <= 2
    assert "guichet-unique.gov.bi/track/" in composed.sms
    assert "guichet-unique.gov.bi/track/" in composed.body


def test_the_status_reply_fits_in_every_state(world):
    """The status page's words for the next step are the longest SMS text: every state."""
    for state in S:
        if state in (S.DRAFT, S.WITHDRAWN, S.EXPIRED, S.PUBLIC_NOTICE):
            continue
        dossier = world.dossier(state)
        for language in LANGUAGES:
            sms = compose(Topic.STATUS_REPLY, language, dossier=dossier).sms
            length = segments(sms)
            assert length.encoding == GSM_7, f"{state}/{language}: {sms!r}"
            assert length.count <= 2, f"{state}/{language}: {sms!r}"
            assert dossier.tracking_number in sms


def test_the_payment_message_quotes_the_tracking_number_as_the_reference(world):
    kwargs = world.prepare(Topic.PAYMENT_REQUESTED)
    composed = compose(Topic.PAYMENT_REQUESTED, "en", **kwargs)
    number = kwargs["dossier"].tracking_number

    assert f"reference {number}" in composed.sms
    assert "1,250,000 BIF" in composed.sms
    assert "1,250,000\u00a0BIF" in composed.body


def test_french_amounts_are_grouped_by_spaces_in_the_sms(world):
    composed = compose(Topic.PAYMENT_REQUESTED, "fr", **world.prepare(Topic.PAYMENT_REQUESTED))

    assert "1 250 000 BIF" in composed.sms
    assert "1\u00a0250\u00a0000\u00a0BIF" in composed.body


def test_the_appointment_gives_date_time_place_and_what_to_bring_in_full_by_email(world):
    kwargs = world.prepare(Topic.APPOINTMENT)
    composed = compose(Topic.APPOINTMENT, "fr", **kwargs)

    assert LONG_PLACE in composed.body
    assert LONG_THINGS in composed.body
    with translation.override("fr"):
        assert moment(kwargs["dossier"].open_scheduled_step().starts_at) in composed.body


def test_the_collection_reminder_says_since_when(world):
    kwargs = world.prepare(Topic.COLLECTION_REMINDER)
    dispatched = kwargs["dossier"].history.get(kind="dispatch").at
    without_entry = compose(
        Topic.COLLECTION_REMINDER, "en", dossier=kwargs["dossier"], recipient_name=RECIPIENT
    )

    assert f"since {day(dispatched)}" in without_entry.sms
    assert without_entry == compose(Topic.COLLECTION_REMINDER, "en", **kwargs)
    assert "Bring your national ID card" in without_entry.body


def test_the_resume_link_email_keeps_the_words_it_always_had(world):
    kwargs = world.prepare(Topic.RESUME_LINK)
    link = kwargs["secrets"]["link"]
    composed = compose(Topic.RESUME_LINK, "fr", **kwargs)

    assert composed.subject == "Votre demande sur GUP\u00a0: " + kwargs["dossier"].service.name_fr
    assert link in composed.body
    assert link in composed.sms


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_one_time_code_comes_first(language):
    composed = compose(Topic.ONE_TIME_CODE, language, secrets={"code": CODE})

    assert composed.sms.startswith(f"{CODE} ")
    assert composed.subject.startswith(CODE)
    assert "10" in composed.sms


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_unknown_status_answer_is_the_same_whatever_the_cause(world, language):
    dossier = world.dossier(S.IN_REVIEW)
    entry = dossier.history.order_by("-position").first()
    unknown_number = compose(Topic.STATUS_UNKNOWN, language)
    wrong_phone = compose(
        Topic.STATUS_UNKNOWN, language, dossier=dossier, entry=entry, recipient_name=RECIPIENT
    )

    assert unknown_number == wrong_phone
    assert dossier.tracking_number not in wrong_phone.sms + wrong_phone.body
    assert dossier.service.name not in wrong_phone.sms + wrong_phone.body


def test_the_email_greets_the_recipient(world):
    kwargs = world.prepare(Topic.APPROVED)
    composed = compose(Topic.APPROVED, "fr", **kwargs)

    assert composed.body.startswith(f"Bonjour {RECIPIENT},")
    kwargs["recipient_name"] = ""
    dossier = kwargs["dossier"]
    assert compose(Topic.APPROVED, "fr", **kwargs).body.startswith(
        f"Bonjour {dossier.applicant_name},"
    )


def test_compose_refuses_an_unknown_topic_or_a_missing_dossier():
    with pytest.raises(ValueError, match="Unknown"):
        compose("lottery_win", "en")
    with pytest.raises(ValueError, match="dossier"):
        compose(Topic.FILED, "en")


def test_every_event_named_sends_a_topic():
    for event, topic in TOPIC_OF_EVENT.items():
        assert event in events.EVENTS
        assert topic in TOPICS
    assert TOPIC_OF_EVENT["submit"] == TOPIC_OF_EVENT["filed_at_counter"] == "filed"
    assert TOPIC_OF_EVENT["dispatch"] == "ready_for_collection"


# --- The overdue digest -----------------------------------------------------------------------


def test_the_overdue_digest_lists_each_dossier_with_a_link_to_its_page(world):
    supervisor = UserFactory(office_supervisor=True, office=world.office, first_name="Divine")
    dossiers = [world.dossier(S.INTAKE), world.dossier(S.IN_REVIEW)]
    later = max(dossier.due_date for dossier in dossiers) + datetime.timedelta(days=3)

    with clock_at(datetime.datetime.combine(later, datetime.time(9))):
        composed = compose_digest(supervisor, dossiers, "fr")
        late = [(timezone.localdate() - dossier.due_date).days for dossier in dossiers]

    assert composed.sms == ""
    assert composed.subject == "GUP\u00a0: 2 dossiers en retard"
    for dossier, days in zip(dossiers, late, strict=True):
        assert f"{PUBLIC_URL}/dossiers/{dossier.tracking_number}/" in composed.body
        assert dossier.service.name_fr in composed.body
        assert f"{days} jours de retard" in composed.body


def test_the_digest_of_nothing_says_so(db):
    supervisor = UserFactory(office_supervisor=True)
    composed = compose_digest(supervisor, [], "en")

    assert composed.subject == "GUP: 0 overdue dossiers"
    assert "No dossier is past its expected date." in composed.body


# --- Fitting ----------------------------------------------------------------------------------


def test_shorten_cuts_at_a_word_and_marks_the_cut():
    assert shorten("short", 10) == "short"
    assert shorten("the plan of the plot is missing", 14) == "the plan of..."
    assert shorten("abcdefghijklmnopqrstuvwxyz", 5) == "abcde..."
    assert shorten("anything", 0) == "..."


gsm_text = st.text(alphabet=string.ascii_letters + string.digits + " .,'’éèêàç€", max_size=5000)


@given(gsm_text, gsm_text)
def test_fit_always_fits_and_keeps_the_fixed_words(first, second):
    sms = fit(
        lambda first, second: f"Dossier GIT-2026-000042-B: “{first}” and “{second}”. Bye.",
        first=first,
        second=second,
    )
    assert fits(sms)
    assert sms.startswith("GUP: Dossier GIT-2026-000042-B: ")
    assert sms.endswith(". Bye.")


def test_fit_leaves_a_text_that_fits_alone():
    assert fit(lambda name: f"Hello {name}", name="Aline") == "GUP: Hello Aline"
