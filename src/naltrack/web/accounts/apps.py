from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "naltrack.web.accounts"
    label = "accounts"
    verbose_name = "Clinics, people and audit"
