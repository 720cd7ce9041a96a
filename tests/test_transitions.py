"""Who may take each step of the lifecycle, from which state, on which conditions, leaving what.

The table ``CASES`` says, for every transition, the state it starts from and the personas who may
take it on a dossier filed online by ``citizen`` at the Gitega office and claimed by the officer
named in ``handler``. Every other persona, an anonymous visitor and the system (user None) are
refused, and a refusal changes nothing.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from tests.conftest import PEOPLE
from tests.factories import (
    RoutingRuleFactory,
    ServiceFactory,
    clock_at,
    dossier_in_state,
    next_slot,
    step_inputs,
)
from workflows import events
from workflows.actions import TransitionOutsidePerform, perform
from workflows.actors import Actor, as_actor
from workflows.exceptions import DossierConflict, InvalidInput, NotAllowed, TransitionRefused
from workflows.history_chain import broken_links
from workflows.models import (
    Decision,
    Dossier,
    HistoryEntry,
    Outcome,
    Payment,
    PaymentMethod,
)
from workflows.states import UNDECIDED_STATES, DossierState

S = DossierState


def blocked(dossier, user):
    return [(event.name, why) for event, why in events.available_steps(dossier, user)[1]]


ANONYMOUS = "anonymous"
SYSTEM = "system"
EVERYONE = (*PEOPLE, ANONYMOUS, SYSTEM)

GITEGA_OFFICE = frozenset({"clerk_gitega", "supervisor_gitega"})
APPLICANT_OR_GITEGA_OFFICE = GITEGA_OFFICE | {"citizen"}
URBANISM = frozenset({"officer_urbanism", "other_officer_urbanism", "supervisor_urbanism"})
# The officer who claimed the dossier, and the supervisor; not their colleague.
URBANISM_HANDLER = frozenset({"officer_urbanism", "supervisor_urbanism"})


@dataclass(frozen=True)
class Case:
    step: str
    source: DossierState
    allowed: frozenset
    service: str = "building_permit"
    handler: str = "officer_urbanism"

    def __str__(self):
        return self.step


LAND = {"service": "land_title", "handler": "officer_land_registry"}
PASSPORT = {"service": "passport", "handler": "officer_migration"}

CASES = [
    Case("submit", S.DRAFT, APPLICANT_OR_GITEGA_OFFICE),
    Case("start_intake", S.SUBMITTED, GITEGA_OFFICE),
    Case("return_for_correction", S.INTAKE, GITEGA_OFFICE),
    Case("resubmit", S.RETURNED, APPLICANT_OR_GITEGA_OFFICE),
    Case("request_payment", S.INTAKE, GITEGA_OFFICE, **PASSPORT),
    Case("record_payment", S.AWAITING_PAYMENT, GITEGA_OFFICE, **PASSPORT),
    Case("forward", S.INTAKE, GITEGA_OFFICE),
    Case("receive", S.FORWARDED, URBANISM),
    Case("request_information", S.IN_REVIEW, URBANISM_HANDLER),
    Case("provide_information", S.INFORMATION_REQUESTED, APPLICANT_OR_GITEGA_OFFICE),
    Case("schedule_inspection", S.IN_REVIEW, URBANISM_HANDLER),
    Case("record_inspection", S.INSPECTION, URBANISM_HANDLER),
    Case("open_public_notice", S.IN_REVIEW, frozenset({"officer_land_registry"}), **LAND),
    Case("close_public_notice", S.PUBLIC_NOTICE, frozenset({"officer_land_registry"}), **LAND),
    Case("give_appointment", S.IN_REVIEW, frozenset({"officer_migration"}), **PASSPORT),
    Case("record_attendance", S.APPOINTMENT, GITEGA_OFFICE | {"officer_migration"}, **PASSPORT),
    Case("approve", S.IN_REVIEW, URBANISM_HANDLER),
    Case("reject", S.IN_REVIEW, URBANISM_HANDLER),
    Case("issue", S.APPROVED, URBANISM_HANDLER),
    Case("dispatch", S.ISSUED, URBANISM),
    Case("hand_over", S.READY_FOR_COLLECTION, GITEGA_OFFICE),
    Case("notify_rejection", S.REJECTED, GITEGA_OFFICE),
    Case("withdraw", S.IN_REVIEW, APPLICANT_OR_GITEGA_OFFICE),
    Case("expire", S.DRAFT, frozenset({SYSTEM})),
]
CASE_BY_STEP = {case.step: case for case in CASES}


def person(personas, name):
    """A persona by name; ``anonymous`` is a visitor who has not signed in; ``system`` the
    scheduler's actor."""
    if name == ANONYMOUS:
        return AnonymousUser()
    if name == SYSTEM:
        return Actor.system()
    return getattr(personas, name)


