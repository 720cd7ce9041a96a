"""Handing work over: who holds a dossier, the ``assign`` event, and the queues' holder filter."""

import importlib

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, DossierFactory, UserFactory
from workflows.actions import perform
from workflows.exceptions import InvalidInput, NotAllowed, TransitionRefused
from workflows.history_display import describe
from workflows.models import Dossier
from workflows.states import DossierState

S = DossierState


def signed_in(client, user):
    """Signed in, reading English (as the assertions are written)."""
    client.login(username=user.username, password=PASSWORD)
    client.cookies["django_language"] = "en"
    return client


def at_gitega(clerk, service, **kwargs):
    return DossierFactory(counter=True, service=service, office=clerk.office, clerk=clerk, **kwargs)


@pytest.fixture
def second_clerk_gitega(office_gitega):
    return UserFactory(
        username="clerk2.gitega", clerk=True, office=office_gitega, first_name="Divine"
    )


@pytest.fixture
def supervisor_migration(migration):
    return UserFactory(
        username="supervisor.migration", ministry_supervisor=True, institution=migration
    )


def last_entry(dossier):
    return dossier.history.order_by("-position").first()


# --- Who holds a dossier ----------------------------------------------------------------------


def test_the_clerk_who_files_at_the_counter_holds_the_dossier(clerk_gitega, building_permit):
    dossier = at_gitega(clerk_gitega, building_permit, intake=True)
    assert dossier.clerk == clerk_gitega


def test_a_clerk_who_starts_checking_an_unassigned_dossier_holds_it(
    clerk_gitega, office_gitega, building_permit
):
    dossier = DossierFactory(submitted=True, service=building_permit, office=office_gitega)
    assert dossier.clerk is None
    dossier = perform(dossier.pk, "start_intake", clerk_gitega)
    assert dossier.clerk == clerk_gitega


def test_starting_to_check_a_dossier_assigned_to_a_colleague_leaves_it_with_them(
    clerk_gitega, second_clerk_gitega, supervisor_gitega, office_gitega, building_permit
):
    dossier = DossierFactory(submitted=True, service=building_permit, office=office_gitega)
    perform(dossier.pk, "assign", supervisor_gitega, assignee=second_clerk_gitega.pk)
    dossier = perform(dossier.pk, "start_intake", clerk_gitega)
    assert dossier.clerk == second_clerk_gitega


# --- Assigning at the office ------------------------------------------------------------------


def test_an_office_supervisor_reassigns_a_dossier_with_a_history_row_for_staff(
    clerk_gitega, second_clerk_gitega, supervisor_gitega, building_permit
):
    dossier = at_gitega(clerk_gitega, building_permit, intake=True)
    dossier = perform(
        dossier.pk,
        "assign",
        supervisor_gitega,
        comment="Jean is on leave.",
        assignee=second_clerk_gitega.pk,
    )
    assert dossier.clerk == second_clerk_gitega
    assert dossier.state == S.INTAKE
    entry = last_entry(dossier)
    assert entry.kind == "assign"
    assert not entry.is_public
    assert entry.comment == "Jean is on leave."
    assert entry.details["previous_id"] == clerk_gitega.pk
    assert entry.details["to_id"] == second_clerk_gitega.pk
    clerk_name = clerk_gitega.get_full_name()
    assert (
        describe(entry) == f"Reassigned from {clerk_name} to {second_clerk_gitega.get_full_name()}"
    )


def test_assigning_a_dossier_nobody_holds_reads_assigned_to(
    second_clerk_gitega, supervisor_gitega, office_gitega, building_permit
):
    dossier = DossierFactory(submitted=True, service=building_permit, office=office_gitega)
    dossier = perform(dossier.pk, "assign", supervisor_gitega, assignee=second_clerk_gitega)
    assert describe(last_entry(dossier)) == f"Assigned to {second_clerk_gitega.get_full_name()}"


def test_a_supervisor_may_take_a_dossier_themselves(
    clerk_gitega, supervisor_gitega, building_permit
):
    dossier = at_gitega(clerk_gitega, building_permit, intake=True)
    dossier = perform(dossier.pk, "assign", supervisor_gitega, assignee=supervisor_gitega.pk)
    assert dossier.clerk == supervisor_gitega


