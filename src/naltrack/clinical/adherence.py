"""Adherence: proportion of days covered (PDC), missed days and overdue injections.

The rules are the reference's "naltrack policy" on adherence, applied exactly:

* a day is covered when any dose's coverage includes it, and overlapping coverage counts once;
* an oral dose (daily, supervised or targeted) covers one day per started 50 mg, from its own day:
  25 or 50 mg one day, 51 or 100 mg two days, 150 mg three (the label's blockade of about 24, 48
  and 72 hours, S25); a low-dose tablet covers its own day; an injection covers 28 days (S33); an
  implant covers the expected duration the clinician entered from the product;
* the window runs from ``start`` to ``end``, both included; PDC = covered days / days;
* PDC of 0.8 or more counts as adherent (PQA, S139);
* a dose-based regimen has a missed day when a scheduled day is uncovered;
* an injection is overdue on every day that lies more than 28 days after the most recent
  injection given on or before that day (the first such day is 29 days after it; the due day,
  28 days after, is not overdue).

Doses outside the window still count for the days their coverage reaches inside it: a 150 mg
dose taken the day before ``start`` covers ``start`` and the day after.

Coverage is computed with NumPy in O(days + doses): each dose adds +1 at its first covered
day and -1 after its last on a difference array, and a running sum marks the covered days;
the most recent injection before each day comes from a running maximum.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt

from naltrack.clinical.regimens import (
    XR_INTERVAL_DAYS,
    Order,
    RegimenName,
    get_regimen,
    scheduled_dates,
    validate_order,
)
from naltrack.clinical.sources import cite

__all__ = [
    "ADHERENT_PDC",
    "INJECTION_COVERAGE_DAYS",
    "INJECTION_OVERDUE_AFTER_DAYS",
    "ORAL_COVERAGE_STEP_MG",
    "RECENT_MISSED_MIN_DAYS",
    "RECENT_MISSED_WINDOW_DAYS",
    "AdherenceReport",
    "DrinkingDay",
    "InvalidAdherenceInput",
    "TakenDose",
    "compute_adherence",
    "coverage_days",
    "has_missed_doses_recently",
    "missed_in_last",
    "targeted_coverage",
]

ADHERENCE_POLICY = cite("naltrack-policy:adherence")
ORAL_COVERAGE_STEP_MG = 50.0          # one covered day per started 50 mg (blockade ~24 h per 50 mg)
ORAL_COVERAGE_SOURCES = (ADHERENCE_POLICY, cite("S25"))
INJECTION_COVERAGE_DAYS = XR_INTERVAL_DAYS      # the label's 4-week interval
INJECTION_OVERDUE_AFTER_DAYS = XR_INTERVAL_DAYS  # overdue once a day passes beyond 28 days
INJECTION_SOURCES = (ADHERENCE_POLICY, cite("S33"))
ADHERENT_PDC = 0.8                    # PQA: PDC at or above 80% counts as adherent
ADHERENT_PDC_SOURCES = (ADHERENCE_POLICY, cite("S139"))
TARGETED_POLICY = cite("naltrack-policy:targeted-dosing")

# Product defaults for the caseload flag "2 or more of the last 7 daily doses missed". They come from
# the product brief, not from a clinical source; clinics may choose others.
RECENT_MISSED_WINDOW_DAYS = 7
RECENT_MISSED_MIN_DAYS = 2

_ORAL_STEP_REGIMENS = frozenset({RegimenName.ORAL_DAILY, RegimenName.ORAL_SUPERVISED, RegimenName.TARGETED})
# Regimens whose every day is a treatment day when the order is followed. The supervised patterns
# belong here too: each, taken as written, covers all seven days (5 x 1 + 2; 2 per 2; 3 per 3; 2+2+3).
_EVERY_DAY_REGIMENS = frozenset({RegimenName.ORAL_DAILY, RegimenName.ORAL_SUPERVISED, RegimenName.LOW_DOSE})


class InvalidAdherenceInput(ValueError):
    """Input that adherence cannot be computed from (bad window, bad dose, missing duration)."""


@dataclass(frozen=True, slots=True)
class TakenDose:
    """A dose the patient took (or was given) on their local ``day``; ``taken_at`` when the time is known."""

    day: date
    dose_mg: float
    taken_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DrinkingDay:
    """A local day on which the patient drank; ``first_drink_at`` when the time is known."""

    day: date
    first_drink_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AdherenceReport:
    """Coverage over a window: PDC, covered days, missed and overdue days, and the adherent verdict.

    ``is_adherent`` is None for targeted orders: the PQA threshold is for scheduled medicines,
    and a targeted tablet is due only on drinking days.
    """

    pdc: float
    days_covered: int
    days: int
    missed: tuple[date, ...]
    overdue: tuple[date, ...]
    is_adherent: bool | None
    sources: tuple[str, ...]


def _check_dose_mg(dose_mg: object) -> float:
    if isinstance(dose_mg, bool) or not isinstance(dose_mg, int | float):
        raise InvalidAdherenceInput(f"a dose must be a positive number of mg, got {dose_mg!r}")
    try:
        value_mg = float(dose_mg)
    except OverflowError:
        raise InvalidAdherenceInput("a dose is too large to be a number of mg") from None
    if not math.isfinite(value_mg) or value_mg <= 0:
        raise InvalidAdherenceInput(f"a dose must be a positive number of mg, got {dose_mg!r}")
    return value_mg


def coverage_days(
    regimen: str | RegimenName, dose_mg: float, *, implant_duration_days: int | None = None
) -> int:
    """How many days one dose covers, from its own day (naltrack policy on adherence; S25, S33)."""
    name = get_regimen(regimen).name
    dose_mg = _check_dose_mg(dose_mg)
    if name in _ORAL_STEP_REGIMENS:
        return max(1, math.ceil(dose_mg / ORAL_COVERAGE_STEP_MG))
    if name is RegimenName.LOW_DOSE:
        return 1
    if name is RegimenName.XR_INJECTION:
        return INJECTION_COVERAGE_DAYS
    return _implant_days(implant_duration_days)


def _implant_days(implant_duration_days: int | None) -> int:
    days = implant_duration_days
    if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
        raise InvalidAdherenceInput("an implant needs its expected duration in whole days (from the product)")
    return days


def _resolve(regimen: str | RegimenName | Order, implant_duration_days: int | None) -> tuple[
    RegimenName, Order | None, int | None
]:
    if isinstance(regimen, Order):
        validate_order(regimen)
        return regimen.regimen, regimen, regimen.implant_duration_days
    name = get_regimen(regimen).name
    if implant_duration_days is not None and name is not RegimenName.IMPLANT:
        raise InvalidAdherenceInput("an expected duration applies only to implants")
    return name, None, implant_duration_days


def _day_offsets(days: Iterable[date], start: date) -> npt.NDArray[np.int64]:
    origin = start.toordinal()
    return np.fromiter((day.toordinal() - origin for day in days), dtype=np.int64)


def _coverage_mask(
    offsets: npt.NDArray[np.int64], lengths_days: npt.NDArray[np.float64], n_days: int
) -> npt.NDArray[np.bool_]:
    """Days 0..n_days-1 covered by doses starting at ``offsets`` lasting ``lengths_days`` each."""
    # Cap each length so the end offset stays small (a huge dose cannot overflow the integers).
    cap = n_days + np.maximum(0, -offsets)
    lengths = np.minimum(lengths_days, cap.astype(np.float64)).astype(np.int64)
    first = np.clip(offsets, 0, n_days)
    after_last = np.clip(offsets + lengths, 0, n_days)
    reaches_in = first < after_last
    diff = (np.bincount(first[reaches_in], minlength=n_days + 1)
            - np.bincount(after_last[reaches_in], minlength=n_days + 1))
    covered: npt.NDArray[np.bool_] = np.cumsum(diff)[:n_days] > 0
    return covered


def _overdue_mask(offsets: npt.NDArray[np.int64], n_days: int) -> npt.NDArray[np.bool_]:
    """Days more than 28 days after the most recent injection on or before them (running maximum)."""
    none = np.iinfo(np.int64).min
    earlier = offsets[offsets < 0]
    initial = int(earlier.max()) if earlier.size else none
    marks = np.full(n_days, none, dtype=np.int64)
    inside = offsets[(offsets >= 0) & (offsets < n_days)]
    marks[inside] = inside
    last_given = np.maximum.accumulate(np.maximum(marks, initial))
    has_previous = last_given != none
    day_index = np.arange(n_days, dtype=np.int64)
    overdue: npt.NDArray[np.bool_] = has_previous & (
        day_index - np.where(has_previous, last_given, 0) > INJECTION_OVERDUE_AFTER_DAYS
    )
    return overdue


def _dates_where(mask: npt.NDArray[np.bool_], start: date) -> tuple[date, ...]:
    return tuple(start + timedelta(days=int(index)) for index in np.flatnonzero(mask))


def compute_adherence(
    regimen: str | RegimenName | Order,
    start: date,
    end: date,
    doses: Sequence[TakenDose],
    *,
    today: date | None = None,
    implant_duration_days: int | None = None,
) -> AdherenceReport:
    """PDC, missed days and overdue days over ``start``..``end`` (naltrack policy on adherence; S139, S33).

    ``regimen`` is a regimen name or a full :class:`Order`. With a name, every day of the window is a
    treatment day for the daily and supervised regimens; with an order, its own dose days are. When
    ``today`` is given, the window stops at today (future days can be neither covered nor missed).
    Implants need ``implant_duration_days`` (or an order carrying it).
    """
    name, order, implant_days = _resolve(regimen, implant_duration_days)
    if end < start:
        raise InvalidAdherenceInput(f"the window ends ({end}) before it starts ({start})")
    if today is not None and today < end:
        if today < start:
            raise InvalidAdherenceInput(f"the window starts ({start}) after today ({today})")
        end = today
    n_days = (end - start).days + 1

    doses_mg = np.fromiter((_check_dose_mg(dose.dose_mg) for dose in doses), dtype=np.float64)
    offsets = _day_offsets((dose.day for dose in doses), start)
    if name in _ORAL_STEP_REGIMENS:
        lengths_days = np.maximum(1.0, np.ceil(doses_mg / ORAL_COVERAGE_STEP_MG))
    elif name is RegimenName.LOW_DOSE:
        lengths_days = np.ones_like(doses_mg)
    elif name is RegimenName.XR_INJECTION:
        lengths_days = np.full_like(doses_mg, float(INJECTION_COVERAGE_DAYS))
    else:
        lengths_days = np.full_like(doses_mg, float(_implant_days(implant_days)))
    covered = _coverage_mask(offsets, lengths_days, n_days)

    missed: tuple[date, ...] = ()
    if name in _EVERY_DAY_REGIMENS:
        if order is None:
            scheduled = np.ones(n_days, dtype=np.bool_)
        else:
            scheduled = np.zeros(n_days, dtype=np.bool_)
            scheduled[_day_offsets(scheduled_dates(order, start, end), start)] = True
        missed = _dates_where(scheduled & ~covered, start)
    overdue: tuple[date, ...] = ()
    if name is RegimenName.XR_INJECTION:
        overdue = _dates_where(_overdue_mask(offsets, n_days), start)

    days_covered = int(np.count_nonzero(covered))
    pdc = days_covered / n_days
    coverage_sources: tuple[str, ...] = (
        INJECTION_SOURCES if name is RegimenName.XR_INJECTION else ORAL_COVERAGE_SOURCES
    )
    if name is RegimenName.TARGETED:
        coverage_sources = (*coverage_sources, TARGETED_POLICY)
    sources = (*coverage_sources, *ADHERENT_PDC_SOURCES)
    return AdherenceReport(
        pdc=pdc,
        days_covered=days_covered,
        days=n_days,
        missed=missed,
        overdue=overdue,
        is_adherent=None if name is RegimenName.TARGETED else pdc >= ADHERENT_PDC,
        sources=tuple(dict.fromkeys(sources)),
    )


def missed_in_last(
    n_days: int,
    regimen: str | RegimenName | Order,
    doses: Sequence[TakenDose],
    *,
    today: date,
    implant_duration_days: int | None = None,
) -> tuple[date, ...]:
    """The missed days among the last ``n_days`` days up to and including ``today`` (naltrack policy)."""
    if isinstance(n_days, bool) or not isinstance(n_days, int) or n_days <= 0:
        raise InvalidAdherenceInput("the look-back must be a positive whole number of days")
    window_start = today - timedelta(days=n_days - 1)
    report = compute_adherence(
        regimen, window_start, today, doses, implant_duration_days=implant_duration_days
    )
    return report.missed


def has_missed_doses_recently(
    regimen: str | RegimenName | Order,
    doses: Sequence[TakenDose],
    *,
    today: date,
    n_days: int = RECENT_MISSED_WINDOW_DAYS,
    min_missed: int = RECENT_MISSED_MIN_DAYS,
) -> bool:
    """The caseload flag: ``min_missed`` or more missed days in the last ``n_days`` (default 2 of 7)."""
    return len(missed_in_last(n_days, regimen, doses, today=today)) >= min_missed


def _require_aware(moment: datetime | None, what: str) -> None:
    if moment is not None and (moment.tzinfo is None or moment.utcoffset() is None):
        raise InvalidAdherenceInput(f"{what} must be a timezone-aware datetime")


def targeted_coverage(drinking_days: Iterable[DrinkingDay], doses: Iterable[TakenDose]) -> float | None:
    """Share of drinking days with a targeted dose taken beforehand (S95, S96; targeted-dosing policy).

    A dose counts for a drinking day when it was taken on the same local day and, if both times are
    known, before the first drink; when either time is unknown, the same day is enough. A dose the
    evening before does not count for the next day. Returns None when there are no drinking days.
    """
    first_drink: dict[date, datetime | None] = {}
    for drinking in drinking_days:
        _require_aware(drinking.first_drink_at, "the first-drink time")
        known = [t for t in (first_drink.get(drinking.day), drinking.first_drink_at) if t is not None]
        first_drink[drinking.day] = min(known) if known else None
    if not first_drink:
        return None
    taken_on: dict[date, list[datetime | None]] = {}
    for dose in doses:
        _check_dose_mg(dose.dose_mg)
        _require_aware(dose.taken_at, "the dose time")
        taken_on.setdefault(dose.day, []).append(dose.taken_at)

    def is_dosed_beforehand(day: date, first_at: datetime | None) -> bool:
        return any(
            taken_at is None or first_at is None or taken_at < first_at
            for taken_at in taken_on.get(day, [])
        )

    dosed = sum(is_dosed_beforehand(day, first_at) for day, first_at in first_drink.items())
    return dosed / len(first_drink)
