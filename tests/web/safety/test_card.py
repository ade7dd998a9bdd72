"""The emergency card: naltrexone, the form and last dose when known, pain relief and overdose advice."""

from __future__ import annotations

from django.urls import reverse

from naltrack.web.safety.card import CARD_POINTS


def test_the_patients_card_says_naltrexone_and_what_a_clinician_must_know(as_user, patient):
    response = as_user(patient.user).get("/safety/me/card/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "I take naltrexone" in body
    assert "regional anaesthesia" in body
    assert "monitor continuously where resuscitation is available" in body
    assert "Tolerance to opioids is reduced" in body
    for point in CARD_POINTS:
        for key in point.sources:
            assert key in body
    assert "Ask the patient" in body  # no course recorded: form and last dose unknown
    assert "Call 911" in body
    assert "@media print" not in body  # print rules live in the stylesheet
    assert "safety/safety.css" in body and "<script>" not in body


def test_the_card_names_an_opioid_medicine_on_the_list(as_user, nurse, patient):
    as_user(nurse).post(reverse("safety:medications", args=[patient.id]), {"name": "Oxycodone 5 mg"})
    body = as_user(patient.user).get("/safety/me/card/").content.decode()
    assert "Oxycodone 5 mg" in body


def test_staff_open_the_card_and_the_visit_is_audited(as_user, counsellor, foreign_prescriber, patient, outsider):
    from naltrack.web.accounts.models import AuditEvent

    url = reverse("safety:card", args=[patient.id])
    assert as_user(counsellor).get(url).status_code == 200
    assert AuditEvent.objects.filter(actor=counsellor, target="emergency card").exists()
    assert as_user(foreign_prescriber).get(url).status_code == 404
    assert as_user(outsider).get(url).status_code == 404


def test_only_patients_have_a_card_of_their_own(as_user, nurse):
    assert as_user(nurse).get("/safety/me/card/").status_code == 403


def test_the_patient_menu_offers_a_symptom_report_and_the_card(as_user, patient, nurse):
    body = as_user(patient.user).get("/safety/me/card/").content.decode()
    assert 'href="/safety/me/symptoms/"' in body and "Emergency card" in body
    staff_body = as_user(nurse).get(reverse("safety:card", args=[patient.id])).content.decode()
    assert 'href="/safety/me/symptoms/"' not in staff_body
