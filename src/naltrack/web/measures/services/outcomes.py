"""Outcome measures over a window: per patient with naltrack.clinical.outcomes, per cohort with
naltrack.analytics (DuckDB over the one-query Arrow table of patient_days)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
from django.db.models import Avg, Count, Q

from naltrack.analytics import cohort_measures_from_arrow
from naltrack.clinical.adherence import ADHERENT_PDC
from naltrack.clinical.drinking import is_heavy_drinking_day, parse_sex
from naltrack.clinical.outcomes import (
    CohortSummary,
    DrinkingDay,
    PatientMeasures,
    RiskShiftReport,
    compare_who_risk_levels,
    measure_patient,
)
from naltrack.web.accounts.models import AuditAction, Clinic, Patient, User
from naltrack.web.accounts.services import record_audit_event
from naltrack.web.care.models import AdherenceSnapshot, Dose, EndReason, Episode, EpisodeStatus

from .common import MeasuresError
from .patient_days import drinking_rows, patient_day_table, within

if TYPE_CHECKING:
    from django.http import HttpRequest

# The longest window a page computes over (a guard against a 100-year request).
MAX_WINDOW_DAYS = 3 * 366


def check_window(start: dt.date, end: dt.date) -> None:
    if start > end:
        raise MeasuresError("The window starts after it ends.")
    if (end - start).days + 1 > MAX_WINDOW_DAYS:
        raise MeasuresError("Choose a window of at most three years.")


def halves(start: dt.date, end: dt.date) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    """Window A (first half) and B (second half) for WHO risk-level shifts; B gets the middle day."""
    days = (end - start).days + 1
    a_end = start + dt.timedelta(days=days // 2 - 1)
    if days < 2:
        return (start, start), (start, start)
    return (start, a_end), (a_end + dt.timedelta(days=1), end)


# --- One patient -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatientOutcomes:
    """One patient's measures over a window, with the core's numbers and the day-by-day rows."""

    patient: Patient
    unit: str
    start: dt.date
    end: dt.date
    measures: PatientMeasures
    shift: RiskShiftReport
    window_a: tuple[dt.date, dt.date]
    window_b: tuple[dt.date, dt.date]
    opioid_use_days: int
    opioid_reported_days: int
    checkin_days: int
    rows: pa.Table

    @property
    def window_days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def missing_days(self) -> int:
        return self.window_days - self.measures.days

    @property
    def percent_opioid_use_days(self) -> float | None:
        if not self.opioid_reported_days:
            return None
        return 100.0 * self.opioid_use_days / self.opioid_reported_days


def _core_days(rows: pa.Table) -> list[DrinkingDay]:
    data = drinking_rows(rows).to_pydict()
    return [DrinkingDay(day, drinks) for day, drinks in zip(data["date"], data["standard_drinks"], strict=True)]


def patient_outcomes(patient: Patient, start: dt.date, end: dt.date) -> PatientOutcomes:
    """The patient's measures by the core (naltrack.clinical.outcomes) in their clinic's unit."""
    check_window(start, end)
    unit = patient.clinic.drink_unit
    rows = patient_day_table(unit=unit, start=start, end=end, patient_ids=[patient.id])
    sex = parse_sex(patient.sex)
    key = str(patient.id)
    measures = measure_patient(_core_days(rows), sex, unit, patient=key)
    window_a, window_b = halves(start, end)
    in_a = measure_patient(_core_days(within(rows, *window_a)), sex, unit, patient=key)
    in_b = measure_patient(_core_days(within(rows, *window_b)), sex, unit, patient=key)
    shift = compare_who_risk_levels(
        {key: in_a} if in_a.days else {}, {key: in_b} if in_b.days else {})
    opioid = rows["opioid_use"]
    return PatientOutcomes(
        patient=patient, unit=unit, start=start, end=end, measures=measures, shift=shift,
        window_a=window_a, window_b=window_b,
        opioid_use_days=int(pc.sum(opioid).as_py() or 0),
        opioid_reported_days=int(pc.count(opioid).as_py()),
        checkin_days=int(pc.sum(rows["checked_in"].cast(pa.int64())).as_py() or 0),
        rows=rows,
    )


# --- A cohort --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Retention:
    """Share of patients whose latest episode (started by the window's end) is active or completed."""

    patients: int
    retained: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.retained / self.patients if self.patients else None


@dataclass(frozen=True)
class Adherence:
    """Adherence from the care app's snapshots: mean 28-day PDC and the share at or above 0.8 (PQA)."""

    patients: int
    mean_pdc_28: float | None
    adherent: int
    pdc_values: list[float] = field(default_factory=list)

    @property
    def percent_adherent(self) -> float | None:
        return 100.0 * self.adherent / self.patients if self.patients else None


@dataclass(frozen=True)
class CohortOutcomes:
    """Everything the cohort dashboard shows, computed with a fixed number of queries."""

    clinics: list[Clinic]
    unit: str
    start: dt.date
    end: dt.date
    summary: CohortSummary
    patients: pa.Table  # per-patient measures from naltrack.analytics
    weekly: list[dict[str, Any]]
    shift: RiskShiftReport
    window_a: tuple[dt.date, dt.date]
    window_b: tuple[dt.date, dt.date]
    opioid_use_days: int
    opioid_reported_days: int
    retention: Retention
    adherence: Adherence

    @property
    def percent_opioid_use_days(self) -> float | None:
        if not self.opioid_reported_days:
            return None
        return 100.0 * self.opioid_use_days / self.opioid_reported_days


def cohort_unit(clinics: list[Clinic]) -> str:
    """The clinics' shared unit, or US standard drinks when they count in different units."""
    units = {clinic.drink_unit for clinic in clinics}
    return units.pop() if len(units) == 1 else "us"


def _weekly(rows: pa.Table, unit: str) -> list[dict[str, Any]]:
    """Weekly cohort trends: the engine measures each patient-week, then weeks are averaged."""
    if rows.num_rows == 0:
        return []
    week = pc.floor_temporal(rows["date"], unit="week", week_starts_monday=True)
    week_text = pc.strftime(week, format="%Y-%m-%d")
    keyed = rows.set_column(rows.schema.get_field_index("patient"), "patient",
                            pc.binary_join_element_wise(week_text, rows["patient"], "|"))
    drinking = drinking_rows(keyed)
    per_week: dict[str, dict[str, Any]] = {}
    if drinking.num_rows:
        measured = cohort_measures_from_arrow(drinking, unit).patients
        weeks = pc.utf8_slice_codeunits(measured["patient"], 0, 10)
        grouped = measured.append_column("week", weeks).group_by("week").aggregate([
            ("percent_days_abstinent", "mean"), ("percent_heavy_drinking_days", "mean"),
            ("grams_per_day", "mean"), ("patient", "count"),
        ])
        for row in grouped.to_pylist():
            per_week[row["week"]] = {
                "week": row["week"], "patients": row["patient_count"],
                "percent_days_abstinent": row["percent_days_abstinent_mean"],
                "percent_heavy_drinking_days": row["percent_heavy_drinking_days_mean"],
                "grams_per_day": row["grams_per_day_mean"],
            }
    checkins = rows.append_column("week", week_text).group_by("week").aggregate([
        ("opioid_use", "mean"), ("craving", "mean"),
    ])
    for row in checkins.to_pylist():
        entry = per_week.setdefault(row["week"], {"week": row["week"], "patients": 0,
                                                  "percent_days_abstinent": None,
                                                  "percent_heavy_drinking_days": None, "grams_per_day": None})
        share = row["opioid_use_mean"]
        entry["percent_opioid_use_days"] = None if share is None else 100.0 * share
        entry["mean_craving"] = row["craving_mean"]
    return [per_week[key] for key in sorted(per_week)]


def _retention(clinic_ids: list[int], end: dt.date) -> Retention:
    latest: dict[int, tuple[Any, ...]] = {}
    episodes = Episode.objects.filter(patient__clinic_id__in=clinic_ids, started_on__lte=end) \
        .order_by("patient_id", "-started_on", "-id") \
        .values_list("patient_id", "started_on", "status", "ended_on", "end_reason", "planned_weeks")
    for row in episodes:
        latest.setdefault(row[0], row)
    retained = 0
    for _patient, started_on, status, ended_on, reason, weeks in latest.values():
        is_active = status == EpisodeStatus.ACTIVE and (ended_on is None or ended_on > end)
        ran_its_course = bool(weeks) and ended_on is not None and ended_on >= started_on + dt.timedelta(weeks=weeks)
        if is_active or reason == EndReason.COMPLETED or ran_its_course:
            retained += 1
    return Retention(len(latest), retained)


def _adherence(clinic_ids: list[int]) -> Adherence:
    snapshots = AdherenceSnapshot.objects.filter(patient__clinic_id__in=clinic_ids, pdc_28__isnull=False)
    values = [float(v) for v in snapshots.values_list("pdc_28", flat=True) if v is not None]
    stats = snapshots.aggregate(mean=Avg("pdc_28"), n=Count("id"), adherent=Count("id", filter=Q(
        pdc_28__gte=ADHERENT_PDC)))
    return Adherence(stats["n"], stats["mean"], stats["adherent"], values)


def cohort_outcomes(user: User, clinics: list[Clinic], start: dt.date, end: dt.date, *, unit: str | None = None,
                    request: HttpRequest | None = None, via: str = "web") -> CohortOutcomes:
    """Cohort measures for ``clinics`` (the caller's, already checked) over a window, audited per clinic."""
    check_window(start, end)
    unit = unit or cohort_unit(clinics)
    clinic_ids = [clinic.id for clinic in clinics]
    rows = patient_day_table(unit=unit, start=start, end=end, clinic_ids=clinic_ids)
    measured = cohort_measures_from_arrow(drinking_rows(rows), unit)
    window_a, window_b = halves(start, end)
    in_a = cohort_measures_from_arrow(drinking_rows(within(rows, *window_a)), unit).patient_measures()
    in_b = cohort_measures_from_arrow(drinking_rows(within(rows, *window_b)), unit).patient_measures()
    for clinic in clinics:
        record_audit_event(actor=user, patient=None, clinic=clinic, action=AuditAction.VIEW,
                           target="cohort outcomes", detail=f"{start.isoformat()} to {end.isoformat()}",
                           request=request, via=via)
    opioid = rows["opioid_use"]
    return CohortOutcomes(
        clinics=clinics, unit=unit, start=start, end=end, summary=measured.cohort, patients=measured.patients,
        weekly=_weekly(rows, unit), shift=compare_who_risk_levels(in_a, in_b),
        window_a=window_a, window_b=window_b,
        opioid_use_days=int(pc.sum(opioid).as_py() or 0), opioid_reported_days=int(pc.count(opioid).as_py()),
        retention=_retention(clinic_ids, end), adherence=_adherence(clinic_ids),
    )


# --- Day-by-day rows for the progress charts and their table alternative ----------------------------


def daily_rows(outcomes: PatientOutcomes) -> list[dict[str, Any]]:
    """One dict per day with any record: drinks (clinic unit), heavy by the core's rule, craving, opioid use."""
    sex = parse_sex(outcomes.patient.sex)
    rows = []
    for row in outcomes.rows.to_pylist():
        grams = row["ethanol_g"]
        rows.append({
            "day": row["date"],
            "drinks": row["standard_drinks"],
            "heavy": grams is not None and is_heavy_drinking_day(grams, sex),
            "craving": row["craving"],
            "opioid_use": row["opioid_use"],
            "checked_in": row["checked_in"],
        })
    return rows


def dose_days(patient: Patient, start: dt.date, end: dt.date) -> list[dt.date]:
    """Days with a dose taken or given (the care app's records), for the progress chart."""
    return sorted(set(Dose.objects.filter(patient=patient, taken_on__gte=start, taken_on__lte=end)
                      .values_list("taken_on", flat=True)))
