"""Kirundi pages speak Kirundi: no French or English word left on any page a citizen sees, Django's
own strings (file sizes, dates, form errors) included; Kirundi is the language of a visitor who
names none of ours; the error pages and the favicon."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.management import call_command
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import include, path, reverse
from django.utils import formats, translation

from gup.roles import Role
from services.models import Office, Service
from tests.factories import STEP_COMMENTS, DossierFactory, UserFactory
from workflows import online
from workflows.actions import perform
from workflows.actors import Actor
from workflows.citizen_access import new_token
from workflows.views.refusals import too_many_attempts

PHONE = "+25779123456"

# Words that give away an untranslated string or a French/English gloss where Kirundi has a word.
# Whole words, any case. Not listed: the loanwords Kirundi writes (internet, konte, dosiye,
# terefone, PDF, SMS, Guichet unique, Laissez-passer, Lumicash, EcoCash), the glosses KIRUNDI.md
# keeps because the paper says them in French (reçu, opposition(s), rendez-vous, procuration), and
# the switcher's own names of the languages (Français, English).
FOREIGN_WORDS = [
    # files and the browser
    "fichier", "fichiers", "file", "files", "octet", "octets", "bytes", "navigateur", "browser",
    "télécharger", "téléchargez", "download", "upload", "mobile money",
    # buttons and form words
    "submit", "soumettre", "envoyer", "send", "save", "enregistrer", "continue", "continuer",
    "next", "suivant", "previous", "précédent", "back", "retour", "cancel", "annuler", "search",
    "rechercher", "required", "obligatoire", "optional", "facultatif", "choose", "choisir",
    "password", "mot de passe", "sign in", "sign up", "connexion", "se connecter", "please",
    "veuillez", "error", "erreur", "dossier", "dossiers", "phone", "téléphone", "numéro",
    # function words: an untranslated sentence cannot hide from these
    "the", "your", "you", "and", "of", "with", "this", "is", "le", "les", "des", "du", "votre",
    "vous", "et", "est", "pour", "avec", "une",
    # Django's own strings: months and days
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "janvier", "février", "mars", "avril", "mai", "juin", "juillet",
    "août", "septembre", "octobre", "novembre", "décembre", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "lundi", "mardi", "mercredi", "jeudi",
    "vendredi", "samedi", "dimanche",
]  # fmt: skip
FOREIGN = re.compile(
    r"(?<![\w’'-])(" + "|".join(map(re.escape, FOREIGN_WORDS)) + r")(?![\w’'-])", re.I
)
# Attributes a person reads or hears (a screen reader reads aria-label and title).
VISIBLE_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}


class VisibleText(HTMLParser):
    """The text a visitor reads or hears: element text and the attributes above, without
    scripts, styles and the language switcher's own names of the languages."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"script", "style"}:
            self.hidden += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value:
                self.parts.append(value)
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    # The switcher names each language in that language: the one place French and English belong.
    html = re.sub(r'<form class="lang".*?</form>', "", html, flags=re.S)
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def foreign_words(html: str) -> list[str]:
    text = visible_text(html)
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in FOREIGN.finditer(text)]


def problems_of(response, what) -> list[str]:
    """What is wrong with a page meant to be in Kirundi, as readable lines. The comments the
    factories give staff steps are what a clerk typed, not text of ours: they are left out."""
    html = response.content.decode()
    for comment in STEP_COMMENTS.values():
        html = html.replace(comment, "")
    if response.status_code >= 500 or '<html lang="rn">' not in html:
        return [f"{what}: status {response.status_code}, not a Kirundi page"]
    return [f"{what}: …{hit}…" for hit in foreign_words(html)]


class Pages:
    """Checks every page before failing, so that one run lists every finding."""

    def __init__(self):
        self.problems: list[str] = []

    def check(self, response, what):
        self.problems += problems_of(response, what)

    def assert_all_kirundi(self):
        assert not self.problems, "\n".join(self.problems)


