from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    # The patient's own pages (no id: own_patient).
    path("me/drinks/", views.my_drinks, name="drink-log"),
    path("me/drinks/<int:entry_id>/delete/", views.my_drink_delete, name="drink-delete"),
    path("me/progress/", views.my_progress, name="progress-view"),
    path("me/questionnaires/<slug:instrument>/", views.my_questionnaire, name="questionnaire-fill"),
    path("me/results/<int:result_id>/", views.my_result, name="result-view"),
    # Staff pages about one patient (open_patient).
    path("patients/<int:patient_id>/", views.patient_measures, name="patient-view"),
    path("patients/<int:patient_id>/tlfb/", views.timeline, name="timeline-edit"),
    path("patients/<int:patient_id>/questionnaires/<slug:instrument>/", views.patient_questionnaire,
         name="questionnaire-record"),
    # Staff pages about their clinics.
    path("cohort/", views.cohort, name="cohort-view"),
    path("cohort/export/", views.cohort_export, name="cohort-export"),
]