def refused(dossier, actor, error, **inputs) -> str:
    before = (dossier.clerk_id, dossier.officer_id, dossier.state, dossier.history.count())
    with pytest.raises(error) as raised:
        perform(dossier.pk, "assign", actor, **inputs)
    dossier.refresh_from_db()
    assert (dossier.clerk_id, dossier.officer_id, dossier.state, dossier.history.count()) == before
    return " ".join([str(raised.value.message), *map(str, raised.value.details)])


def test_the_same_holder_is_refused(clerk_gitega, supervisor_gitega, building_permit):
    dossier = at_gitega(clerk_gitega, building_permit, intake=True)
    message = refused(dossier, supervisor_gitega, InvalidInput, assignee=clerk_gitega.pk)
    assert f"already assigned to {clerk_gitega.get_full_name()}" in message


@pytest.mark.parametrize("assignee", [None, "", "somebody", 999_999])
def test_nobody_or_nobody_known_is_refused(
    clerk_gitega, supervisor_gitega, building_permit, assignee
):
    dossier = at_gitega(clerk_gitega, building_permit, intake=True)
    message = refused(dossier, supervisor_gitega, InvalidInput, assignee=assignee)
    assert "Choose" in message


def test_an_assignee_of_another_office_is_refused(
    clerk_gitega, clerk_ngozi, supervisor_gitega, officer_urbanism, building_permit
):
    dossier = at_gitega(clerk_gitega, building_permit, intake=True)
    for outsider in (clerk_ngozi, officer_urbanism):
        message = refused(dossier, supervisor_gitega, InvalidInput, assignee=outsider.pk)
        assert "Choose an active clerk or supervisor of this office." in message


def test_an_inactive_colleague_is_refused(
    clerk_gitega, second_clerk_gitega, supervisor_gitega, building_permit
):
    dossier = at_gitega(clerk_gitega, building_permit, intake=True)
    second_clerk_gitega.is_active = False
    second_clerk_gitega.save()
    message = refused(dossier, supervisor_gitega, InvalidInput, assignee=second_clerk_gitega.pk)
    assert "is not active" in message


def test_a_finished_dossier_cannot_be_assigned(
    clerk_gitega, second_clerk_gitega, supervisor_gitega, building_permit
):
    dossier = at_gitega(clerk_gitega, building_permit, withdrawn=True)
    message = refused(
        dossier, supervisor_gitega, TransitionRefused, assignee=second_clerk_gitega.pk
    )
    assert "“Withdrawn” cannot be assigned" in message


def test_clerks_officers_and_other_supervisors_cannot_assign(
    clerk_gitega,
    second_clerk_gitega,
    clerk_ngozi,
    officer_urbanism,
    supervisor_urbanism,
    office_ngozi,
    building_permit,
):
    dossier = at_gitega(clerk_gitega, building_permit, forwarded=True)
    supervisor_ngozi = UserFactory(office_supervisor=True, office=office_ngozi)
    for stranger in (second_clerk_gitega, clerk_ngozi, officer_urbanism, supervisor_ngozi):
        message = refused(dossier, stranger, NotAllowed, assignee=second_clerk_gitega.pk)
        assert "Only a supervisor" in message
    # The institution's supervisor assigns officers, not the office's clerks.
    message = refused(dossier, supervisor_urbanism, InvalidInput, assignee=second_clerk_gitega.pk)
    assert "Choose an active officer of this institution." in message


# --- Assigning at the institution -------------------------------------------------------------


def test_assigning_a_forwarded_dossier_claims_it_for_the_officer(
    clerk_gitega, officer_urbanism, supervisor_urbanism, building_permit
):
    dossier = at_gitega(clerk_gitega, building_permit, forwarded=True)
    dossier = perform(dossier.pk, "assign", supervisor_urbanism, assignee=officer_urbanism.pk)
    assert dossier.state == S.IN_REVIEW
    assert dossier.officer == officer_urbanism
    assert dossier.clerk == clerk_gitega  # the office's holder is the office's business
    entry = last_entry(dossier)
    assert (entry.from_state, entry.to_state) == (S.FORWARDED, S.IN_REVIEW)
    assert (
        describe(entry) == f"Assigned to {officer_urbanism.get_full_name()}, who starts the review"
    )
    # The officer now decides; the colleague who held nothing cannot.
    perform(dossier.pk, "approve", officer_urbanism)


