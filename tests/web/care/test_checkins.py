"""The daily check-in: one per local day, ranges refused, the targeted session."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from naltrack.web.care import services
from naltrack.web.care.models import CheckIn, Dose

from .conftest import NOW, TODAY


def test_a_check_in_is_saved_and_a_second_save_the_same_day_updates_it(as_user, start_course, patient):
    start_course(patient)
    client = as_user(patient.user)
    url = reverse("care:checkin-save")
    client.post(url, {"craving": "7", "opioid_use": "no", "mood": "2", "note": "hard day"})
    client.post(url, {"craving": "3", "opioid_use": "no", "mood": "4", "is_lapse": "on",
                      "lapse_note": "a party", "breath_alcohol_mg_l": "0.12"})
    checkin = CheckIn.objects.get(patient=patient)
    assert (checkin.day, checkin.craving, checkin.mood, checkin.opioid_use) == (TODAY, 3, 4, False)
    assert checkin.is_lapse and checkin.lapse_note == "a party" and str(checkin.breath_alcohol_mg_l) == "0.12"


def test_impossible_values_are_refused_with_a_message_and_change_nothing(as_user, start_course, patient):
    start_course(patient)
    client = as_user(patient.user)
    for bad in ({"craving": "11"}, {"craving": "-1"}, {"mood": "9"}, {"breath_alcohol_mg_l": "7.5"},
                {"breath_alcohol_mg_l": "-0.1"}, {"breath_alcohol_mg_l": "1e999"}, {"craving": "x" * 5000}):
        response = client.post(reverse("care:checkin-save"), bad)
        assert response.status_code == 422
        assert 'role="alert"' in response.content.decode()
    assert not CheckIn.objects.exists()


def test_the_service_refuses_a_future_day_and_bad_types(start_course, patient):
    start_course(patient)
    import pytest

    with pytest.raises(services.CareError):
        services.save_checkin(patient, day=TODAY + dt.timedelta(days=1), craving=2)
    with pytest.raises(services.CareError):
        services.save_checkin(patient, craving=True)
    assert not CheckIn.objects.exists()


def test_targeted_dosing_records_the_gap_between_tablet_and_first_drink(as_user, start_course, patient, freeze):
    start_course(patient, "targeted", minutes_before_drink=60)
    client = as_user(patient.user)
    client.post(reverse("care:dose-take"))
    home = client.get(reverse("care:patient-home")).content.decode()
    assert 'id="countdown-data"' in home and "care/care.js" in home and "<script>" not in home
    freeze(NOW + dt.timedelta(minutes=75))
    client.post(reverse("care:first-drink"), {"time": ""})
    session = services.targeted_session(patient, TODAY)
    assert session["gap_minutes"] == 75
    summary = services.adherence_for(patient, TODAY)
    assert summary.targeted_coverage == 1.0 and summary.drinking_days == 1
    assert Dose.objects.get(patient=patient).time_taken == NOW


def test_the_check_in_links_to_the_drinks_log(as_user, start_course, patient):
    start_course(patient)
    body = as_user(patient.user).get(reverse("care:patient-home")).content.decode()
    assert 'href="/measures/me/drinks/"' in body and "Had a drink? Log it" in body


def test_the_api_check_in_is_for_the_patient_themself(client, start_course, patient, prescriber):
    start_course(patient)
    from naltrack.web.accounts.services import issue_api_token

    _, token = issue_api_token(patient.user, "phone")
    response = client.post("/api/v1/care/me/checkins", {"craving": 4, "mood": 3}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.json()["craving"] == 4
    bad = client.post("/api/v1/care/me/checkins", {"craving": 40}, content_type="application/json",
                      HTTP_AUTHORIZATION=f"Bearer {token}")
    assert bad.status_code == 422
    assert CheckIn.objects.get().craving == 4
    _, staff_token = issue_api_token(prescriber, "desk")
    assert client.post("/api/v1/care/me/checkins", {"craving": 1}, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {staff_token}").status_code == 403