def filed_in_gitega(personas, state, *, service="building_permit", handler="officer_urbanism"):
    """A dossier the citizen filed online at Gitega, walked to ``state`` by the Gitega clerk and
    the ``handler`` officer. A public notice is opened in the past, so that it may be closed."""
    service = getattr(personas, service)
    kwargs = {
        "service": service,
        "office": personas.office_gitega,
        "applicant_account": personas.citizen,
        "applicant_commune": personas.commune_gitega,
        "clerk": personas.clerk_gitega,
        "officer": getattr(personas, handler),
    }
    if state in (S.PUBLIC_NOTICE, S.INSPECTION, S.APPOINTMENT):
        # Opened, or scheduled for a day, in the past: the step may be closed or recorded now.
        opened = timezone.now() - datetime.timedelta(days=service.public_notice_days + 14)
        with clock_at(opened):
            return dossier_in_state(state, **kwargs)
    return dossier_in_state(state, **kwargs)


def source_dossier(personas, case):
    return filed_in_gitega(personas, case.source, service=case.service, handler=case.handler)


def history_of(dossier):
    return list(HistoryEntry.objects.filter(dossier=dossier).values_list("pk", "hash"))


def reloaded(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def test_the_table_covers_every_transition_of_the_lifecycle():
    declared = {t.name for t in Dossier._meta.get_field("state").get_all_transitions(Dossier)}

    assert declared == set(CASE_BY_STEP)


# --- Allowed and forbidden, per persona -------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "who"),
    [(case, who) for case in CASES for who in sorted(case.allowed)],
    ids=lambda value: str(value),
)
def test_allowed_persona_takes_the_step(personas, case, who):
    dossier = source_dossier(personas, case)
    before = history_of(dossier)
    user = person(personas, who)
    assert case.step in events.available_names(dossier, user)  # their button is there

    after = perform(
        dossier.pk,
        case.step,
        user,
        expected_state=case.source,
        **step_inputs(dossier, case.step),
    )

    target = getattr(Dossier, case.step)._django_fsm.next_state(case.source)
    assert reloaded(dossier).state == after.state == target
    entries = list(after.history.order_by("position"))
    assert len(entries) == len(before) + 1
    entry = entries[-1]
    assert (entry.kind, entry.from_state, entry.to_state) == (case.step, case.source, target)
    actor = as_actor(user)
    assert (entry.actor_kind, entry.actor_reference) == (actor.kind, actor.reference)
    assert entry.actor_user == actor.user
    assert entry.actor_role == actor.role
    assert entry.previous_hash == (entries[-2].hash if len(entries) > 1 else "")


@pytest.mark.parametrize(
    ("case", "who"),
    [(case, who) for case in CASES for who in EVERYONE if who not in case.allowed],
    ids=lambda value: str(value),
)
def test_other_personas_are_not_allowed_and_nothing_changes(personas, case, who):
    dossier = source_dossier(personas, case)
    before = history_of(dossier)
    user = person(personas, who)
    assert case.step not in events.available_names(dossier, user)  # no button either

    with pytest.raises(NotAllowed):
        perform(
            dossier.pk,
            case.step,
            user,
            expected_state=case.source,
            **step_inputs(dossier, case.step),
        )

    assert reloaded(dossier).state == case.source
    assert history_of(dossier) == before


# --- Wrong source state -----------------------------------------------------------------------

#: The service a dossier needs to reach the state at all; the building permit otherwise.
SERVICE_TO_REACH = {
    S.AWAITING_PAYMENT: PASSPORT,
    S.APPOINTMENT: PASSPORT,
    S.PUBLIC_NOTICE: LAND,
}