def test_a_ministry_supervisor_reassigns_a_review_to_another_officer(
    clerk_gitega, officer_urbanism, other_officer_urbanism, supervisor_urbanism, building_permit
):
    dossier = at_gitega(clerk_gitega, building_permit, in_review=True, officer=officer_urbanism)
    dossier = perform(dossier.pk, "assign", supervisor_urbanism, assignee=other_officer_urbanism.pk)
    assert dossier.officer == other_officer_urbanism
    assert dossier.state == S.IN_REVIEW
    with pytest.raises(NotAllowed):
        perform(dossier.pk, "approve", officer_urbanism)
    perform(dossier.pk, "approve", other_officer_urbanism)


def test_a_ministry_supervisor_assigns_officers_of_their_institution_only(
    clerk_gitega, officer_migration, supervisor_urbanism, supervisor_migration, building_permit
):
    dossier = at_gitega(clerk_gitega, building_permit, forwarded=True)
    message = refused(dossier, supervisor_urbanism, InvalidInput, assignee=officer_migration.pk)
    assert "Choose an active officer of this institution." in message
    # Nor may another institution's supervisor touch it.
    refused(dossier, supervisor_migration, NotAllowed, assignee=officer_migration.pk)


def test_an_institution_cannot_assign_a_dossier_not_yet_forwarded_or_already_issued(
    clerk_gitega, officer_urbanism, supervisor_urbanism, building_permit
):
    issued = at_gitega(clerk_gitega, building_permit, issued=True)
    refused(issued, supervisor_urbanism, TransitionRefused, assignee=officer_urbanism.pk)


# --- The dossier's own page -------------------------------------------------------------------


def assign_url(dossier):
    return reverse("dossier_assign", args=[dossier.tracking_number])


def test_the_dossier_page_offers_assignment_to_its_supervisor_only(
    client, clerk_gitega, supervisor_gitega, building_permit
):
    dossier = at_gitega(clerk_gitega, building_permit, intake=True)
    detail = reverse("dossier_detail", args=[dossier.tracking_number])
    page = signed_in(client, supervisor_gitega).get(detail).content.decode()
    assert assign_url(dossier) in page
    assert f"At the office: {clerk_gitega.get_full_name()}." in page
    client.logout()
    page = signed_in(client, clerk_gitega).get(detail).content.decode()
    assert assign_url(dossier) not in page


def test_assigning_from_the_dossier_page(
    client, clerk_gitega, second_clerk_gitega, supervisor_gitega, building_permit
):
    dossier = at_gitega(clerk_gitega, building_permit, intake=True)
    signed_in(client, supervisor_gitega)
    page = client.get(assign_url(dossier)).content.decode()
    assert second_clerk_gitega.get_full_name() in page
    response = client.post(assign_url(dossier), {"assignee": second_clerk_gitega.pk})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.clerk == second_clerk_gitega


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({}, "Choose who will handle the dossier."),
        ({"assignee": "not-a-number"}, "Choose a colleague from the list."),
        ({"assignee": "clerk_ngozi"}, "Choose a colleague from the list."),
    ],
)
def test_a_bad_assignment_form_says_why_beside_the_field_and_writes_nothing(
    client, clerk_gitega, clerk_ngozi, supervisor_gitega, building_permit, posted, message
):
    dossier = at_gitega(clerk_gitega, building_permit, intake=True)
    if posted.get("assignee") == "clerk_ngozi":
        posted = {"assignee": clerk_ngozi.pk}
    before = dossier.history.count()
    signed_in(client, supervisor_gitega)
    response = client.post(assign_url(dossier), {**posted, "comment": "Kept"})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'id="id_assignee_error"' in page
    assert "Kept" in page  # what was typed is not lost
    dossier.refresh_from_db()
    assert dossier.clerk == clerk_gitega
    assert dossier.history.count() == before


def test_the_refusal_of_the_domain_is_shown(
    client, clerk_gitega, supervisor_gitega, building_permit
):
    dossier = at_gitega(clerk_gitega, building_permit, intake=True)
    signed_in(client, supervisor_gitega)
    response = client.post(assign_url(dossier), {"assignee": clerk_gitega.pk}, follow=True)
    assert response.status_code == 400
    assert "already assigned to" in response.content.decode()


def test_the_assignment_page_is_for_the_dossiers_supervisor_only(
    client, clerk_gitega, second_clerk_gitega, office_ngozi, building_permit
):
    dossier = at_gitega(clerk_gitega, building_permit, intake=True)
    assert signed_in(client, clerk_gitega).get(assign_url(dossier)).status_code == 403
    client.logout()
    supervisor_ngozi = UserFactory(office_supervisor=True, office=office_ngozi)
    signed_in(client, supervisor_ngozi)
    assert client.get(assign_url(dossier)).status_code == 404
    response = client.post(assign_url(dossier), {"assignee": second_clerk_gitega.pk})
    assert response.status_code == 404
    assert Dossier.objects.get(pk=dossier.pk).clerk == clerk_gitega


