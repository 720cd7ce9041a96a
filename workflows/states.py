"""The dossier lifecycle, readable in one place: the states, and every transition between them.

One graph serves every service; the optional steps a service declares (inspection, appointment,
public notice) switch branches on through conditions. Each transition names who may call it
(``permission``) and what must hold (``conditions``). Transition bodies only change fields: the
action layer (``workflows.actions``) locks the row, checks, saves and writes the history row,
and side effects run after commit.

``custom`` carries what screens need: the button ``label``, and ``public`` when the step belongs
in the citizen's reduced timeline.
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
        custom={"label": _("Submit"), "public": True},
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
        custom={"label": _("Start checking"), "public": True},
    )
    def start_intake(self):
        """A clerk of the office takes the dossier to check it is complete."""

    @transition(
        field=state,
        source=S.INTAKE,
        target=S.RETURNED,
        permission=may.office_staff,
        custom={"label": _("Return for correction"), "public": True, "needs_comment": True},
    )
    def return_for_correction(self, *, reasons):
        """The dossier is incomplete: the clerk says what to correct. The clock pauses."""
        self.citizen_request = reasons

    @transition(
        field=state,
        source=S.RETURNED,
        target=S.SUBMITTED,
        conditions=[can.applicant_identified],
        permission=may.applicant_or_office_staff,
        custom={"label": _("Resubmit"), "public": True},
    )
    def resubmit(self):
        """The citizen (or the clerk for them) has corrected the dossier."""
        self.citizen_request = ""

    @transition(
        field=state,
        source=S.INTAKE,
        target=S.AWAITING_PAYMENT,
        conditions=[can.fee_is_due],
        permission=may.office_staff,
        custom={"label": _("Ask for payment"), "public": True},
    )
    def request_payment(self):
        """The service has a fee that is not paid yet."""

    @transition(
        field=state,
        source=S.AWAITING_PAYMENT,
        target=S.INTAKE,
        permission=may.office_staff,
        custom={"label": _("Record payment"), "public": True},
    )
    def record_payment(self):
        """The clerk records the payment (cash, bank or mobile money reference)."""

    @transition(
        field=state,
        source=S.INTAKE,
        target=S.FORWARDED,
        conditions=[can.fee_is_settled, can.mandatory_documents_attached, can.routing_rule_exists],
        permission=may.office_staff,
        custom={"label": _("Forward to the institution"), "public": True},
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
        custom={"label": _("Claim and start review"), "public": True},
    )
    def receive(self, *, officer):
        """An officer of the institution claims the dossier and starts the review."""
        self.officer = officer

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.INFORMATION_REQUESTED,
        permission=may.handling_officer,
        custom={
            "label": _("Ask the citizen for information"),
            "public": True,
            "needs_comment": True,
        },
    )
    def request_information(self, *, questions):
        """The officer needs more from the citizen. The clock pauses until they answer."""
        self.citizen_request = questions

    @transition(
        field=state,
        source=S.INFORMATION_REQUESTED,
        target=S.IN_REVIEW,
        permission=may.applicant_or_office_staff,
        custom={"label": _("Send the answer"), "public": True, "needs_comment": True},
    )
    def provide_information(self):
        """The citizen answers online, or the clerk relays the answer given at the counter."""
        self.citizen_request = ""

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.INSPECTION,
        conditions=[can.service_has_inspection],
        permission=may.handling_officer,
        custom={"label": _("Schedule site inspection"), "public": True},
    )
    def schedule_inspection(self, *, scheduled_for):
        """Services such as building permits send an inspector to the site."""
        self.step_date = scheduled_for

    @transition(
        field=state,
        source=S.INSPECTION,
        target=S.IN_REVIEW,
        permission=may.handling_officer,
        custom={"label": _("Record inspection report"), "public": True, "needs_comment": True},
    )
    def record_inspection(self):
        """The inspection took place; its findings go in the comment."""
        self.step_date = None

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.PUBLIC_NOTICE,
        conditions=[can.service_has_public_notice],
        permission=may.handling_officer,
        custom={"label": _("Open public notice"), "public": True},
    )
    def open_public_notice(self, *, ends_on):
        """Land titles are published for N days so that anyone may object."""
        self.public_notice_ends_on = ends_on

    @transition(
        field=state,
        source=S.PUBLIC_NOTICE,
        target=S.IN_REVIEW,
        conditions=[can.public_notice_period_over],
        permission=may.handling_officer,
        custom={"label": _("Close public notice"), "public": True, "needs_comment": True},
    )
    def close_public_notice(self):
        """The period is over; objections received, if any, go in the comment."""

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.APPOINTMENT,
        conditions=[can.service_has_appointment],
        permission=may.handling_officer,
        custom={"label": _("Give an appointment"), "public": True},
    )
    def give_appointment(self, *, scheduled_for):
        """Travel documents need the citizen in person, for biometrics."""
        self.step_date = scheduled_for

    @transition(
        field=state,
        source=S.APPOINTMENT,
        target=S.IN_REVIEW,
        permission=may.handling_officer_or_office_staff,
        custom={"label": _("Record attendance"), "public": True},
    )
    def record_attendance(self):
        """The citizen came to the appointment."""
        self.step_date = None

    # --- Decision and delivery ----------------------------------------------------------------

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.APPROVED,
        permission=may.handling_officer,
        custom={"label": _("Approve"), "public": True},
    )
    def approve(self, *, decided_by, decided_at, reasons=""):
        """The officer grants the request."""
        self.decided_by = decided_by
        self.decided_at = decided_at
        self.decision_reasons = reasons

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.REJECTED,
        permission=may.handling_officer,
        custom={"label": _("Reject"), "public": True, "needs_comment": True},
    )
    def reject(self, *, decided_by, decided_at, reasons):
        """The officer refuses, and must say why: the citizen is owed the reasons."""
        self.decided_by = decided_by
        self.decided_at = decided_at
        self.decision_reasons = reasons

    @transition(
        field=state,
        source=S.APPROVED,
        target=S.ISSUED,
        permission=may.handling_officer,
        custom={"label": _("Issue the document"), "public": True},
    )
    def issue(self):
        """The institution produces the document the service promises."""

    @transition(
        field=state,
        source=S.ISSUED,
        target=S.READY_FOR_COLLECTION,
        permission=may.institution_staff,
        custom={"label": _("Send to the office"), "public": True},
    )
    def dispatch(self):
        """The document travels back to the office where the citizen filed."""

    @transition(
        field=state,
        source=S.READY_FOR_COLLECTION,
        target=S.COLLECTED,
        permission=may.office_staff,
        custom={"label": _("Hand over to the citizen"), "public": True},
    )
    def hand_over(self):
        """The clerk hands the document to the citizen, who signs for it."""

    @transition(
        field=state,
        source=S.REJECTED,
        target=S.CLOSED,
        permission=may.office_staff,
        custom={"label": _("Confirm the citizen was told"), "public": True},
    )
    def notify_rejection(self):
        """The office confirms the citizen received the decision and its reasons."""

    # --- Ending early -------------------------------------------------------------------------

    @transition(
        field=state,
        source=list(UNDECIDED_STATES),
        target=S.WITHDRAWN,
        permission=may.applicant_or_office_staff,
        custom={"label": _("Withdraw"), "public": True, "needs_comment": False},
    )
    def withdraw(self):
        """The citizen gives up a request that has not been decided."""

    @transition(
        field=state,
        source=S.DRAFT,
        target=S.EXPIRED,
        permission=may.system_only,
        custom={"label": _("Expire"), "public": False},
    )
    def expire(self):
        """A draft abandoned for too long is closed by the scheduler."""
