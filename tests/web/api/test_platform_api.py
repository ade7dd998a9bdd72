"""/api/v1/: schema, session and token authentication, and the same permission layer as the pages."""

from __future__ import annotations

import pytest

from naltrack.web.accounts.models import AuditEvent
from naltrack.web.accounts.services import issue_api_token


@pytest.fixture
def bearer(client):
    def headers(user):
        _, plain = issue_api_token(user, "test")
        return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}

    return headers


def test_the_openapi_schema_is_published(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "naltrack API"
    assert "/api/v1/patients/{patient_id}" in schema["paths"]


def test_anonymous_calls_are_refused(client, db):
    assert client.get("/api/v1/me").status_code == 401


def test_a_bad_token_is_refused(client, db):
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer nlt_abc_def").status_code == 401


def test_a_revoked_token_is_refused(client, prescriber):
    from django.utils import timezone

    token, plain = issue_api_token(prescriber, "old")
    token.revoked_at = timezone.now()
    token.save()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {plain}").status_code == 401


def test_me_with_a_session(as_user, prescriber, clinic):
    body = as_user(prescriber).get("/api/v1/me").json()
    assert body["roles"] == [{"clinic_id": clinic.id, "clinic": clinic.name, "role": "prescriber"}]
    assert body["is_patient"] is False


def test_me_with_a_token_for_a_patient(client, patient, bearer):
    body = client.get("/api/v1/me", **bearer(patient.user)).json()
    assert body["is_patient"] is True and body["patient_id"] == patient.id


def test_the_patient_list_holds_only_the_callers_clinic(client, nurse, patient, other_patient,
                                                        foreign_patient, bearer):
    body = client.get("/api/v1/patients", **bearer(nurse)).json()
    assert {item["id"] for item in body["items"]} == {patient.id, other_patient.id}
    assert AuditEvent.objects.filter(actor=nurse, target="patient list", via="api").count() == 1


def test_a_patient_lists_only_themself(client, patient, other_patient, bearer):
    body = client.get("/api/v1/patients", **bearer(patient.user)).json()
    assert [item["id"] for item in body["items"]] == [patient.id]


def test_a_patient_record_is_audited_with_the_api_as_channel(client, prescriber, patient, bearer):
    response = client.get(f"/api/v1/patients/{patient.id}", **bearer(prescriber))
    assert response.status_code == 200
    assert response.json()["record_number"] == patient.record_number
    assert AuditEvent.objects.get(patient=patient).via == "api"


@pytest.mark.parametrize("persona", ["foreign_prescriber", "moderator", "clinic_admin", "outsider"])
def test_a_foreign_or_non_clinical_caller_gets_404_for_a_patient(persona, request, client, patient, bearer):
    user = request.getfixturevalue(persona)
    response = client.get(f"/api/v1/patients/{patient.id}", **bearer(user))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_another_patient_gets_404(client, patient, other_patient, bearer):
    assert client.get(f"/api/v1/patients/{patient.id}", **bearer(other_patient.user)).status_code == 404


def test_a_patient_reads_their_own_access_log_but_nobody_elses(client, prescriber, patient, other_patient,
                                                               bearer):
    client.get(f"/api/v1/patients/{patient.id}", **bearer(prescriber))
    mine = client.get(f"/api/v1/patients/{patient.id}/access-log", **bearer(patient.user))
    assert mine.status_code == 200 and len(mine.json()) == 1
    assert client.get(f"/api/v1/patients/{patient.id}/access-log",
                      **bearer(other_patient.user)).status_code == 404


def test_a_session_post_without_csrf_is_refused(db, patient):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(patient.user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post("/api/v1/me").status_code in {401, 403, 405}
