from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gup.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from gup import languages

        languages.register_kirundi()
        # The system checks; the security log's listeners to failed and locked-out sign-ins.
        from gup import checks, security_log  # noqa: F401
