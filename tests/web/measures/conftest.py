"""Fixtures of the measures tests: a frozen 'now', days of check-ins, and a staff client."""

from __future__ import annotations

import datetime as dt

import pytest

# Noon in New York on 15 October 2026: the clinic fixture's time zone is America/New_York.
NOW = dt.datetime(2026, 10, 15, 16, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 10, 15)


@pytest.fixture
def frozen_now(monkeypatch):
    """Freeze django.utils.timezone.now at NOW (the patient's local day is TODAY)."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def make_checkin(db):
    from naltrack.web.care.models import CheckIn

    def make(patient, day, **fields):
        return CheckIn.objects.create(patient=patient, day=day, **fields)

    return make


@pytest.fixture
def make_timeline(db):
    from naltrack.clinical.drinking import ethanol_g_from_standard_drinks
    from naltrack.web.measures.models import TimelineDay

    def make(patient, day, drinks):
        unit = patient.clinic.drink_unit
        return TimelineDay.objects.create(patient=patient, day=day, standard_drinks=drinks, unit=unit,
                                          ethanol_g=ethanol_g_from_standard_drinks(drinks, unit))

    return make
