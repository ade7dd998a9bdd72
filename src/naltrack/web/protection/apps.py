from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "naltrack.web.protection"
    label = "protection"
