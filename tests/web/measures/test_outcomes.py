"""Outcome measures: pages equal the core on a hand-built dataset; the cohort engine equals the core."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from naltrack.clinical.drinking import Sex
from naltrack.clinical.outcomes import DrinkingDay, PatientDay, measure_cohort, measure_patient
from naltrack.web.accounts.models import AuditEvent
from naltrack.web.measures import services
from naltrack.web.measures.models import DrinkEntry
from naltrack.web.measures.services.patient_days import patient_day_table

from .conftest import TODAY

START = dt.date(2026, 10, 1)


@pytest.fixture
def hand_built(patient, make_checkin, make_timeline):
    """Ten days for a woman in a US clinic:
    1 Oct TLFB 6 drinks (heavy); 2 Oct TLFB none; 3 Oct check-in only (abstinent); 4 Oct nothing (missing);
    5 Oct check-in saying 'drank' without an amount (missing); 6 Oct logged 2 wines (2.03 drinks);
    7 Oct TLFB 3 but the patient logged 1 beer (the log wins); 8 Oct check-in + opioid use;
    9 Oct missing; 10 Oct TLFB 4 (56 g: heavy for a woman)."""
    make_timeline(patient, dt.date(2026, 10, 1), 6)
    make_timeline(patient, dt.date(2026, 10, 2), 0)
    make_checkin(patient, dt.date(2026, 10, 3), craving=4, opioid_use=False)
    make_checkin(patient, dt.date(2026, 10, 5), craving=7, drank=True)
    for _ in range(2):
        services.record_drink(patient, day=dt.date(2026, 10, 6), today=dt.date(2026, 10, 6), beverage="wine",
                              volume_ml=150, abv_percent=12)
    make_timeline(patient, dt.date(2026, 10, 7), 3)
    services.record_drink(patient, day=dt.date(2026, 10, 7), today=dt.date(2026, 10, 7), beverage="beer",
                          volume_ml=355, abv_percent=5)
    make_checkin(patient, dt.date(2026, 10, 8), craving=2, opioid_use=True)
    make_timeline(patient, dt.date(2026, 10, 10), 4)
    return patient


def expected_days():
    wine = 150 * 12 / 100 * 0.789 / 14
    beer = 355 * 5 / 100 * 0.789 / 14
    return [DrinkingDay(dt.date(2026, 10, 1), 6.0), DrinkingDay(dt.date(2026, 10, 2), 0.0),
            DrinkingDay(dt.date(2026, 10, 3), 0.0), DrinkingDay(dt.date(2026, 10, 6), 2 * wine),
            DrinkingDay(dt.date(2026, 10, 7), beer), DrinkingDay(dt.date(2026, 10, 8), 0.0),
            DrinkingDay(dt.date(2026, 10, 10), 4.0)]


def test_the_day_rules_missing_days_stay_missing(hand_built):
    outcomes = services.patient_outcomes(hand_built, START, dt.date(2026, 10, 10))
    expected = measure_patient(expected_days(), Sex.FEMALE, "us")
    assert outcomes.measures.days == 7
    assert outcomes.measures.percent_days_abstinent == expected.percent_days_abstinent  # 3 of 7
    assert outcomes.measures.percent_heavy_drinking_days == expected.percent_heavy_drinking_days  # 2 of 7
    assert outcomes.measures.days_to_first_heavy_drinking_day == 1
    assert outcomes.measures.drinks_per_drinking_day == pytest.approx(expected.drinks_per_drinking_day)
    assert outcomes.measures.grams_per_day == pytest.approx(expected.grams_per_day)
    assert outcomes.measures.who_risk_level == expected.who_risk_level
    assert (outcomes.opioid_use_days, outcomes.opioid_reported_days, outcomes.checkin_days) == (1, 2, 3)


def test_the_clinician_page_shows_the_cores_numbers(as_user, prescriber, hand_built, frozen_now):
    expected = measure_patient(expected_days(), Sex.FEMALE, "us")
    response = as_user(prescriber).get(f"/measures/patients/{hand_built.id}/?start=2026-10-01&end=2026-10-10")
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["measures"] == expected.__class__(**{**expected.as_json(),
                                                                 "who_risk_level": expected.who_risk_level})
    assert f"<dd>{expected.percent_days_abstinent:.2f}</dd>" in page  # 42.86
    assert f"<dd>{expected.percent_heavy_drinking_days:.2f}</dd>" in page
    assert "7 of 10 (3 missing, left out)" in page
    assert AuditEvent.objects.filter(actor=prescriber, patient=hand_built, target="measures").exists()


def test_the_patients_progress_page_shows_the_same_numbers_and_chart_data(as_user, hand_built, frozen_now):
    response = as_user(hand_built.user).get("/measures/me/progress/?start=2026-10-01&end=2026-10-10")
    assert response.status_code == 200
    expected = measure_patient(expected_days(), Sex.FEMALE, "us")
    assert response.context["measures"].percent_days_abstinent == expected.percent_days_abstinent
    page = response.content.decode()
    assert "record for 7 of the 10 days" in page
    assert 'id="chart-drinks"' in page and 'data-chart="chart-drinks"' in page
    assert "<script>" not in page.replace('<script src=', '')  # no inline script (CSP)
    heavy = response.context["chart_drinks"]["data"][1]
    assert heavy["x"] == ["2026-10-01", "2026-10-10"]


def test_a_bad_window_gets_a_message_not_an_error(as_user, hand_built, frozen_now):
    response = as_user(hand_built.user).get("/measures/me/progress/?start=2026-10-10&end=2026-10-01")
    assert response.status_code == 200
    assert b"The start date is after the end date." in response.content
    response = as_user(hand_built.user).get("/measures/me/progress/?start=1066-10-14&end=9999-12-31")
    assert response.status_code == 200
    assert b"errorlist" in response.content or b"notice error" in response.content


def test_the_cohort_engine_equals_the_per_patient_core_on_a_random_cohort(clinic, make_patient, make_timeline,
                                                                          make_checkin):
    rng = random.Random(7)
    patients = [make_patient(clinic, with_login=False, sex=rng.choice("FM")) for _ in range(12)]
    for patient in patients:
        for offset in range(40):
            day = dt.date(2026, 9, 1) + dt.timedelta(days=offset)
            roll = rng.random()
            if roll < 0.3:
                continue  # missing
            if roll < 0.5:
                make_checkin(patient, day, craving=rng.randint(0, 10))
            else:
                make_timeline(patient, day, rng.choice([0, 0, 1, 2.5, 4, 5, 7.5, 12]))
    start, end = dt.date(2026, 9, 1), dt.date(2026, 10, 10)
    cohort = services.cohort_outcomes(make_staff_user(clinic), [clinic], start, end)
    per_patient = {str(p.id): services.patient_outcomes(p, start, end).measures for p in patients}
    engine = cohort.patients
    assert set(engine.column("patient").to_pylist()) == set(per_patient)
    engine_measures = {row["patient"]: row for row in engine.to_pylist()}
    for key, core in per_patient.items():
        row = engine_measures[key]
        assert row["days"] == core.days
        for name in ("percent_days_abstinent", "percent_heavy_drinking_days", "drinks_per_drinking_day",
                     "days_to_first_heavy_drinking_day", "grams_per_day"):
            assert row[name] == getattr(core, name), (key, name)
        assert row["who_risk_level"] == core.who_risk_level.value
    # ... and the cohort summary equals the core's cohort function on the same rows.
    rows = patient_day_table(unit="us", start=start, end=end, clinic_ids=[clinic.id]).to_pylist()
    core_cohort = measure_cohort([PatientDay(r["patient"], r["date"], r["standard_drinks"], Sex(r["sex"]))
                                  for r in rows if r["standard_drinks"] is not None], "us")
    assert cohort.summary == core_cohort.cohort


def make_staff_user(clinic):
    from naltrack.web.accounts.models import Membership, User

    user = User.objects.create(username=f"cohort-{clinic.id}")
    Membership.objects.create(user=user, clinic=clinic, role="prescriber")
    return user


def test_the_cohort_page_runs_a_fixed_number_of_queries(as_user, prescriber, clinic, make_patient,
                                                        make_timeline, make_checkin, frozen_now):
    def add_patients(n):
        for _ in range(n):
            patient = make_patient(clinic, with_login=False)
            for offset in range(5):
                make_timeline(patient, TODAY - dt.timedelta(days=offset), offset)
            make_checkin(patient, TODAY - dt.timedelta(days=6), craving=3, opioid_use=False)

    client = as_user(prescriber)
    add_patients(2)
    client.get("/measures/cohort/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/measures/cohort/").status_code == 200
    add_patients(15)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/measures/cohort/")
    assert response.context["summary"].patients == 17
    assert len(many.captured_queries) == len(few.captured_queries)


def test_cohort_personas_and_scope(as_user, prescriber, counsellor, foreign_prescriber, patient, foreign_patient,
                                   outsider, clinic_admin, make_timeline, frozen_now):
    make_timeline(patient, TODAY, 2)
    make_timeline(foreign_patient, TODAY, 9)
    response = as_user(counsellor).get("/measures/cohort/")
    assert response.status_code == 200 and response.context["summary"].patients == 1
    assert as_user(foreign_prescriber).get("/measures/cohort/").context["summary"].patients == 1
    assert as_user(foreign_prescriber).get("/measures/cohort/").context["result"].clinics == [foreign_patient.clinic]
    assert as_user(outsider).get("/measures/cohort/").status_code == 403
    assert as_user(clinic_admin).get("/measures/cohort/").status_code == 403
    assert as_user(patient.user).get("/measures/cohort/").status_code == 403
    assert AuditEvent.objects.filter(actor=counsellor, target="cohort outcomes", patient=None).exists()


def test_a_foreign_clinic_id_in_the_cohort_filter_is_refused(as_user, prescriber, other_clinic, patient,
                                                             make_timeline, frozen_now):
    make_timeline(patient, TODAY, 2)
    response = as_user(prescriber).get(f"/measures/cohort/?start=2026-10-01&end=2026-10-15&clinic={other_clinic.id}")
    assert response.status_code == 200
    assert b"valid choice" in response.content
    assert all(c.id != other_clinic.id for c in response.context["result"].clinics)


def test_an_empty_cohort_renders(as_user, prescriber, frozen_now):
    response = as_user(prescriber).get("/measures/cohort/")
    assert response.status_code == 200
    assert response.context["summary"].patients == 0


def test_retention_and_adherence_come_from_the_care_records(prescriber, clinic, make_patient):
    from naltrack.web.care.models import AdherenceSnapshot, Episode

    a, b, c, d = (make_patient(clinic, with_login=False) for _ in range(4))
    Episode.objects.create(patient=a, indication="alcohol", started_on=dt.date(2026, 6, 1))
    Episode.objects.create(patient=b, indication="alcohol", started_on=dt.date(2026, 3, 1), planned_weeks=12,
                           status="ended", ended_on=dt.date(2026, 5, 30), end_reason="completed")
    Episode.objects.create(patient=c, indication="opioid", started_on=dt.date(2026, 6, 1), planned_weeks=24,
                           status="ended", ended_on=dt.date(2026, 7, 1), end_reason="lost")
    Episode.objects.create(patient=d, indication="opioid", started_on=dt.date(2026, 6, 1), planned_weeks=4,
                           status="ended", ended_on=dt.date(2026, 7, 1), end_reason="patient_choice")
    for patient, pdc in ((a, 0.9), (b, 0.5), (c, 0.8)):
        AdherenceSnapshot.objects.create(patient=patient, pdc_28=pdc, computed_for=TODAY)
    result = services.cohort_outcomes(prescriber, [clinic], dt.date(2026, 9, 1), TODAY)
    assert (result.retention.retained, result.retention.patients) == (3, 4)  # a active, b completed, d reached 4 weeks
    assert (result.adherence.adherent, result.adherence.patients) == (2, 3)
    assert result.adherence.mean_pdc_28 == pytest.approx(0.7333333)


def test_drinks_logged_count_in_the_cohort_table(clinic, patient):
    services.record_drink(patient, day=TODAY, today=TODAY, beverage="spirits", volume_ml=44, abv_percent=40)
    table = patient_day_table(unit="us", start=TODAY, end=TODAY, clinic_ids=[clinic.id])
    assert table.num_rows == 1
    assert table["ethanol_g"][0].as_py() == pytest.approx(DrinkEntry.objects.get().ethanol_g)