def test_the_checker_sees_visible_text_only():
    html = (
        '<html lang="rn"><head><title>Serivisi</title><style>.file{}</style></head>'
        '<body class="download"><form class="lang"><option>Français</option></form>'
        '<img alt="Submit"><p>Rungika <a href="/files/">impapuro</a></p>'
        "<script>var the = 1;</script></body></html>"
    )
    assert [hit.strip() for hit in foreign_words(html)] == ["Serivisi Submit Rungika impapuro"]
    assert not foreign_words(html.replace('alt="Submit"', 'alt="Rungika"'))
    assert foreign_words("<p>Taille : 2 octets</p>") and foreign_words("<p>le 3 janvier</p>")
    assert not foreign_words("<p>Guichet unique, Laissez-passer, Lumicash canke EcoCash</p>")


# --- Every citizen page, in Kirundi -------------------------------------------------------------


@pytest.fixture
def catalogue(db):
    call_command("loaddata", "geography", "catalogue", verbosity=0)


@pytest.fixture
def kirundi(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "rn"
    return client


def _draft(citizen, service):
    draft = perform(
        None,
        "draft_started",
        Actor.for_user(citizen),
        service=service,
        office=Office.objects.first(),
        language="rn",
        token_hash=new_token()[1],
    )
    return draft


@pytest.mark.django_db
def test_anonymous_pages_speak_kirundi(kirundi, catalogue):
    seen = Pages()
    pages = ["/", reverse("catalogue"), reverse("track"), reverse("citizen_sign_in")]
    pages += [reverse("citizen_sign_up"), reverse("verify"), reverse("verify_offline")]
    pages += [reverse("service_detail", args=[s.code]) for s in Service.objects.all()]
    for url in pages:
        seen.check(kirundi.get(url), url)
    seen.assert_all_kirundi()


@pytest.mark.django_db
def test_forms_sent_wrong_answer_in_kirundi(kirundi, catalogue):
    """Error messages, Django's own included (a required field, a wrong password)."""
    seen = Pages()
    seen.check(kirundi.post(reverse("citizen_sign_in"), {}), "sign-in, empty")
    wrong = {"identifier": "nobody@example.bi", "password": "not-this-one"}
    seen.check(kirundi.post(reverse("citizen_sign_in"), wrong), "sign-in, wrong")
    seen.check(kirundi.post(reverse("citizen_sign_up"), {}), "sign-up, empty")
    for password, why in (("1234", "short and numeric"), ("password", "common"), ("aline2026", "")):
        weak = {"first_name": "Aline", "last_name": "Ndayishimiye", "identifier": "79 12 34 99"}
        weak |= {"password1": password, "password2": password}
        response = kirundi.post(reverse("citizen_sign_up"), weak)
        assert response.status_code != 302, why or "too similar to the name"
        seen.check(response, f"sign-up, a password {why or 'like the name'}")
    seen.check(kirundi.post(reverse("track"), {}, REMOTE_ADDR="10.9.0.1"), "track, empty")
    unknown = {"tracking_number": "GIT-2026-000042-B", "phone_digits": "1234"}
    seen.check(kirundi.post(reverse("track"), unknown, REMOTE_ADDR="10.9.0.2"), "track, miss")
    seen.check(kirundi.get(reverse("verify"), {"code": "nonsense"}, follow=True), "verify")
    seen.assert_all_kirundi()


@pytest.mark.django_db
def test_the_track_page_with_a_dossier_speaks_kirundi(kirundi, catalogue):
    seen = Pages()
    building_permit = Service.objects.get(code="building-permit")
    for state in ("in_review", "returned", "information_requested", "rejected", "collected"):
        dossier = DossierFactory(
            **{state: True}, service=building_permit, applicant_phone=PHONE, language="rn"
        )
        found = {"tracking_number": dossier.tracking_number, "phone_digits": "3456"}
        response = kirundi.post(reverse("track"), found, REMOTE_ADDR="10.9.1.1")
        assert dossier.tracking_number in response.content.decode()
        seen.check(response, f"track, {state}")
    # Found: the page that asks for the SMS code opening its documents, and a wrong code.
    code_page = reverse("track_code", args=[dossier.public_id])
    seen.check(kirundi.get(code_page, follow=True), code_page)
    seen.check(kirundi.post(code_page, {"code": "12"}, REMOTE_ADDR="10.9.1.2"), "wrong code")
    seen.assert_all_kirundi()


@pytest.mark.django_db
def test_online_filing_speaks_kirundi_with_and_without_errors(kirundi, catalogue, citizen):
    seen = Pages()
    kirundi.force_login(citizen)
    for code in ("building-permit", "passport", "laissez-passer", "land-title"):
        service = Service.objects.filter(code=code).first()
        if service is None:
            continue
        start = reverse("citizen_start", args=[code])
        seen.check(kirundi.get(start), start)
        draft = _draft(citizen, service)
        for step in online.steps_for(service):
            url = reverse("citizen_step", args=[draft.public_id, step])
            draft.current_step = step
            draft.save(update_fields=["current_step"])
            seen.check(kirundi.get(url), url)
            seen.check(kirundi.post(url, {}), f"{url}, sent empty")
    seen.assert_all_kirundi()


@pytest.mark.django_db
def test_a_citizens_own_pages_speak_kirundi(kirundi, catalogue, citizen):
    seen = Pages()
    kirundi.force_login(citizen)
    building_permit = Service.objects.get(code="building-permit")
    returned = DossierFactory(
        returned=True, applicant_account=citizen, service=building_permit, language="rn"
    )
    in_review = DossierFactory(in_review=True, applicant_account=citizen, language="rn")
    pages = [
        reverse("my_dossiers"),
        reverse("citizen_done", args=[returned.public_id]),
        reverse("citizen_follow", args=[returned.public_id]),
        reverse("citizen_follow", args=[in_review.public_id]),
        reverse("citizen_answer", args=[returned.public_id]),
        reverse("citizen_withdraw", args=[in_review.public_id]),
    ]
    for url in pages:
        seen.check(kirundi.get(url), url)
    for url in (reverse("confirm_phone"), reverse("link_dossiers")):
        seen.check(kirundi.get(url, follow=True), url)
    kirundi.logout()
    bad_link = reverse("citizen_resume", args=["not-a-token"])
    seen.check(kirundi.get(bad_link, follow=True), bad_link)
    kirundi.force_login(citizen)
    answer = reverse("citizen_answer", args=[returned.public_id])
    seen.check(kirundi.post(answer, {}), f"{answer}, sent empty")
    seen.assert_all_kirundi()


def test_djangos_own_strings_are_kirundi():
    with translation.override("rn"):
        sizes = [filesizeformat(n) for n in (1, 500, 2048, 3 * 1024 * 1024, 5 * 1024**3)]
        months = [formats.date_format(datetime.date(2026, month, 5)) for month in range(1, 13)]
        days = [formats.date_format(datetime.date(2026, 1, d), "l") for d in range(5, 12)]
    assert sizes == ["1\xa0byte", "500\xa0byte", "2,0\xa0KB", "3,0\xa0MB", "5,0\xa0GB"]
    assert len(set(months)) == 12 and len(set(days)) == 7
    for text in sizes + months + days:
        assert not FOREIGN.search(text), text
    assert months[0] == "5 Nzero 2026"


# --- Which language a visitor gets --------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "rn"),
        ("de-DE,de;q=0.9", "rn"),
        ("rw", "rn"),
        ("sw, *;q=0.1", "rn"),
        ("rn-BI", "rn"),
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("fr-BI", "fr"),
        ("en-US,en;q=0.9", "en"),
        ("de, en;q=0.5", "en"),
    ],
)
@pytest.mark.django_db
def test_a_visitor_who_names_none_of_our_languages_gets_kirundi(client, accept, expected):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = client.get(reverse("catalogue"), **headers)
    assert f'<html lang="{expected}">' in response.content.decode()
    assert response["Content-Language"] == expected
    assert "Accept-Language" in response["Vary"]


