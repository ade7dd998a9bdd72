"""/api/v1/safety/: the same rules as the pages, with explicit schemas and clear 422 errors."""

from __future__ import annotations

import json

import pytest

from naltrack.clinical.screening import ScreeningInputError, parse_screening_input, screen_for_induction
from naltrack.web.accounts.models import AuditEvent
from naltrack.web.accounts.services import issue_api_token
from naltrack.web.care.models import Flag
from naltrack.web.safety.models import LiverResult, Medication, Screening, SymptomReport

from .conftest import BLOCKING_INPUT, READY_INPUT


@pytest.fixture
def bearer():
    def headers(user):
        _, plain = issue_api_token(user, "test")
        return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}

    return headers


def post_json(client, url, data, headers):
    return client.post(url, json.dumps(data) if not isinstance(data, str) else data,
                       content_type="application/json", **headers)


def test_a_nurse_records_a_screening_and_gets_the_cores_verdict(client, nurse, patient, bearer):
    response = post_json(client, f"/api/v1/safety/patients/{patient.id}/screenings", BLOCKING_INPUT, bearer(nurse))
    assert response.status_code == 201
    body = response.json()
    expected = screen_for_induction(parse_screening_input(BLOCKING_INPUT)).as_dict()
    assert body["verdict"] == expected["verdict"] == "not_ready"
    assert body["reasons"] == expected["reasons"]
    assert Screening.objects.get().verdict == "not_ready"
    assert AuditEvent.objects.filter(action="create", via="api").exists()
    listed = client.get(f"/api/v1/safety/patients/{patient.id}/screenings", **bearer(nurse)).json()
    assert [s["id"] for s in listed] == [body["id"]]


@pytest.mark.parametrize("data", [
    {**READY_INPUT, "alt": "30"},  # text is not a number
    {**READY_INPUT, "alt": True},  # true is not a number
    {**READY_INPUT, "favourite_colour": "blue"},  # unknown field
    {**READY_INPUT, "cows_score": -1},
    {"formulation": "oral"},  # indication missing
    [1, 2, 3],
    "not json at all",
    "[" * 5000 + "]" * 5000,  # nested too deeply
])
def test_bad_screening_input_answers_422_like_the_cli_and_changes_nothing(data, client, nurse, patient, bearer):
    response = post_json(client, f"/api/v1/safety/patients/{patient.id}/screenings", data, bearer(nurse))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    if isinstance(data, dict | list):
        with pytest.raises(ScreeningInputError) as cli_error:
            parse_screening_input(data)
        assert detail == str(cli_error.value)
    assert not Screening.objects.exists()


@pytest.mark.parametrize("persona", ["foreign_prescriber", "outsider"])
@pytest.mark.parametrize("path", ["screenings", "liver-results", "symptom-reports", "medications"])
def test_another_clinic_gets_404_by_api_id(persona, path, request, client, patient, bearer):
    user = request.getfixturevalue(persona)
    url = f"/api/v1/safety/patients/{patient.id}/{path}"
    assert client.get(url, **bearer(user)).status_code == 404
    if path != "symptom-reports":
        assert post_json(client, url, {"indication": "alcohol", "formulation": "oral", "test": "alt", "value": 1,
                                       "unit": "U/L", "uln": 40, "taken_on": "2026-10-01", "name": "x"}
                         if path == "screenings" else _valid_body(path), bearer(user)).status_code == 404
    assert not AuditEvent.objects.exists()


def _valid_body(path):
    if path == "liver-results":
        return {"test": "alt", "value": 130, "unit": "U/L", "uln": 40, "taken_on": "2026-10-01"}
    return {"name": "Codeine"}


def test_liver_results_through_the_api_flag_and_refuse_impossible_values(client, nurse, patient, bearer):
    url = f"/api/v1/safety/patients/{patient.id}/liver-results"
    response = post_json(client, url, _valid_body("liver-results"), bearer(nurse))
    assert response.status_code == 201
    assert response.json()["multiple_of_uln"] == 3.25 and response.json()["flag"] == "clinician"
    assert Flag.objects.get(patient=patient).severity == "warning"
    bad = post_json(client, url, {**_valid_body("liver-results"), "uln": 0}, bearer(nurse))
    assert bad.status_code == 422 and "upper limit" in bad.json()["detail"].lower()
    future = post_json(client, url, {**_valid_body("liver-results"), "taken_on": "2030-01-01"}, bearer(nurse))
    assert future.status_code == 422
    assert LiverResult.objects.count() == 1
    assert [r["id"] for r in client.get(url, **bearer(nurse)).json()] == [response.json()["id"]]


