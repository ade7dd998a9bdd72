from django.urls import path

from . import views

app_name = "protection"

urlpatterns = [
    # The patient's own page (no id: own_patient).
    path("me/", views.my_protection, name="my-view"),
    # Staff page about one patient (open_patient).
    path("patients/<int:patient_id>/", views.patient_protection, name="patient-view"),
]
