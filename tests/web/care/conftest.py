"""Care fixtures: a frozen clock, episodes and orders built through the services."""

from __future__ import annotations

import datetime as dt

import pytest

NOW = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)  # 10:00 in New York (the clinic's zone)
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def freeze(monkeypatch):
    """``freeze(instant)`` fixes django.utils.timezone.now; frozen at NOW by default."""
    from django.utils import timezone

    def set_now(instant: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: instant)

    set_now(NOW)
    return set_now


@pytest.fixture
def gate(db):
    """``gate(patient, reason)`` records a real not-ready screening whose blocking reason is ``reason``.

    The real safety gate (naltrack.web.safety.gate) then refuses the patient's first dose; without a
    call, the patient has no screening and the gate allows it.
    """
    from naltrack.web.safety.models import Screening, Verdict

    def record(patient, reason):
        return Screening.objects.create(
            patient=patient, inputs={"indication": "opioid", "formulation": "oral"}, verdict=Verdict.NOT_READY,
            reasons=[{"code": "opioid_interval", "severity": "block", "message": reason, "source": "S1"}])

    return record


@pytest.fixture
def start_course(prescriber, freeze, gate):
    """``start_course(patient, regimen, **order)`` starts an episode and writes an order from ``start``."""
    from naltrack.web.care import services

    def start(patient, regimen="oral-daily", *, indication="alcohol", start=TODAY - dt.timedelta(days=14),
              **order):
        episode = services.start_episode(patient, by=prescriber, indication=indication, goal="abstinence",
                                         started_on=start, today=TODAY)
        defaults = {"oral-daily": {"dose_mg": 50.0}, "xr-injection": {"dose_mg": 380.0},
                    "targeted": {"dose_mg": 50.0}, "low-dose": {"dose_mg": 4.5},
                    "oral-supervised": {"pattern": "every-second-day-100"},
                    "implant": {"dose_mg": 1000.0, "implant_duration_days": 90}}[regimen]
        services.write_order(episode, by=prescriber, regimen=regimen, starts_on=start, today=TODAY,
                             **{**defaults, **order})
        return episode

    return start


@pytest.fixture
def add_doses():
    """``add_doses(episode, days)`` writes self-reported 50 mg doses directly (history set-up only)."""
    from naltrack.web.care.models import Dose

    def add(episode, days, *, kind="self", dose_mg=50.0):
        order = episode.orders.get(is_current=True)
        Dose.objects.bulk_create([Dose(patient=episode.patient, episode=episode, order=order, taken_on=day,
                                       dose_mg=dose_mg, kind=kind, formulation="oral") for day in days])

    return add