def test_a_counsellor_reads_but_cannot_write_through_the_api(client, counsellor, patient, bearer):
    url = f"/api/v1/safety/patients/{patient.id}/medications"
    assert client.get(url, **bearer(counsellor)).status_code == 200
    assert post_json(client, url, {"name": "Codeine"}, bearer(counsellor)).status_code == 403
    assert not Medication.objects.exists()


def test_medications_through_the_api_carry_the_cores_warnings(client, nurse, patient, bearer):
    url = f"/api/v1/safety/patients/{patient.id}/medications"
    body = post_json(client, url, {"name": "Percocet"}, bearer(nurse)).json()
    assert {w["medicine"] for w in body["warnings"]} == {"oxycodone", "paracetamol"}
    assert Flag.objects.get(patient=patient).kind == "opioid_medication"


def test_a_patient_reports_their_own_symptoms_and_staff_list_them(client, patient, nurse, bearer):
    response = post_json(client, "/api/v1/safety/me/symptom-reports",
                         {"symptoms": ["dark_urine"], "free_text": "since Monday"}, bearer(patient.user))
    assert response.status_code == 201
    assert response.json()["urgency"] == "urgent" and response.json()["flags_clinician"] is True
    assert Flag.objects.get(patient=patient).severity == "urgent"
    listed = client.get(f"/api/v1/safety/patients/{patient.id}/symptom-reports", **bearer(nurse)).json()
    assert [r["id"] for r in listed] == [response.json()["id"]]
    mine = client.get("/api/v1/safety/me/symptom-reports", **bearer(patient.user)).json()
    assert [r["id"] for r in mine] == [response.json()["id"]]


def test_a_patient_cannot_list_their_reports_through_the_staff_endpoint(client, patient, other_patient, bearer):
    assert client.get(f"/api/v1/safety/patients/{patient.id}/symptom-reports",
                      **bearer(patient.user)).status_code == 403
    assert client.get(f"/api/v1/safety/patients/{patient.id}/symptom-reports",
                      **bearer(other_patient.user)).status_code == 404


@pytest.mark.parametrize("data", [{"symptoms": ["made_up"]}, {}, {"symptoms": "dark_urine"},
                                  {"symptoms": [], "free_text": "   "}, {"free_text": "y" * 2001},
                                  {"symptoms": ["nausea"], "patient_id": 7}])
def test_bad_symptom_reports_are_refused(data, client, patient, bearer):
    response = post_json(client, "/api/v1/safety/me/symptom-reports", data, bearer(patient.user))
    assert response.status_code == 422
    assert not SymptomReport.objects.exists()


def test_staff_cannot_file_a_report_as_a_patient(client, nurse, bearer):
    response = post_json(client, "/api/v1/safety/me/symptom-reports", {"symptoms": ["nausea"]}, bearer(nurse))
    assert response.status_code == 403


def test_the_screening_input_is_documented_in_the_openapi_schema(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    post = schema["paths"]["/api/v1/safety/patients/{patient_id}/screenings"]["post"]
    properties = post["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert "opioid_last_use_days_ago" in properties and "bmi" in properties


@pytest.mark.parametrize("path", ["screenings", "liver-results", "symptom-reports", "medications"])
def test_api_lists_use_a_constant_number_of_queries(path, client, nurse, patient, bearer, screen, liver_result):
    """Five records or fifteen: the same number of SQL queries (no query per row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from naltrack.web.safety import services

    def add(n):
        for i in range(n):
            screen(patient, BLOCKING_INPUT, nurse)
            liver_result(patient, nurse, value=30 + i)
            services.report_symptoms(patient, symptoms=["nausea"])
            services.record_medication(patient, name=f"Medicine {i}", by=nurse, today=patient.enrolled_on)

    headers = bearer(nurse)
    url = f"/api/v1/safety/patients/{patient.id}/{path}"
    add(5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, **headers).status_code == 200
    add(10)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url, **headers).json()) >= 15
    assert len(many) == len(few)
