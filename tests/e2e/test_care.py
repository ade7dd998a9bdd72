"""Treatment courses in a real browser: a prescriber sets up injections; a patient checks in on a phone."""

from __future__ import annotations

import datetime as dt

import pytest

from naltrack.web.care.models import CheckIn, Dose, Episode

from .conftest import PHONE, log_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "lantern-harbour-quiet-41"
NOW = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)  # 10:00 in New York
TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    """A fixed clock for the server thread (the patients have no screening, so the gate allows a first dose)."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def clinician(clinic, make_staff):
    user = make_staff(clinic, "prescriber", username="dr.course")
    user.first_name, user.last_name = "Imani", "Castell"
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def robin(clinic, make_patient):
    patient = make_patient(clinic, given_name="Robin", family_name="Ashdown", display_name="CedarLark7")
    patient.user.set_password(PASSWORD)
    patient.user.save()
    return patient


def test_a_prescriber_starts_an_episode_orders_injections_and_sees_the_next_due_date(page_for, screenshot,
                                                                                   clinician, robin):
    page = page_for()
    log_in(page, "dr.course", PASSWORD)
    page.goto(f"/care/patients/{robin.id}/")
    page.get_by_role("link", name="Start an episode").click()
    page.get_by_label("Indication").select_option("opioid")
    page.get_by_label("Start date").fill((TODAY - dt.timedelta(days=30)).isoformat())
    screenshot(page, "care-episode-start")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Episode started.").is_visible()

    page.get_by_role("link", name="Write an order").click()
    page.get_by_label("Regimen").select_option("xr-injection")
    page.get_by_label("Start date").fill((TODAY - dt.timedelta(days=30)).isoformat())
    page.get_by_label("Dose (mg)").fill("380")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Order written.").is_visible()

    first, second = TODAY - dt.timedelta(days=29), TODAY - dt.timedelta(days=1)
    for day, site in ((first, "left gluteal"), (second, "right gluteal")):
        page.get_by_role("link", name="Record injection").click()
        assert page.get_by_label("Site").input_value() == site  # suggested: the other buttock from last time
        page.get_by_label("Day given").fill(day.isoformat())
        page.get_by_label("Lot number").fill("LOT-4471")
        page.get_by_label("Lot expiry date").fill("2027-08-31")
        if day == second:
            screenshot(page, "care-injection-form")
        page.get_by_role("button", name="Save").click()
        assert page.get_by_text("Injection recorded.").is_visible()

    due = second + dt.timedelta(days=28)
    next_due = page.locator(".next-due")
    assert next_due.inner_text() == f"{due.day} {due:%b %Y}"
    screenshot(page, "care-chart-injections")
    doses = list(Dose.objects.filter(patient=robin).order_by("taken_on"))
    assert [(d.taken_on, d.site) for d in doses] == [(first, "left gluteal"), (second, "right gluteal")]
    assert Episode.objects.get(patient=robin).indication == "opioid"


def test_a_patient_checks_in_a_dose_on_a_phone(page_for, screenshot, clinician, robin):
    from naltrack.web.care import services

    services.start_episode(robin, by=clinician, indication="alcohol", goal="abstinence",
                           started_on=TODAY - dt.timedelta(days=5), today=TODAY)
    episode = services.current_episode(robin)
    services.write_order(episode, by=clinician, regimen="oral-daily", starts_on=TODAY - dt.timedelta(days=5),
                         today=TODAY, dose_mg=50.0)
    page = page_for(PHONE)
    log_in(page, robin.user.username, PASSWORD)
    assert page.get_by_role("heading", name="Hello, Robin").is_visible()
    screenshot(page, "care-patient-home-phone")
    page.get_by_role("button", name="I took today's dose").click()
    assert page.get_by_text("Today's dose taken").is_visible()
    page.locator("#group-craving").get_by_text("3", exact=True).click()
    page.locator("#group-opioid_use").get_by_text("No", exact=True).click()
    page.locator("#group-mood").get_by_text("Good", exact=True).click()
    page.get_by_role("button", name="Save check-in").click()
    assert page.get_by_text("Check-in saved").is_visible()
    screenshot(page, "care-patient-checked-in-phone")
    dose = Dose.objects.get(patient=robin)
    assert (dose.taken_on, dose.kind) == (TODAY, "self")
    checkin = CheckIn.objects.get(patient=robin)
    assert (checkin.craving, checkin.opioid_use, checkin.mood) == (3, False, 4)
