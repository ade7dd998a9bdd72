"""Protection fixtures: a frozen clock, and courses and doses written straight to the care tables.

The doses are history set-up (the care services refuse back-dated doses past a week for patients); the
protection app only reads them.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

NOW = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)  # 10:00 in New York (the clinic's zone)
TODAY = dt.date(2026, 11, 20)
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """Every protection test runs at 2026-11-20 15:00 UTC."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def course(prescriber):
    """``course(patient, regimen, start=..., **order)`` writes an active episode and its current order."""
    from naltrack.web.care.models import Episode, MedicationOrder

    def make(patient, regimen="oral-daily", *, start=TODAY - dt.timedelta(days=60), indication="alcohol", **order):
        episode = Episode.objects.create(patient=patient, indication=indication, started_on=start, planned_weeks=24,
                                         started_by=prescriber)
        defaults = {"oral-daily": {"dose_mg": 50.0}, "xr-injection": {"dose_mg": 380.0},
                    "targeted": {"dose_mg": 50.0}, "implant": {"dose_mg": 1000.0, "implant_duration_days": 90},
                    "oral-supervised": {"pattern": "every-second-day-100"}}[regimen]
        MedicationOrder.objects.create(episode=episode, patient=patient, regimen=regimen, starts_on=start,
                                       prescribed_by=prescriber, **{**defaults, **order})
        return episode

    return make


@pytest.fixture
def dose():
    """``dose(episode, day, hour=9, mg=50, formulation="oral")``: one dose on the patient's local day.

    ``hour=None`` leaves the time unrecorded (a back-filled dose).
    """
    from naltrack.web.care.models import Dose

    def make(episode, day, *, hour=9, minute=0, mg=50.0, formulation="oral"):
        zone = ZoneInfo(episode.patient.time_zone)
        kind = {"oral": "self", "injection": "injection", "implant": "implant"}[formulation]
        at = None if hour is None else dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)
        return Dose.objects.create(patient=episode.patient, episode=episode, order=episode.orders.get(is_current=True),
                                   taken_on=day, time_taken=at, dose_mg=mg, kind=kind, formulation=formulation,
                                   site="left gluteal" if formulation != "oral" else "",
                                   lot="AB12" if formulation != "oral" else "")

    return make


@pytest.fixture
def daily_tablets(course, dose):
    """``daily_tablets(patient, days=14, skip=())``: an oral-daily course with a 09:00 tablet on each of the
    last ``days`` days before today (today not taken yet), except the days-ago listed in ``skip``."""

    def make(patient, days=14, skip=()):
        episode = course(patient)
        for ago in range(1, days + 1):
            if ago not in skip:
                dose(episode, TODAY - dt.timedelta(days=ago))
        return episode

    return make
