"""Measures in a real browser: the patient's drink picker and progress after a week of check-ins, the
crisis page after PHQ-9 item 9, and a clinician's cohort dashboard and drinking calendar.

Screenshots land in test-artifacts/screenshots/; the charts must draw under the strict CSP.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from naltrack.clinical.drinking import ethanol_g_from_standard_drinks

from .conftest import DESKTOP, PHONE, log_in, watch_console

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "harbour-lantern-quartz-61"
NOW = dt.datetime(2026, 10, 15, 16, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 10, 15)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)


def _course(patient, by, *, started_on, indication="alcohol"):
    from naltrack.web.care.models import Episode, MedicationOrder

    episode = Episode.objects.create(patient=patient, indication=indication, started_on=started_on,
                                     planned_weeks=24, started_by=by)
    order = MedicationOrder.objects.create(episode=episode, patient=patient, regimen="oral-daily", dose_mg=50,
                                           starts_on=started_on, prescribed_by=by)
    return episode, order


@pytest.fixture
def clinician(clinic, make_staff):
    user = make_staff(clinic, "prescriber", username="dr.measures")
    user.first_name, user.last_name = "Ines", "Okonkwo"
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def week_patient(clinic, make_patient, clinician):
    """A patient with a week of check-ins, doses, logged drinks and questionnaires."""
    from naltrack.clinical.instruments import score
    from naltrack.web.care.models import CheckIn, Dose
    from naltrack.web.measures import services
    from naltrack.web.measures.models import QuestionnaireResult

    patient = make_patient(clinic, given_name="Robin", family_name="Ashdown", display_name="CedarLark7")
    patient.user.set_password(PASSWORD)
    patient.user.save()
    episode, order = _course(patient, clinician, started_on=TODAY - dt.timedelta(days=20))
    cravings = [3, 3, 4, 4, 5, 6, 6, 7]  # index: days ago; falling over the week
    drinks = {7: 6, 6: 3, 4: 2, 1: 1}  # days ago -> beer cans
    for ago in range(8):
        day = TODAY - dt.timedelta(days=ago)
        CheckIn.objects.create(patient=patient, day=day, craving=cravings[ago], opioid_use=False, mood=3,
                               drank=ago in drinks)
        if ago != 5:
            Dose.objects.create(patient=patient, episode=episode, order=order, taken_on=day, dose_mg=50,
                                kind="self", formulation="oral")
        for _ in range(drinks.get(ago, 0)):
            services.record_drink(patient, day=day, today=day, beverage="beer", volume_ml=355, abv_percent=5,
                                  label="Beer, 12 fl oz can or bottle")
    for ago, values in ((14, [4, 5, 4, 5, 4]), (7, [3, 4, 3, 3, 3]), (0, [2, 2, 1, 2, 2])):
        result = score("pacs", values)
        QuestionnaireResult.objects.create(patient=patient, instrument="pacs", taken_on=TODAY - dt.timedelta(days=ago),
                                           answers=values, total=result.total, band=result.band)
    return patient


def test_a_patient_logs_a_drink_on_a_phone_and_reads_their_progress(page_for, screenshot, week_patient):
    from naltrack.web.measures.models import DrinkEntry

    page = page_for(PHONE)
    problems = watch_console(page)
    log_in(page, week_patient.user.username, PASSWORD)
    page.goto("/measures/me/drinks/")
    assert page.get_by_role("heading", name="Log a drink").is_visible()
    screenshot(page, "measures-drink-picker-phone")
    before = DrinkEntry.objects.count()
    page.get_by_role("button", name="Wine, 150 mL glass").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Added Wine, 150 mL glass").is_visible()
    assert DrinkEntry.objects.count() == before + 1
    screenshot(page, "measures-drink-added-phone")

    page.goto("/measures/me/progress/")
    page.wait_for_selector(".chart-drawn >> nth=2")
    assert page.locator(".chart-drawn").count() == 3  # drinks, craving and doses, PACS
    assert page.get_by_text("Heavy drinking day").first.is_visible()
    assert page.get_by_text("does not replace, your care team").first.is_visible()
    screenshot(page, "measures-progress-phone")
    assert not [p for p in problems if "Content Security Policy" in p or "unsafe-eval" in p], problems

    desktop = page_for(DESKTOP)
    log_in(desktop, week_patient.user.username, PASSWORD)
    desktop.goto("/measures/me/progress/")
    desktop.wait_for_selector(".chart-drawn >> nth=2")
    screenshot(desktop, "measures-progress-desktop")


def test_phq9_item_9_shows_crisis_numbers_at_once(page_for, screenshot, week_patient):
    page = page_for(PHONE)
    log_in(page, week_patient.user.username, PASSWORD)
    page.goto("/measures/me/questionnaires/phq-9/")
    for number in range(1, 10):
        group = page.get_by_role("group", name=f"{number}.")
        group.get_by_label("On several days" if number == 9 else "Not at all").check()
    page.get_by_role("button", name="Save answers").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="help is available now").is_visible()
    assert page.get_by_text("988").first.is_visible()
    screenshot(page, "measures-phq9-crisis-phone")


@pytest.fixture
def demo_like_clinic(clinic, make_patient, clinician):
    """Forty patients over twelve weeks: timeline days (some missing), check-ins, episodes, adherence."""
    from naltrack.web.care.models import AdherenceSnapshot, CheckIn
    from naltrack.web.measures.models import TimelineDay

    rng = random.Random(11)
    rows, checkins, snapshots = [], [], []
    for n in range(40):
        patient = make_patient(clinic, with_login=False, sex=rng.choice("FMM"), given_name=f"Demo{n}")
        responder = rng.random() < 0.6
        _course(patient, clinician, started_on=TODAY - dt.timedelta(days=rng.randint(60, 100)),
                indication="alcohol" if n % 4 else "opioid")
        baseline = rng.uniform(3, 9)
        for ago in range(84):
            day = TODAY - dt.timedelta(days=ago)
            if rng.random() < 0.15:
                continue
            week = (84 - ago) / 7
            factor = max(0.15, 1 - 0.08 * week) if responder else 1.0
            drinks = 0.0 if rng.random() > (0.75 * factor if responder else 0.7) else round(
                max(1, rng.gauss(baseline * factor, 1.5)) * 2) / 2
            if ago < 21 and rng.random() < 0.5:
                checkins.append(CheckIn(patient=patient, day=day, craving=rng.randint(0, 8),
                                        opioid_use=rng.random() < (0.02 if responder else 0.12)))
                continue
            rows.append(TimelineDay(patient=patient, day=day, standard_drinks=drinks, unit="us",
                                    ethanol_g=ethanol_g_from_standard_drinks(drinks, "us")))
        snapshots.append(AdherenceSnapshot(patient=patient, pdc_28=rng.uniform(0.85, 1) if responder
                                           else rng.uniform(0.3, 0.85), computed_for=TODAY))
    TimelineDay.objects.bulk_create(rows)
    CheckIn.objects.bulk_create(checkins)
    AdherenceSnapshot.objects.bulk_create(snapshots)
    return clinic


def test_a_clinician_reads_the_cohort_dashboard_and_fills_a_calendar(page_for, screenshot, clinician,
                                                                      demo_like_clinic, week_patient):
    page = page_for(DESKTOP)
    problems = watch_console(page)
    log_in(page, "dr.measures", PASSWORD)
    page.get_by_role("link", name="Cohort").click()
    page.wait_for_selector(".chart-drawn >> nth=6")
    assert page.get_by_role("heading", name="Cohort outcomes").is_visible()
    assert page.locator(".chart-drawn").count() == 7
    screenshot(page, "measures-cohort-desktop")
    assert not [p for p in problems if "Content Security Policy" in p or "unsafe-eval" in p], problems

    phone = page_for(PHONE)
    log_in(phone, "dr.measures", PASSWORD)
    phone.goto("/measures/cohort/")
    phone.wait_for_selector(".chart-drawn >> nth=6")
    screenshot(phone, "measures-cohort-phone")

    page.goto(f"/measures/patients/{week_patient.id}/tlfb/?month=2026-09")
    page.get_by_label("Tuesday 01 September").fill("6")
    page.get_by_label("Wednesday 02 September").fill("none")
    page.get_by_label("Thursday 03 September").fill("2")
    page.get_by_role("button", name="Save the month").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Calendar saved: 3 days added").is_visible()
    screenshot(page, "measures-tlfb-desktop")
    page.goto(f"/measures/patients/{week_patient.id}/")
    page.wait_for_selector(".chart-drawn >> nth=1")
    screenshot(page, "measures-patient-desktop")
