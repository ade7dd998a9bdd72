"""Patients report symptoms; the core triages; emergency and urgent reports flag the clinician at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from naltrack.clinical.triage import triage_report
from naltrack.web.care.models import Flag
from naltrack.web.safety.models import SymptomReport

MY_URL = "/safety/me/symptoms/"


def test_a_dark_urine_report_is_urgent_flags_the_clinician_and_says_what_to_do(as_user, patient):
    client = as_user(patient.user)
    response = client.post(MY_URL, {"symptoms": ["dark_urine"], "free_text": ""})
    report = SymptomReport.objects.get(patient=patient)
    assert response.status_code == 302
    assert response["Location"] == reverse("safety:my-symptom-report", args=[report.id])
    expected = triage_report(["dark_urine"], "", country="US")
    assert report.urgency == "urgent" == expected.urgency.value
    assert report.next_steps == list(expected.next_steps)
    flag = Flag.objects.get(patient=patient)
    assert flag.severity == "urgent" and flag.kind == "symptom_urgent"
    assert flag.link == reverse("safety:symptoms", args=[patient.id]) + f"#report-{report.id}"
    body = client.get(response["Location"]).content.decode()
    assert "Contact your clinic today" in body
    assert expected.next_steps[0] in body
    assert "naltrack supports, and does not replace, your care team" in body
    assert "Your care team has been alerted" in body


def test_an_emergency_shows_the_clinic_countrys_number_and_flags_emergency(as_user, make_patient, other_clinic):
    patient = make_patient(other_clinic)  # a UK clinic: 999
    client = as_user(patient.user)
    client.post(MY_URL, {"symptoms": ["breathing_emergency"]})
    report = SymptomReport.objects.get(patient=patient)
    assert report.urgency == "emergency"
    assert Flag.objects.get(patient=patient).severity == "emergency"
    body = client.get(reverse("safety:my-symptom-report", args=[report.id])).content.decode()
    assert "Call 999 now" in body
    assert "911" not in body


def test_free_text_alone_is_triaged(as_user, patient):
    as_user(patient.user).post(MY_URL, {"free_text": "My pee is dark brown since yesterday"})
    report = SymptomReport.objects.get()
    assert report.urgency == "urgent" and "dark_urine" in report.codes


def test_a_routine_report_gives_plain_next_steps_and_no_flag(as_user, patient):
    client = as_user(patient.user)
    response = client.post(MY_URL, {"symptoms": ["nausea", "headache"]}, follow=True)
    body = response.content.decode()
    assert SymptomReport.objects.get().urgency == "routine"
    assert not Flag.objects.exists()
    assert "common side effects" in body
    assert "naltrack supports, and does not replace, your care team" in body


@pytest.mark.parametrize("data", [
    {},  # nothing at all
    {"symptoms": ["not_a_symptom"]},
    {"free_text": "x" * 2001},
])
def test_bad_reports_change_nothing(data, as_user, patient):
    response = as_user(patient.user).post(MY_URL, data)
    assert response.status_code == 400
    assert not SymptomReport.objects.exists() and not Flag.objects.exists()


def test_hostile_free_text_is_escaped_for_the_patient_and_the_clinician(as_user, patient, nurse):
    hostile = '<img src=x onerror="alert(1)"> my urine is dark'
    as_user(patient.user).post(MY_URL, {"free_text": hostile})
    report = SymptomReport.objects.get()
    for user, path in ((patient.user, reverse("safety:my-symptom-report", args=[report.id])),
                       (nurse, reverse("safety:symptoms", args=[patient.id]))):
        response = as_user(user).get(path)
        body = response.content.decode()
        assert response.status_code == 200
        assert "<img src=x onerror" not in body and "&lt;img src=x onerror" in body


def test_a_patient_cannot_open_another_patients_report(as_user, patient, other_patient):
    as_user(patient.user).post(MY_URL, {"symptoms": ["headache"]})
    report = SymptomReport.objects.get()
    assert as_user(other_patient.user).get(reverse("safety:my-symptom-report", args=[report.id])).status_code == 404


@pytest.mark.parametrize("persona", ["nurse", "outsider"])
def test_the_patient_pages_are_for_patients(persona, request, as_user):
    user = request.getfixturevalue(persona)
    assert as_user(user).get(MY_URL).status_code == 403


def test_clinicians_see_reports_on_the_chart_with_each_persona(as_user, patient, counsellor, foreign_prescriber):
    as_user(patient.user).post(MY_URL, {"symptoms": ["jaundice"]})
    chart = reverse("safety:symptoms", args=[patient.id])
    body = as_user(counsellor).get(chart).content.decode()
    assert "Yellow skin or yellow whites of the eyes" in body
    assert as_user(foreign_prescriber).get(chart).status_code == 404
    assert as_user(patient.user).get(chart).status_code == 403


def test_the_checklist_uses_the_cores_plain_words(as_user, patient):
    body = as_user(patient.user).get(MY_URL).content.decode()
    assert "Dark urine (pee the colour of tea or cola)" in body
    assert "Call 911" in body
