"""URL map of the naltrack web app."""

from django.urls import include, path

from .accounts import views as account_views
from .accounts.admin import site as admin_site
from .api.api import api

urlpatterns = [
    path("", account_views.home, name="home"),
    path("", include("naltrack.web.accounts.urls")),
    path("care/", include("naltrack.web.care.urls")),
    path("safety/", include("naltrack.web.safety.urls")),
    path("measures/", include("naltrack.web.measures.urls")),
    path("protection/", include("naltrack.web.protection.urls")),
    path("learn/", include("naltrack.web.learn.urls")),
    path("community/", include("naltrack.web.community.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin_site.urls),
]

handler404 = "naltrack.web.errors.not_found"
handler403 = "naltrack.web.errors.forbidden"
handler500 = "naltrack.web.errors.server_error"
