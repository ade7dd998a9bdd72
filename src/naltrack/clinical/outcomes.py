"""Drinking outcome measures per patient and per cohort, from one record per patient-day.

The rules are the reference's "naltrack policy" for drinking measures, built on COMBINE's outcomes
(percent days abstinent, time to first heavy drinking day; S91) and the FDA heavy-day definition
(S85):
- percentages are over recorded days only; a missing day is missing, never abstinent;
- a heavy drinking day is 70 g of ethanol or more for men, 56 g or more for women (S85);
- days to the first heavy drinking day count calendar days, the first recorded day being day 1;
- the WHO risk level comes from mean grams per recorded day (S90), read as continuous intervals:
  for women low is above 0 and at most 20 g, medium above 20 and at most 40, high above 40 and at
  most 60, very high above 60 (men: 40, 60, 100); exactly 0 is ``abstinent``.

Measures are rounded to 6 decimal places, and the risk level is read from the rounded grams, so a
displayed 20.0 g/day is always ``low`` for a woman. The columnar engine (``naltrack.analytics``)
computes the same measures; the helpers taking NumPy arrays below are shared by both paths.
"""

from __future__ import annotations

import enum
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from naltrack.clinical.drinking import (
    HEAVY_DAY_ETHANOL_G,
    HEAVY_DAY_SOURCES,
    Sex,
    standard_drink_unit,
)
from naltrack.clinical.sources import cite

ROUND_DECIMALS = 6
MEASURE_SOURCES = (cite("naltrack-policy:drinking-measures"), cite("S91"), *HEAVY_DAY_SOURCES)
WHO_RISK_SOURCES = (cite("S90"), cite("naltrack-policy:drinking-measures"))


class OutcomeInputError(ValueError):
    """Patient-day records naltrack refuses; the message names the patient and the problem."""


class WhoRiskLevel(enum.Enum):
    """WHO drinking-risk level from mean grams of ethanol per day (S90; 0 g is abstinent by policy)."""

    ABSTINENT = "abstinent"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"


WHO_RISK_LEVELS: tuple[WhoRiskLevel, ...] = tuple(WhoRiskLevel)

# Upper bounds (inclusive, g/day) of low, medium and high; above the last is very high (S90).
WHO_RISK_UPPER_G: Mapping[Sex, tuple[float, float, float]] = MappingProxyType({
    Sex.FEMALE: (20.0, 40.0, 60.0),
    Sex.MALE: (40.0, 60.0, 100.0),
})

# For shifts between windows WHO's four levels are used, where "low" includes 0 g/day (S90), so
# abstinent and low share a rank and moving between them is no change.
WHO_SHIFT_RANK: Mapping[WhoRiskLevel, int] = MappingProxyType({
    WhoRiskLevel.ABSTINENT: 1, WhoRiskLevel.LOW: 1, WhoRiskLevel.MEDIUM: 2,
    WhoRiskLevel.HIGH: 3, WhoRiskLevel.VERY_HIGH: 4,
})


@dataclass(frozen=True, slots=True)
class DrinkingDay:
    """One recorded day for one patient: standard drinks of the cohort's unit."""

    day: date
    standard_drinks: float


@dataclass(frozen=True, slots=True)
class PatientDay:
    """One row of a cohort: patient, day, standard drinks (in the cohort's unit) and sex."""

    patient: str
    day: date
    standard_drinks: float
    sex: Sex


@dataclass(frozen=True, slots=True)
class PatientMeasures:
    """One patient's outcome measures over their recorded days (None where there is no data)."""

    days: int
    percent_days_abstinent: float | None
    percent_heavy_drinking_days: float | None
    drinks_per_drinking_day: float | None
    days_to_first_heavy_drinking_day: int | None
    grams_per_day: float | None
    who_risk_level: WhoRiskLevel | None

    def as_json(self) -> dict[str, Any]:
        """The measures under the keys of the ``naltrack outcomes`` contract."""
        return {
            "days": self.days,
            "percent_days_abstinent": self.percent_days_abstinent,
            "percent_heavy_drinking_days": self.percent_heavy_drinking_days,
            "drinks_per_drinking_day": self.drinks_per_drinking_day,
            "days_to_first_heavy_drinking_day": self.days_to_first_heavy_drinking_day,
            "grams_per_day": self.grams_per_day,
            "who_risk_level": None if self.who_risk_level is None else self.who_risk_level.value,
        }


