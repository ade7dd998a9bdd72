"""Liver monitoring: impossible values refused, multiples of ULN, flags at the core's 3x/5x thresholds, due tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from naltrack.clinical import labs
from naltrack.web.accounts.models import AuditEvent
from naltrack.web.care.models import Flag
from naltrack.web.safety import services
from naltrack.web.safety.models import LiverResult

from .conftest import TODAY

ULN = 40.0


def url(patient):
    return reverse("safety:liver", args=[patient.id])


def post(client, patient, **fields):
    data = {"test": "alt", "value": "30", "unit": "U/L", "uln": str(ULN), "taken_on": TODAY.isoformat(), **fields}
    return client.post(url(patient), data)


def test_a_nurse_records_a_result_and_sees_it_as_a_multiple_of_uln(as_user, nurse, patient):
    client = as_user(nurse)
    assert post(client, patient, value="60").status_code == 302
    result = LiverResult.objects.get(patient=patient)
    assert (result.test, result.value, result.uln, result.taken_on) == ("alt", 60.0, ULN, TODAY)
    assert AuditEvent.objects.filter(patient=patient, action="create", target=f"liver result {result.id}").exists()
    body = client.get(url(patient)).content.decode()
    assert "1.50" in body  # 60 / 40
    assert 'id="liver-chart-data"' in body and "plotly.min.js" in body
    assert "<caption" in body  # the table is the accessible alternative to the chart


@pytest.mark.parametrize("multiple, severity", [
    (labs.CLINICIAN_FLAG_MULTIPLE, None),  # exactly 3x is not "above 3x"
    (labs.CLINICIAN_FLAG_MULTIPLE + 0.025, "warning"),
    (labs.URGENT_FLAG_MULTIPLE, "warning"),  # exactly 5x: above 3x, not above 5x
    (labs.URGENT_FLAG_MULTIPLE + 0.025, "urgent"),
])
def test_flags_follow_the_cores_thresholds(multiple, severity, as_user, nurse, patient):
    post(as_user(nurse), patient, value=str(multiple * ULN))
    flags = list(Flag.objects.filter(patient=patient, kind__startswith="liver_above"))
    if severity is None:
        assert flags == []
    else:
        assert [f.severity for f in flags] == [severity]
        assert flags[0].link == url(patient)
        assert flags[0].source == "naltrack-policy:lft-thresholds"


@pytest.mark.parametrize("fields, field", [
    ({"value": "-1"}, "value"),
    ({"value": "abc"}, "value"),
    ({"value": "1e400"}, "value"),
    ({"uln": "0"}, "uln"),
    ({"uln": "-40"}, "uln"),
    ({"value": "250000"}, "value"),
    ({"uln": "5000"}, "uln"),
    ({"unit": "mg/dL"}, "unit"),  # ALT is not measured in mg/dL
    ({"test": "cholesterol"}, "test"),
    ({"taken_on": "2026-12-01"}, "taken_on"),  # future
    ({"taken_on": "1900-01-01"}, "taken_on"),
    ({"taken_on": "not a date"}, "taken_on"),
])
def test_impossible_results_are_refused_and_change_nothing(fields, field, as_user, nurse, patient):
    response = post(as_user(nurse), patient, **fields)
    assert response.status_code == 400
    assert response.context["form"].errors.get(field)
    assert not LiverResult.objects.exists()
    assert not Flag.objects.filter(kind__startswith="liver_above").exists()


def test_bilirubin_in_micromoles_is_accepted(as_user, nurse, patient):
    assert post(as_user(nurse), patient, test="bilirubin_total", unit="µmol/L", value="30", uln="21").status_code == 302
    assert LiverResult.objects.get().unit == "µmol/L"


def test_the_next_due_tests_are_shown_and_an_overdue_flag_is_raised(as_user, nurse, make_patient, clinic):
    patient = make_patient(clinic, enrolled_on=dt.date(2026, 1, 10))
    body = as_user(nurse).get(url(patient)).content.decode()
    due = labs.liver_tests_due(dt.date(2026, 1, 10), [], TODAY)
    assert due.is_overdue
    assert due.message in body
    flag = Flag.objects.get(patient=patient, kind="liver_tests_due")
    assert flag.severity == "warning" and flag.link == url(patient)
    as_user(nurse).get(url(patient))  # opening again does not repeat the flag
    assert Flag.objects.filter(patient=patient, kind="liver_tests_due").count() == 1


def test_recording_results_settles_the_due_flag(nurse, make_patient, clinic, liver_result):
    patient = make_patient(clinic, enrolled_on=TODAY)
    services.check_liver_tests_due(patient, today=TODAY + dt.timedelta(days=3))
    assert Flag.objects.filter(patient=patient, kind="liver_tests_due", acknowledged_at__isnull=True).exists()
    liver_result(patient, nurse, taken_on=TODAY)
    assert not Flag.objects.filter(patient=patient, kind="liver_tests_due", acknowledged_at__isnull=True).exists()


def test_the_schedule_starts_at_the_enrolment_without_a_course(patient):
    due = services.liver_tests_due_for(patient, today=TODAY)
    assert due == labs.liver_tests_due(patient.enrolled_on, [], TODAY)


def test_the_liver_page_answers_each_persona(as_user, counsellor, foreign_prescriber, patient, outsider):
    assert as_user(counsellor).get(url(patient)).status_code == 200
    assert as_user(foreign_prescriber).get(url(patient)).status_code == 404
    assert as_user(outsider).get(url(patient)).status_code == 404
    assert as_user(patient.user).get(url(patient)).status_code == 403


def test_a_counsellor_cannot_record_results(as_user, counsellor, patient):
    assert post(as_user(counsellor), patient).status_code == 403
    assert not LiverResult.objects.exists()


def test_the_daily_job_flags_overdue_liver_tests_once(make_patient, clinic):
    from io import StringIO

    from django.core.management import call_command

    late = make_patient(clinic, enrolled_on=dt.date(2026, 1, 10))
    make_patient(clinic, enrolled_on=TODAY)  # baseline due today: not overdue
    out = StringIO()
    call_command("flag_liver_tests_due", stdout=out)
    call_command("flag_liver_tests_due", stdout=StringIO())
    assert "1 patient(s)" in out.getvalue()
    assert list(Flag.objects.values_list("patient_id", "kind")) == [(late.id, "liver_tests_due")]
