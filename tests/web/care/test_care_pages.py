"""Caseload, chart and patient home through their real URLs, for each persona."""

from __future__ import annotations

import pytest
from django.urls import reverse

from naltrack.web.accounts.models import AuditEvent


def test_pages_need_a_login(client, patient):
    for url in [reverse("care:caseload"), reverse("care:patient-chart", args=[patient.id]),
                reverse("care:patient-home")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_caseload_lists_only_the_clinicians_own_clinic(as_user, prescriber, patient, foreign_patient):
    response = as_user(prescriber).get(reverse("care:caseload"))
    assert response.status_code == 200
    body = response.content.decode()
    assert patient.record_number in body
    assert foreign_patient.record_number not in body


def test_the_caseload_search_finds_by_record_number(as_user, nurse, patient, other_patient):
    response = as_user(nurse).get(reverse("care:caseload"), {"q": patient.record_number})
    body = response.content.decode()
    assert patient.record_number in body
    assert other_patient.record_number not in body


@pytest.mark.parametrize("persona", ["moderator", "clinic_admin", "outsider"])
def test_the_caseload_is_refused_to_people_without_a_clinical_role(persona, request, as_user):
    user = request.getfixturevalue(persona)
    assert as_user(user).get(reverse("care:caseload")).status_code == 403


def test_a_patient_cannot_open_the_caseload(as_user, patient):
    assert as_user(patient.user).get(reverse("care:caseload")).status_code == 403


def test_the_chart_opens_for_the_patients_own_clinician_and_is_audited(as_user, counsellor, patient):
    response = as_user(counsellor).get(reverse("care:patient-chart", args=[patient.id]),
                                       REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 200
    assert patient.full_name in response.content.decode()
    event = AuditEvent.objects.get(patient=patient)
    assert event.actor == counsellor and event.ip_address == "192.0.2.7" and event.action == "view"


def test_the_chart_is_not_found_for_another_clinics_clinician(as_user, foreign_prescriber, patient):
    assert as_user(foreign_prescriber).get(reverse("care:patient-chart", args=[patient.id])).status_code == 404
    assert not AuditEvent.objects.exists()


def test_the_chart_is_not_found_for_another_patient(as_user, other_patient, patient):
    assert as_user(other_patient.user).get(reverse("care:patient-chart", args=[patient.id])).status_code == 404


def test_the_patient_home_greets_the_patient_and_says_naltrack_supports_the_care_team(as_user, patient):
    response = as_user(patient.user).get(reverse("care:patient-home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Hello, {patient.given_name}" in body
    assert "does not replace" in body and "care team" in body


def test_staff_cannot_open_the_patient_home(as_user, prescriber):
    assert as_user(prescriber).get(reverse("care:patient-home")).status_code == 403
