from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("patients/<int:patient_id>/", views.patient_chart, name="patient-chart"),
    path("me/", views.patient_home, name="patient-home"),
]
