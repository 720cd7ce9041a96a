import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.models import RoutingRule
from workflows.assignment import INSTITUTION_ASSIGNABLE_STATES, OFFICE_ASSIGNABLE_STATES
from workflows.queues import DossierQuerySet
from workflows.states import (
    FINAL_STATES,
    REVIEW_STATES,
    WAITING_FOR_CITIZEN_STATES,
    DossierLifecycle,
    DossierState,
)

#: Not open work: never filed, or finished. The open tabs' partial indexes leave these out.
NOT_OPEN_STATES = [DossierState.DRAFT, *FINAL_STATES]


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    COUNTER = "counter", _("At the counter")


class Dossier(DossierLifecycle):
    """A citizen's request for one service, from draft to collection."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tracking_number = models.CharField(
        _("tracking number"), max_length=24, unique=True, null=True, blank=True
    )
    service = models.ForeignKey(
        "services.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        "services.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        help_text=_("Where the dossier was filed and where the citizen collects the result."),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)

    # Drafts fill these in step by step; the database insists on them once the dossier is filed.
    applicant_first_name = models.CharField(_("first name"), max_length=100, blank=True)
    applicant_last_name = models.CharField(_("last name"), max_length=100, blank=True)
    applicant_national_id = models.CharField(_("national ID number"), max_length=32, blank=True)
    applicant_birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    applicant_phone = models.CharField(_("phone number"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("email"), blank=True)
    applicant_commune = models.ForeignKey(
        "services.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    applicant_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dossiers",
    )
    language = models.CharField(
        _("language of the citizen"), max_length=8, default="fr", choices=settings.LANGUAGES
    )

    answers = models.JSONField(_("answers"), default=dict, blank=True)

    institution = models.ForeignKey(
        "services.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    #: The clerk (or supervisor) of the office who holds the dossier; null: nobody yet. Set when
    #: a clerk starts checking it, or by a supervisor's ``assign`` (``workflows.assignment``).
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clerk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    due_date = models.DateField(_("expected date"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    # The SLA clock (``workflows.clock``): the delay promised at filing, kept even if the
    # catalogue changes later, and since when the clock waits for the citizen, if it does.
    target_working_days = models.PositiveSmallIntegerField(
        _("promised delay (working days)"), null=True, blank=True
    )
    clock_paused_at = models.DateTimeField(_("clock paused since"), null=True, blank=True)

    citizen_request = models.TextField(
        _("what the citizen is asked"),
        blank=True,
        help_text=_("Corrections or information the office or institution is waiting for."),
    )
    answer_by = models.DateField(
        _("answer by"),
        null=True,
        blank=True,
        help_text=_("The day by which the citizen is asked to answer the request above."),
    )
    # Online filing. The resume token is a secret the citizen holds (in a link sent to them);
    # only its SHA-256 is stored, so a database leak does not open anyone's dossier.
    resume_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    current_step = models.CharField(
        _("furthest step of the online form"),
        max_length=32,
        blank=True,
        help_text=_("Where the citizen resumes an unfinished online application."),
    )
    resume_link_sent_to = models.CharField(
        _("resume link sent to"), max_length=254, blank=True, editable=False
    )

    # The counter form carries a key from the moment it is shown: posting it twice (a double
    # click, a resent form) finds the dossier the first post filed instead of filing another.
    filing_key = models.UUIDField(null=True, blank=True, editable=False)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [
            models.Index(fields=["office", "state", "due_date"], name="dossier_office_queue"),
            models.Index(
                fields=["institution", "state", "due_date"], name="dossier_institution_queue"
            ),
            # The "All" tabs: one scope, ordered by expected date, read page by page.
            models.Index(fields=["office", "due_date", "id"], name="dossier_office_by_due"),
            models.Index(
                fields=["institution", "due_date", "id"], name="dossier_institution_by_due"
            ),
            # The holder filters ("assigned to me", "unassigned", a colleague) and the
            # supervisors' workload, within one scope, read in queue order.
            models.Index(
                fields=["office", "clerk", "due_date", "id"], name="dossier_office_holder"
            ),
            models.Index(
                fields=["institution", "officer", "due_date", "id"],
                name="dossier_institution_holder",
            ),
            # "Unassigned": PostgreSQL does not read ``IS NULL`` as an equality that keeps the
            # order of the index above, so the dossiers nobody holds have their own.
            models.Index(
                fields=["office", "due_date", "id"],
                condition=Q(clerk__isnull=True),
                name="dossier_office_unassigned",
            ),
            models.Index(
                fields=["institution", "due_date", "id"],
                condition=Q(officer__isnull=True),
                name="dossier_institution_unassigned",
            ),
            # The tabs of open work ("to check", "at the institution"...), several states each:
            # without these, the planner walks the whole scope in due order and discards the
            # finished dossiers, most of a scope after a few years.
            models.Index(
                fields=["office", "due_date", "id"],
                condition=~Q(state__in=NOT_OPEN_STATES),
                name="dossier_office_open",
            ),
            models.Index(
                fields=["institution", "due_date", "id"],
                condition=~Q(state__in=NOT_OPEN_STATES),
                name="dossier_institution_open",
            ),
            # The tabs' counts under "unassigned": the dossiers nobody holds, by state.
            models.Index(
                fields=["office", "state"],
                condition=Q(clerk__isnull=True),
                name="dossier_office_unassigned_st",
            ),
            models.Index(
                fields=["institution", "state"],
                condition=Q(officer__isnull=True),
                name="dossier_inst_unassigned_st",
            ),
            # The supervisors' workload (``workflows.supervision.workload``): every open
            # dossier of one scope counted by holder and state, read from the index alone.
            models.Index(
                fields=["office", "clerk", "state"],
                condition=Q(state__in=OFFICE_ASSIGNABLE_STATES),
                name="dossier_office_workload",
            ),
            models.Index(
                fields=["institution", "officer", "state"],
                condition=Q(state__in=INSTITUTION_ASSIGNABLE_STATES),
                name="dossier_institution_workload",
            ),
            # An officer's "My dossiers" tab in date order: a busy officer has decided tens of
            # thousands over the years, and holds a few thousand in review.
            models.Index(
                fields=["institution", "officer", "due_date", "id"],
                condition=Q(state__in=REVIEW_STATES),
                name="dossier_officer_in_review",
            ),
            # The auditor's list, latest filed first; drafts have no filing time.
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(submitted_at__isnull=False),
                name="dossier_by_filing",
            ),
            models.Index(fields=["applicant_account", "-created_at"], name="dossier_citizen_list"),
            models.Index(fields=["state", "created_at"], name="dossier_state_age"),
            # A citizen's confirmed phone finds the dossiers filed with it and not linked yet
            # (``citizen_access.offered_by_phone``).
            models.Index(
                fields=["applicant_phone"],
                condition=Q(applicant_account__isnull=True),
                name="dossier_unlinked_by_phone",
            ),
            # Staff search (``workflows.queue_search``): a national ID typed in part, a phone.
            # The pattern operator class lets PostgreSQL serve ``LIKE 'prefix%'`` whatever the
            # database's collation. The name's trigram index is in migration 0010 (PostgreSQL).
            models.Index(
                fields=["applicant_national_id"],
                name="dossier_national_id_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(
                fields=["applicant_phone"],
                name="dossier_phone_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="filed_dossiers_have_a_tracking_number",
                condition=Q(state=DossierState.DRAFT)
                | Q(state=DossierState.EXPIRED)
                | Q(state=DossierState.WITHDRAWN)
                | Q(tracking_number__isnull=False),
            ),
            models.CheckConstraint(
                name="filed_dossiers_have_an_applicant",
                condition=Q(
                    state__in=[DossierState.DRAFT, DossierState.EXPIRED, DossierState.WITHDRAWN]
                )
                | (
                    ~Q(applicant_first_name="")
                    & ~Q(applicant_last_name="")
                    & ~Q(applicant_national_id="")
                    & ~Q(applicant_phone="")
                    & Q(applicant_birth_date__isnull=False)
                    & Q(applicant_commune__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["resume_token_hash"],
                condition=~Q(resume_token_hash=""),
                name="resume_token_hash_unique",
            ),
            models.UniqueConstraint(
                fields=["filing_key"],
                condition=Q(filing_key__isnull=False),
                name="counter_filing_key_unique",
            ),
        ]

    def __str__(self):
        return self.tracking_number or _("Draft %(id)s") % {"id": self.public_id}

    @property
    def applicant_name(self) -> str:
        return f"{self.applicant_first_name} {self.applicant_last_name}".strip()

    @property
    def state_label(self) -> str:
        return DossierState(self.state).label

    @property
    def is_paid(self) -> bool:
        fee = self.service.fee_bif or 0
        return self.total_paid() >= fee

    def total_paid(self) -> int:
        """What the citizen has paid, reversed payments not counted."""
        payments = self._prefetched("payments")
        if payments is not None:
            return sum(payment.amount_bif for payment in payments if payment.reversed_at is None)
        return self.payments.counted().aggregate(total=models.Sum("amount_bif"))["total"] or 0

    def _prefetched(self, relation: str):
        """The rows of ``relation`` when a page prefetched them (the dossier page lists its
        payments, attachments and scheduled steps, and the steps' conditions read them too):
        one query for both instead of one per condition."""
        return getattr(self, "_prefetched_objects_cache", {}).get(relation)

    def amount_due(self) -> int:
        """What is left to pay of the service's fee."""
        return max((self.service.fee_bif or 0) - self.total_paid(), 0)

    @property
    def is_waiting_for_citizen(self) -> bool:
        return self.state in WAITING_FOR_CITIZEN_STATES

    @property
    def is_overdue(self) -> bool:
        """Past its expected date, not finished, and not waiting for the citizen (the clock is
        paused then)."""
        return (
            self.due_date is not None
            and self.state not in FINAL_STATES
            and self.state not in WAITING_FOR_CITIZEN_STATES
            and timezone.localdate() > self.due_date
        )

    def missing_mandatory_documents(self, attached_document_ids=None):
        """The mandatory documents not received yet. ``attached_document_ids``: the documents
        of the dossier's attachments, when the caller has just read or written them; else the
        attachments the page read already (``_prefetched``), else a query."""
        if attached_document_ids is None:
            attachments = self._prefetched("attachments")
            if attachments is not None:
                attached_document_ids = [attachment.document_id for attachment in attachments]
            else:
                attached_document_ids = self.attachments.values_list("document_id", flat=True)
        attached = set(attached_document_ids)
        return [
            doc for doc in self.service.documents.all() if doc.mandatory and doc.pk not in attached
        ]

    def open_scheduled_step(self):
        """The inspection, appointment or notice under way, if any (latest without outcome)."""
        steps = self._prefetched("scheduled_steps")
        if steps is not None:
            open_steps = [step for step in steps if step.recorded_at is None]
            return max(open_steps, key=lambda step: step.pk, default=None)
        return self.scheduled_steps.filter(recorded_at__isnull=True).order_by("-id").first()

    def routed_institution(self):
        return RoutingRule.objects.institution_for(self.service, self.office.province)
