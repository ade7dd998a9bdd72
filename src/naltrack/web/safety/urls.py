from django.urls import path

from . import views

app_name = "safety"

urlpatterns = [
    path("patients/<int:patient_id>/", views.overview, name="overview"),
    path("patients/<int:patient_id>/screening/", views.screening, name="screening"),
    path("patients/<int:patient_id>/screening/<int:screening_id>/override/", views.screening_override,
         name="screening-override"),
    path("patients/<int:patient_id>/liver/", views.liver, name="liver"),
    path("patients/<int:patient_id>/symptoms/", views.symptoms, name="symptoms"),
    path("patients/<int:patient_id>/medications/", views.medications, name="medications"),
    path("patients/<int:patient_id>/medications/<int:medication_id>/stop/", views.medication_stop,
         name="medication-stop"),
    path("patients/<int:patient_id>/card/", views.card_for_staff, name="card"),
    path("me/symptoms/", views.my_symptoms, name="my-symptoms"),
    path("me/symptoms/<int:report_id>/", views.my_symptom_report, name="my-symptom-report"),
    path("me/medicines/", views.my_medicines, name="my-medicines"),
    path("me/card/", views.my_card, name="my-card"),
]