@dataclass(frozen=True, slots=True)
class CohortSummary:
    """Cohort aggregates: means over patients of each measure, and counts.

    Each mean is over the patients who have that measure: drinks per drinking day over patients
    with a drinking day, days to first heavy day over patients with a heavy day (the others are not
    counted, so read it with ``patients_with_heavy_drinking_day``).
    """

    patients: int
    days: int
    percent_days_abstinent: float | None
    percent_heavy_drinking_days: float | None
    drinks_per_drinking_day: float | None
    days_to_first_heavy_drinking_day: float | None
    patients_with_heavy_drinking_day: int
    grams_per_day: float | None
    who_risk_levels: Mapping[str, int]

    def as_json(self) -> dict[str, Any]:
        """The aggregates as the ``cohort`` object of ``naltrack outcomes``."""
        return {
            "patients": self.patients,
            "days": self.days,
            "percent_days_abstinent": self.percent_days_abstinent,
            "percent_heavy_drinking_days": self.percent_heavy_drinking_days,
            "drinks_per_drinking_day": self.drinks_per_drinking_day,
            "days_to_first_heavy_drinking_day": self.days_to_first_heavy_drinking_day,
            "patients_with_heavy_drinking_day": self.patients_with_heavy_drinking_day,
            "grams_per_day": self.grams_per_day,
            "who_risk_levels": dict(self.who_risk_levels),
        }


@dataclass(frozen=True, slots=True)
class CohortOutcomes:
    """Per-patient measures (sorted by patient id) and the cohort summary, in one unit."""

    unit: str
    patients: Mapping[str, PatientMeasures]
    cohort: CohortSummary

    def as_json(self) -> dict[str, Any]:
        """The whole ``naltrack outcomes`` document."""
        return {
            "unit": self.unit,
            "patients": {patient: m.as_json() for patient, m in self.patients.items()},
            "cohort": self.cohort.as_json(),
        }


