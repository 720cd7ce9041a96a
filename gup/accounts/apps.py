from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gup.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from gup import languages

        languages.register_kirundi()
        from gup import checks  # noqa: F401  (registers the system checks)
