"""``Dossier.objects.visible_to(user)``: the only door to dossiers, shut by default.

A clerk sees their office's dossiers, an officer those forwarded to their institution, a citizen
their own, the auditor all of them; the administrator, anonymous visitors and deactivated
accounts see none.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.conftest import PEOPLE
from tests.factories import dossier_in_state
from workflows.actors import Actor
from workflows.models import Dossier
from workflows.states import DossierState

S = DossierState

GITEGA = {"gitega_forwarded", "gitega_intake", "gitega_passport", "gitega_counter"}
NGOZI = {"ngozi_in_review", "ngozi_draft"}
ALL = GITEGA | NGOZI

VISIBLE = {
    "citizen": {"gitega_forwarded", "gitega_passport", "ngozi_draft"},
    "other_citizen": {"gitega_intake", "ngozi_in_review"},
    "clerk_gitega": GITEGA,
    "supervisor_gitega": GITEGA,
    "clerk_ngozi": NGOZI,
    # Only once forwarded: "gitega_intake" is a building permit too, still at the office.
    "officer_urbanism": {"gitega_forwarded", "ngozi_in_review"},
    "other_officer_urbanism": {"gitega_forwarded", "ngozi_in_review"},
    "supervisor_urbanism": {"gitega_forwarded", "ngozi_in_review"},
    "officer_migration": {"gitega_passport"},
    "officer_land_registry": set(),
    "administrator": set(),
    "auditor": ALL,
}


@pytest.fixture
def dossiers(personas):
    p = personas

    def at(office, clerk, state, **kwargs):
        kwargs.setdefault("service", p.building_permit)
        return dossier_in_state(state, office=office, clerk=clerk, **kwargs)

    return {
        "gitega_forwarded": at(
            p.office_gitega, p.clerk_gitega, S.FORWARDED, applicant_account=p.citizen
        ),
        "gitega_intake": at(
            p.office_gitega, p.clerk_gitega, S.INTAKE, applicant_account=p.other_citizen
        ),
        "gitega_passport": at(
            p.office_gitega,
            p.clerk_gitega,
            S.FORWARDED,
            applicant_account=p.citizen,
            service=p.passport,
        ),
        "gitega_counter": at(p.office_gitega, p.clerk_gitega, S.INTAKE, counter=True),
        "ngozi_in_review": at(
            p.office_ngozi,
            p.clerk_ngozi,
            S.IN_REVIEW,
            applicant_account=p.other_citizen,
            officer=p.other_officer_urbanism,
        ),
        "ngozi_draft": at(p.office_ngozi, p.clerk_ngozi, S.DRAFT, applicant_account=p.citizen),
    }


def visible(user, dossiers):
    pks = set(Dossier.objects.visible_to(user).values_list("pk", flat=True))
    return {name for name, dossier in dossiers.items() if dossier.pk in pks}


def test_every_persona_has_a_row():
    assert set(VISIBLE) == set(PEOPLE)


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_each_persona_sees_exactly_their_dossiers(personas, dossiers, who):
    assert visible(getattr(personas, who), dossiers) == VISIBLE[who]


def test_nothing_outside_the_scope_leaks_through_a_filter(personas, dossiers):
    ngozi = dossiers["ngozi_in_review"]

    seen = Dossier.objects.filter(pk=ngozi.pk).visible_to(personas.clerk_gitega)

    assert not seen.exists()


@pytest.mark.parametrize("who", ["clerk_gitega", "officer_urbanism", "citizen", "auditor"])
def test_a_deactivated_account_sees_nothing(personas, dossiers, who):
    user = getattr(personas, who)
    user.is_active = False
    user.save()

    assert visible(user, dossiers) == set()


@pytest.mark.parametrize(
    "user", [AnonymousUser(), None, Actor.system()], ids=["anonymous", "nobody", "system"]
)
def test_no_one_signed_in_sees_nothing(dossiers, user):
    assert visible(user, dossiers) == set()


def test_a_resume_link_holder_sees_only_the_dossier_they_hold(dossiers):
    held = next(iter(dossiers.values()))

    assert visible(Actor.resume_link(held.pk), dossiers) == {
        name for name, dossier in dossiers.items() if dossier.pk == held.pk
    }
