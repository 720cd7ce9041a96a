"""Payments: the amount due shown and filled in, errors beside their fields, a receipt number per
payment (the one its receipt prints), and the supervisor's reversal that never deletes."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, DossierFactory, UserFactory
from workflows import events
from workflows.actions import perform
from workflows.exceptions import InvalidInput, NotAllowed, TransitionRefused
from workflows.history_display import describe
from workflows.models import Dossier, HistoryEntry, Payment, PaymentMethod
from workflows.states import DossierState as S

pytestmark = pytest.mark.django_db

FEE = 235_000


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


def reverse_url(payment):
    return reverse("dossier_payment_reverse", args=[payment.dossier.tracking_number, payment.pk])


def field_error(page: str, field: str) -> str:
    """The error shown right beside ``field`` (``includes/field.html``), or ''."""
    found = re.search(rf'<p class="error" id="id_{field}_error">([^<]*)</p>', page)
    return found.group(1) if found else ""


@pytest.fixture
def awaiting(personas):
    """A passport filed at the Gitega counter, waiting for its fee."""
    return DossierFactory(
        counter=True,
        awaiting_payment=True,
        service=personas.passport,
        office=personas.office_gitega,
        clerk=personas.clerk_gitega,
    )


def pay(personas, dossier, **inputs):
    values = {"method": PaymentMethod.LUMICASH, "amount_bif": FEE, "reference": "LC-100200"}
    return perform(dossier.pk, "record_payment", personas.clerk_gitega, **{**values, **inputs})


@pytest.fixture
def paid(personas, awaiting, django_capture_on_commit_callbacks):
    """The same dossier, paid by Lumicash, back in intake, with its printed receipt."""
    with django_capture_on_commit_callbacks(execute=True):
        return pay(personas, awaiting)


def reverse_payment(personas, dossier, actor=None, reason="Lumicash cancelled the transfer."):
    payment = dossier.payments.get()
    return perform(
        dossier.pk,
        "reverse_payment",
        actor or personas.supervisor_gitega,
        comment=reason,
        payment_id=payment.pk,
    )


# --- Recording ----------------------------------------------------------------------------------


def test_the_payment_page_shows_the_amount_due_and_fills_it_in(client, personas, awaiting):
    signed_in(client, personas.clerk_gitega)

    page = client.get(step_url(awaiting, "record_payment")).content.decode()

    assert "Amount due: 235,000\xa0BIF" in page
    assert re.search(r'name="amount_bif" value="235000"', page)


def test_a_wrong_amount_is_refused_beside_the_amount_and_nothing_is_written(
    client, personas, awaiting
):
    signed_in(client, personas.clerk_gitega)

    response = client.post(
        step_url(awaiting, "record_payment"),
        {
            "expected_state": S.AWAITING_PAYMENT,
            "amount_bif": "200000",
            "method": "lumicash",
            "reference": "LC-5566",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert field_error(page, "amount_bif") == "The amount due is 235,000\xa0BIF."
    assert field_error(page, "reference") == ""
    assert 'value="LC-5566"' in page  # what the clerk typed is kept
    assert not Payment.objects.exists()
    assert Dossier.objects.get(pk=awaiting.pk).state == S.AWAITING_PAYMENT


def test_a_bank_payment_without_reference_is_refused_beside_the_reference(
    client, personas, awaiting
):
    signed_in(client, personas.clerk_gitega)

    response = client.post(
        step_url(awaiting, "record_payment"),
        {"expected_state": S.AWAITING_PAYMENT, "amount_bif": str(FEE), "method": "bank"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert field_error(page, "reference") == "Enter the bank or mobile-money reference."
    assert field_error(page, "amount_bif") == ""
    assert not Payment.objects.exists()


def test_a_reference_already_recorded_is_refused_beside_the_reference(client, personas, paid):
    other = DossierFactory(
        counter=True,
        awaiting_payment=True,
        service=personas.passport,
        office=personas.office_gitega,
        clerk=personas.clerk_gitega,
    )
    signed_in(client, personas.clerk_gitega)

    response = client.post(
        step_url(other, "record_payment"),
        {
            "expected_state": S.AWAITING_PAYMENT,
            "amount_bif": str(FEE),
            "method": "lumicash",
            "reference": " LC-100200 ",
        },
    )

    assert response.status_code == 400
    assert field_error(response.content.decode(), "reference") == (
        "This reference has already been recorded: the payment was not counted twice."
    )
    assert not other.payments.exists()


def test_each_payment_gets_the_next_receipt_number_of_its_office_and_year(personas, paid):
    other = DossierFactory(
        counter=True,
        awaiting_payment=True,
        service=personas.passport,
        office=personas.office_gitega,
        clerk=personas.clerk_gitega,
    )
    pay(personas, other, method=PaymentMethod.CASH, reference="")

    year = timezone.localdate().year
    assert paid.payments.get().receipt_number == f"GIT-{year}-R000001"
    assert other.payments.get().receipt_number == f"GIT-{year}-R000002"


def test_the_printed_receipt_carries_the_payments_number(client, personas, paid):
    payment = paid.payments.get()
    receipt = paid.documents.get(kind="payment_receipt")

    assert receipt.number == payment.receipt_number
    entry = paid.history.get(kind="record_payment")
    # The line goes on with what the payment did to the SLA clock (it resumed).
    assert describe(entry).startswith(
        f"Payment recorded: 235,000\xa0BIF, Lumicash, ref LC-100200, "
        f"receipt no. {payment.receipt_number}. "
    )
    signed_in(client, personas.clerk_gitega)
    page = client.get(detail_url(paid)).content.decode()
    assert f"Receipt {payment.receipt_number}" in page


def test_the_database_refuses_a_receipt_number_twice(personas, paid):
    payment = paid.payments.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            dossier=paid,
            amount_bif=1,
            method=PaymentMethod.CASH,
            recorded_by=personas.clerk_gitega,
            receipt_number=payment.receipt_number,
        )


def test_the_database_refuses_a_reversal_without_its_reason(personas, paid):
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(dossier=paid).update(
            reversed_at=timezone.now(), reversed_by=personas.supervisor_gitega
        )


# --- Reversal ---------------------------------------------------------------------------------


def test_a_reversed_payment_stays_marked_and_no_longer_counts(personas, paid):
    assert paid.is_paid

    dossier = reverse_payment(personas, paid)

    payment = Payment.objects.get(dossier=dossier)  # the row stays
    assert payment.is_reversed
    assert payment.reversed_by == personas.supervisor_gitega
    assert payment.reversal_reason == "Lumicash cancelled the transfer."
    assert dossier.total_paid() == 0
    assert not dossier.is_paid
    assert dossier.state == S.INTAKE


def test_after_a_reversal_the_dossier_cannot_be_forwarded_and_payment_is_asked_again(
    personas, paid
):
    assert "forward" in events.available_names(paid, personas.clerk_gitega)

    dossier = reverse_payment(personas, paid)

    available, blocked = events.available_steps(dossier, personas.clerk_gitega)
    assert "forward" not in [event.name for event in available]
    assert ("forward", ["The fee has not been paid yet."]) in [
        (event.name, reasons) for event, reasons in blocked
    ]
    assert "request_payment" in [event.name for event in available]
    with pytest.raises(TransitionRefused):
        perform(dossier.pk, "forward", personas.clerk_gitega)


def test_the_reversal_is_in_the_history_and_revokes_the_receipt(personas, paid):
    receipt_number = paid.payments.get().receipt_number

    dossier = reverse_payment(personas, paid)

    entry = dossier.history.order_by("-position").first()
    assert entry.kind == "reverse_payment"
    assert entry.comment == "Lumicash cancelled the transfer."
    assert describe(entry) == f"Payment reversed: 235,000\xa0BIF, receipt no. {receipt_number}"
    receipt = dossier.documents.get(kind="payment_receipt")
    assert receipt.is_revoked
    assert receipt.revoked_reason == "Lumicash cancelled the transfer."


def test_a_reversed_reference_cannot_be_recorded_again(personas, paid):
    dossier = reverse_payment(personas, paid)
    perform(dossier.pk, "request_payment", personas.clerk_gitega)

    with pytest.raises(InvalidInput) as refused:
        pay(personas, dossier)

    assert refused.value.fields["reference"] == [
        "This reference was recorded before and that payment was reversed: it cannot be "
        "counted again. Ask for a new payment."
    ]
    # A new payment, with its own reference, settles the fee again.
    dossier = pay(personas, dossier, reference="LC-999000")
    assert dossier.is_paid
    assert dossier.payments.count() == 2


def history_size(dossier):
    return HistoryEntry.objects.filter(dossier=dossier).count()


def test_a_clerk_cannot_reverse_a_payment(personas, paid):
    before = history_size(paid)

    with pytest.raises(NotAllowed) as refused:
        reverse_payment(personas, paid, actor=personas.clerk_gitega)

    assert (
        refused.value.message == "Only a supervisor of the dossier's office can reverse a payment."
    )
    assert not paid.payments.get().is_reversed
    assert history_size(paid) == before


def test_another_offices_supervisor_cannot_reverse_a_payment(personas, paid):
    ngozi = UserFactory(office_supervisor=True, office=personas.office_ngozi)

    with pytest.raises(NotAllowed):
        reverse_payment(personas, paid, actor=ngozi)

    assert not paid.payments.get().is_reversed


def test_a_reversal_needs_a_reason(personas, paid):
    with pytest.raises(InvalidInput) as refused:
        reverse_payment(personas, paid, reason="  ")

    assert refused.value.details == ["Give the reason for the reversal: it is kept in the history."]
    assert not paid.payments.get().is_reversed


def test_a_payment_is_reversed_once(personas, paid):
    reverse_payment(personas, paid)
    before = history_size(paid)

    with pytest.raises(TransitionRefused) as refused:
        reverse_payment(personas, paid)

    assert refused.value.message == "This payment has already been reversed."
    assert history_size(paid) == before


def test_a_forwarded_dossiers_payment_cannot_be_reversed(personas):
    forwarded = DossierFactory(
        counter=True,
        forwarded=True,
        service=personas.passport,
        office=personas.office_gitega,
        clerk=personas.clerk_gitega,
    )

    with pytest.raises(TransitionRefused) as refused:
        reverse_payment(personas, forwarded)

    assert "a payment can be reversed only before the dossier is forwarded" in (
        refused.value.message
    )
    assert not forwarded.payments.get().is_reversed


# --- Reversal on screen -----------------------------------------------------------------------


def test_only_the_supervisor_is_offered_the_reversal(client, personas, paid):
    url = reverse_url(paid.payments.get())

    signed_in(client, personas.clerk_gitega)
    assert url not in client.get(detail_url(paid)).content.decode()
    refused = client.post(url, {"reason": "Typed by mistake."})
    assert refused.status_code == 403
    assert not paid.payments.get().is_reversed

    client.logout()
    signed_in(client, personas.supervisor_gitega)
    assert url in client.get(detail_url(paid)).content.decode()


def test_the_supervisor_reverses_on_a_page_that_asks_why(client, personas, paid):
    payment = paid.payments.get()
    signed_in(client, personas.supervisor_gitega)

    empty = client.post(reverse_url(payment), {"reason": ""})
    assert empty.status_code == 400
    assert field_error(empty.content.decode(), "reason") == (
        "Give the reason for the reversal: it is kept in the history."
    )
    assert not Payment.objects.get(pk=payment.pk).is_reversed

    done = client.post(reverse_url(payment), {"reason": "Recorded on the wrong dossier."})
    assert done.status_code == 302
    page = client.get(detail_url(paid)).content.decode()
    assert "Reversed on" in page
    assert "Recorded on the wrong dossier." in page
    assert "The fee has not been paid yet." in page


def test_a_payment_of_another_dossier_is_not_found(client, personas, paid):
    other = DossierFactory(
        counter=True,
        intake=True,
        service=personas.passport,
        office=personas.office_gitega,
        clerk=personas.clerk_gitega,
    )
    signed_in(client, personas.supervisor_gitega)

    url = reverse("dossier_payment_reverse", args=[other.tracking_number, paid.payments.get().pk])

    assert client.post(url, {"reason": "Wrong one."}).status_code == 404
    assert not paid.payments.get().is_reversed


def test_the_admin_shows_the_receipt_number_and_the_reversal(client, personas, paid):
    reverse_payment(personas, paid)
    client.force_login(personas.administrator)

    page = client.get(reverse("admin:workflows_dossier_change", args=[paid.pk]))

    assert page.status_code == 200
    text = page.content.decode()
    assert paid.payments.get().receipt_number in text
    assert "Lumicash cancelled the transfer." in text


def test_payments_recorded_before_numbering_take_their_printed_receipt_s_number(paid):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("workflows.migrations.0012_payments_collection")
    receipt = paid.documents.get(kind="payment_receipt")
    Payment.objects.filter(dossier=paid).update(receipt_number=None)

    migration.number_recorded_payments(apps, None)

    assert paid.payments.get().receipt_number == receipt.number
