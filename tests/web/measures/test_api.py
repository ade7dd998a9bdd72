"""The measures API: the patient's own drinks and questionnaires, staff lists, outcomes, personas."""

from __future__ import annotations

import json

import pytest

from naltrack.clinical.instruments import score
from naltrack.web.accounts.models import AuditEvent
from naltrack.web.care.models import Flag
from naltrack.web.measures.models import DrinkEntry, QuestionnaireResult

from .conftest import TODAY


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_patient_logs_and_lists_their_drinks(as_user, patient, frozen_now):
    client = as_user(patient.user)
    response = post(client, "/api/v1/measures/me/drinks",
                    {"day": TODAY.isoformat(), "beverage": "spirits", "volume_ml": 44, "abv_percent": 40})
    assert response.status_code == 201
    body = response.json()
    assert body["ethanol_g"] == pytest.approx(44 * 0.4 * 0.789) and body["unit"] == "us"
    assert [d["id"] for d in client.get("/api/v1/measures/me/drinks").json()] == [body["id"]]


@pytest.mark.parametrize("body", [
    {"day": "2026-10-01", "beverage": "beer", "volume_ml": 355, "abv_percent": 5},   # older than a week
    {"day": "2026-10-16", "beverage": "beer", "volume_ml": 355, "abv_percent": 5},   # tomorrow
    {"day": "2026-10-15", "beverage": "beer", "volume_ml": 1e12, "abv_percent": 5},
    {"day": "2026-10-15", "beverage": "beer", "volume_ml": 355, "abv_percent": 250},
    {"day": "2026-10-15", "beverage": "beer", "volume_ml": "lots", "abv_percent": 5},
    {"day": "2026-10-15", "beverage": "lemonade", "volume_ml": 355, "abv_percent": 5},
])
def test_bad_drinks_are_refused_with_422_and_nothing_stored(as_user, patient, frozen_now, body):
    response = post(as_user(patient.user), "/api/v1/measures/me/drinks", body)
    assert response.status_code == 422
    assert not DrinkEntry.objects.exists()


def test_staff_cannot_use_the_patient_endpoints(as_user, prescriber, frozen_now):
    assert as_user(prescriber).get("/api/v1/measures/me/drinks").status_code == 403


def test_staff_list_a_patients_drinks_audited_and_another_clinic_gets_404(as_user, patient, prescriber,
                                                                         foreign_prescriber, frozen_now):
    post(as_user(patient.user), "/api/v1/measures/me/drinks",
         {"day": TODAY.isoformat(), "beverage": "beer", "volume_ml": 355, "abv_percent": 5})
    response = as_user(prescriber).get(f"/api/v1/measures/patients/{patient.id}/drinks")
    assert response.status_code == 200 and len(response.json()) == 1
    assert AuditEvent.objects.filter(actor=prescriber, patient=patient, target="drinks", via="api").exists()
    assert as_user(foreign_prescriber).get(f"/api/v1/measures/patients/{patient.id}/drinks").status_code == 404
    assert as_user(patient.user).get(f"/api/v1/measures/patients/{patient.id}/drinks").status_code == 403


def test_phq9_item_9_through_the_api_returns_crisis_steps_and_flags(as_user, patient, frozen_now):
    answers = [0, 1, 0, 0, 0, 0, 0, 0, 2]
    response = post(as_user(patient.user), "/api/v1/measures/me/questionnaires",
                    {"instrument": "phq-9", "answers": answers})
    assert response.status_code == 201
    body = response.json()
    assert body["result"]["total"] == score("phq-9", answers).total
    assert "988" in body["crisis_next_steps"][0]
    assert Flag.objects.get(patient=patient).severity == "emergency"


@pytest.mark.parametrize("body", [
    {"instrument": "phq-9", "answers": [0] * 8},
    {"instrument": "phq-9", "answers": [0] * 8 + [7]},
    {"instrument": "cows", "answers": [0] * 11},  # clinician-rated
    {"instrument": "dast-10", "answers": [1] * 10},  # yes/no items take true/false
])
def test_bad_questionnaires_are_refused(as_user, patient, frozen_now, body):
    response = post(as_user(patient.user), "/api/v1/measures/me/questionnaires", body)
    assert response.status_code == 422
    assert not QuestionnaireResult.objects.exists()


def test_staff_record_and_list_questionnaires(as_user, patient, nurse, foreign_prescriber, frozen_now):
    url = f"/api/v1/measures/patients/{patient.id}/questionnaires"
    response = post(as_user(nurse), url, {"instrument": "cows", "answers": [0] * 11, "taken_on": "2026-10-14"})
    assert response.status_code == 201
    assert len(as_user(nurse).get(url).json()) == 1
    assert post(as_user(foreign_prescriber), url, {"instrument": "cows", "answers": [0] * 11}).status_code == 404
    assert QuestionnaireResult.objects.count() == 1


def test_outcomes_for_a_patient_and_the_cohort(as_user, patient, prescriber, make_timeline, frozen_now):
    make_timeline(patient, TODAY, 5)
    mine = as_user(patient.user).get("/api/v1/measures/me/outcomes").json()
    theirs = as_user(prescriber).get(f"/api/v1/measures/patients/{patient.id}/outcomes").json()
    assert mine["measures"] == theirs["measures"]
    assert mine["measures"]["percent_heavy_drinking_days"] == 100.0
    cohort = as_user(prescriber).get("/api/v1/measures/cohort/outcomes?unit=uk").json()
    assert cohort["patients"] == 1 and cohort["unit"] == "uk"
    assert as_user(prescriber).get("/api/v1/measures/cohort/outcomes?unit=pints").status_code == 422
    assert as_user(patient.user).get("/api/v1/measures/cohort/outcomes").status_code == 403
    bad = as_user(prescriber).get(f"/api/v1/measures/patients/{patient.id}/outcomes?start=2026-10-15&end=2026-01-01")
    assert bad.status_code == 422
