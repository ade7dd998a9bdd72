"""/api/v1/care/: same permission layer and services as the pages."""

from __future__ import annotations

import datetime as dt

import pytest

from naltrack.web.accounts.services import issue_api_token
from naltrack.web.care.models import Dose, Episode, Flag

from .conftest import TODAY


@pytest.fixture
def api(client):
    def call(user, method, path, body=None):
        _, token = issue_api_token(user, "t")
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if body is not None:
            kwargs.update(data=body, content_type="application/json")
        return getattr(client, method)(f"/api/v1/care{path}", **kwargs)

    return call


def test_a_prescriber_starts_an_episode_and_writes_an_order(api, prescriber, patient, freeze, gate):
    response = api(prescriber, "post", f"/patients/{patient.id}/episodes",
                   {"indication": "opioid", "started_on": TODAY.isoformat()})
    assert response.status_code == 201 and response.json()["planned_weeks"] is None
    order = api(prescriber, "post", f"/patients/{patient.id}/orders",
                {"regimen": "xr-injection", "starts_on": TODAY.isoformat(), "dose_mg": 380})
    assert order.status_code == 201 and order.json()["label_status"] == "on-label"
    bad = api(prescriber, "post", f"/patients/{patient.id}/orders",
              {"regimen": "xr-injection", "starts_on": TODAY.isoformat(), "dose_mg": 50})
    assert bad.status_code == 422 and "380 mg" in bad.json()["detail"]
    assert len(api(prescriber, "get", f"/patients/{patient.id}/orders").json()) == 1


@pytest.mark.parametrize(("persona", "status"), [("nurse", 403), ("foreign_prescriber", 404)])
def test_episode_creation_is_refused_to_others(persona, status, request, api, patient):
    user = request.getfixturevalue(persona)
    response = api(user, "post", f"/patients/{patient.id}/episodes",
                   {"indication": "alcohol", "started_on": TODAY.isoformat()})
    assert response.status_code == status
    assert not Episode.objects.exists()


def test_lists_answer_404_across_clinics_and_to_other_patients(api, start_course, patient, other_patient,
                                                               foreign_prescriber):
    start_course(patient)
    for path in ("episodes", "orders", "doses", "adherence", "flags"):
        assert api(foreign_prescriber, "get", f"/patients/{patient.id}/{path}").status_code == 404
        assert api(other_patient.user, "get", f"/patients/{patient.id}/{path}").status_code == 404


def test_a_patient_reads_their_own_adherence_and_reports_a_dose(api, start_course, patient):
    start_course(patient)
    assert api(patient.user, "post", f"/patients/{patient.id}/doses", {"kind": "self"}).status_code == 201
    assert api(patient.user, "post", f"/patients/{patient.id}/doses", {"kind": "injection"}).status_code == 403
    adherence = api(patient.user, "get", f"/patients/{patient.id}/adherence").json()
    assert adherence["regimen"] == "oral-daily" and adherence["pdc_28"] is not None
    assert api(patient.user, "get", f"/patients/{patient.id}/flags").status_code == 403


def test_staff_record_an_injection_through_the_api(api, start_course, patient, nurse, counsellor):
    start_course(patient, "xr-injection", indication="opioid")
    body = {"kind": "injection", "site": "left gluteal", "lot": "Q1", "expires_on": "2027-05-01"}
    assert api(counsellor, "post", f"/patients/{patient.id}/doses", body).status_code == 403
    response = api(nurse, "post", f"/patients/{patient.id}/doses", body)
    assert response.status_code == 201 and response.json()["site"] == "left gluteal"
    expired = {**body, "expires_on": "2020-01-01", "day": (TODAY - dt.timedelta(days=1)).isoformat()}
    assert api(nurse, "post", f"/patients/{patient.id}/doses", expired).status_code == 422
    hostile = {**body, "dose_mg": 1e308, "lot": "x" * 500}
    assert api(nurse, "post", f"/patients/{patient.id}/doses", hostile).status_code == 422
    assert Dose.objects.count() == 1


def test_flags_are_listed_and_acknowledged_through_the_api(api, patient, counsellor, foreign_prescriber):
    from naltrack.web.care.flags import raise_flag

    flag = raise_flag(patient, kind="k", severity="warning", title="Look")
    assert [f["id"] for f in api(counsellor, "get", f"/patients/{patient.id}/flags").json()] == [flag.id]
    assert api(foreign_prescriber, "post",
               f"/patients/{patient.id}/flags/{flag.id}/acknowledge").status_code == 404
    response = api(counsellor, "post", f"/patients/{patient.id}/flags/{flag.id}/acknowledge")
    assert response.status_code == 200 and response.json()["acknowledged_at"]
    assert Flag.objects.get().acknowledged_by == counsellor
