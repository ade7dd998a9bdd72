"""Estimated protection in a real browser: a patient's own timeline on a phone and a desktop, the empty
state, and a clinician's what-if (a missed tablet, a late injection) reached from the chart.

Screenshots land in test-artifacts/screenshots/; the charts must draw under the strict CSP.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from .conftest import DESKTOP, PHONE, log_in, watch_console

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "harbour-lantern-quartz-61"
NOW = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)  # 10:00 in New York
TODAY = dt.date(2026, 11, 20)
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)


def _course(patient, by, regimen, *, indication="alcohol", dose_mg=50.0):
    from naltrack.web.care.models import Episode, MedicationOrder

    episode = Episode.objects.create(patient=patient, indication=indication, started_on=TODAY - dt.timedelta(days=90),
                                     planned_weeks=24, started_by=by)
    MedicationOrder.objects.create(episode=episode, patient=patient, regimen=regimen, dose_mg=dose_mg,
                                   starts_on=episode.started_on, prescribed_by=by)
    return episode


def _dose(episode, day, hour, *, mg=50.0, formulation="oral"):
    from naltrack.web.care.models import Dose

    at = None if hour is None else dt.datetime.combine(day, dt.time(hour, 0), tzinfo=NEW_YORK)
    Dose.objects.create(patient=episode.patient, episode=episode, order=episode.orders.get(), taken_on=day,
                        time_taken=at, dose_mg=mg, kind="self" if formulation == "oral" else "injection",
                        formulation=formulation, site="" if formulation == "oral" else "left gluteal",
                        lot="" if formulation == "oral" else "LOT-7")


def _login_user(user):
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def clinician(clinic, make_staff):
    user = make_staff(clinic, "prescriber", username="dr.protection")
    user.first_name, user.last_name = "Amara", "Lindqvist"
    return _login_user(user)


@pytest.fixture
def tablet_patient(clinic, make_patient, clinician):
    """A daily-tablet patient: a tablet most mornings for three weeks, two missed days, one back-filled."""
    patient = make_patient(clinic, given_name="Robin", family_name="Ashdown", display_name="CedarLark7")
    _login_user(patient.user)
    episode = _course(patient, clinician, "oral-daily")
    for ago in range(1, 22):
        if ago in (4, 5):
            continue
        _dose(episode, TODAY - dt.timedelta(days=ago), None if ago == 9 else 8 + ago % 3)
    return patient


@pytest.fixture
def injection_patient(clinic, make_patient, clinician):
    """A monthly-injection patient whose last injection was 24 days ago (the next is due in 4 days)."""
    patient = make_patient(clinic, given_name="Sam", family_name="Okafor", display_name="RiverFinch2")
    episode = _course(patient, clinician, "xr-injection", indication="opioid", dose_mg=380.0)
    _dose(episode, TODAY - dt.timedelta(days=52), 11, mg=380.0, formulation="injection")
    _dose(episode, TODAY - dt.timedelta(days=24), 11, mg=380.0, formulation="injection")
    return patient


def test_a_patient_reads_their_estimated_protection_on_a_phone_and_a_desktop(page_for, screenshot, tablet_patient):
    page = page_for(PHONE)
    problems = watch_console(page)
    log_in(page, tablet_patient.user.username, PASSWORD)
    page.goto("/protection/me/")
    page.wait_for_selector(".chart-drawn")
    assert page.get_by_role("heading", name="Estimated protection").is_visible()
    assert page.get_by_text("Never use it to test the blockade").is_visible()
    assert page.get_by_text("Estimated blockade now:").is_visible()
    assert page.get_by_text("does not replace, your care team").first.is_visible()
    screenshot(page, "protection-patient-phone")
    page.get_by_text("Day by day").click()
    page.get_by_role("row", name="Mon 16 Nov").scroll_into_view_if_needed()
    screenshot(page, "protection-patient-days-phone")
    assert not [p for p in problems if "Content Security Policy" in p or "unsafe-eval" in p], problems
    assert not problems, problems

    desktop = page_for(DESKTOP)
    log_in(desktop, tablet_patient.user.username, PASSWORD)
    desktop.get_by_role("link", name="My protection").click()
    desktop.wait_for_selector(".chart-drawn")
    screenshot(desktop, "protection-patient-desktop")


def test_a_patient_without_doses_sees_a_clear_empty_state(page_for, screenshot, clinic, make_patient):
    patient = make_patient(clinic, given_name="Lee", family_name="Novak")
    _login_user(patient.user)
    page = page_for(PHONE)
    log_in(page, patient.user.username, PASSWORD)
    page.goto("/protection/me/")
    assert page.get_by_role("heading", name="No doses recorded yet").is_visible()
    screenshot(page, "protection-patient-empty-phone")


def test_a_clinician_compares_a_missed_tablet_and_a_late_injection(page_for, screenshot, clinician, tablet_patient,
                                                                    injection_patient):
    page = page_for(DESKTOP)
    problems = watch_console(page)
    log_in(page, "dr.protection", PASSWORD)
    page.goto(f"/care/patients/{tablet_patient.id}/")
    page.get_by_role("link", name="Protection").click()
    page.wait_for_selector(".chart-drawn")
    assert page.get_by_role("heading", name="Estimated protection: Robin Ashdown").is_visible()
    screenshot(page, "protection-clinician-desktop")

    page.get_by_label("50 mg tablet, Sat 21 Nov 09:00 (planned)").check()
    page.get_by_label("50 mg tablet, Sun 22 Nov 09:00 (planned)").check()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_selector(".chart-drawn")
    assert page.get_by_role("heading", name="What-if compared with the record").is_visible()
    assert page.get_by_text("Left out: 50 mg tablet, Sat 21 Nov 09:00 (planned).").is_visible()
    screenshot(page, "protection-what-if-missed-desktop")

    page.get_by_label("Days late").fill("999")
    page.get_by_role("button", name="Compare").click()
    assert page.get_by_text("Days late must be between 1 and 28.").is_visible()
    screenshot(page, "protection-what-if-error-desktop")

    page.goto(f"/protection/patients/{injection_patient.id}/")
    page.get_by_label("Give this injection late").select_option(label="380 mg injection, Tue 24 Nov 11:00 (planned)")
    page.get_by_label("Days late").fill("7")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_selector(".chart-drawn")
    assert page.get_by_text("Injection given 7 days late").is_visible()
    screenshot(page, "protection-what-if-late-injection-desktop")
    assert not [p for p in problems if "status of 400" not in p], problems  # the 400 is the refused form

    phone = page_for(PHONE)
    log_in(phone, "dr.protection", PASSWORD)
    phone.goto(f"/protection/patients/{injection_patient.id}/?late=p20261124x&late_days=7")
    phone.wait_for_selector(".chart-drawn")
    screenshot(phone, "protection-what-if-late-injection-phone")
