"""One dossier's page and its steps: the buttons a user sees are exactly the steps they may take."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, DossierFactory
from workflows.models import Decision, Dossier, HistoryEntry
from workflows.states import DossierState as S

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def signed_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def step_url(dossier, step):
    return reverse("dossier_step", args=[dossier.tracking_number, step])


def detail_url(dossier):
    return reverse("dossier_detail", args=[dossier.tracking_number])


@pytest.fixture
def forwarded(clerk_gitega, building_permit):
    return DossierFactory(
        counter=True,
        forwarded=True,
        service=building_permit,
        office=clerk_gitega.office,
        clerk=clerk_gitega,
    )


@pytest.fixture
def in_review(clerk_gitega, officer_urbanism, building_permit):
    return DossierFactory(
        counter=True,
        in_review=True,
        service=building_permit,
        office=clerk_gitega.office,
        clerk=clerk_gitega,
        officer=officer_urbanism,
    )


def test_officer_claims_from_the_queue_then_approves_with_remarks(
    client, forwarded, officer_urbanism
):
    signed_in(client, officer_urbanism)
    queue = client.get(reverse("review_queue")).content.decode()
    assert forwarded.tracking_number in queue

    detail = client.get(detail_url(forwarded)).content.decode()
    assert "Claim and start review" in detail
    assert "Approve" not in detail  # not before claiming

    response = client.post(step_url(forwarded, "receive"), {"expected_state": S.FORWARDED})
    assert response.status_code == 302
    forwarded.refresh_from_db()
    assert forwarded.state == S.IN_REVIEW
    assert forwarded.officer == officer_urbanism

    response = client.post(
        step_url(forwarded, "approve"),
        {"expected_state": S.IN_REVIEW, "comment": "Conforms to the urban plan."},
    )
    assert response.status_code == 302
    forwarded = Dossier.objects.get(pk=forwarded.pk)
    assert forwarded.state == S.APPROVED
    decision = forwarded.decision
    assert (decision.outcome, decision.decided_by) == ("approved", officer_urbanism)
    assert decision.reasons == "Conforms to the urban plan."

    page = client.get(detail_url(forwarded)).content.decode()
    assert 'class="decision decision-approved"' in page
    assert f"decided by {decision.decided_by_name}" in page
    assert "Conforms to the urban plan." in page


def test_rejection_without_reasons_is_refused_and_changes_nothing(
    client, in_review, officer_urbanism
):
    signed_in(client, officer_urbanism)
    history_before = in_review.history.count()

    response = client.post(step_url(in_review, "reject"), {"expected_state": S.IN_REVIEW})

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.state == S.IN_REVIEW
    assert in_review.history.count() == history_before


def test_rejection_reasons_must_be_real_text(client, in_review, officer_urbanism):
    signed_in(client, officer_urbanism)
    history_before = in_review.history.count()

    response = client.post(
        step_url(in_review, "reject"), {"expected_state": S.IN_REVIEW, "comment": "ok"}
    )

    assert response.status_code == 400
    assert "Write at least 20 characters" in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.state == S.IN_REVIEW
    assert in_review.history.count() == history_before
    assert not Decision.objects.filter(dossier=in_review).exists()


def test_rejection_with_reasons_reaches_the_clerk_with_the_reasons(
    client, in_review, officer_urbanism, clerk_gitega
):
    signed_in(client, officer_urbanism)
    client.post(
        step_url(in_review, "reject"),
        {"expected_state": S.IN_REVIEW, "comment": "The plot lies in a protected wetland."},
    )

    signed_in(client, clerk_gitega)
    page = client.get(detail_url(in_review)).content.decode()
    assert 'class="decision decision-rejected"' in page
    assert "Rejected" in page
    assert f"decided by {officer_urbanism}" in page
    assert "The plot lies in a protected wetland." in page
    assert "Confirm the citizen was told" in page
    decision = Decision.objects.get(dossier=in_review)
    assert (decision.outcome, decision.reasons) == (
        "rejected",
        "The plot lies in a protected wetland.",
    )


def test_a_stale_page_gets_a_conflict_not_a_double_step(client, forwarded, officer_urbanism):
    signed_in(client, officer_urbanism)
    client.post(step_url(forwarded, "receive"), {"expected_state": S.FORWARDED})

    again = client.post(step_url(forwarded, "receive"), {"expected_state": S.FORWARDED})

    assert again.status_code == 409
    assert "Someone else is handling this dossier" in again.content.decode()
    assert HistoryEntry.objects.filter(dossier=forwarded, kind="receive").count() == 1


def test_a_colleague_cannot_decide_on_a_claimed_dossier(client, in_review, other_officer_urbanism):
    signed_in(client, other_officer_urbanism)
    page = client.get(detail_url(in_review)).content.decode()
    assert "Approve" not in page

    response = client.post(
        step_url(in_review, "approve"), {"expected_state": S.IN_REVIEW, "comment": "ok"}
    )
    assert response.status_code == 403
    assert "not allowed" in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.state == S.IN_REVIEW


def test_step_page_for_a_step_that_is_not_yours_sends_back_with_a_message(
    client, in_review, clerk_gitega
):
    signed_in(client, clerk_gitega)
    response = client.get(step_url(in_review, "approve"), follow=True)
    assert response.redirect_chain[-1][0] == detail_url(in_review)
    assert "is not possible for you on this dossier now" in response.content.decode()


def test_unknown_step_is_404(client, in_review, officer_urbanism):
    signed_in(client, officer_urbanism)
    assert client.get(step_url(in_review, "teleport")).status_code == 404
    assert client.post(step_url(in_review, "teleport"), {}).status_code == 404


def test_tampered_expected_state_is_refused_with_a_message(client, in_review, officer_urbanism):
    signed_in(client, officer_urbanism)
    response = client.post(step_url(in_review, "approve"), {"expected_state": "nonsense"})
    assert response.status_code == 400
    in_review.refresh_from_db()
    assert in_review.state == S.IN_REVIEW


def test_clerk_is_told_why_forward_is_not_offered_and_records_payment(
    client, clerk_gitega, passport
):
    dossier = DossierFactory(
        counter=True, intake=True, service=passport, office=clerk_gitega.office, clerk=clerk_gitega
    )
    signed_in(client, clerk_gitega)
    page = client.get(detail_url(dossier)).content.decode()
    assert "The fee has not been paid yet." in page
    assert "Forward to the institution</button>" not in page

    client.post(step_url(dossier, "request_payment"), {"expected_state": S.INTAKE})
    wrong = client.post(
        step_url(dossier, "record_payment"),
        {"expected_state": S.AWAITING_PAYMENT, "amount_bif": "1000", "method": "lumicash"},
    )
    assert wrong.status_code == 400
    text = wrong.content.decode()
    assert "The amount due is 235,000\xa0BIF." in text
    assert "Enter the bank or mobile-money reference." in text

    right = client.post(
        step_url(dossier, "record_payment"),
        {
            "expected_state": S.AWAITING_PAYMENT,
            "amount_bif": "235000",
            "method": "lumicash",
            "reference": "LC-778812",
        },
    )
    assert right.status_code == 302
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.state == S.INTAKE
    assert dossier.is_paid
    page = client.get(detail_url(dossier)).content.decode()
    assert "Forward to the institution</button>" in page


def test_withdrawal_is_a_link_to_a_page_that_asks_staff_why(client, in_review, clerk_gitega):
    signed_in(client, clerk_gitega)
    url = step_url(in_review, "withdraw")

    page = client.get(detail_url(in_review)).content.decode()
    assert f'href="{url}"' in page  # a link to its own page, not a one-click button
    assert f'action="{url}"' not in page

    confirm = client.get(url)
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert 'name="comment"' in text
    assert "This ends the request for good" in text

    without_reason = client.post(url, {"expected_state": S.IN_REVIEW})
    assert without_reason.status_code == 400
    assert Dossier.objects.get(pk=in_review.pk).state == S.IN_REVIEW

    response = client.post(
        url, {"expected_state": S.IN_REVIEW, "comment": "The citizen asked by letter."}
    )
    assert response.status_code == 302
    assert Dossier.objects.get(pk=in_review.pk).state == S.WITHDRAWN
    entry = in_review.history.order_by("position").last()
    assert (entry.kind, entry.comment, entry.actor_user) == (
        "withdraw",
        "The citizen asked by letter.",
        clerk_gitega,
    )


def test_attachment_download_is_checked_and_never_sniffed(client, forwarded, personas):
    attachment = forwarded.attachments.first()
    url = reverse("dossier_attachment", args=[forwarded.tracking_number, attachment.stored_name])

    signed_in(client, personas.officer_urbanism)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == attachment.content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    for outsider in (personas.clerk_ngozi, personas.officer_migration):
        signed_in(client, outsider)
        assert client.get(url).status_code == 404

    signed_in(client, personas.officer_urbanism)
    wrong_name = reverse("dossier_attachment", args=[forwarded.tracking_number, "0" * 32])
    assert client.get(wrong_name).status_code == 404
