from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "naltrack.web.community"
    label = "community"
