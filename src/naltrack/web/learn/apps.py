from django.apps import AppConfig


class LearnConfig(AppConfig):
    name = "naltrack.web.learn"
    label = "learn"