@pytest.mark.parametrize("state", list(S), ids=str)
def test_a_step_from_a_state_it_does_not_start_from_is_refused(personas, state):
    dossier = filed_in_gitega(personas, state, **SERVICE_TO_REACH.get(state, {}))
    before = history_of(dossier)
    impossible = [
        case for case in CASES if not getattr(Dossier, case.step)._django_fsm.has_transition(state)
    ]
    assert impossible

    for case in impossible:
        # Someone who could take the step from the right state.
        who = person(personas, sorted(case.allowed)[0])
        with pytest.raises(TransitionRefused) as refused:
            perform(dossier.pk, case.step, who, **step_inputs(dossier, case.step))
        assert str(dossier.state_label) in refused.value.message, case.step

    assert reloaded(dossier).state == state
    assert history_of(dossier) == before


@pytest.mark.parametrize("state", UNDECIDED_STATES, ids=str)
def test_the_citizen_may_withdraw_while_nothing_is_decided(personas, state):
    dossier = filed_in_gitega(personas, state, **SERVICE_TO_REACH.get(state, {}))

    perform(dossier.pk, "withdraw", personas.citizen)

    assert reloaded(dossier).state == S.WITHDRAWN


@pytest.mark.parametrize("who", ["clerk_gitega", "citizen", "officer_urbanism"])
def test_a_deactivated_account_may_no_longer_act(personas, who):
    dossier = filed_in_gitega(personas, S.IN_REVIEW)
    user = getattr(personas, who)
    user.is_active = False
    user.save()

    with pytest.raises(NotAllowed):
        perform(dossier.pk, "withdraw" if who != "officer_urbanism" else "approve", user)

    assert reloaded(dossier).state == S.IN_REVIEW


def test_an_unknown_step_is_refused(personas):
    dossier = filed_in_gitega(personas, S.IN_REVIEW)

    with pytest.raises(TransitionRefused):
        perform(dossier.pk, "delete", personas.administrator)


# --- Conditions -------------------------------------------------------------------------------


def test_a_draft_without_the_applicant_s_identity_is_refused_with_a_reason(personas):
    """Drafts may be incomplete; filing one is refused, saying why, and not as a conflict.

    The database insists on the applicant's details once the dossier is filed
    (``filed_dossiers_have_an_applicant``); the citizen must hear what is missing, not that
    "someone else is handling this dossier".
    """
    draft = dossier_in_state(
        S.DRAFT,
        service=personas.building_permit,
        office=personas.office_gitega,
        applicant_account=personas.citizen,
        applicant_national_id="",
    )

    with pytest.raises((TransitionRefused, InvalidInput)) as refused:
        perform(draft.pk, "submit", personas.citizen, expected_state=S.DRAFT)

    assert refused.value.details
    assert reloaded(draft).state == S.DRAFT
    assert reloaded(draft).tracking_number is None


def test_forward_is_refused_while_the_fee_is_unpaid_and_the_clerk_is_told_why(personas):
    dossier = filed_in_gitega(personas, S.INTAKE, **PASSPORT)

    with pytest.raises(TransitionRefused) as refused:
        perform(dossier.pk, "forward", personas.clerk_gitega)

    assert refused.value.details == ["The fee has not been paid yet."]
    assert "Forward to the institution" in refused.value.message
    assert reloaded(dossier).state == S.INTAKE
    assert ("forward", ["The fee has not been paid yet."]) in blocked(
        reloaded(dossier), personas.clerk_gitega
    )


def test_forward_is_refused_while_a_mandatory_document_is_missing(personas):
    # Filed at the counter: online, a draft without its mandatory documents cannot be submitted.
    dossier = dossier_in_state(
        S.INTAKE,
        service=personas.building_permit,
        office=personas.office_gitega,
        clerk=personas.clerk_gitega,
        documents=False,
        counter=True,
    )

    with pytest.raises(TransitionRefused) as refused:
        perform(dossier.pk, "forward", personas.clerk_gitega)

    assert refused.value.details == ["A mandatory document is missing."]
    assert reloaded(dossier).state == S.INTAKE


