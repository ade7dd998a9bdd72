from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("supply/", views.clinic_supply, name="supply-clinic"),
    path("patients/<int:patient_id>/", views.patient_chart, name="patient-chart"),
    path("patients/<int:patient_id>/episodes/new/", views.episode_start, name="episode-create"),
    path("patients/<int:patient_id>/episodes/<int:episode_id>/edit/", views.episode_edit, name="episode-edit"),
    path("patients/<int:patient_id>/episodes/<int:episode_id>/end/", views.episode_end, name="episode-end"),
    path("patients/<int:patient_id>/orders/new/", views.order_new, name="order-create"),
    path("patients/<int:patient_id>/doses/supervised/", views.supervised_dose_new, name="dose-supervised"),
    path("patients/<int:patient_id>/injections/new/", views.injection_new, name="injection-create"),
    path("patients/<int:patient_id>/supply/dispense/", views.dispense, name="supply-dispense"),
    path("patients/<int:patient_id>/flags/<int:flag_id>/acknowledge/", views.acknowledge_flag,
         name="flag-acknowledge"),
    path("me/", views.patient_home, name="patient-home"),
    path("me/dose/", views.take_dose, name="dose-take"),
    path("me/dose/backfill/", views.backfill_dose, name="dose-backfill"),
    path("me/checkin/", views.checkin, name="checkin-save"),
    path("me/first-drink/", views.first_drink, name="first-drink"),
    path("me/support/", views.support_people, name="support-people"),
    path("me/support/<int:person_id>/revoke/", views.support_person_revoke, name="support-revoke"),
    path("me/calendar/", views.calendar_feed, name="calendar-feed"),
    path("feed/<str:token>/reminders.ics", views.reminder_feed, name="feed-reminders"),
    path("support/<str:token>/", views.support_notices, name="support-notices"),
    path("support/<str:token>/notices.ics", views.support_notices_feed, name="support-feed"),
]
