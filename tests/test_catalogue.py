"""The map and the catalogue fixtures, the demo accounts, and the admin that manages them."""

import datetime
import io
import re
import uuid

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gup.accounts.management.commands.load_demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from gup.accounts.models import User
from gup.roles import Role
from services.models import (
    Commune,
    Institution,
    Office,
    PaymentChannel,
    Province,
    RequiredDocument,
    RoutingRule,
    Service,
)
from services.models.service import DocumentType, validate_accepted_types
from workflows.actors import Actor
from workflows.models import (
    Attachment,
    Channel,
    Dossier,
    HistoryEntry,
    HistoryHead,
    Payment,
    PaymentMethod,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ("fr", "rn", "en")


@pytest.fixture
def catalogue():
    call_command("loaddata", "geography", "catalogue", verbosity=0)


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", "--no-dossiers", stdout=io.StringIO())


@pytest.fixture
def admin_client_for_administrator(client, catalogue):
    user = User.objects.create_superuser(
        "root", "root@example.org", "not-used", role=Role.ADMINISTRATOR
    )
    client.force_login(user)
    return client


# --- Fixtures -----------------------------------------------------------------------------------


def test_the_2025_map_is_loaded(catalogue):
    assert Province.objects.count() == 5
    assert set(Province.objects.values_list("code", flat=True)) == {
        "BJA",
        "BHZ",
        "GTG",
        "BRG",
        "BTN",
    }
    assert Commune.objects.count() == 42
    assert Commune.objects.get(name="Gitega").province.code == "GTG"


def test_the_nine_gup_offices_are_loaded(catalogue):
    offices = {office.code: office for office in Office.objects.select_related("province")}
    assert set(offices) == {"NGO", "KAY", "MUY", "GIT", "MWA", "BRR", "MAK", "RUT", "CIB"}
    for code, office in offices.items():
        assert re.fullmatch(r"[A-Z]{3}", code)
        assert office.name == f"GUP {office.town}"
    assert offices["GIT"].province.code == "GTG"
    assert offices["GIT"].commune.name == "Gitega"
    assert offices["NGO"].province.code == "BTN"
    assert offices["NGO"].commune is None
    for office in offices.values():
        assert office.commune is None or office.commune.province_id == office.province_id


def test_institutions_and_services_are_loaded(catalogue):
    assert set(Institution.objects.values_list("code", flat=True)) == {
        "urbanism",
        "migration",
        "land-registry",
    }
    codes = set(Service.objects.values_list("code", flat=True))
    assert {"building-permit", "passport", "laissez-passer", "land-title"} <= codes


@pytest.mark.parametrize(
    ("service", "institution"),
    [
        ("building-permit", "urbanism"),
        ("passport", "migration"),
        ("laissez-passer", "migration"),
        ("land-title", "land-registry"),
    ],
)
def test_each_service_has_a_default_routing_rule(catalogue, service, institution):
    rule = RoutingRule.objects.get(service__code=service, province__isnull=True)
    assert rule.institution.code == institution
    for province in Province.objects.all():
        decides = RoutingRule.objects.institution_for(rule.service, province)
        assert decides.code == institution


def test_every_service_is_complete_in_three_languages(catalogue):
    services = Service.objects.prefetch_related("fields", "documents", "routing_rules")
    assert len(services) >= 4
    for service in services:
        for language in LANGUAGES:
            assert getattr(service, f"name_{language}"), (service.code, language)
            assert getattr(service, f"description_{language}"), (service.code, language)
            assert getattr(service, f"issued_document_{language}"), (service.code, language)
        assert service.target_working_days >= 1
        assert any(rule.province_id is None for rule in service.routing_rules.all())
        assert service.fields.all(), service.code
        for field in service.fields.all():
            for language in LANGUAGES:
                assert getattr(field, f"label_{language}"), (service.code, field.code, language)
            if field.kind == "choice":
                assert field.choices, (service.code, field.code)
                for choice in field.choices:
                    assert set(choice) == {"value", *LANGUAGES}
                    assert all(choice.values())
        documents = service.documents.all()
        assert any(document.mandatory for document in documents), service.code
        for document in documents:
            validate_accepted_types(document.accepted_types)
            for language in LANGUAGES:
                assert getattr(document, f"name_{language}"), (service.code, document.code)


def test_service_facts(catalogue):
    permit = Service.objects.get(code="building-permit")
    assert permit.fee_bif is None  # no published figure
    assert (permit.target_working_days, permit.has_inspection) == (30, True)
    assert not permit.has_public_notice
    plans = permit.documents.get(code="plans")
    assert plans.mandatory and plans.accepted_types == [DocumentType.PDF]
    assert not permit.documents.get(code="site-photo").mandatory
    floors = permit.fields.get(code="floors")
    assert (floors.kind, floors.min_value, floors.max_value) == ("integer", 1, 20)

    passport = Service.objects.get(code="passport")
    assert (passport.fee_bif, passport.target_working_days) == (235000, 15)
    assert passport.has_appointment
    assert not passport.fields.get(code="previous_passport_number").required

    pass_ = Service.objects.get(code="laissez-passer")
    assert (pass_.fee_bif, pass_.target_working_days, pass_.has_appointment) == (30000, 3, False)
    destinations = [c["value"] for c in pass_.fields.get(code="destination").choices]
    assert destinations == ["RW", "CD", "TZ", "UG", "KE"]

    title = Service.objects.get(code="land-title")
    assert (title.fee_bif, title.target_working_days) == (None, 60)
    assert (title.public_notice_days, title.has_inspection) == (30, True)
    assert not title.documents.get(code="communal-attestation").mandatory


def test_loading_the_fixtures_again_changes_nothing(catalogue):
    counts = [model.objects.count() for model in (Province, Commune, Office, Service)]
    documents = RequiredDocument.objects.count()
    call_command("loaddata", "geography", "catalogue", verbosity=0)
    assert [model.objects.count() for model in (Province, Commune, Office, Service)] == counts
    assert RequiredDocument.objects.count() == documents


# --- load_demo ----------------------------------------------------------------------------------


def test_load_demo_twice_creates_each_account_once(settings):
    settings.DEBUG = True
    call_command("load_demo", "--no-dossiers", stdout=io.StringIO())
    User.objects.filter(username="clerk.gitega").update(role=Role.AUDITOR, office=None)
    out = io.StringIO()
    call_command("load_demo", "--no-dossiers", stdout=out)

    assert User.objects.count() == len(DEMO_ACCOUNTS)
    assert DEMO_PASSWORD in out.getvalue()
    assert "clerk.gitega" in out.getvalue()
    expected = {
        "admin": (Role.ADMINISTRATOR, None, None),
        "clerk.gitega": (Role.CLERK, "GIT", None),
        "clerk2.gitega": (Role.CLERK, "GIT", None),
        "supervisor.gitega": (Role.OFFICE_SUPERVISOR, "GIT", None),
        "clerk.ngozi": (Role.CLERK, "NGO", None),
        "officer.urbanism": (Role.OFFICER, None, "urbanism"),
        "officer2.urbanism": (Role.OFFICER, None, "urbanism"),
        "supervisor.urbanism": (Role.MINISTRY_SUPERVISOR, None, "urbanism"),
        "officer.migration": (Role.OFFICER, None, "migration"),
        "supervisor.migration": (Role.MINISTRY_SUPERVISOR, None, "migration"),
        "officer.land": (Role.OFFICER, None, "land-registry"),
        "auditor": (Role.AUDITOR, None, None),
        "citizen": (Role.CITIZEN, None, None),
    }
    users = User.objects.select_related("office", "institution")
    actual = {
        user.username: (
            user.role,
            user.office.code if user.office else None,
            user.institution.code if user.institution else None,
        )
        for user in users
    }
    assert actual == expected
    for user in users:
        assert user.check_password(DEMO_PASSWORD), user.username
        assert user.is_staff == user.is_superuser == (user.username == "admin")
    assert User.objects.get(username="citizen").phone == "+25779123456"


def test_load_demo_resets_a_changed_password(demo, settings):
    user = User.objects.get(username="officer.land")
    user.set_password("something-else")
    user.save()
    call_command("load_demo", "--no-dossiers", stdout=io.StringIO())
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


def test_load_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("load_demo", "--no-dossiers", stdout=io.StringIO())
    assert not User.objects.exists()
    assert not Service.objects.exists()


def test_load_demo_runs_without_debug_when_told(settings):
    settings.DEBUG = False
    call_command("load_demo", "--allow-production", "--no-dossiers", stdout=io.StringIO())
    assert User.objects.filter(username="admin", is_superuser=True).exists()


# --- Admin --------------------------------------------------------------------------------------


def registered(app_label):
    return [model for model in admin.site._registry if model._meta.app_label == app_label]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_catalogue_model_is_registered():
    assert set(registered("services")) == {
        Province,
        Commune,
        Office,
        Institution,
        Service,
        RoutingRule,
        PaymentChannel,
    }
    assert User in admin.site._registry
    assert Dossier in admin.site._registry
    assert HistoryEntry in admin.site._registry
    assert HistoryHead in admin.site._registry


@pytest.mark.parametrize("model", [*registered("services"), User], ids=lambda m: m.__name__)
def test_administrator_sees_changelist_add_and_change_pages(admin_client_for_administrator, model):
    client = admin_client_for_administrator
    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "add")).status_code == 200
    instance = model.objects.first()
    assert client.get(admin_url(model, "change", instance.pk)).status_code == 200


