"""The protection API: the timeline for the patient themself or their clinic's staff (audited), 404 for
anyone else, 422 for a bad window, and the caveat travelling with every answer."""

from __future__ import annotations

import pytest

from naltrack.web.accounts.models import AuditEvent


def _url(patient, query=""):
    return f"/api/v1/protection/patients/{patient.id}/timeline{query}"


def test_a_patient_reads_their_own_timeline_unaudited(as_user, patient, daily_tablets):
    daily_tablets(patient)
    response = as_user(patient.user).get(_url(patient))
    assert response.status_code == 200
    body = response.json()
    assert body["patient_id"] == patient.id and body["time_zone"] == "America/New_York"
    assert body["has_doses"] is True
    assert len(body["hours"]) == len(body["blockade"]) == len(body["blockade_low"]) == len(body["blockade_high"])
    assert len(body["as_prescribed"]) == len(body["hours"])
    assert all(low <= mid <= high for low, mid, high in zip(body["blockade_low"], body["blockade"],
                                                             body["blockade_high"], strict=True))
    assert body["reading_now"]["band"] == "high"
    assert "never a reason to test the blockade" in body["caveat"]
    assert "tolerance to opioids is lower" in body["caveat"]
    assert body["sources"] == ["S2", "S46", "S49", "S16", "S63"]
    assert "not clinical cut-offs" in body["display_bands"]
    assert {d["origin"] for d in body["doses"]} == {"recorded", "planned"}
    assert not AuditEvent.objects.filter(patient=patient).exists()


def test_the_me_endpoint_matches_the_patient_endpoint(as_user, patient, daily_tablets):
    daily_tablets(patient)
    client = as_user(patient.user)
    assert client.get("/api/v1/protection/me/timeline?days=3").json() == client.get(_url(patient, "?days=3")).json()


def test_staff_read_a_timeline_audited_as_an_api_read(as_user, patient, nurse, daily_tablets):
    daily_tablets(patient)
    response = as_user(nurse).get(_url(patient, "?days=7&ahead=0"))
    assert response.status_code == 200
    assert len(response.json()["hours"]) in (8 * 24, 8 * 24 + 1)  # the shown hours of 8 local days
    events = AuditEvent.objects.filter(actor=nurse, patient=patient, target="estimated protection", via="api")
    assert events.count() == 1


@pytest.mark.parametrize("persona", ["foreign_prescriber", "moderator", "clinic_admin", "outsider"])
def test_anyone_else_gets_404(request, as_user, patient, daily_tablets, persona):
    daily_tablets(patient)
    assert as_user(request.getfixturevalue(persona)).get(_url(patient)).status_code == 404


def test_another_patient_gets_404(as_user, patient, other_patient, daily_tablets):
    daily_tablets(patient)
    assert as_user(other_patient.user).get(_url(patient)).status_code == 404


def test_staff_have_no_me_timeline(as_user, prescriber):
    assert as_user(prescriber).get("/api/v1/protection/me/timeline").status_code == 403


def test_no_doses_answers_an_empty_timeline(as_user, patient):
    body = as_user(patient.user).get(_url(patient)).json()
    assert body["has_doses"] is False and body["blockade"] is None and body["reading_now"] is None
    assert body["caveat"]


@pytest.mark.parametrize("query", ["?days=0", "?days=91", "?days=abc", "?ahead=-1", "?ahead=29", "?days=1e9"])
def test_a_bad_window_is_refused_with_422(as_user, patient, daily_tablets, query):
    daily_tablets(patient)
    assert as_user(patient.user).get(_url(patient, query)).status_code == 422


def test_the_timeline_is_in_the_openapi_schema(as_user, patient):
    schema = as_user(patient.user).get("/api/v1/openapi.json").json()
    assert "/api/v1/protection/patients/{patient_id}/timeline" in schema["paths"]
