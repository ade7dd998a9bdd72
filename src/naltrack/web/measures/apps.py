from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "naltrack.web.measures"
    label = "measures"