def test_forward_is_refused_when_no_routing_rule_matches(personas):
    # A rule for Butanyerera only: nothing says who decides for a dossier filed in Gitega.
    elsewhere = ServiceFactory(free=True, unrouted=True)
    RoutingRuleFactory(service=elsewhere, province=personas.province_butanyerera)
    dossier = dossier_in_state(
        S.INTAKE, service=elsewhere, office=personas.office_gitega, clerk=personas.clerk_gitega
    )

    with pytest.raises(TransitionRefused) as refused:
        perform(dossier.pk, "forward", personas.clerk_gitega)

    assert refused.value.details == [
        "No routing rule names the institution that decides on this service here."
    ]
    assert reloaded(dossier).state == S.INTAKE


def test_a_province_rule_beats_the_default_rule(personas):
    RoutingRuleFactory(
        service=personas.building_permit,
        province=personas.province_gitega,
        institution=personas.land_registry,
    )
    dossier = filed_in_gitega(personas, S.INTAKE)

    perform(dossier.pk, "forward", personas.clerk_gitega)

    assert reloaded(dossier).institution == personas.land_registry


def test_every_unmet_condition_is_listed(personas):
    unrouted_paid = ServiceFactory(unrouted=True)
    dossier = dossier_in_state(
        S.INTAKE,
        service=unrouted_paid,
        office=personas.office_gitega,
        clerk=personas.clerk_gitega,
        documents=False,
        counter=True,
    )

    with pytest.raises(TransitionRefused) as refused:
        perform(dossier.pk, "forward", personas.clerk_gitega)

    assert len(refused.value.details) == 3


def test_someone_who_may_not_forward_is_not_told_what_the_dossier_lacks(personas):
    dossier = filed_in_gitega(personas, S.INTAKE, **PASSPORT)

    with pytest.raises(NotAllowed) as refused:
        perform(dossier.pk, "forward", personas.clerk_ngozi)

    assert refused.value.details == []
    assert blocked(reloaded(dossier), personas.clerk_ngozi) == []


def test_payment_is_not_requested_for_a_free_service(personas):
    dossier = filed_in_gitega(personas, S.INTAKE)  # the building permit has no published fee

    with pytest.raises(TransitionRefused) as refused:
        perform(dossier.pk, "request_payment", personas.clerk_gitega)

    assert refused.value.details == ["This service has no fee, or the fee is already paid."]


def test_payment_is_not_requested_twice(personas):
    dossier = filed_in_gitega(personas, S.AWAITING_PAYMENT, **PASSPORT)
    perform(dossier.pk, "record_payment", personas.clerk_gitega, method="cash", amount_bif=235_000)

    with pytest.raises(TransitionRefused):
        perform(dossier.pk, "request_payment", personas.clerk_gitega)

    perform(dossier.pk, "forward", personas.clerk_gitega)
    assert reloaded(dossier).state == S.FORWARDED


@pytest.mark.parametrize(
    ("step", "service", "handler", "message"),
    [
        ("schedule_inspection", "passport", "officer_migration", "no site inspection"),
        ("give_appointment", "building_permit", "officer_urbanism", "no appointment step"),
        ("open_public_notice", "passport", "officer_migration", "no public-notice period"),
    ],
)
def test_optional_steps_are_refused_for_services_without_them(
    personas, step, service, handler, message
):
    dossier = filed_in_gitega(personas, S.IN_REVIEW, service=service, handler=handler)
    handler = getattr(personas, handler)

    with pytest.raises(TransitionRefused) as refused:
        perform(dossier.pk, step, handler, **step_inputs(dossier, step))

    assert message in refused.value.details[0]
    assert reloaded(dossier).state == S.IN_REVIEW


