"""Doses: one tap, the patient's local day across clock changes, back-fill limits, the first-dose gate,
injections (site, lot, expiry, next due)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from naltrack.web.care import services
from naltrack.web.care.models import Dose

from .conftest import TODAY


def test_one_tap_records_todays_dose_once(as_user, start_course, patient):
    start_course(patient)
    client = as_user(patient.user)
    assert client.post(reverse("care:dose-take")).status_code == 302
    assert client.post(reverse("care:dose-take")).status_code == 302
    dose = Dose.objects.get(patient=patient)
    assert (dose.taken_on, dose.dose_mg, dose.kind) == (TODAY, 50.0, "self")


def test_a_dose_at_half_past_midnight_on_the_night_clocks_go_back_lands_on_that_local_day(
        make_patient, clinic, start_course, freeze):
    """London leaves summer time at 02:00 BST on 25 Oct 2026; 00:30 BST that night is 23:30 UTC on the 24th."""
    patient = make_patient(clinic, time_zone="Europe/London")
    start_course(patient, start=dt.date(2026, 10, 1))
    freeze(dt.datetime(2026, 10, 24, 23, 30, tzinfo=dt.UTC))
    dose, _ = services.take_dose_now(patient)
    assert dose.taken_on == dt.date(2026, 10, 25)


def test_a_dose_at_half_past_midnight_when_clocks_go_forward_lands_on_that_local_day(
        make_patient, clinic, start_course, freeze):
    """New York springs forward on 8 Mar 2026; 00:30 EST that night is 05:30 UTC on the 8th."""
    patient = make_patient(clinic, time_zone="America/New_York")
    start_course(patient, start=dt.date(2026, 3, 1))
    freeze(dt.datetime(2026, 3, 8, 5, 30, tzinfo=dt.UTC))
    dose, _ = services.take_dose_now(patient)
    assert dose.taken_on == dt.date(2026, 3, 8)


@pytest.mark.parametrize(("days_ago", "allowed"), [(1, True), (7, True), (8, False), (-1, False)])
def test_back_fill_reaches_the_last_seven_days_only(days_ago, allowed, as_user, start_course, patient):
    start_course(patient, start=TODAY - dt.timedelta(days=20))
    day = TODAY - dt.timedelta(days=days_ago)
    as_user(patient.user).post(reverse("care:dose-backfill"), {"day": day.isoformat()})
    assert Dose.objects.filter(patient=patient, taken_on=day).exists() is allowed


def test_the_first_dose_is_refused_when_the_safety_gate_gives_a_reason(as_user, start_course, patient, gate):
    start_course(patient)
    gate(patient, "Opioid use 3 days ago is too recent for a first dose.")
    response = as_user(patient.user).post(reverse("care:dose-take"), follow=True)
    assert not Dose.objects.exists()
    assert "says not ready. Opioid use 3 days ago is too recent for a first dose." in response.content.decode()


def test_the_staff_form_shows_the_gate_reason_with_a_link_to_the_screening(as_user, start_course, patient, nurse,
                                                                         gate):
    start_course(patient, "xr-injection")
    gate(patient, "A urine opioid screen is positive.")
    response = as_user(nurse).post(reverse("care:injection-create", args=[patient.id]), {
        "day": TODAY.isoformat(), "site": "left gluteal", "lot": "AB123", "expires_on": "2027-06-30"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "A urine opioid screen is positive." in body
    assert f"/safety/patients/{patient.id}/screening/" in body
    assert not Dose.objects.exists()


def test_only_the_first_dose_asks_the_gate(start_course, patient, gate, add_doses):
    episode = start_course(patient)
    add_doses(episode, [TODAY - dt.timedelta(days=1)])
    gate(patient, "would block")
    dose, created = services.take_dose_now(patient)
    assert created and dose.taken_on == TODAY


def test_a_prescriber_override_lets_the_first_dose_through(start_course, patient, prescriber, gate):
    from naltrack.web.safety.models import ScreeningOverride

    start_course(patient)
    screening = gate(patient, "Opioid use 3 days ago is too recent for a first dose.")
    with pytest.raises(services.FirstDoseBlocked):
        services.take_dose_now(patient)
    ScreeningOverride.objects.create(screening=screening, by=prescriber, by_label="Dr", reason="Supervised induction.")
    _dose, created = services.take_dose_now(patient)
    assert created


def test_injections_alternate_sites_and_the_next_is_due_28_days_after_the_one_given(start_course, patient, nurse):
    start_course(patient, "xr-injection", indication="opioid", start=TODAY - dt.timedelta(days=40))
    services.record_injection(patient, by=nurse, day=TODAY - dt.timedelta(days=33), site="left gluteal",
                              lot="LOT1", expires_on=TODAY + dt.timedelta(days=100))
    assert services.suggested_site(patient).value == "right gluteal"
    services.record_injection(patient, by=nurse, day=TODAY - dt.timedelta(days=2), site="right gluteal",
                              lot="LOT2", expires_on=TODAY + dt.timedelta(days=100))
    summary = services.adherence_for(patient, TODAY)
    assert summary.injection_due_on == TODAY - dt.timedelta(days=2) + dt.timedelta(days=28)
    assert services.suggested_site(patient).value == "left gluteal"


def test_an_expired_lot_is_refused_and_nothing_is_written(start_course, patient, nurse):
    start_course(patient, "xr-injection", indication="opioid")
    with pytest.raises(services.CareError, match="expired"):
        services.record_injection(patient, by=nurse, day=TODAY, site="left gluteal", lot="OLD1",
                                  expires_on=TODAY - dt.timedelta(days=1))
    assert not Dose.objects.exists()


def test_an_injection_for_another_patients_order_cannot_be_smuggled_in(as_user, start_course, patient,
                                                                       other_patient, nurse):
    start_course(patient, "xr-injection", indication="opioid")
    response = as_user(nurse).post(reverse("care:injection-create", args=[other_patient.id]), {
        "day": TODAY.isoformat(), "site": "left gluteal", "lot": "AB1", "expires_on": "2027-01-01",
        "patient": patient.id, "order": 1})
    assert response.status_code == 422  # other_patient has no order; the extra ids are ignored
    assert not Dose.objects.exists()


def test_a_supervised_dose_uses_the_patterns_dose(start_course, patient, nurse):
    start_course(patient, "oral-supervised", indication="opioid", start=TODAY - dt.timedelta(days=2))
    dose = services.record_supervised_dose(patient, by=nurse, day=TODAY)  # every second day from the start
    assert dose.dose_mg == 100.0 and dose.given_by == nurse