# --- The queues' holder filter ----------------------------------------------------------------


def listed(response) -> set:
    return {row.dossier.tracking_number for row in response.context["rows"]}


def test_the_counter_filters_by_holder_with_the_tabs_and_the_search(
    client, clerk_gitega, second_clerk_gitega, supervisor_gitega, office_gitega, building_permit
):
    mine = at_gitega(clerk_gitega, building_permit, intake=True, applicant_last_name="Uwimana")
    theirs = at_gitega(second_clerk_gitega, building_permit, intake=True)
    nobodys = DossierFactory(submitted=True, service=building_permit, office=office_gitega)
    signed_in(client, clerk_gitega)

    def found(**params):
        response = client.get(reverse("counter_queue"), {"show": "all", **params})
        assert response.status_code == 200
        assert not response.context["search"].errors
        return listed(response)

    assert found(holder="me") == {mine.tracking_number}
    assert found(holder="none") == {nobodys.tracking_number}
    assert found(holder=str(second_clerk_gitega.pk)) == {theirs.tracking_number}
    assert found(holder="me", q="uwimana") == {mine.tracking_number}
    assert found(holder="me", q="ndayishimiye") == set()
    assert found(holder="none", show="to-check") == {nobodys.tracking_number}
    assert found(holder="me", show="payment") == set()
    # The tabs and the pager keep the filter in the URL.
    response = client.get(reverse("counter_queue"), {"holder": "me"})
    assert "holder=me" in response.context["filter_query"]
    assert "&amp;holder=me" in response.content.decode()
    # The rows say who holds each dossier at the office.
    page = client.get(reverse("counter_queue"), {"show": "all"}).content.decode()
    assert second_clerk_gitega.get_full_name() in page


def test_the_counter_offers_only_colleagues_of_the_office(
    client, clerk_gitega, second_clerk_gitega, clerk_ngozi, officer_urbanism, building_permit
):
    ours = at_gitega(clerk_gitega, building_permit, intake=True)
    signed_in(client, clerk_gitega)
    response = client.get(reverse("counter_queue"))
    choices = dict(response.context["search"].fields["holder"].choices)
    assert str(second_clerk_gitega.pk) in choices
    assert str(clerk_ngozi.pk) not in choices
    assert str(officer_urbanism.pk) not in choices
    # A colleague of another office, typed in the URL, is refused like any bad parameter.
    response = client.get(reverse("counter_queue"), {"holder": str(clerk_ngozi.pk), "show": "all"})
    assert "holder" in response.context["search"].errors
    assert listed(response) == {ours.tracking_number}


def test_the_review_queue_filters_by_officer_as_before(
    client, clerk_gitega, officer_urbanism, other_officer_urbanism, building_permit
):
    mine = at_gitega(clerk_gitega, building_permit, in_review=True, officer=officer_urbanism)
    at_gitega(clerk_gitega, building_permit, in_review=True, officer=other_officer_urbanism)
    signed_in(client, officer_urbanism)
    response = client.get(reverse("review_queue"), {"holder": "me", "show": "all"})
    assert listed(response) == {mine.tracking_number}


# --- Dossiers checked before holders existed ---------------------------------------------------


def test_the_migration_gives_each_dossier_the_clerk_who_started_checking_it(
    clerk_gitega, second_clerk_gitega, office_gitega, building_permit
):
    from django.apps import apps

    backfill = importlib.import_module("workflows.migrations.0015_assignment")
    counter = at_gitega(clerk_gitega, building_permit, intake=True)
    online = DossierFactory(submitted=True, service=building_permit, office=office_gitega)
    perform(online.pk, "start_intake", second_clerk_gitega)
    never_checked = DossierFactory(submitted=True, service=building_permit, office=office_gitega)
    Dossier.objects.update(clerk=None)
    backfill.holders_from_history(apps, None)
    holders = dict(Dossier.objects.values_list("pk", "clerk_id"))
    assert holders == {
        counter.pk: clerk_gitega.pk,
        online.pk: second_clerk_gitega.pk,
        never_checked.pk: None,
    }
