"""The catalogue in the Django admin: where an administrator adds a service without code.

The map (provinces, communes, offices) is data too: it changes by law, not by release.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from services.models import (
    Commune,
    Institution,
    Office,
    PaymentChannel,
    Province,
    RequiredDocument,
    RoutingRule,
    Service,
    ServiceField,
)


class CommuneInline(admin.TabularInline):
    model = Commune
    extra = 0
    fields = ["name"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "capital"]
    search_fields = ["name", "code"]
    inlines = [CommuneInline]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "province"]
    list_filter = ["province"]
    list_select_related = ["province"]
    search_fields = ["name"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "town", "province", "commune", "is_active"]
    list_filter = ["is_active", "province"]
    list_select_related = ["province", "commune"]
    search_fields = ["name", "code", "town"]


@admin.register(PaymentChannel)
class PaymentChannelAdmin(admin.ModelAdmin):
    """How to pay: every "how to pay" the citizens read comes from these rows."""

    list_display = ["operator", "pay_to", "holder", "province", "is_active", "position"]
    list_filter = ["is_active", "operator", "province"]
    list_select_related = ["province"]
    list_editable = ["is_active", "position"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "code"]
    search_fields = ["code", "name_fr", "name_rn", "name_en"]


class ServiceFieldInline(admin.TabularInline):
    model = ServiceField
    extra = 0
    fields = [
        "position",
        "code",
        "kind",
        "label_fr",
        "label_rn",
        "label_en",
        "help_fr",
        "help_rn",
        "help_en",
        "required",
        "min_value",
        "max_value",
        "pattern",
        "choices",
    ]


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ["position", "code", "name_fr", "name_rn", "name_en", "mandatory", "accepted_types"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_fr",
        "fee_bif",
        "target_working_days",
        "is_active",
        "display_order",
    ]
    list_display_links = ["code", "name_fr"]
    list_filter = ["is_active", "has_inspection", "has_appointment"]
    search_fields = ["code", "name_fr", "name_rn", "name_en"]
    fieldsets = [
        (None, {"fields": ["code", "is_active", "display_order"]}),
        (_("Names"), {"fields": ["name_fr", "name_rn", "name_en"]}),
        (_("Descriptions"), {"fields": ["description_fr", "description_rn", "description_en"]}),
        (
            _("Fee and delay"),
            {
                "fields": [
                    "fee_bif",
                    "target_working_days",
                    "max_extension_working_days",
                    "information_answer_working_days",
                ]
            },
        ),
        (
            _("Optional steps"),
            {"fields": ["has_inspection", "has_appointment", "public_notice_days"]},
        ),
        (
            _("Issued document"),
            {
                "fields": [
                    "issued_document_fr",
                    "issued_document_rn",
                    "issued_document_en",
                    "issued_document_template",
                    "issued_document_validity_days",
                ]
            },
        ),
    ]
    inlines = [ServiceFieldInline, RequiredDocumentInline]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["service", "province", "institution"]
    list_filter = ["service", "province", "institution"]
    list_select_related = ["service", "province", "institution"]
