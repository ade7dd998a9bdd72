"""Episodes and orders: defaults from the core, validation, and ending safely."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from naltrack.web.accounts.models import AuditEvent
from naltrack.web.care import services
from naltrack.web.care.models import Episode, MedicationOrder

from .conftest import TODAY


def test_an_alcohol_episode_defaults_to_about_twelve_weeks_and_an_opioid_one_is_open_ended(prescriber, patient,
                                                                                          other_patient):
    alcohol = services.start_episode(patient, by=prescriber, indication="alcohol", goal="abstinence",
                                     started_on=TODAY, today=TODAY)
    opioid = services.start_episode(other_patient, by=prescriber, indication="opioid", goal="abstinence",
                                    started_on=TODAY, today=TODAY)
    assert alcohol.planned_weeks == 12
    assert opioid.planned_weeks is None
    assert AuditEvent.objects.filter(actor=prescriber, action="create", target=f"episode {alcohol.id}").exists()


def test_a_second_active_episode_is_refused(prescriber, patient):
    services.start_episode(patient, by=prescriber, indication="alcohol", goal="abstinence", started_on=TODAY,
                           today=TODAY)
    with pytest.raises(services.CareError, match="already has an active episode"):
        services.start_episode(patient, by=prescriber, indication="opioid", goal="abstinence", started_on=TODAY,
                               today=TODAY)
    assert Episode.objects.filter(patient=patient).count() == 1


@pytest.mark.parametrize(("regimen", "fields", "message"), [
    ("oral-daily", {"dose_mg": 380.0}, "50 mg once a day"),          # S7: oral is 50 mg
    ("xr-injection", {"dose_mg": 50.0}, "one strength, 380 mg"),      # S33
    ("low-dose", {"dose_mg": 50.0}, "not a regimen for the alcohol"),  # LDN has no AUD indication
    ("implant", {"dose_mg": 1000.0}, "expected duration"),            # never assumed
    ("oral-supervised", {}, "choose a pattern"),
])
def test_the_core_refuses_bad_orders_with_a_clear_message_and_nothing_is_written(regimen, fields, message,
                                                                                 prescriber, patient):
    episode = services.start_episode(patient, by=prescriber, indication="alcohol", goal="abstinence",
                                     started_on=TODAY, today=TODAY)
    with pytest.raises(services.CareError, match=message):
        services.write_order(episode, by=prescriber, regimen=regimen, starts_on=TODAY, today=TODAY, **fields)
    assert not MedicationOrder.objects.exists()


def test_a_new_order_ends_the_previous_one_the_day_before(start_course, patient, prescriber):
    episode = start_course(patient, "oral-daily", start=TODAY - dt.timedelta(days=10))
    services.write_order(episode, by=prescriber, regimen="targeted", starts_on=TODAY, today=TODAY, dose_mg=50.0)
    old, new = MedicationOrder.objects.order_by("id")
    assert (old.is_current, old.ends_on) == (False, TODAY - dt.timedelta(days=1))
    assert new.is_current and new.minutes_before_drink == 60


def test_ending_an_episode_requires_the_overdose_risk_confirmation(start_course, patient, prescriber):
    episode = start_course(patient)
    with pytest.raises(services.CareError, match="overdose risk"):
        services.end_episode(episode, by=prescriber, ended_on=TODAY, reason="completed",
                             overdose_risk_explained=False, today=TODAY)
    episode.refresh_from_db()
    assert episode.is_active and episode.ended_on is None


def test_the_end_episode_page_refuses_an_unticked_confirmation_and_changes_nothing(as_user, start_course, patient,
                                                                                  prescriber):
    episode = start_course(patient)
    url = reverse("care:episode-end", args=[patient.id, episode.id])
    response = as_user(prescriber).post(url, {"ended_on": TODAY.isoformat(), "reason": "completed"})
    assert response.status_code == 422
    assert "Tick this box" in response.content.decode()
    episode.refresh_from_db()
    assert episode.is_active


def test_ending_with_the_confirmation_shows_the_warning_on_the_patient_home(as_user, start_course, patient,
                                                                           prescriber):
    episode = start_course(patient)
    url = reverse("care:episode-end", args=[patient.id, episode.id])
    response = as_user(prescriber).post(url, {"ended_on": TODAY.isoformat(), "reason": "patient_choice",
                                              "overdose_risk_explained": "on"})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert (episode.status, episode.end_reason, episode.overdose_risk_explained) == ("ended", "patient_choice", True)
    assert not episode.orders.filter(is_current=True).exists()
    home = as_user(patient.user).get(reverse("care:patient-home")).content.decode()
    assert "tolerance-warning" in home and "could now cause an overdose that kills you" in home
    assert "S2" in home and "S46" in home


def test_only_prescribers_start_episodes(as_user, nurse, patient, foreign_prescriber, prescriber):
    url = reverse("care:episode-create", args=[patient.id])
    assert as_user(prescriber).get(url).status_code == 200
    assert as_user(nurse).get(url).status_code == 403
    assert as_user(foreign_prescriber).get(url).status_code == 404
    assert as_user(patient.user).get(url).status_code == 403  # their own record, but not a prescriber


def test_the_order_page_writes_an_xr_order_and_marks_low_dose_off_label(as_user, start_course, prescriber,
                                                                       patient):
    episode = services.start_episode(patient, by=prescriber, indication="other", goal="abstinence",
                                     started_on=TODAY, today=TODAY)
    client = as_user(prescriber)
    response = client.post(reverse("care:order-create", args=[patient.id]),
                           {"regimen": "low-dose", "starts_on": TODAY.isoformat(), "dose_mg": "4.5"})
    assert response.status_code == 302
    assert episode.orders.get().regimen == "low-dose"
    chart = client.get(reverse("care:patient-chart", args=[patient.id])).content.decode()
    assert "off-label" in chart


def test_hostile_order_input_is_refused_without_a_500(as_user, start_course, prescriber, patient):
    start_course(patient)
    client = as_user(prescriber)
    url = reverse("care:order-create", args=[patient.id])
    for data in ({"regimen": "oral-daily", "starts_on": "99999-01-01", "dose_mg": "50"},
                 {"regimen": "oral-daily", "starts_on": TODAY.isoformat(), "dose_mg": "1e400"},
                 {"regimen": "nonsense", "starts_on": TODAY.isoformat()},
                 {"regimen": "oral-daily", "starts_on": "1900-01-01", "dose_mg": "50"}):
        assert client.post(url, data).status_code == 422
    assert MedicationOrder.objects.count() == 1
