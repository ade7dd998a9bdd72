"""Staff record medicines; the core's check warns staff and the patient; opioids raise a warning flag."""

from __future__ import annotations

import pytest
from django.urls import reverse

from naltrack.clinical.medicines import check_medications
from naltrack.web.accounts.models import AuditEvent
from naltrack.web.care.models import Flag
from naltrack.web.safety.models import Medication


def url(patient):
    return reverse("safety:medications", args=[patient.id])


def test_an_opioid_medicine_warns_staff_and_patient_and_raises_a_flag(as_user, nurse, patient):
    response = as_user(nurse).post(url(patient), {"name": "Co-codamol 30/500", "dose_text": "2 tablets qds",
                                                  "started_on": "2026-10-01"})
    assert response.status_code == 302
    medication = Medication.objects.get(patient=patient)
    assert AuditEvent.objects.filter(action="create", target=f"medication {medication.id}").exists()
    flag = Flag.objects.get(patient=patient)
    assert flag.kind == "opioid_medication" and flag.severity == "warning"
    warnings = check_medications(["Co-codamol 30/500"])
    staff_body = as_user(nurse).get(url(patient)).content.decode()
    assert warnings[0].staff_message in staff_body
    patient_body = as_user(patient.user).get(reverse("safety:my-medicines")).content.decode()
    assert warnings[0].patient_message in patient_body


def test_a_non_opioid_interaction_warns_without_a_flag(as_user, nurse, patient):
    as_user(nurse).post(url(patient), {"name": "Atorvastatin", "dose_text": "20 mg"})
    assert not Flag.objects.exists()
    body = as_user(nurse).get(url(patient)).content.decode()
    assert "can harm the liver" in body


@pytest.mark.parametrize("data", [
    {"name": ""}, {"name": "   "}, {"name": "x" * 121},
    {"name": "Codeine", "started_on": "2099-01-01"},
    {"name": "Codeine", "started_on": "2026-10-01", "stopped_on": "2026-09-01"},
    {"name": "Codeine", "started_on": "yesterday"},
])
def test_bad_medication_input_changes_nothing(data, as_user, nurse, patient):
    assert as_user(nurse).post(url(patient), data).status_code == 400
    assert not Medication.objects.exists() and not Flag.objects.exists()


def test_stopping_a_medicine_is_audited_and_it_leaves_the_current_list(as_user, nurse, patient):
    client = as_user(nurse)
    client.post(url(patient), {"name": "Tramadol"})
    medication = Medication.objects.get()
    stop = reverse("safety:medication-stop", args=[patient.id, medication.id])
    assert client.post(stop, {"stopped_on": "2099-01-01"}).status_code == 302
    medication.refresh_from_db()
    assert medication.stopped_on is None  # a future date is refused
    client.post(stop, {"stopped_on": "2026-10-14"}, follow=True)  # the flash message is shown here
    medication.refresh_from_db()
    assert str(medication.stopped_on) == "2026-10-14"
    assert AuditEvent.objects.filter(action="update", target=f"medication {medication.id}").exists()
    body = as_user(patient.user).get(reverse("safety:my-medicines")).content.decode()
    assert "Tramadol" not in body


def test_medicines_answer_each_persona(as_user, counsellor, foreign_prescriber, patient, other_patient, nurse):
    assert as_user(counsellor).get(url(patient)).status_code == 200
    assert as_user(counsellor).post(url(patient), {"name": "Codeine"}).status_code == 403
    assert as_user(foreign_prescriber).get(url(patient)).status_code == 404
    assert as_user(foreign_prescriber).post(url(patient), {"name": "Codeine"}).status_code == 404
    assert not Medication.objects.exists()
    as_user(nurse).post(url(other_patient), {"name": "Morphine"})
    theirs = Medication.objects.get()
    stop = reverse("safety:medication-stop", args=[patient.id, theirs.id])
    assert as_user(nurse).post(stop, {"stopped_on": "2026-10-14"}).status_code == 404


def test_hostile_medicine_names_are_escaped(as_user, nurse, patient):
    as_user(nurse).post(url(patient), {"name": "<b onmouseover=alert(1)>codeine</b>"})
    body = as_user(nurse).get(url(patient)).content.decode()
    assert "<b onmouseover" not in body and "&lt;b onmouseover" in body
