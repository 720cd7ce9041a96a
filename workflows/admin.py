"""Dossiers in the Django admin: to look, never to change.

A dossier changes only through the action layer (``workflows.actions.perform``), which checks
the transition, the role and the scope, and writes the hash-chained history in the same
transaction. An admin form would bypass all of that, so every model here is read-only.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gup.roles import Role
from gup.sms.masking import mask_phone
from workflows import outbox
from workflows.actors import INSTITUTION_SYSTEM_ROLE, SYSTEM_ROLE
from workflows.models import (
    Attachment,
    Closure,
    Decision,
    Dossier,
    Effect,
    HistoryEntry,
    HistoryHead,
    OutboxMessage,
    Payment,
    ScheduledStep,
)
from workflows.models.history import ACTOR_ROLE_LABELS
from workflows.states import DossierState


class ReadOnlyMixin:
    """No add, change or delete, whoever asks; viewing follows the usual permissions."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class HistoryInline(ReadOnlyInline):
    model = HistoryEntry
    fields = [
        "position",
        "at",
        "kind",
        "from_state",
        "to_state",
        "actor_kind",
        "actor_name",
        "actor_role",
        "actor_reference",
        "comment",
        "details",
        "is_public",
    ]


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["document", "original_name", "content_type", "size", "sha256", "uploaded_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document")


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["amount_bif", "method", "reference", "recorded_by", "recorded_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


class DecisionInline(ReadOnlyInline):
    model = Decision
    fields = ["outcome", "reasons", "decided_by_name", "decided_at"]


class ScheduledStepInline(ReadOnlyInline):
    model = ScheduledStep
    fields = ["kind", "starts_at", "ends_on", "place", "what_to_bring", "outcome", "recorded_at"]


@admin.register(Dossier)
class DossierAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["tracking_number", "service", "office", "state", "due_date", "institution"]
    list_filter = ["state", "service", "office", "institution"]
    list_select_related = ["service", "office", "institution"]
    search_fields = ["tracking_number", "applicant_last_name", "applicant_first_name"]
    # No COUNT(*) over the whole table on every search: it is slow with a million dossiers.
    show_full_result_count = False
    inlines = [
        DecisionInline,
        ScheduledStepInline,
        HistoryInline,
        AttachmentInline,
        PaymentInline,
    ]


class ToStateFilter(admin.SimpleListFilter):
    """Offers the states from the graph: a DISTINCT over the whole history would be slow."""

    title = _("to")
    parameter_name = "to_state"

    def lookups(self, request, model_admin):
        return DossierState.choices

    def queryset(self, request, queryset):
        return queryset.filter(to_state=self.value()) if self.value() else queryset


class ActorRoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "actor_role"

    def lookups(self, request, model_admin):
        machines = [
            (role, ACTOR_ROLE_LABELS[role]) for role in (SYSTEM_ROLE, INSTITUTION_SYSTEM_ROLE)
        ]
        return [*Role.choices, *machines]

    def queryset(self, request, queryset):
        return queryset.filter(actor_role=self.value()) if self.value() else queryset


@admin.register(HistoryEntry)
class HistoryEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The audit log, for auditors. Append-only in the model; read-only here."""

    list_display = [
        "dossier",
        "position",
        "at",
        "kind",
        "from_state",
        "to_state",
        "actor_kind",
        "actor_name",
        "actor_role",
    ]
    list_filter = ["actor_kind", ToStateFilter, ActorRoleFilter]
    list_select_related = ["dossier"]
    search_fields = ["dossier__tracking_number", "actor_name", "=actor_reference", "=kind"]
    show_full_result_count = False


@admin.register(HistoryHead)
class HistoryHeadAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Each dossier's history anchor: the last row's position and hash. Moved only by appends."""

    list_display = ["dossier", "position", "hash"]
    list_select_related = ["dossier"]
    search_fields = ["=dossier__tracking_number"]
    show_full_result_count = False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """What GUP owes: each SMS, email and batch of documents, how it went, and the dead letters.

    Read-only, as everything here; the one thing an administrator does is give dead letters
    another round of attempts, once the cause (a gateway outage, a wrong setting) is fixed.
    """

    list_display = [
        "id",
        "created_at",
        "effect",
        "topic",
        "masked_recipient",
        "dossier",
        "status",
        "attempts",
        "short_error",
    ]
    list_filter = ["status", "effect", "delivery_status", "topic"]
    list_select_related = ["dossier"]
    search_fields = ["=dossier__tracking_number", "=id", "=provider_reference"]
    exclude = ["sealed_secrets", "recipient"]
    readonly_fields = ["masked_recipient"]
    show_full_result_count = False
    actions = ["retry_dead_letters"]

    @admin.display(description=_("recipient"))
    def masked_recipient(self, message):
        if message.effect == Effect.SMS:
            return mask_phone(message.recipient)
        return message.recipient

    @admin.display(description=_("last error"))
    def short_error(self, message):
        return message.last_error[:80]

    @admin.action(description=_("Retry the selected dead letters"))
    def retry_dead_letters(self, request, queryset):
        revived = outbox.retry(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d dead letter will be tried again.",
                "%(count)d dead letters will be tried again.",
                revived,
            )
            % {"count": revived},
        )


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    """Days an office, or every office, does not work: they do not count towards deadlines.

    Unlike the dossiers, the calendar is the administrator's to change (``Closure.clean``
    refuses a last day before the first).
    """

    list_display = ["first_day", "last_day", "office", "reason"]
    list_filter = [("office", admin.EmptyFieldListFilter), "office"]
    list_select_related = ["office"]
    search_fields = ["reason"]
    date_hierarchy = "first_day"
