from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "naltrack.web.care"
    label = "care"
    verbose_name = "Care"
