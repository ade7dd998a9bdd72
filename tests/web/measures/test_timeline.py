"""Timeline followback: one POST saves a month, missing days stay missing, heavy days highlighted."""

from __future__ import annotations

import datetime as dt

import pytest

from naltrack.web.accounts.models import AuditEvent
from naltrack.web.measures import services
from naltrack.web.measures.models import TimelineDay

from .conftest import TODAY


def url(patient):
    return f"/measures/patients/{patient.id}/tlfb/?month=2026-09"


def test_a_clinician_saves_a_month_in_one_post_and_blank_days_stay_missing(as_user, prescriber, patient,
                                                                           frozen_now):
    data = {"d2026-09-01": "3", "d2026-09-02": "none", "d2026-09-03": "0", "d2026-09-04": "2.5",
            "d2026-09-05": ""}
    response = as_user(prescriber).post(url(patient), data)
    assert response.status_code == 302
    saved = dict(TimelineDay.objects.filter(patient=patient).values_list("day", "standard_drinks"))
    assert saved == {dt.date(2026, 9, 1): 3.0, dt.date(2026, 9, 2): 0.0, dt.date(2026, 9, 3): 0.0,
                     dt.date(2026, 9, 4): 2.5}
    assert TimelineDay.objects.get(patient=patient, day=dt.date(2026, 9, 1)).ethanol_g == pytest.approx(42.0)
    outcomes = services.patient_outcomes(patient, dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    assert outcomes.measures.days == 4  # 26 blank days are missing, not abstinent
    assert outcomes.measures.percent_days_abstinent == 50.0
    assert AuditEvent.objects.filter(actor=prescriber, patient=patient, action="update").exists()


def test_clearing_a_day_makes_it_missing_again(as_user, nurse, patient, make_timeline, frozen_now):
    make_timeline(patient, dt.date(2026, 9, 10), 4)
    as_user(nurse).post(url(patient), {"d2026-09-10": ""})
    assert not TimelineDay.objects.filter(patient=patient).exists()


def test_one_bad_day_saves_nothing_and_says_which(as_user, counsellor, patient, frozen_now):
    response = as_user(counsellor).post(url(patient), {"d2026-09-01": "3", "d2026-09-02": "lots",
                                                       "d2026-09-03": "-1", "d2026-09-04": "1e9"})
    assert response.status_code == 400
    assert b"Nothing was saved" in response.content
    assert response.content.count(b'aria-invalid="true"') == 3
    assert not TimelineDay.objects.exists()


def test_future_days_and_days_the_patient_logged_take_no_entry(as_user, prescriber, patient, frozen_now):
    services.record_drink(patient, day=TODAY, today=TODAY, beverage="beer", volume_ml=355, abv_percent=5)
    client = as_user(prescriber)
    response = client.post(f"/measures/patients/{patient.id}/tlfb/?month=2026-10",
                           {"d2026-10-15": "9", "d2026-10-20": "4", "d2026-10-14": "1"})
    assert response.status_code == 302
    assert list(TimelineDay.objects.values_list("day", flat=True)) == [dt.date(2026, 10, 14)]


def test_the_service_refuses_future_and_impossible_days(patient, prescriber):
    with pytest.raises(services.MeasuresError, match="has not come yet"):
        services.save_timeline(patient, values={TODAY + dt.timedelta(days=1): 1.0}, today=TODAY, by=prescriber)
    with pytest.raises(services.MeasuresError, match="not possible"):
        services.save_timeline(patient, values={TODAY: 500.0}, today=TODAY, by=prescriber)
    with pytest.raises(services.MeasuresError, match="three years"):
        services.save_timeline(patient, values={dt.date(2001, 1, 1): 1.0}, today=TODAY, by=prescriber)
    assert not TimelineDay.objects.exists()


def test_heavy_days_by_sex_are_highlighted(as_user, prescriber, patient, make_patient, clinic, make_timeline,
                                           frozen_now):
    man = make_patient(clinic, sex="M")
    for person in (patient, man):  # 4 US drinks = 56 g: heavy for a woman, not for a man
        make_timeline(person, dt.date(2026, 9, 8), 4)
    client = as_user(prescriber)
    assert b'class="heavy' in client.get(url(patient)).content
    assert b'class="heavy' not in client.get(url(man)).content


def test_month_navigation_ignores_hostile_months(as_user, prescriber, patient, frozen_now):
    client = as_user(prescriber)
    for month in ("1900-01", "2099-12", "garbage", "2026-13"):
        response = client.get(f"/measures/patients/{patient.id}/tlfb/?month={month}")
        assert response.status_code == 200
        assert b"October 2026" in response.content


def test_personas(as_user, patient, prescriber, foreign_prescriber, outsider, moderator, frozen_now):
    address = f"/measures/patients/{patient.id}/tlfb/"
    assert as_user(prescriber).get(address).status_code == 200
    assert as_user(foreign_prescriber).get(address).status_code == 404
    assert as_user(foreign_prescriber).post(address, {"d2026-10-01": "3"}).status_code == 404
    assert as_user(outsider).get(address).status_code == 404
    assert as_user(moderator).get(address).status_code == 404
    assert as_user(patient.user).get(address).status_code == 403
    assert not TimelineDay.objects.exists()
