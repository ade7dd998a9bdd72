"""Questionnaires: forms from the instruments' data, scored only by the core, PHQ-9 item 9 escalation."""

from __future__ import annotations

import pytest

from naltrack.clinical.drinking import Sex
from naltrack.clinical.instruments import INSTRUMENTS, score
from naltrack.web.accounts.models import AuditEvent
from naltrack.web.care.models import Flag
from naltrack.web.measures.models import QuestionnaireResult

from .conftest import TODAY


def answers_form(name, values):
    instrument = INSTRUMENTS[name]
    data = {}
    for item, value in zip(instrument.items, values, strict=True):
        data[f"item_{item.number}"] = ("yes" if value else "no") if isinstance(value, bool) else str(value)
    return data


def test_every_item_and_option_of_the_instrument_is_on_the_form(as_user, patient, frozen_now):
    page = as_user(patient.user).get("/measures/me/questionnaires/audit/").content.decode()
    for item in INSTRUMENTS["audit"].items:
        assert item.topic in page
    assert page.count('type="radio"') == sum(len(item.options) for item in INSTRUMENTS["audit"].items)


def test_an_incomplete_questionnaire_is_refused_and_nothing_is_stored(as_user, patient, frozen_now):
    data = answers_form("gad-7", [1, 2, 0, 1, 0, 3, 1])
    del data["item_4"]
    response = as_user(patient.user).post("/measures/me/questionnaires/gad-7/", data)
    assert response.status_code == 400
    assert b"Please answer this question." in response.content
    assert not QuestionnaireResult.objects.exists()


def test_an_answer_the_item_does_not_allow_is_refused(as_user, patient, frozen_now):
    data = answers_form("audit", [0] * 10)
    data["item_9"] = "1"  # items 9 and 10 allow only 0, 2 or 4
    response = as_user(patient.user).post("/measures/me/questionnaires/audit/", data)
    assert response.status_code == 400
    assert not QuestionnaireResult.objects.exists()


@pytest.mark.parametrize("name, values", [
    ("audit", [4, 3, 2, 2, 1, 0, 1, 0, 4, 2]),
    ("audit-c", [2, 1, 0]),
    ("pacs", [3, 4, 2, 5, 3]),
    ("phq-9", [1, 2, 1, 2, 3, 0, 1, 1, 0]),
    ("gad-7", [3, 3, 2, 1, 0, 2, 3]),
    ("dast-10", [True, False, False, True, False, False, True, False, False, False]),
])
def test_the_stored_result_is_the_cores_score(as_user, patient, frozen_now, name, values):
    response = as_user(patient.user).post(f"/measures/me/questionnaires/{name}/", answers_form(name, values))
    assert response.status_code == 302
    stored = QuestionnaireResult.objects.get(patient=patient)
    expected = score(name, values, sex=Sex.FEMALE)
    assert (stored.instrument, stored.answers, stored.total, stored.band, stored.flags) == (
        name, values, expected.total, expected.band, list(expected.flags))
    assert stored.taken_on == TODAY and stored.is_self_report
    assert not AuditEvent.objects.filter(patient=patient).exists()  # the patient's own entry is not audited


def test_phq9_item_9_raises_an_emergency_flag_and_shows_crisis_numbers_at_once(as_user, patient, frozen_now):
    values = [0, 0, 0, 0, 0, 0, 0, 0, 1]  # total 1 (minimal), but item 9 above 0
    response = as_user(patient.user).post("/measures/me/questionnaires/phq-9/", answers_form("phq-9", values),
                                          follow=True)
    page = response.content.decode()
    assert "call 911" in page and "988" in page  # the clinic is in the US
    assert "does not replace, your care team" in page
    flag = Flag.objects.get(patient=patient)
    assert (flag.kind, flag.severity, flag.is_open) == ("phq9_self_harm", "emergency", True)
    assert "on several days" in flag.detail


def test_crisis_numbers_follow_the_clinic_country(as_user, other_clinic, make_patient, frozen_now):
    patient = make_patient(other_clinic)  # GB
    response = as_user(patient.user).post("/measures/me/questionnaires/phq-9/",
                                          answers_form("phq-9", [0] * 8 + [3]), follow=True)
    assert b"999" in response.content and b"116 123" in response.content


def test_a_phq9_without_item_9_raises_no_flag_and_shows_no_crisis_box(as_user, patient, frozen_now):
    response = as_user(patient.user).post("/measures/me/questionnaires/phq-9/",
                                          answers_form("phq-9", [3, 3, 3, 3, 3, 3, 3, 3, 0]), follow=True)
    assert b"help is available now" not in response.content
    assert not Flag.objects.exists()


def test_a_patient_cannot_fill_in_the_clinician_rated_cows(as_user, patient, frozen_now):
    assert as_user(patient.user).get("/measures/me/questionnaires/cows/").status_code == 404
    assert as_user(patient.user).get("/measures/me/questionnaires/unknown/").status_code == 404


def test_a_clinician_records_cows_dated_and_audited(as_user, nurse, patient, frozen_now):
    options = [item.allowed_answers for item in INSTRUMENTS["cows"].items]
    values = [opts[1] for opts in options]
    data = {**answers_form("cows", values), "taken_on": "2026-10-14"}
    response = as_user(nurse).post(f"/measures/patients/{patient.id}/questionnaires/cows/", data)
    assert response.status_code == 302
    stored = QuestionnaireResult.objects.get(patient=patient)
    assert stored.total == score("cows", values).total and not stored.is_self_report
    assert str(stored.taken_on) == "2026-10-14"
    assert AuditEvent.objects.filter(actor=nurse, patient=patient, action="create").exists()


def test_a_clinician_cannot_date_a_questionnaire_in_the_future(as_user, nurse, patient, frozen_now):
    data = {**answers_form("gad-7", [0] * 7), "taken_on": "2027-01-01"}
    response = as_user(nurse).post(f"/measures/patients/{patient.id}/questionnaires/gad-7/", data)
    assert response.status_code == 400
    assert b"has not come yet" in response.content
    assert not QuestionnaireResult.objects.exists()


def test_personas_for_the_clinician_form(as_user, patient, counsellor, foreign_prescriber, outsider, frozen_now):
    address = f"/measures/patients/{patient.id}/questionnaires/phq-9/"
    assert as_user(counsellor).get(address).status_code == 200
    assert as_user(foreign_prescriber).get(address).status_code == 404
    assert as_user(outsider).get(address).status_code == 404
    assert as_user(patient.user).get(address).status_code == 403


def test_a_patient_sees_only_their_own_results(as_user, patient, other_patient, frozen_now):
    as_user(other_patient.user).post("/measures/me/questionnaires/gad-7/", answers_form("gad-7", [1] * 7))
    result = QuestionnaireResult.objects.get()
    assert as_user(patient.user).get(f"/measures/me/results/{result.id}/").status_code == 404
    assert as_user(other_patient.user).get(f"/measures/me/results/{result.id}/").status_code == 200


def test_due_list_on_progress_page(as_user, patient, frozen_now):
    as_user(patient.user).post("/measures/me/questionnaires/pacs/", answers_form("pacs", [1] * 5))
    page = as_user(patient.user).get("/measures/me/progress/").content.decode()
    assert "Next on 22 Oct" in page  # PACS weekly
    assert page.count("Fill in now") == 2  # PHQ-9 and GAD-7 never done
