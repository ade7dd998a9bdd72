"""gate.first_dose_block: blocked only when the LATEST screening is not_ready and not overridden."""

from __future__ import annotations

from naltrack.web.safety import services
from naltrack.web.safety.gate import first_dose_block

from .conftest import BLOCKING_INPUT, READY_INPUT


def test_no_screening_does_not_block(patient):
    assert first_dose_block(patient) is None


def test_a_not_ready_screening_blocks_with_a_short_reason(patient, prescriber, screen):
    screen(patient, BLOCKING_INPUT, prescriber)
    reason = first_dose_block(patient)
    assert reason is not None
    assert reason.startswith("the latest screening (2026-10-15) says not ready.")
    assert "Currently taking opioids" in reason
    assert "more blocking reason" in reason  # the positive urine screen too
    assert len(reason) < 400


def test_ready_and_caution_screenings_do_not_block(patient, prescriber, screen):
    screen(patient, READY_INPUT, prescriber)
    assert first_dose_block(patient) is None
    screen(patient, {"indication": "alcohol", "formulation": "oral"}, prescriber)  # caution
    assert first_dose_block(patient) is None


def test_only_the_latest_screening_counts(patient, prescriber, screen, frozen_clock, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    screen(patient, BLOCKING_INPUT, prescriber)
    monkeypatch.setattr(timezone, "now", lambda: frozen_clock + dt.timedelta(hours=1))
    screen(patient, READY_INPUT, prescriber)
    assert first_dose_block(patient) is None
    monkeypatch.setattr(timezone, "now", lambda: frozen_clock + dt.timedelta(hours=2))
    screen(patient, BLOCKING_INPUT, prescriber)
    assert first_dose_block(patient) is not None


def test_a_prescriber_override_lifts_the_block(patient, prescriber, screen):
    screening = screen(patient, BLOCKING_INPUT, prescriber)
    services.override_screening(screening, by=prescriber, reason="Positive screen explained; challenge passed.")
    assert first_dose_block(patient) is None


def test_another_patients_block_does_not_leak(patient, other_patient, prescriber, screen):
    screen(other_patient, BLOCKING_INPUT, prescriber)
    assert first_dose_block(patient) is None
    assert first_dose_block(other_patient) is not None