def test_the_public_notice_stays_open_for_the_whole_period(personas):
    dossier = filed_in_gitega(personas, S.IN_REVIEW, **LAND)
    officer = personas.officer_land_registry
    perform(dossier.pk, "open_public_notice", officer)
    ends_on = reloaded(dossier).open_scheduled_step().ends_on
    assert ends_on == timezone.localdate() + datetime.timedelta(days=30)
    comment = {"comment": "No objection was received."}

    for day in (timezone.localdate(), ends_on - datetime.timedelta(days=1)):
        afternoon = datetime.datetime.combine(day, datetime.time(15, 0))
        with clock_at(afternoon), pytest.raises(TransitionRefused) as refused:
            perform(dossier.pk, "close_public_notice", officer, **comment)
        assert refused.value.details == ["The public-notice period is not over yet."]

    with clock_at(datetime.datetime.combine(ends_on, datetime.time(8, 0))):
        perform(dossier.pk, "close_public_notice", officer, **comment)
    assert reloaded(dossier).state == S.IN_REVIEW


# --- Inputs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("reasons", ["", "   \n "])
def test_a_rejection_needs_reasons(personas, reasons):
    dossier = filed_in_gitega(personas, S.IN_REVIEW)
    before = history_of(dossier)

    with pytest.raises(InvalidInput) as refused:
        perform(dossier.pk, "reject", personas.officer_urbanism, comment=reasons)

    assert refused.value.details == ["Please write the reasons or the message."]
    assert reloaded(dossier).state == S.IN_REVIEW
    assert history_of(dossier) == before


def test_the_reasons_of_a_rejection_are_kept(personas):
    dossier = filed_in_gitega(personas, S.IN_REVIEW)

    perform(
        dossier.pk,
        "reject",
        personas.officer_urbanism,
        comment="  The plot lies in a protected wetland. ",
    )

    decision = reloaded(dossier).decision
    assert decision.outcome == "rejected"
    assert decision.reasons == "The plot lies in a protected wetland."
    assert decision.decided_by == personas.officer_urbanism
    assert decision.decided_by_name == str(personas.officer_urbanism)


def test_a_decision_records_the_institution_that_took_it(personas):
    dossier = filed_in_gitega(personas, S.IN_REVIEW)

    perform(dossier.pk, "approve", personas.officer_urbanism)

    assert reloaded(dossier).decision.institution == personas.urbanism


@pytest.mark.parametrize("step", ["reject", "return_for_correction", "request_information"])
def test_reasons_written_for_the_citizen_must_be_real_text(personas, step):
    source = {"return_for_correction": S.INTAKE}.get(step, S.IN_REVIEW)
    dossier = filed_in_gitega(personas, source)
    who = personas.clerk_gitega if step == "return_for_correction" else personas.officer_urbanism
    before = history_of(dossier)

    with pytest.raises(InvalidInput) as refused:
        perform(dossier.pk, step, who, comment="ok")

    assert refused.value.details == [
        "Write at least 20 characters, so the citizen knows what to do.",
        "Write the reasons as a sentence of at least two words.",
    ]
    assert reloaded(dossier).state == source
    assert history_of(dossier) == before


def test_staff_must_say_why_a_dossier_is_withdrawn(personas):
    dossier = filed_in_gitega(personas, S.IN_REVIEW)

    with pytest.raises(InvalidInput) as refused:
        perform(dossier.pk, "withdraw", personas.clerk_gitega)

    assert refused.value.details == ["Please write the reasons or the message."]
    assert reloaded(dossier).state == S.IN_REVIEW

    perform(dossier.pk, "withdraw", personas.clerk_gitega, comment="The citizen wrote a letter.")
    assert reloaded(dossier).state == S.WITHDRAWN


def test_an_inspection_is_scheduled_on_a_working_day_within_office_hours(personas):
    dossier = filed_in_gitega(personas, S.IN_REVIEW)
    saturday = next_slot(days_ahead=14)
    while saturday.weekday() != 5:
        saturday += datetime.timedelta(days=1)
    inputs = {**step_inputs(dossier, "schedule_inspection"), "scheduled_for": saturday}

    with pytest.raises(InvalidInput) as refused:
        perform(dossier.pk, "schedule_inspection", personas.officer_urbanism, **inputs)

    assert len(refused.value.details) == 1
    assert "is a Saturday: choose a working day." in refused.value.details[0]
    past = {**inputs, "scheduled_for": timezone.now() - datetime.timedelta(days=1)}
    with pytest.raises(InvalidInput) as refused:
        perform(dossier.pk, "schedule_inspection", personas.officer_urbanism, **past)
    assert "This date and time are in the past: choose a later time." in refused.value.details
    assert reloaded(dossier).state == S.IN_REVIEW

    slot = next_slot()
    perform(
        dossier.pk,
        "schedule_inspection",
        personas.officer_urbanism,
        **{**inputs, "scheduled_for": slot},
    )
    step = reloaded(dossier).open_scheduled_step()
    assert (step.kind, step.starts_at, step.place, step.what_to_bring) == (
        "inspection",
        slot,
        "GUP Gitega, counter 2",
        "National ID card",
    )


