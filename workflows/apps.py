from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Dossiers")

    def ready(self):
        from workflows import actions, citizen_access

        actions.connect_guard()
        citizen_access.connect_sign_in()
