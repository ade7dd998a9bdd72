from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "naltrack.web.api"
    label = "api"
    verbose_name = "API"
