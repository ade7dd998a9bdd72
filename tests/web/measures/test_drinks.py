"""The quick drink picker: validation, unit conversion stored at save time, deleting, personas."""

from __future__ import annotations

import datetime as dt

import pytest

from naltrack.clinical.drinking import ethanol_g, standard_drinks
from naltrack.web.measures import services
from naltrack.web.measures.models import DrinkEntry

from .conftest import TODAY

URL = "/measures/me/drinks/"


def test_a_preset_tap_stores_grams_and_us_standard_drinks_from_the_core(as_user, patient, frozen_now):
    response = as_user(patient.user).post(URL, {"day": TODAY.isoformat(), "preset": "wine-glass"})
    assert response.status_code == 302
    entry = DrinkEntry.objects.get(patient=patient)
    assert (entry.day, entry.beverage, entry.volume_ml, entry.abv_percent) == (TODAY, "wine", 150.0, 12.0)
    assert entry.ethanol_g == pytest.approx(ethanol_g(150, 12))
    assert entry.standard_drinks == pytest.approx(standard_drinks(150, 12, "us"))
    assert entry.unit == "us"


def test_an_edited_strength_in_a_uk_clinic_is_counted_in_uk_units(as_user, other_clinic, make_patient,
                                                                   monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC))
    patient = make_patient(other_clinic)
    as_user(patient.user).post(URL, {"day": "2026-10-14", "preset": "beer-pint-uk", "abv_percent": "5.2"})
    entry = DrinkEntry.objects.get(patient=patient)
    assert entry.abv_percent == 5.2 and entry.day == dt.date(2026, 10, 14)
    assert entry.unit == "uk"
    assert entry.standard_drinks == pytest.approx(standard_drinks(568, 5.2, "uk"))  # about 2.95 units


def test_another_drink_needs_kind_amount_and_strength(as_user, patient, frozen_now):
    response = as_user(patient.user).post(URL, {"day": TODAY.isoformat(), "beverage": "other"})
    assert response.status_code == 400
    assert b"Needed for a drink" in response.content
    assert not DrinkEntry.objects.exists()


@pytest.mark.parametrize("data, message", [
    ({"day": (TODAY - dt.timedelta(days=7)).isoformat(), "preset": "wine-glass"}, b"not one of the available"),
    ({"day": (TODAY + dt.timedelta(days=1)).isoformat(), "preset": "wine-glass"}, b"not one of the available"),
    ({"day": "1900-01-01", "preset": "wine-glass"}, b"not one of the available"),
    ({"day": TODAY.isoformat(), "preset": "keg"}, b"Choose one of the drinks shown"),
    ({"day": TODAY.isoformat(), "preset": "wine-glass", "abv_percent": "1e308"}, b"less than or equal to 100"),
    ({"day": TODAY.isoformat(), "preset": "wine-glass", "abv_percent": "nan"}, b"Enter a number"),
    ({"day": TODAY.isoformat(), "beverage": "beer", "volume_ml": "99999999", "abv_percent": "5"},
     b"less than or equal to 10000"),
    ({"day": TODAY.isoformat(), "beverage": "beer", "volume_ml": "-5", "abv_percent": "5"}, b"greater than or equal"),
    ({"day": TODAY.isoformat(), "beverage": "lemonade", "volume_ml": "300", "abv_percent": "5"}, b"valid choice"),
])
def test_hostile_drinks_are_refused_with_a_message_and_nothing_is_stored(as_user, patient, frozen_now, data,
                                                                        message):
    response = as_user(patient.user).post(URL, data)
    assert response.status_code == 400
    assert message in response.content
    assert not DrinkEntry.objects.exists()


def test_the_service_refuses_days_outside_the_last_week_and_alcohol_free_drinks(patient):
    with pytest.raises(services.MeasuresError, match="last 7 days"):
        services.record_drink(patient, day=TODAY - dt.timedelta(days=7), today=TODAY, beverage="beer",
                              volume_ml=355, abv_percent=5)
    with pytest.raises(services.MeasuresError, match="Alcohol-free"):
        services.record_drink(patient, day=TODAY, today=TODAY, beverage="beer", volume_ml=355, abv_percent=0)
    with pytest.raises(services.MeasuresError, match="between 1 mL and 10 litres"):
        services.record_drink(patient, day=TODAY, today=TODAY, beverage="beer", volume_ml=20_000, abv_percent=5)
    assert not DrinkEntry.objects.exists()


def test_the_days_list_shows_the_days_drinks_and_a_heavy_day(as_user, patient, frozen_now):
    for _ in range(4):  # 4 x 14.2 g = 56.8 g: heavy for a woman (56 g)
        services.record_drink(patient, day=TODAY, today=TODAY, beverage="wine", volume_ml=150, abv_percent=12)
    response = as_user(patient.user).get(URL)
    assert response.status_code == 200
    assert b"4 drinks" in response.content
    assert b"heavy drinking day" in response.content


def test_a_patient_removes_their_own_drink_but_not_another_patients(as_user, patient, other_patient, frozen_now):
    mine = services.record_drink(patient, day=TODAY, today=TODAY, beverage="beer", volume_ml=355, abv_percent=5)
    theirs = services.record_drink(other_patient, day=TODAY, today=TODAY, beverage="beer", volume_ml=355,
                                   abv_percent=5)
    client = as_user(patient.user)
    assert client.post(f"/measures/me/drinks/{theirs.id}/delete/").status_code == 404
    assert client.post(f"/measures/me/drinks/{mine.id}/delete/").status_code == 302
    assert list(DrinkEntry.objects.values_list("id", flat=True)) == [theirs.id]


@pytest.mark.parametrize("persona", ["prescriber", "outsider"])
def test_the_picker_is_for_patients_only(as_user, request, persona):
    assert as_user(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_the_picker_needs_a_login(client):
    assert client.get(URL).status_code == 302
