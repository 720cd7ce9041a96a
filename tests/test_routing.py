"""Routing rules: which institution decides on a service filed in a province."""

import pytest
from django.db import IntegrityError, transaction

from services.models import Institution, Province, RoutingRule, Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def gitega():
    return Province.objects.create(code="GIT", name="Gitega")


@pytest.fixture
def burunga():
    return Province.objects.create(code="BRG", name="Burunga")


@pytest.fixture
def building_permit():
    return Service.objects.create(
        code="building-permit",
        name_fr="Permis de construire",
        target_working_days=30,
        issued_document_fr="Permis de construire",
    )


@pytest.fixture
def urbanism():
    return Institution.objects.create(code="urbanism", name_fr="Direction de l'urbanisme")


@pytest.fixture
def gitega_urbanism():
    return Institution.objects.create(code="urbanism-gitega", name_fr="Urbanisme de Gitega")


def test_a_rule_for_the_province_beats_the_rule_for_every_province(
    building_permit, gitega, urbanism, gitega_urbanism
):
    RoutingRule.objects.create(service=building_permit, province=None, institution=urbanism)
    RoutingRule.objects.create(
        service=building_permit, province=gitega, institution=gitega_urbanism
    )

    assert RoutingRule.objects.institution_for(building_permit, gitega) == gitega_urbanism


def test_other_provinces_fall_back_to_the_rule_for_every_province(
    building_permit, gitega, burunga, urbanism, gitega_urbanism
):
    RoutingRule.objects.create(
        service=building_permit, province=gitega, institution=gitega_urbanism
    )
    RoutingRule.objects.create(service=building_permit, province=None, institution=urbanism)

    assert RoutingRule.objects.institution_for(building_permit, burunga) == urbanism


def test_no_rule_means_no_institution(building_permit, gitega, gitega_urbanism, burunga):
    RoutingRule.objects.create(
        service=building_permit, province=gitega, institution=gitega_urbanism
    )

    assert RoutingRule.objects.institution_for(building_permit, burunga) is None


def test_a_rule_for_another_service_does_not_apply(building_permit, gitega, urbanism):
    passport = Service.objects.create(
        code="passport", name_fr="Passeport", target_working_days=10, issued_document_fr="Passeport"
    )
    RoutingRule.objects.create(service=passport, province=None, institution=urbanism)

    assert RoutingRule.objects.institution_for(building_permit, gitega) is None


def test_the_database_refuses_two_rules_for_every_province(
    building_permit, urbanism, gitega_urbanism
):
    RoutingRule.objects.create(service=building_permit, province=None, institution=urbanism)

    with pytest.raises(IntegrityError), transaction.atomic():
        RoutingRule.objects.create(
            service=building_permit, province=None, institution=gitega_urbanism
        )


def test_the_database_refuses_two_rules_for_the_same_province(
    building_permit, gitega, urbanism, gitega_urbanism
):
    RoutingRule.objects.create(service=building_permit, province=gitega, institution=urbanism)

    with pytest.raises(IntegrityError), transaction.atomic():
        RoutingRule.objects.create(
            service=building_permit, province=gitega, institution=gitega_urbanism
        )
