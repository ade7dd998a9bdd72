"""Adherence for pages, API and caseload: the core's compute_adherence over the patient's orders.

Every figure comes from naltrack.clinical.adherence (the same function serves the CLI). This module only
turns rows into core inputs, chooses the windows and stores the per-patient snapshot the caseload reads.

Windows end today when today's dose is in (or the regimen covers days by injection or implant); otherwise
they end yesterday, because a day that has not ended cannot be missed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from naltrack.clinical.adherence import (
    RECENT_MISSED_WINDOW_DAYS,
    DrinkingDay,
    TakenDose,
    compute_adherence,
    missed_in_last,
    targeted_coverage,
)
from naltrack.clinical.regimens import RegimenName, injection_window
from naltrack.clinical.supply import next_injection_due
from naltrack.web.accounts.models import Patient

from ..models import AdherenceSnapshot, CheckIn, Dose, DoseKind, Episode, MedicationOrder
from .courses import latest_episode

LAST_DAYS = 28
_DAY = dt.timedelta(days=1)
_EVERY_DAY = frozenset({RegimenName.ORAL_DAILY, RegimenName.ORAL_SUPERVISED, RegimenName.LOW_DOSE})


@dataclass
class AdherenceSummary:
    """What the chart, the patient home, the API and the caseload snapshot show about adherence."""

    episode: Episode | None = None
    order: MedicationOrder | None = None
    regimen: str = ""
    pdc_episode: float | None = None
    days_covered: int = 0
    days: int = 0
    pdc_28: float | None = None
    days_28: int = 0
    is_adherent: bool | None = None
    missed: list[dt.date] = field(default_factory=list)
    missed_last_7: int = 0
    overdue: list[dt.date] = field(default_factory=list)
    targeted_coverage: float | None = None
    drinking_days: int = 0
    last_injection_on: dt.date | None = None
    injection_due_on: dt.date | None = None
    is_injection_overdue: bool = False
    sources: tuple[str, ...] = ()
    doses_by_order: dict[int, list[TakenDose]] = field(default_factory=dict, repr=False)
    last_checkin_on: dt.date | None = None

    @property
    def pdc_28_percent(self) -> int | None:
        return None if self.pdc_28 is None else round(self.pdc_28 * 100)

    @property
    def pdc_episode_percent(self) -> int | None:
        return None if self.pdc_episode is None else round(self.pdc_episode * 100)

    @property
    def targeted_percent(self) -> int | None:
        return None if self.targeted_coverage is None else round(self.targeted_coverage * 100)


def taken_doses(doses: list[Dose]) -> list[TakenDose]:
    return [TakenDose(day=d.taken_on, dose_mg=d.dose_mg, taken_at=d.time_taken) for d in doses]


def _window_end(order: MedicationOrder, doses: list[TakenDose], episode: Episode, today: dt.date) -> dt.date:
    end = min(today, order.ends_on or today, episode.ended_on or today)
    if end == today and RegimenName(order.regimen) in _EVERY_DAY and not any(d.day == today for d in doses):
        end = today - _DAY
    return end


def summarise_adherence(patient: Patient, today: dt.date) -> AdherenceSummary:
    """Adherence over the current (or last) episode and its last 28 days (naltrack policy; S139, S33)."""
    episode = latest_episode(patient)
    summary = AdherenceSummary(episode=episode)
    if episode is None:
        return summary
    orders = list(episode.orders.order_by("starts_on", "id"))
    for order in orders:
        order.episode = episode
    rows = Dose.objects.filter(episode=episode).order_by("taken_on", "id").values_list(
        "order_id", "taken_on", "dose_mg", "time_taken", "kind")
    injection_days: list[dt.date] = []
    for order_id, day, dose_mg, taken_at, kind in rows:
        summary.doses_by_order.setdefault(order_id, []).append(TakenDose(day=day, dose_mg=dose_mg, taken_at=taken_at))
        if kind == DoseKind.INJECTION:
            injection_days.append(day)
    summary.order = next((o for o in orders if o.is_current), orders[-1] if orders else None)
    summary.regimen = summary.order.regimen if summary.order else ""
    covered = days = covered_28 = days_28 = 0
    sources: dict[str, None] = {}
    for order in orders:
        core = order.as_core_order()
        doses = summary.doses_by_order.get(order.id, [])
        start, end = order.starts_on, _window_end(order, doses, episode, today)
        if end < start:
            continue
        report = compute_adherence(core, start, end, doses)
        covered, days = covered + report.days_covered, days + report.days
        summary.missed += list(report.missed)
        summary.overdue += list(report.overdue)
        sources.update(dict.fromkeys(report.sources))
        start_28 = max(start, end - dt.timedelta(days=LAST_DAYS - 1))
        if start_28 <= end:
            recent = compute_adherence(core, start_28, end, doses)
            covered_28, days_28 = covered_28 + recent.days_covered, days_28 + recent.days
            if summary.order is not None and order.id == summary.order.id:
                summary.is_adherent = recent.is_adherent  # the core's verdict (PQA, S139)
    if days:
        summary.pdc_episode, summary.days_covered, summary.days = covered / days, covered, days
    if days_28:
        summary.pdc_28, summary.days_28 = covered_28 / days_28, days_28
    summary.sources = tuple(sources)
    current = summary.order
    if current is not None:
        _add_current_order_measures(summary, current, episode, injection_days, today, patient)
    return summary


def _add_current_order_measures(summary: AdherenceSummary, order: MedicationOrder, episode: Episode,
                                injection_days: list[dt.date], today: dt.date, patient: Patient) -> None:
    regimen = RegimenName(order.regimen)
    core = order.as_core_order()
    doses = summary.doses_by_order.get(order.id, [])
    if regimen in _EVERY_DAY and episode.is_active and today - _DAY >= order.starts_on:
        summary.missed_last_7 = len(missed_in_last(RECENT_MISSED_WINDOW_DAYS, core, doses,
                                                   today=today - _DAY))
    if regimen is RegimenName.TARGETED:
        start, end = order.starts_on, min(today, order.ends_on or today)
        checkins = CheckIn.objects.filter(patient=patient, drank=True, day__gte=start, day__lte=end)
        drinking = [DrinkingDay(day=c.day, first_drink_at=c.first_drink_at) for c in checkins]
        summary.drinking_days = len(drinking)
        summary.targeted_coverage = targeted_coverage(drinking, doses)
    if regimen is RegimenName.XR_INJECTION:
        if injection_days:
            last_given = max(injection_days)
            summary.last_injection_on = last_given
            summary.injection_due_on = next_injection_due(last_given)
            summary.is_injection_overdue = episode.is_active and today >= injection_window(last_given).overdue_from
        else:
            summary.injection_due_on = order.starts_on


def store_snapshot(patient: Patient, summary: AdherenceSummary, *, today: dt.date,
                   days_of_supply_left: int | None) -> AdherenceSnapshot:
    """Write the caseload's per-patient snapshot (one row per patient)."""
    last_checkin = CheckIn.objects.filter(patient=patient).order_by("-day").values_list("day", flat=True).first()
    summary.last_checkin_on = last_checkin
    snapshot, _ = AdherenceSnapshot.objects.update_or_create(patient=patient, defaults={
        "regimen": summary.regimen if summary.episode is not None and summary.episode.is_active else "",
        "pdc_28": summary.pdc_28, "is_adherent": summary.is_adherent, "pdc_episode": summary.pdc_episode,
        "targeted_coverage": summary.targeted_coverage, "missed_last_7": summary.missed_last_7,
        "injection_due_on": summary.injection_due_on, "is_injection_overdue": summary.is_injection_overdue,
        "last_checkin_on": last_checkin, "days_of_supply_left": days_of_supply_left, "computed_for": today,
    })
    return snapshot
