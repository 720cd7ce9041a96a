"""Shared fixtures: the personas every test speaks of (STYLE, point 14).

Two provinces and their offices (Gitega ``GIT``, Ngozi ``NGO`` in Butanyerera), three
institutions and the services they decide on, and the people: citizens, the staff of each office
and institution, an administrator and an auditor. Each is a fixture of its own, and ``personas``
gathers them all in one namespace (``personas.clerk_gitega``).

Nothing browser-specific lives here: that is ``tests/e2e/conftest.py``.
"""

import logging
from types import SimpleNamespace

import pytest
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from services.models import IssuedDocumentTemplate
from tests.factories import (
    CommuneFactory,
    InstitutionFactory,
    OfficeFactory,
    ProvinceFactory,
    RequiredDocumentFactory,
    ServiceFactory,
    ServiceFieldFactory,
    UserFactory,
)

# Nothing in the suite may fail because the machine is slow: no property test has a deadline.
hypothesis_settings.register_profile("gup", deadline=None, print_blob=True)
hypothesis_settings.load_profile("gup")

PLACES = (
    "province_gitega",
    "province_butanyerera",
    "commune_gitega",
    "commune_ngozi",
    "office_gitega",
    "office_ngozi",
    "urbanism",
    "migration",
    "land_registry",
    "building_permit",
    "passport",
    "land_title",
)
PEOPLE = (
    "citizen",
    "other_citizen",
    "clerk_gitega",
    "supervisor_gitega",
    "clerk_ngozi",
    "officer_urbanism",
    "other_officer_urbanism",
    "supervisor_urbanism",
    "officer_migration",
    "officer_land_registry",
    "administrator",
    "auditor",
)


@pytest.fixture(autouse=True)
def english():
    """Domain messages in English, as the assertions are written (screens choose their own)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    """Stored documents go to a fresh folder per test, never to the developer's var/."""
    settings.UPLOAD_ROOT = tmp_path / "uploads"
    return settings.UPLOAD_ROOT


@pytest.fixture(autouse=True)
def document_root(settings, tmp_path):
    """Issued documents too."""
    settings.DOCUMENT_ROOT = tmp_path / "documents"
    return settings.DOCUMENT_ROOT


@pytest.fixture(autouse=True)
def sms_outbox():
    """The SMS sent by the test (the locmem backend of the test settings), none from earlier
    tests: its keys would hide the test's own messages, sent once per key."""
    from gup.sms.backends import locmem

    locmem.outbox.clear()
    return locmem.outbox


