from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "naltrack.web.safety"
    label = "safety"