def round_measures(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Round measures to 6 decimals, halves away from zero, as SQL's ROUND does (NaN stays NaN).

    The value is scaled by 10^6, rounded half away from zero exactly (the fractional part of a
    double is exact), and scaled back: the same steps as DuckDB's ``round(x, 6)``, so hand-written
    SQL and both naltrack paths print the same digits.
    """
    scale = 10.0**ROUND_DECIMALS
    scaled = np.asarray(values, dtype=np.float64) * scale
    whole = np.trunc(scaled)
    is_half = np.abs(scaled - whole) == 0.5
    rounded = np.where(is_half, whole + np.sign(scaled), np.rint(scaled))
    return np.asarray(rounded / scale, dtype=np.float64)


def round_measure(value: float) -> float:
    """Round one measure to 6 decimals exactly as ``round_measures`` does for arrays."""
    return float(round_measures(np.array([value], dtype=np.float64))[0])


def classify_who_risk(grams_per_day: float, sex: Sex) -> WhoRiskLevel:
    """WHO risk level for mean grams per day, continuous intervals (S90, naltrack-policy)."""
    if not math.isfinite(grams_per_day) or grams_per_day < 0:
        raise OutcomeInputError(f"grams per day must be a non-negative number, not {grams_per_day!r}")
    if grams_per_day == 0:
        return WhoRiskLevel.ABSTINENT
    levels = (WhoRiskLevel.LOW, WhoRiskLevel.MEDIUM, WhoRiskLevel.HIGH)
    for level, upper_g in zip(levels, WHO_RISK_UPPER_G[sex], strict=True):
        if grams_per_day <= upper_g:
            return level
    return WhoRiskLevel.VERY_HIGH


def classify_who_risk_codes(
    grams_per_day: npt.NDArray[np.float64], is_female: npt.NDArray[np.bool_]
) -> npt.NDArray[np.int8]:
    """Vectorised ``classify_who_risk``: index into ``WHO_RISK_LEVELS`` per patient (S90)."""
    female = np.searchsorted(np.array(WHO_RISK_UPPER_G[Sex.FEMALE]), grams_per_day, side="left")
    male = np.searchsorted(np.array(WHO_RISK_UPPER_G[Sex.MALE]), grams_per_day, side="left")
    codes = 1 + np.where(is_female, female, male)
    return np.where(grams_per_day == 0, 0, codes).astype(np.int8)


def _check_drinks(patient: str, day: date, drinks: float) -> None:
    where = f"patient {patient} on {day.isoformat()}"
    if isinstance(drinks, bool) or not isinstance(drinks, int | float) or not math.isfinite(drinks):
        raise OutcomeInputError(f"{where}: drinks must be a finite number, not {drinks!r}")
    if drinks < 0:
        raise OutcomeInputError(f"{where}: drinks cannot be negative ({drinks:g})")


def measure_patient(
    days: Sequence[DrinkingDay], sex: Sex, unit: str = "us", *, patient: str = "?"
) -> PatientMeasures:
    """One patient's outcome measures over recorded days (naltrack-policy:drinking-measures, S85, S90)."""
    unit_g = standard_drink_unit(unit).ethanol_g
    ordered = sorted(days, key=lambda record: record.day)
    for earlier, later in itertools.pairwise(ordered):
        if earlier.day == later.day:
            raise OutcomeInputError(f"patient {patient} has two records for {later.day.isoformat()}")
    for record in ordered:
        _check_drinks(patient, record.day, record.standard_drinks)
    count = len(ordered)
    if count == 0:
        return PatientMeasures(0, None, None, None, None, None, None)
    threshold_g = HEAVY_DAY_ETHANOL_G[sex]
    abstinent = sum(1 for record in ordered if record.standard_drinks == 0)
    heavy_days = [record.day for record in ordered if record.standard_drinks * unit_g >= threshold_g]
    total_drinks = sum(float(record.standard_drinks) for record in ordered)
    drinking = count - abstinent
    grams = round_measure(total_drinks * unit_g / count)
    return PatientMeasures(
        days=count,
        percent_days_abstinent=round_measure(100.0 * abstinent / count),
        percent_heavy_drinking_days=round_measure(100.0 * len(heavy_days) / count),
        drinks_per_drinking_day=round_measure(total_drinks / drinking) if drinking else None,
        days_to_first_heavy_drinking_day=(heavy_days[0] - ordered[0].day).days + 1 if heavy_days else None,
        grams_per_day=grams,
        who_risk_level=classify_who_risk(grams, sex),
    )


def _mean_or_none(values: npt.NDArray[np.float64]) -> float | None:
    present = values[~np.isnan(values)]
    return round_measure(float(present.mean())) if present.size else None


def summarise_cohort_arrays(
    days: npt.NDArray[np.int64],
    percent_days_abstinent: npt.NDArray[np.float64],
    percent_heavy_drinking_days: npt.NDArray[np.float64],
    drinks_per_drinking_day: npt.NDArray[np.float64],
    days_to_first_heavy_drinking_day: npt.NDArray[np.float64],
    grams_per_day: npt.NDArray[np.float64],
    who_risk_codes: npt.NDArray[np.int8],
) -> CohortSummary:
    """Cohort means (over patients having each measure) and counts, from per-patient arrays.

    Arrays are in patient-id order with NaN for a missing measure; both engines call this, so the
    cohort figures agree to the last digit (naltrack-policy:drinking-measures).
    """
    counts = np.bincount(who_risk_codes.astype(np.int64), minlength=len(WHO_RISK_LEVELS))
    return CohortSummary(
        patients=int(days.size),
        days=int(days.sum()),
        percent_days_abstinent=_mean_or_none(percent_days_abstinent),
        percent_heavy_drinking_days=_mean_or_none(percent_heavy_drinking_days),
        drinks_per_drinking_day=_mean_or_none(drinks_per_drinking_day),
        days_to_first_heavy_drinking_day=_mean_or_none(days_to_first_heavy_drinking_day),
        patients_with_heavy_drinking_day=int((~np.isnan(days_to_first_heavy_drinking_day)).sum()),
        grams_per_day=_mean_or_none(grams_per_day),
        who_risk_levels=MappingProxyType(
            {level.value: int(n) for level, n in zip(WHO_RISK_LEVELS, counts, strict=True)}
        ),
    )


def _nan_if_none(value: float | None) -> float:
    return math.nan if value is None else float(value)


def summarise_cohort(measures: Sequence[PatientMeasures]) -> CohortSummary:
    """Cohort aggregates of per-patient measures, in the order given (see ``summarise_cohort_arrays``)."""
    measured = [m for m in measures if m.who_risk_level is not None]
    return summarise_cohort_arrays(
        np.array([m.days for m in measured], dtype=np.int64),
        np.array([_nan_if_none(m.percent_days_abstinent) for m in measured], dtype=np.float64),
        np.array([_nan_if_none(m.percent_heavy_drinking_days) for m in measured], dtype=np.float64),
        np.array([_nan_if_none(m.drinks_per_drinking_day) for m in measured], dtype=np.float64),
        np.array([_nan_if_none(m.days_to_first_heavy_drinking_day) for m in measured], dtype=np.float64),
        np.array([_nan_if_none(m.grams_per_day) for m in measured], dtype=np.float64),
        np.array([WHO_RISK_LEVELS.index(m.who_risk_level) for m in measured if m.who_risk_level],
                 dtype=np.int8),
    )


def group_patient_days(rows: Iterable[PatientDay]) -> dict[str, tuple[Sex, list[DrinkingDay]]]:
    """Rows grouped by patient (ids sorted), refusing a patient recorded with two sexes."""
    grouped: dict[str, tuple[Sex, list[DrinkingDay]]] = {}
    for row in rows:
        if not row.patient:
            raise OutcomeInputError(f"a row on {row.day.isoformat()} has an empty patient id")
        sex, records = grouped.setdefault(row.patient, (row.sex, []))
        if row.sex is not sex:
            raise OutcomeInputError(
                f"patient {row.patient} is recorded as both {sex.value} and {row.sex.value}"
            )
        records.append(DrinkingDay(row.day, row.standard_drinks))
    return dict(sorted(grouped.items()))


def measure_cohort(rows: Iterable[PatientDay], unit: str = "us") -> CohortOutcomes:
    """Measures for every patient and the cohort summary (naltrack-policy:drinking-measures)."""
    standard_drink_unit(unit)
    patients = {
        patient: measure_patient(records, sex, unit, patient=patient)
        for patient, (sex, records) in group_patient_days(rows).items()
    }
    return CohortOutcomes(unit, MappingProxyType(patients), summarise_cohort(list(patients.values())))


# --- WHO risk level shifts between two windows --------------------------------------------------


@dataclass(frozen=True, slots=True)
class RiskShift:
    """One patient's WHO risk level in window A and B; ``change_levels`` < 0 means lower risk in B."""

    patient: str
    level_a: WhoRiskLevel
    level_b: WhoRiskLevel
    change_levels: int


@dataclass(frozen=True, slots=True)
class RiskShiftReport:
    """Per-patient shifts and cohort counts of WHO risk level changes from window A to B."""

    shifts: tuple[RiskShift, ...]
    patients_compared: int
    down_at_least_1: int
    down_at_least_2: int
    unchanged: int
    up: int
    not_comparable: int


def compare_who_risk_levels(
    window_a: Mapping[str, PatientMeasures], window_b: Mapping[str, PatientMeasures]
) -> RiskShiftReport:
    """WHO risk level shifts per patient between two windows, and cohort counts (S90).

    Only patients with a level in both windows are compared; the rest are ``not_comparable``.
    Abstinent and low count as the same WHO level (S90's low band includes 0 g/day).
    """
    shifts: list[RiskShift] = []
    for patient in sorted(set(window_a) | set(window_b)):
        level_a = window_a[patient].who_risk_level if patient in window_a else None
        level_b = window_b[patient].who_risk_level if patient in window_b else None
        if level_a is not None and level_b is not None:
            change = WHO_SHIFT_RANK[level_b] - WHO_SHIFT_RANK[level_a]
            shifts.append(RiskShift(patient, level_a, level_b, change))
    everyone = len(set(window_a) | set(window_b))
    return RiskShiftReport(
        shifts=tuple(shifts),
        patients_compared=len(shifts),
        down_at_least_1=sum(1 for s in shifts if s.change_levels <= -1),
        down_at_least_2=sum(1 for s in shifts if s.change_levels <= -2),
        unchanged=sum(1 for s in shifts if s.change_levels == 0),
        up=sum(1 for s in shifts if s.change_levels > 0),
        not_comparable=everyone - len(shifts),
    )


def who_risk_shifts_between_windows(
    rows: Iterable[PatientDay],
    window_a: tuple[date, date],
    window_b: tuple[date, date],
    unit: str = "us",
) -> RiskShiftReport:
    """Measure each patient in two inclusive date windows and compare their WHO risk levels (S90)."""
    for start, end in (window_a, window_b):
        if start > end:
            raise OutcomeInputError(f"window starts after it ends: {start.isoformat()} > {end.isoformat()}")
    all_rows = list(rows)

    def within(window: tuple[date, date]) -> list[PatientDay]:
        return [row for row in all_rows if window[0] <= row.day <= window[1]]

    measures_a = measure_cohort(within(window_a), unit).patients
    measures_b = measure_cohort(within(window_b), unit).patients
    return compare_who_risk_levels(measures_a, measures_b)