@pytest.fixture
def every_log(caplog):
    """Every record of every logger from DEBUG up, Django's (which do not propagate) included."""
    caplog.set_level(logging.DEBUG)
    changed = []
    for logger in list(logging.root.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            changed.append((logger, logger.level))
            logger.setLevel(logging.DEBUG)
            if not logger.propagate:
                logger.addHandler(caplog.handler)
    yield caplog
    for logger, level in changed:
        logger.setLevel(level)
        if caplog.handler in logger.handlers:
            logger.removeHandler(caplog.handler)


# --- Places -----------------------------------------------------------------------------------


@pytest.fixture
def province_gitega(db):
    return ProvinceFactory(code="GTG", name="Gitega", capital="Gitega")


@pytest.fixture
def province_butanyerera(db):
    return ProvinceFactory(code="BTN", name="Butanyerera", capital="Ngozi")


@pytest.fixture
def commune_gitega(province_gitega):
    return CommuneFactory(province=province_gitega, name="Gitega")


@pytest.fixture
def commune_ngozi(province_butanyerera):
    return CommuneFactory(province=province_butanyerera, name="Ngozi")


@pytest.fixture
def office_gitega(province_gitega, commune_gitega):
    return OfficeFactory(
        code="GIT",
        name="GUP Gitega",
        town="Gitega",
        province=province_gitega,
        commune=commune_gitega,
    )


@pytest.fixture
def office_ngozi(province_butanyerera, commune_ngozi):
    return OfficeFactory(
        code="NGO",
        name="GUP Ngozi",
        town="Ngozi",
        province=province_butanyerera,
        commune=commune_ngozi,
    )


# --- Institutions and the services they decide on ---------------------------------------------


@pytest.fixture
def urbanism(db):
    return InstitutionFactory(code="urbanism", name_fr="Urbanisme", name_en="Urban planning")


@pytest.fixture
def migration(db):
    return InstitutionFactory(
        code="migration",
        name_fr="Police de l'air, des frontières et des étrangers",
        name_en="Migration service",
    )


@pytest.fixture
def land_registry(db):
    return InstitutionFactory(
        code="land-registry", name_fr="Titres fonciers", name_en="Land-title registry"
    )


@pytest.fixture
def building_permit(urbanism):
    """Decided by urbanism; no published fee; a site inspection; GUP prints the permit."""
    service = ServiceFactory(
        code="building-permit",
        name_fr="Permis de bâtir",
        name_en="Building permit",
        free=True,
        with_inspection=True,
        target_working_days=30,
        issued_document_fr="Permis de bâtir",
        issued_document_template=IssuedDocumentTemplate.BUILDING_PERMIT,
        issued_document_validity_days=730,
        document__code="plans",
        document__name_fr="Plans du bâtiment",
        document__accepted_types=["application/pdf"],
        routing__institution=urbanism,
    )
    RequiredDocumentFactory(service=service, code="national-id", name_fr="Carte d'identité")
    RequiredDocumentFactory(
        service=service,
        code="site-photo",
        name_fr="Photo du terrain",
        mandatory=False,
        accepted_types=["image/jpeg", "image/png"],
    )
    ServiceFieldFactory(service=service, code="plot_number", label_fr="Numéro de parcelle")
    return service


@pytest.fixture
def passport(migration):
    """Decided by the migration service; 235,000 BIF; an appointment for biometrics; the
    passport is made by the institution, GUP prints a notice to collect it."""
    service = ServiceFactory(
        code="passport",
        name_fr="Passeport",
        name_en="Passport",
        fee_bif=235_000,
        with_appointment=True,
        target_working_days=15,
        issued_document_fr="Passeport",
        issued_document_template=IssuedDocumentTemplate.COLLECTION_NOTICE,
        document__code="birth-certificate",
        document__name_fr="Extrait d'acte de naissance",
        routing__institution=migration,
    )
    RequiredDocumentFactory(
        service=service,
        code="photo",
        name_fr="Photo d'identité",
        accepted_types=["image/jpeg", "image/png"],
    )
    return service


@pytest.fixture
def land_title(land_registry):
    """Decided by the land-title registry; a 30-day public notice and a site inspection; GUP
    prints the certificate."""
    return ServiceFactory(
        code="land-title",
        name_fr="Certificat d'enregistrement",
        name_en="Land title",
        free=True,
        with_inspection=True,
        with_public_notice=True,
        public_notice_days=30,
        target_working_days=60,
        issued_document_fr="Certificat d'enregistrement",
        issued_document_template=IssuedDocumentTemplate.LAND_TITLE_CERTIFICATE,
        document__code="site-plan",
        document__name_fr="Plan du site",
        routing__institution=land_registry,
    )


@pytest.fixture
def routing_rules(building_permit, passport, land_title):
    """The default rule of each persona service (created with the services)."""
    return {
        service.code: service.routing_rules.get()
        for service in (building_permit, passport, land_title)
    }


# --- People -----------------------------------------------------------------------------------


@pytest.fixture
def citizen(db):
    return UserFactory(username="aline", first_name="Aline", last_name="Ndayishimiye")


@pytest.fixture
def other_citizen(db):
    return UserFactory(username="pacifique", first_name="Pacifique", last_name="Niyonzima")


@pytest.fixture
def clerk_gitega(office_gitega):
    return UserFactory(username="clerk.gitega", clerk=True, office=office_gitega)


@pytest.fixture
def supervisor_gitega(office_gitega):
    return UserFactory(username="supervisor.gitega", office_supervisor=True, office=office_gitega)


@pytest.fixture
def clerk_ngozi(office_ngozi):
    return UserFactory(username="clerk.ngozi", clerk=True, office=office_ngozi)


@pytest.fixture
def officer_urbanism(urbanism):
    return UserFactory(username="officer.urbanism", officer=True, institution=urbanism)


@pytest.fixture
def other_officer_urbanism(urbanism):
    return UserFactory(username="officer2.urbanism", officer=True, institution=urbanism)


@pytest.fixture
def supervisor_urbanism(urbanism):
    return UserFactory(
        username="supervisor.urbanism", ministry_supervisor=True, institution=urbanism
    )


@pytest.fixture
def officer_migration(migration):
    return UserFactory(username="officer.migration", officer=True, institution=migration)


@pytest.fixture
def officer_land_registry(land_registry):
    return UserFactory(username="officer.land", officer=True, institution=land_registry)


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", administrator=True)


@pytest.fixture
def auditor(db):
    return UserFactory(username="auditor", auditor=True)


@pytest.fixture
def personas(db, request):
    """Every place, service and person above, by fixture name: ``personas.clerk_ngozi``."""
    # ``db`` is named here, not only reached through getfixturevalue: pytest-django cannot set
    # the test database up from a fixture requested dynamically.
    return SimpleNamespace(**{name: request.getfixturevalue(name) for name in PLACES + PEOPLE})
