"""Safety fixtures: a fixed clock and small builders for screenings, liver results and reports."""

from __future__ import annotations

import datetime as dt

import pytest

FIXED_NOW = dt.datetime(2026, 10, 15, 14, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 10, 15)

READY_INPUT = {
    "indication": "alcohol", "formulation": "oral", "currently_taking_opioids": False,
    "needs_opioid_analgesia": False, "alt": 30, "ast": 28, "alt_uln": 40, "ast_uln": 40,
    "acute_hepatitis": False, "liver_failure": False, "pregnant": False, "hypersensitivity": False,
    "egfr": 90,
}
BLOCKING_INPUT = {"indication": "opioid", "formulation": "injection", "currently_taking_opioids": True,
                  "needs_opioid_analgesia": False, "urine_opioid_screen": "positive"}


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """Every safety test runs at 2026-10-15 14:00 UTC (timezone.now and localdate follow)."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: FIXED_NOW)
    return FIXED_NOW


@pytest.fixture
def screen(db):
    """``screen(patient, data, by)`` records a screening through the service."""
    from naltrack.web.safety.services import record_screening

    def make(patient, data, by):
        return record_screening(patient, data, by=by)

    return make


@pytest.fixture
def liver_result(db):
    """``liver_result(patient, by, test=..., value=..., uln=..., taken_on=...)`` through the service."""
    from naltrack.web.safety.services import record_liver_result

    def make(patient, by, *, test="alt", value=30.0, uln=40.0, unit="U/L", taken_on=TODAY):
        return record_liver_result(patient, test=test, value=value, unit=unit, uln=uln, taken_on=taken_on,
                                   by=by, today=TODAY)

    return make
