"""The completeness checklist at intake: recorded per required document, shown on the dossier
page, and the start of "Return for correction", written in the citizen's language."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PASSWORD, DossierFactory
from workflows import intake_checklist
from workflows.actions import perform
from workflows.exceptions import InvalidInput, NotAllowed, TransitionRefused
from workflows.history_display import describe
from workflows.models import HistoryEntry
from workflows.states import DossierState as S

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def clerk_client(client, clerk_gitega):
    client.login(username=clerk_gitega.username, password=PASSWORD)
    return client


@pytest.fixture
def dossier(clerk_gitega, office_gitega, building_permit):
    """Filed at the counter in Kirundi with the plans and the ID card; no site photo."""
    plans = building_permit.documents.get(code="plans")
    plans.name_rn = "Igishushanyo c'inyubakwa"
    plans.save()
    return DossierFactory(
        counter=True,
        intake=True,
        service=building_permit,
        office=office_gitega,
        clerk=clerk_gitega,
        language="rn",
    )


def checklist_data(dossier, comment="", **marks):
    data = {
        "expected_state": dossier.state,
        "document_plans": "received",
        "document_national-id": "received",
        "document_site-photo": "missing",
        "comment": comment,
    }
    data.update({f"document_{code.replace('_', '-')}": mark for code, mark in marks.items()})
    return data


def checklist_url(dossier):
    return reverse("dossier_checklist", args=[dossier.tracking_number])


def step_url(dossier, step):
    return reverse("dossier_step", args=[dossier.tracking_number, step])


def test_the_page_offers_every_required_document_with_what_is_attached(clerk_client, dossier):
    response = clerk_client.get(checklist_url(dossier))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["document_plans"].value() == "received"
    assert form["document_national-id"].value() == "received"
    assert form["document_site-photo"].value() == "missing"  # nothing attached
    page = response.content.decode()
    for mark in ("Received", "Missing", "Not legible"):
        assert mark in page
    assert "Photo du terrain (no file attached)" in page
    assert "Plans du bâtiment (attached: plans.pdf)" in page


def test_the_clerk_records_the_checklist_and_the_dossier_page_shows_it(
    clerk_client, clerk_gitega, dossier
):
    response = clerk_client.post(
        checklist_url(dossier),
        checklist_data(
            dossier,
            national_id="illegible",
            comment="The plot number on the plans is hard to read.",
        ),
    )

    assert response.status_code == 302
    entry = dossier.history.get(kind="record_checklist")
    assert entry.details == {
        "checklist": [
            {"document": "plans", "mark": "received"},
            {"document": "national-id", "mark": "illegible"},
            {"document": "site-photo", "mark": "missing"},
        ],
        "remark": "The plot number on the plans is hard to read.",
    }
    assert (entry.actor_user, entry.from_state, entry.to_state) == (
        clerk_gitega,
        S.INTAKE,
        S.INTAKE,
    )
    assert not entry.is_public
    assert describe(entry) == "Documents checked: 1 received, 1 missing, 1 not legible"

    page = clerk_client.get(response.url).content.decode()
    assert "Completeness checklist" in page
    assert "Documents checked: 1 received, 1 missing, 1 not legible" in page
    assert '<dd class="mark-illegible"><strong class="badge">Not legible</strong></dd>' in page
    assert "hard to read" in page


def test_a_document_marked_received_that_is_not_attached_is_refused(clerk_client, dossier):
    before = HistoryEntry.objects.count()

    response = clerk_client.post(
        checklist_url(dossier), checklist_data(dossier, site_photo="received")
    )

    assert response.status_code == 400
    errors = response.context["form"].errors["document_site-photo"]
    assert "is marked received, but no file is attached" in " ".join(errors)
    assert 'id="id_document_site-photo_error"' in response.content.decode()
    assert HistoryEntry.objects.count() == before


@pytest.mark.parametrize("value", ["", "lost", "<script>"])
def test_every_document_needs_one_of_the_three_marks(clerk_client, dossier, value):
    before = HistoryEntry.objects.count()

    response = clerk_client.post(checklist_url(dossier), checklist_data(dossier, plans=value))

    assert response.status_code == 400
    assert response.context["form"].errors["document_plans"]
    assert HistoryEntry.objects.count() == before


def test_the_domain_refuses_an_incomplete_or_foreign_checklist(clerk_gitega, dossier):
    cases = [
        ({"plans": "received"}, "Mark “Carte d'identité” received"),
        (
            {"plans": "received", "national-id": "received", "site-photo": "missing", "x": "ok"},
            "does not ask for: x",
        ),
        ("not a dict", "Mark every document"),
    ]
    for marks, message in cases:
        with pytest.raises(InvalidInput) as refused:
            perform(dossier.pk, "record_checklist", clerk_gitega, marks=marks)
        assert message in " ".join(refused.value.details)
    assert not dossier.history.filter(kind="record_checklist").exists()


def test_return_for_correction_starts_from_the_checklist_in_the_citizens_language(
    clerk_client, dossier
):
    clerk_client.post(
        checklist_url(dossier),
        checklist_data(dossier, plans="illegible", comment="Signez chaque page."),
    )

    page = clerk_client.get(step_url(dossier, "return_for_correction"))

    comment = page.context["form"]["comment"].value()
    # The plans by their Kirundi name; the ID card has none, so the French one; then the remark.
    assert "Igishushanyo c'inyubakwa" in comment
    assert "Photo du terrain" in comment
    assert "Carte d'identité" not in comment  # received
    assert comment.splitlines()[-1] == "Signez chaque page."


def test_the_return_records_the_checklist_it_was_based_on_and_the_clerks_text(
    clerk_client, dossier
):
    clerk_client.post(checklist_url(dossier), checklist_data(dossier, plans="illegible"))
    checklist_entry = dossier.history.get(kind="record_checklist")
    prefilled = (
        clerk_client.get(step_url(dossier, "return_for_correction"))
        .context["form"]["comment"]
        .value()
    )

    response = clerk_client.post(
        step_url(dossier, "return_for_correction"),
        {"expected_state": S.INTAKE, "comment": prefilled + "\nVenez avant vendredi."},
    )

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == S.RETURNED
    assert "Igishushanyo c'inyubakwa" in dossier.citizen_request
    assert "Venez avant vendredi." in dossier.citizen_request
    entry = dossier.history.get(kind="return_for_correction")
    assert entry.details["checklist"] == checklist_entry.details["checklist"]
    assert entry.details["checklist_position"] == checklist_entry.position


def test_without_a_checklist_the_return_is_written_by_hand(clerk_client, clerk_gitega, dossier):
    page = clerk_client.get(step_url(dossier, "return_for_correction"))
    assert not page.context["form"]["comment"].value()

    perform(
        dossier.pk,
        "return_for_correction",
        clerk_gitega,
        comment="Please bring the original plans.",
    )
    assert "checklist" not in dossier.history.get(kind="return_for_correction").details


def test_a_checklist_from_before_the_return_no_longer_prefills(clerk_client, clerk_gitega, dossier):
    clerk_client.post(checklist_url(dossier), checklist_data(dossier, plans="illegible"))
    perform(dossier.pk, "return_for_correction", clerk_gitega, comment="Les plans sont illisibles.")
    perform(dossier.pk, "resubmit", clerk_gitega, comment="Nouveaux plans apportés.")
    perform(dossier.pk, "start_intake", clerk_gitega)

    assert intake_checklist.latest(dossier).current is False
    page = clerk_client.get(step_url(dossier, "return_for_correction"))
    assert not page.context["form"]["comment"].value()
    detail = clerk_client.get(reverse("dossier_detail", args=[dossier.tracking_number]))
    assert "before the dossier last changed state" in detail.content.decode()
    # A new check starts from what is attached, not from the old marks.
    form = clerk_client.get(checklist_url(dossier)).context["form"]
    assert form["document_plans"].value() == "received"


def test_another_office_gets_a_404_and_institution_staff_are_refused(
    client, clerk_ngozi, officer_urbanism, dossier
):
    client.login(username=clerk_ngozi.username, password=PASSWORD)
    assert client.get(checklist_url(dossier)).status_code == 404
    assert client.post(checklist_url(dossier), checklist_data(dossier)).status_code == 404

    client.login(username=officer_urbanism.username, password=PASSWORD)
    assert client.post(checklist_url(dossier), checklist_data(dossier)).status_code in (403, 404)
    with pytest.raises(NotAllowed):
        perform(dossier.pk, "record_checklist", officer_urbanism, marks={})
    assert not dossier.history.filter(kind="record_checklist").exists()


def test_only_while_the_dossier_is_being_checked(clerk_client, clerk_gitega, dossier):
    perform(dossier.pk, "return_for_correction", clerk_gitega, comment="Les plans sont illisibles.")

    page = clerk_client.get(checklist_url(dossier))
    assert page.status_code == 302
    detail = clerk_client.get(page.url).content.decode()
    assert "Check the documents…" not in detail
    response = clerk_client.post(checklist_url(dossier), checklist_data(dossier))
    assert response.status_code == 409  # the page said "intake"; the dossier moved on
    with pytest.raises(TransitionRefused):
        perform(
            dossier.pk,
            "record_checklist",
            clerk_gitega,
            marks={"plans": "received", "national-id": "received", "site-photo": "missing"},
        )
    assert not dossier.history.filter(kind="record_checklist").exists()


def test_the_dossier_page_offers_the_check_while_in_intake(clerk_client, dossier):
    page = clerk_client.get(reverse("dossier_detail", args=[dossier.tracking_number]))

    html = page.content.decode()
    assert "The documents have not been checked yet." in html
    assert f'href="{checklist_url(dossier)}"' in html


CODES = ("plans", "national-id", "site-photo", "other")
MARKS = (*intake_checklist.Mark.values, "", "lost")


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(marks=st.dictionaries(st.sampled_from(CODES), st.sampled_from(MARKS)))
def test_a_checklist_is_accepted_exactly_when_complete_and_true(dossier, marks):
    """Accepted iff every required document has one of the three marks, nothing else is
    marked, and no document is marked received without a file (the site photo has none)."""
    required = ("plans", "national-id", "site-photo")
    expected_ok = (
        all(marks.get(code) in intake_checklist.Mark.values for code in required)
        and set(marks) <= set(required)
        and marks.get("site-photo") != "received"
    )

    problems = intake_checklist.problems_by_document(dossier, marks)

    assert (not problems) == expected_ok, (marks, problems)