@pytest.mark.django_db
def test_the_switcher_wins_over_the_browser(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("catalogue"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="fr">' in page.content.decode()
    client.post(reverse("set_language"), {"language": "rn", "next": "/"})
    page = client.get(reverse("catalogue"), HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="rn">' in page.content.decode()


@pytest.mark.django_db
def test_the_back_office_keeps_french_when_the_browser_names_nothing(client, clerk_gitega):
    client.force_login(clerk_gitega)
    assert '<html lang="fr">' in client.get(reverse("catalogue")).content.decode()
    citizen = UserFactory(role=Role.CITIZEN)
    client.force_login(citizen)
    assert '<html lang="rn">' in client.get(reverse("catalogue")).content.decode()
    # createsuperuser leaves the role at its default: the admin site's people are staff too.
    client.force_login(UserFactory(role=Role.CITIZEN, is_staff=True, is_superuser=True))
    assert '<html lang="fr">' in client.get(reverse("catalogue")).content.decode()


# --- Error pages --------------------------------------------------------------------------------


def _refused(request):
    raise PermissionDenied


def _bad(request):
    raise SuspiciousOperation("a forged request")


def _broken(request):
    raise RuntimeError("a bug")


def _throttled(request):
    return too_many_attempts(request, 600)


urlpatterns = [
    path("refused/", _refused),
    path("bad/", _bad),
    path("broken/", _broken),
    path("throttled/", _throttled),
    path("", include("gup.urls")),
]
handler400 = "gup.errors.bad_request"
handler500 = "gup.errors.server_error"

HEADINGS = {
    "rn": {
        400: "Ico usaba nticashoboye gusomwa",
        403: "Ntushobora kugurura uru rupapuro",
        404: "Urupapuro ntirwabonetse",
        429: None,
        500: "Hari ikitagenze neza iwacu",
        "csrf": "Iyi fomu ntiyashoboye kwakirwa",
    },
    "fr": {
        400: "Cette demande n’a pas pu être lue",
        403: "Vous ne pouvez pas ouvrir cette page",
        404: "Page introuvable",
        429: None,
        500: "Un problème est survenu de notre côté",
        "csrf": "Ce formulaire n’a pas pu être accepté",
    },
    "en": {
        400: "This request could not be read",
        403: "You cannot open this page",
        404: "Page not found",
        429: "Too many attempts",
        500: "Something went wrong on our side",
        "csrf": "This form could not be accepted",
    },
}
HOME = {
    "rn": "Subira ku rupapuro rwa mbere",
    "fr": "Aller à la page d’accueil",
    "en": "Go to the home page",
}


def _error_page(client, kind, language):
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    if kind == "csrf":
        strict = Client(enforce_csrf_checks=True)
        return strict.post(reverse("citizen_sign_in"), {"identifier": "x"}, **headers)
    url = {
        400: "/bad/",
        403: "/refused/",
        404: "/no-such-page/",
        429: "/throttled/",
        500: "/broken/",
    }
    return client.get(url[kind], **headers)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("language", ["rn", "fr", "en"])
@pytest.mark.parametrize("kind", [400, 403, 404, 429, 500, "csrf"])
@pytest.mark.django_db
def test_error_pages_use_the_layout_in_the_visitors_language(client, settings, kind, language):
    settings.DEBUG = False
    client.raise_request_exception = False

    response = _error_page(client, kind, language)

    assert response.status_code == (403 if kind == "csrf" else kind)
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'rel="stylesheet"' in html and 'class="top"' in html  # the site's layout
    assert f'href="{reverse("home")}"' in html and HOME[language] in html
    heading = HEADINGS[language][kind]
    if heading:
        assert f"<h1>{heading}</h1>" in html
    if language == "rn":
        assert not foreign_words(html), foreign_words(html)
    assert "a bug" not in html and "a forged request" not in html and "Traceback" not in html


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_the_500_page_needs_neither_the_database_nor_the_request(
    client, settings, django_assert_num_queries
):
    settings.DEBUG = False
    client.raise_request_exception = False
    with django_assert_num_queries(0):
        response = client.get("/broken/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 500
    assert '<form class="lang"' not in response.content.decode()  # it needs the request's path


def test_the_500_page_falls_back_to_kirundi_for_a_request_that_never_met_the_middleware(rf):
    from gup.errors import server_error

    for accept, language in ((None, "rn"), ("en", "en"), ("de", "rn")):
        request = rf.get("/", **({"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}))
        html = server_error(request).content.decode()
        assert f'<html lang="{language}">' in html


# --- The favicon --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_favicon_is_served_small_with_a_long_cache_and_linked_from_every_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00" and len(body) < 1024  # an ICO, and a tiny one
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    assert max_age >= 30 * 24 * 3600

    page = client.get(reverse("catalogue")).content.decode()
    linked = re.search(r'<link rel="icon" href="([^"]+)">', page).group(1)
    assert client.get(linked).status_code == 200