def test_an_inspection_is_not_recorded_before_its_time(personas):
    dossier = filed_in_gitega(personas, S.IN_REVIEW)
    officer = personas.officer_urbanism
    perform(
        dossier.pk, "schedule_inspection", officer, **step_inputs(dossier, "schedule_inspection")
    )

    with pytest.raises(InvalidInput) as refused:
        perform(dossier.pk, "record_inspection", officer, comment="The site matches the plans.")

    assert "it cannot be recorded before then." in refused.value.details[0]
    assert reloaded(dossier).state == S.INSPECTION
    assert reloaded(dossier).open_scheduled_step().outcome == ""


def record_payment(personas, dossier, **inputs):
    return perform(dossier.pk, "record_payment", personas.clerk_gitega, **inputs)


def test_the_amount_recorded_must_be_the_fee(personas):
    dossier = filed_in_gitega(personas, S.AWAITING_PAYMENT, **PASSPORT)

    with pytest.raises(InvalidInput) as refused:
        record_payment(personas, dossier, method=PaymentMethod.CASH, amount_bif=200_000)

    assert refused.value.details == ["The amount due is 235,000\xa0BIF."]
    assert not Payment.objects.exists()
    assert reloaded(dossier).state == S.AWAITING_PAYMENT


def test_mobile_money_needs_its_reference(personas):
    dossier = filed_in_gitega(personas, S.AWAITING_PAYMENT, **PASSPORT)

    with pytest.raises(InvalidInput) as refused:
        record_payment(personas, dossier, method=PaymentMethod.LUMICASH, amount_bif=235_000)

    assert refused.value.details == ["Enter the bank or mobile-money reference."]
    assert not Payment.objects.exists()


def test_a_payment_needs_its_method(personas):
    dossier = filed_in_gitega(personas, S.AWAITING_PAYMENT, **PASSPORT)

    with pytest.raises(InvalidInput) as refused:
        record_payment(personas, dossier, amount_bif=235_000)

    assert refused.value.details == ["Choose how the citizen paid."]


def test_a_reference_is_counted_once(personas):
    first = filed_in_gitega(personas, S.AWAITING_PAYMENT, **PASSPORT)
    second = filed_in_gitega(personas, S.AWAITING_PAYMENT, **PASSPORT)
    paid = {"method": PaymentMethod.LUMICASH, "reference": "LC-7788", "amount_bif": 235_000}
    record_payment(personas, first, **paid)

    with pytest.raises(InvalidInput) as refused:
        record_payment(personas, second, **{**paid, "reference": " LC-7788 "})

    assert refused.value.details == [
        "This reference has already been recorded: the payment was not counted twice."
    ]
    assert Payment.objects.count() == 1
    assert reloaded(second).state == S.AWAITING_PAYMENT


def test_a_payment_is_recorded_with_who_and_how(personas):
    dossier = filed_in_gitega(personas, S.AWAITING_PAYMENT, **PASSPORT)

    record_payment(
        personas, dossier, method=PaymentMethod.ECOCASH, reference="EC-1", amount_bif=235_000
    )

    payment = Payment.objects.get()
    assert (payment.dossier_id, payment.amount_bif, payment.reference) == (
        dossier.pk,
        235_000,
        "EC-1",
    )
    assert payment.recorded_by == personas.clerk_gitega
    assert reloaded(dossier).is_paid


def test_a_step_chosen_on_a_stale_page_is_a_conflict(personas):
    dossier = filed_in_gitega(personas, S.IN_REVIEW)
    before = history_of(dossier)

    with pytest.raises(DossierConflict) as conflict:
        perform(
            dossier.pk,
            "approve",
            personas.officer_urbanism,
            expected_state=S.FORWARDED,  # what the officer saw before a colleague claimed it
        )

    assert "Someone else is handling this dossier" in conflict.value.message
    assert reloaded(dossier).state == S.IN_REVIEW
    assert history_of(dossier) == before