def test_changelists_can_be_filtered(admin_client_for_administrator):
    client = admin_client_for_administrator
    gitega = Province.objects.get(code="GTG")
    response = client.get(admin_url(Office, "changelist"), {"province__id__exact": gitega.pk})
    assert response.status_code == 200
    assert "GUP Gitega" in response.text
    assert "GUP Ngozi" not in response.text
    response = client.get(admin_url(User, "changelist"), {"role__exact": Role.ADMINISTRATOR})
    assert response.status_code == 200


def test_administrator_adds_a_clerk_with_an_office(admin_client_for_administrator):
    gitega = Office.objects.get(code="GIT")
    response = admin_client_for_administrator.post(
        admin_url(User, "add"),
        {
            "username": "new.clerk",
            "password1": "A-l0ng-enough-passw0rd",
            "password2": "A-l0ng-enough-passw0rd",
            "usable_password": "true",
            "role": Role.CLERK,
            "office": gitega.pk,
            "phone": "+25779000000",
            "preferred_language": "rn",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    clerk = User.objects.get(username="new.clerk")
    assert (clerk.role, clerk.office, clerk.preferred_language) == (Role.CLERK, gitega, "rn")


def test_a_clerk_without_an_office_is_refused_by_the_form(admin_client_for_administrator):
    response = admin_client_for_administrator.post(
        admin_url(User, "add"),
        {
            "username": "lost.clerk",
            "password1": "A-l0ng-enough-passw0rd",
            "password2": "A-l0ng-enough-passw0rd",
            "usable_password": "true",
            "role": Role.CLERK,
            "preferred_language": "fr",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="lost.clerk").exists()


@pytest.fixture
def dossier(catalogue):
    """A filed dossier with one history row, one attachment and one payment, built by hand."""
    clerk = User.objects.create_user(
        "clerk", role=Role.CLERK, office=Office.objects.get(code="GIT")
    )
    service = Service.objects.get(code="passport")
    dossier = Dossier.objects.create(
        service=service,
        office=clerk.office,
        channel=Channel.COUNTER,
        applicant_first_name="Jeanne",
        applicant_last_name="Uwimana",
        applicant_national_id="0123456789",
        applicant_birth_date=datetime.date(1990, 5, 17),
        applicant_phone="+25779123456",
        applicant_commune=Commune.objects.get(name="Gitega"),
        created_by=clerk,
    )
    HistoryEntry.objects.append(
        dossier,
        kind="draft_started",
        from_state="draft",
        to_state="draft",
        actor=Actor.for_user(clerk),
        at=dossier.created_at,
    )
    Attachment.objects.create(
        dossier=dossier,
        document=service.documents.get(code="national-id"),
        original_name="cni.pdf",
        content_type="application/pdf",
        size=1000,
        sha256="0" * 64,
        uploaded_by=clerk,
    )
    Payment.objects.create(
        dossier=dossier, amount_bif=235000, method=PaymentMethod.CASH, recorded_by=clerk
    )
    return dossier


def test_dossier_admin_is_read_only(admin_client_for_administrator, dossier):
    client = admin_client_for_administrator
    response = client.get(admin_url(Dossier, "changelist"))
    assert response.status_code == 200
    response = client.get(admin_url(Dossier, "changelist"), {"q": "Uwimana"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1

    assert client.get(admin_url(Dossier, "add")).status_code == 403
    assert client.get(admin_url(Dossier, "delete", dossier.pk)).status_code == 403

    response = client.get(admin_url(Dossier, "change", dossier.pk))
    assert response.status_code == 200
    assert "cni.pdf" in response.text
    assert 'name="_save"' not in response.text
    response = client.post(
        admin_url(Dossier, "change", dossier.pk), {"applicant_last_name": "Forged"}
    )
    assert response.status_code == 403
    dossier.refresh_from_db(fields=["applicant_last_name"])
    assert dossier.applicant_last_name == "Uwimana"


def test_dossier_changelist_query_count_does_not_grow_with_rows(
    admin_client_for_administrator, dossier
):
    client = admin_client_for_administrator
    url = admin_url(Dossier, "changelist")
    with CaptureQueriesContext(connection) as one_row:
        client.get(url)
    for office_code, service_code in (("NGO", "land-title"), ("MUY", "laissez-passer")):
        copy = Dossier.objects.get(pk=dossier.pk)
        copy.pk = None
        copy.public_id = uuid.uuid4()
        copy.office = Office.objects.get(code=office_code)
        copy.service = Service.objects.get(code=service_code)
        copy.save()
    with CaptureQueriesContext(connection) as three_rows:
        response = client.get(url)
    assert response.context["cl"].result_count == 3
    assert len(three_rows) == len(one_row)


def test_history_admin_is_read_only(admin_client_for_administrator, dossier):
    client = admin_client_for_administrator
    entry = HistoryEntry.objects.get(dossier=dossier)
    assert client.get(admin_url(HistoryEntry, "changelist")).status_code == 200
    response = client.get(admin_url(HistoryEntry, "changelist"), {"to_state": "draft"})
    assert response.context["cl"].result_count == 1
    response = client.get(admin_url(HistoryEntry, "changelist"), {"to_state": "issued"})
    assert response.context["cl"].result_count == 0
    assert client.get(admin_url(HistoryEntry, "change", entry.pk)).status_code == 200
    assert client.get(admin_url(HistoryEntry, "add")).status_code == 403
    assert client.get(admin_url(HistoryEntry, "delete", entry.pk)).status_code == 403
    response = client.get(admin_url(HistoryEntry, "changelist"), {"actor_kind__exact": "staff"})
    assert response.context["cl"].result_count == 1
    response = client.get(admin_url(HistoryEntry, "changelist"), {"actor_role": "system"})
    assert response.context["cl"].result_count == 0


def test_history_anchor_admin_is_read_only(admin_client_for_administrator, dossier):
    client = admin_client_for_administrator
    response = client.get(admin_url(HistoryHead, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert client.get(admin_url(HistoryHead, "change", dossier.pk)).status_code == 200
    assert client.get(admin_url(HistoryHead, "add")).status_code == 403
    assert client.get(admin_url(HistoryHead, "delete", dossier.pk)).status_code == 403
    response = client.post(admin_url(HistoryHead, "change", dossier.pk), {"position": "0"})
    assert response.status_code == 403
    assert HistoryHead.objects.get(dossier=dossier).position == 1


def test_a_clerk_is_sent_to_the_admin_login(client, catalogue):
    clerk = User.objects.create_user(
        "clerk", password="x", role=Role.CLERK, office=Office.objects.get(code="GIT")
    )
    client.force_login(clerk)
    for url in (reverse("admin:index"), admin_url(Service, "changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
