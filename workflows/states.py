"""The dossier lifecycle, readable in one place: the states, and every transition between them.

One graph serves every service; the optional steps a service declares (inspection, appointment,
public notice) switch branches on through conditions. Each transition names who may call it
(``permission``) and what must hold (``conditions``). Transition bodies only change fields: the
action layer (``workflows.actions``) locks the row, checks, saves and writes the history row,
and side effects run after commit. What a step looks like on screen (its label, its form, who
answers it) and what it records besides the state are declared with its event, in
``workflows.events``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from workflows import conditions as can
from workflows import permissions as may


class DossierState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    INTAKE = "intake", _("Being checked at the office")
    RETURNED = "returned", _("Returned for correction")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    FORWARDED = "forwarded", _("Forwarded to the institution")
    IN_REVIEW = "in_review", _("In review")
    INFORMATION_REQUESTED = "information_requested", _("Information requested")
    INSPECTION = "inspection", _("Site inspection")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    APPOINTMENT = "appointment", _("Appointment")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Document issued")
    READY_FOR_COLLECTION = "ready_for_collection", _("Ready for collection")
    COLLECTED = "collected", _("Collected")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


S = DossierState

#: Not yet decided: the citizen may still withdraw.
UNDECIDED_STATES = (
    S.DRAFT,
    S.SUBMITTED,
    S.INTAKE,
    S.RETURNED,
    S.AWAITING_PAYMENT,
    S.FORWARDED,
    S.IN_REVIEW,
    S.INFORMATION_REQUESTED,
    S.INSPECTION,
    S.PUBLIC_NOTICE,
    S.APPOINTMENT,
)
#: The clock stops while the dossier waits for the citizen.
WAITING_FOR_CITIZEN_STATES = (S.RETURNED, S.INFORMATION_REQUESTED, S.AWAITING_PAYMENT)
FINAL_STATES = (S.COLLECTED, S.CLOSED, S.WITHDRAWN, S.EXPIRED)
#: The institution is working on it (review and its side steps).
REVIEW_STATES = (S.IN_REVIEW, S.INSPECTION, S.PUBLIC_NOTICE, S.APPOINTMENT)
#: The transitions the institution's officer takes; the office takes the others.
INSTITUTION_STEPS = frozenset(
    {
        "receive",
        "request_information",
        "schedule_inspection",
        "record_inspection",
        "open_public_notice",
        "close_public_notice",
        "give_appointment",
        "record_attendance",
        "approve",
        "reject",
        "issue",
        "dispatch",
    }
)


class DossierLifecycle(ConcurrentTransitionMixin, models.Model):
    state = FSMField(
        _("state"), max_length=32, choices=DossierState.choices, default=S.DRAFT, protected=True
    )

    class Meta:
        abstract = True

    # --- Filing -------------------------------------------------------------------------------

    @transition(
        field=state,
        source=S.DRAFT,
        target=S.SUBMITTED,
        conditions=[can.applicant_identified],
        permission=may.applicant_or_office_staff,
    )
    def submit(self, *, tracking_number, submitted_at, due_date):
        """The citizen (online) or the clerk (at the counter) files the dossier.

        It gets its tracking number and its expected date here, not before: drafts are not
        dossiers yet.
        """
        self.tracking_number = tracking_number
        self.submitted_at = submitted_at
        self.due_date = due_date

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.INTAKE,
        permission=may.office_staff,
    )
    def start_intake(self, *, clerk=None):
        """A clerk of the office takes the dossier to check it is complete, and holds it from
        now on unless a colleague already does (a supervisor may have assigned it)."""
        if self.clerk_id is None:
            self.clerk = clerk

    @transition(
        field=state,
        source=S.INTAKE,
        target=S.RETURNED,
        permission=may.office_staff,
    )
    def return_for_correction(self, *, request, answer_by):
        """The dossier is incomplete: the clerk says what to correct. The clock pauses."""
        self.citizen_request = request
        self.answer_by = answer_by

    @transition(
        field=state,
        source=S.RETURNED,
        target=S.SUBMITTED,
        conditions=[can.applicant_identified],
        permission=may.applicant_or_office_staff,
    )
    def resubmit(self):
        """The citizen (or the clerk for them) has corrected the dossier."""
        self.citizen_request = ""
        self.answer_by = None

    @transition(
        field=state,
        source=S.INTAKE,
        target=S.AWAITING_PAYMENT,
        conditions=[can.fee_is_due],
        permission=may.office_staff,
    )
    def request_payment(self):
        """The service has a fee that is not paid yet."""

    @transition(
        field=state,
        source=S.AWAITING_PAYMENT,
        target=S.INTAKE,
        permission=may.office_staff,
    )
    def record_payment(self):
        """The clerk records the payment (cash, bank or mobile money reference)."""

    @transition(
        field=state,
        source=S.INTAKE,
        target=S.FORWARDED,
        conditions=[can.fee_is_settled, can.mandatory_documents_attached, can.routing_rule_exists],
        permission=may.office_staff,
    )
    def forward(self, *, institution, forwarded_at):
        """The complete, paid dossier goes to the institution the routing rules name."""
        self.institution = institution
        self.forwarded_at = forwarded_at

    # --- Review -------------------------------------------------------------------------------

    @transition(
        field=state,
        source=S.FORWARDED,
        target=S.IN_REVIEW,
        permission=may.institution_staff,
    )
    def receive(self, *, officer):
        """An officer of the institution claims the dossier and starts the review."""
        self.officer = officer

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.INFORMATION_REQUESTED,
        permission=may.handling_officer,
    )
    def request_information(self, *, request, answer_by):
        """The officer needs more from the citizen. The clock pauses until they answer."""
        self.citizen_request = request
        self.answer_by = answer_by

    @transition(
        field=state,
        source=S.INFORMATION_REQUESTED,
        target=S.IN_REVIEW,
        permission=may.applicant_or_office_staff,
    )
    def provide_information(self):
        """The citizen answers online, or the clerk relays the answer given at the counter."""
        self.citizen_request = ""
        self.answer_by = None

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.INSPECTION,
        conditions=[can.service_has_inspection],
        permission=may.handling_officer,
    )
    def schedule_inspection(self):
        """Services such as building permits send an inspector to the site."""

    @transition(
        field=state,
        source=S.INSPECTION,
        target=S.IN_REVIEW,
        conditions=[can.new_date_given],
        permission=may.handling_officer,
    )
    def record_inspection(self):
        """The inspection took place; its findings are its outcome."""

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.PUBLIC_NOTICE,
        conditions=[can.service_has_public_notice],
        permission=may.handling_officer,
    )
    def open_public_notice(self):
        """Land titles are published for N days so that anyone may object."""

    @transition(
        field=state,
        source=S.PUBLIC_NOTICE,
        target=S.IN_REVIEW,
        conditions=[can.public_notice_period_over],
        permission=may.handling_officer,
    )
    def close_public_notice(self):
        """The period is over; objections received, if any, go in the comment."""

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.APPOINTMENT,
        conditions=[can.service_has_appointment],
        permission=may.handling_officer,
    )
    def give_appointment(self):
        """Travel documents need the citizen in person, for biometrics."""

    @transition(
        field=state,
        source=S.APPOINTMENT,
        target=S.IN_REVIEW,
        conditions=[can.new_date_given],
        permission=may.handling_officer_or_office_staff,
    )
    def record_attendance(self):
        """The citizen came to the appointment."""

    # --- Decision and delivery ----------------------------------------------------------------

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.APPROVED,
        permission=may.handling_officer,
    )
    def approve(self):
        """The officer (or the institution's system) grants the request."""

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.REJECTED,
        permission=may.handling_officer,
    )
    def reject(self):
        """The officer refuses, and must say why: the citizen is owed the reasons."""

    @transition(
        field=state,
        source=S.APPROVED,
        target=S.ISSUED,
        permission=may.handling_officer,
    )
    def issue(self):
        """The institution produces the document the service promises."""

    @transition(
        field=state,
        source=S.ISSUED,
        target=S.READY_FOR_COLLECTION,
        permission=may.institution,
    )
    def dispatch(self):
        """The document travels back to the office where the citizen filed."""

    @transition(
        field=state,
        source=S.READY_FOR_COLLECTION,
        target=S.COLLECTED,
        permission=may.office_staff,
    )
    def hand_over(self):
        """The clerk hands the document to the citizen, who signs for it."""

    @transition(
        field=state,
        source=S.REJECTED,
        target=S.CLOSED,
        permission=may.office_staff,
    )
    def notify_rejection(self):
        """The office confirms the citizen received the decision and its reasons."""

    # --- Ending early -------------------------------------------------------------------------

    @transition(
        field=state,
        source=list(UNDECIDED_STATES),
        target=S.WITHDRAWN,
        permission=may.applicant_or_office_staff,
    )
    def withdraw(self):
        """The citizen gives up a request that has not been decided."""

    @transition(
        field=state,
        source=S.DRAFT,
        target=S.EXPIRED,
        permission=may.system_only,
    )
    def expire(self):
        """A draft abandoned for too long is closed by the scheduler."""