# --- History ----------------------------------------------------------------------------------


def test_every_step_is_one_history_row_and_the_rows_form_a_chain(personas):
    dossier = filed_in_gitega(personas, S.COLLECTED, **PASSPORT)

    entries = list(dossier.history.order_by("position"))

    assert [entry.kind for entry in entries] == [
        "submit",
        "start_intake",
        "request_payment",
        "record_payment",
        "forward",
        "receive",
        "approve",
        "issue",
        "dispatch",
        "hand_over",
    ]
    assert [entry.position for entry in entries] == list(range(1, len(entries) + 1))
    assert entries[0].from_state == S.DRAFT
    for previous, entry in zip(entries, entries[1:], strict=False):
        assert entry.from_state == previous.to_state
        assert entry.previous_hash == previous.hash
    assert entries[0].previous_hash == ""
    assert all(entry.hash == entry.compute_hash() for entry in entries)
    assert entries[-1].to_state == S.COLLECTED
    assert list(broken_links()) == []


def test_the_history_records_who_acted_and_in_which_role(personas):
    dossier = filed_in_gitega(personas, S.IN_REVIEW)

    rows = dossier.history.order_by("position").values_list(
        "actor_kind", "actor_user", "actor_reference", "actor_role"
    )

    assert list(rows) == [
        ("citizen", personas.citizen.pk, f"user:{personas.citizen.pk}", "citizen"),
        ("staff", personas.clerk_gitega.pk, f"user:{personas.clerk_gitega.pk}", "clerk"),
        ("staff", personas.clerk_gitega.pk, f"user:{personas.clerk_gitega.pk}", "clerk"),
        ("staff", personas.officer_urbanism.pk, f"user:{personas.officer_urbanism.pk}", "officer"),
    ]


def test_the_system_is_named_in_the_history(personas):
    dossier = filed_in_gitega(personas, S.EXPIRED)

    entry = dossier.history.get()

    assert (entry.actor_kind, entry.actor_reference) == ("system", "system")
    assert (entry.actor_user, entry.actor_role, entry.actor_name) == (None, "system", "GUP")


def test_history_rows_cannot_be_changed_or_removed(personas):
    dossier = filed_in_gitega(personas, S.IN_REVIEW)
    entry = dossier.history.order_by("position").first()
    before = history_of(dossier)

    entry.comment = "Nothing happened."
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        HistoryEntry.objects.filter(pk=entry.pk).update(comment="Nothing happened.")
    with pytest.raises(TypeError):
        HistoryEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(TypeError):
        dossier.history.all().delete()

    assert history_of(dossier) == before
    assert HistoryEntry.objects.get(pk=entry.pk).comment == ""


# --- The state is protected, and the database has the last word ------------------------------


def test_the_state_cannot_be_assigned(personas):
    dossier = filed_in_gitega(personas, S.IN_REVIEW)

    with pytest.raises(AttributeError):
        dossier.state = S.APPROVED


def test_the_database_refuses_a_rejection_without_reasons(personas):
    dossier = filed_in_gitega(personas, S.IN_REVIEW)

    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            dossier=dossier,
            outcome=Outcome.REJECTED,
            reasons="",
            decided_by=personas.officer_urbanism,
            decided_by_name=str(personas.officer_urbanism),
            decided_at=timezone.now(),
        )

    rejected = filed_in_gitega(personas, S.REJECTED)
    # A decision is final for the ORM too; the database refuses even a raw update.
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Decision._meta.db_table} SET reasons = '' WHERE dossier_id = %s",
            [rejected.pk],
        )
    assert Decision.objects.get(dossier=rejected).reasons


def test_calling_a_transition_method_directly_is_refused(personas):
    dossier = filed_in_gitega(personas, S.IN_REVIEW)

    with pytest.raises(TransitionOutsidePerform):
        dossier.approve()

    assert reloaded(dossier).state == S.IN_REVIEW
