"""Staff and roles, managed by administrators in the Django admin."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from gup.accounts.models import User

ROLE_FIELDS = ("role", "office", "institution", "phone", "preferred_language")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Role and scope"),
            {
                "fields": (*ROLE_FIELDS, "phone_verified_at"),
                "description": _(
                    "Clerks and office supervisors need an office; ministry officers and "
                    "supervisors need an institution."
                ),
            },
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role and scope"), {"classes": ("wide",), "fields": ROLE_FIELDS}),
    )
    list_display = ["username", "full_name", "role", "office", "institution", "is_active"]
    list_filter = ["role", "office", "institution", "is_active", "is_staff"]
    list_select_related = ["office", "institution"]
    # Set by the citizen's one-time code only; cleared when the number changes.
    readonly_fields = ["phone_verified_at"]
    search_fields = ["username", "first_name", "last_name", "email", "phone"]

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, user):
        return user.get_full_name()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The model keeps a free code; the admin offers the project's languages only.
        if db_field.name == "preferred_language":
            return forms.ChoiceField(
                label=db_field.verbose_name,
                choices=settings.LANGUAGES,
                initial=db_field.default,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)
