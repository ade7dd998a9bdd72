"""Logging drinks (the patient's quick picker) and the clinician's timeline-followback calendar."""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from naltrack.clinical.drinking import (
    DRINK_PRESETS,
    DrinkInputError,
    DrinkPreset,
    ethanol_g,
    ethanol_g_from_standard_drinks,
    parse_sex,
    standard_drink_unit,
    standard_drinks_from_ethanol,
)
from naltrack.clinical.drinking import is_heavy_drinking_day as core_is_heavy_day
from naltrack.web.accounts.models import AuditAction, Patient, User

from ..models import Beverage, DrinkEntry, TimelineDay
from .common import MeasuresError, audit_staff_write, check_not_future, check_not_too_old

if TYPE_CHECKING:
    from django.http import HttpRequest

# The picker offers today and the six days before it (a product choice: recall fades after a week;
# older days belong in the clinician's timeline-followback calendar).
PICKER_DAYS = 7

# A data-entry guard for one timeline-followback day, not a clinical limit.
MAX_TIMELINE_DRINKS_PER_DAY = 100.0

# Alcohol-free drinks (0 % ABV) are not logged; 0.5 % "low alcohol" drinks may be.
MIN_VOLUME_ML = 1.0


def clinic_unit(patient: Patient) -> str:
    """The standard-drink unit the patient's clinic counts in (us, uk, au...)."""
    return patient.clinic.drink_unit


def picker_days(today: dt.date) -> list[dt.date]:
    """The days the quick picker offers, today first."""
    return [today - dt.timedelta(days=n) for n in range(PICKER_DAYS)]


def presets_by_beverage() -> dict[str, list[DrinkPreset]]:
    """The core's catalogue of common servings, grouped as beer, wine and spirits."""
    grouped: dict[str, list[DrinkPreset]] = {}
    for preset in DRINK_PRESETS:
        grouped.setdefault(preset.beverage, []).append(preset)
    return grouped


def preset(code: str) -> DrinkPreset | None:
    return next((p for p in DRINK_PRESETS if p.code == code), None)


@transaction.atomic
def record_drink(patient: Patient, *, day: dt.date, today: dt.date, beverage: str, volume_ml: float,
                 abv_percent: float, label: str = "", by: User | None = None,
                 request: HttpRequest | None = None, via: str = "web") -> DrinkEntry:
    """Store one drink with its grams of ethanol and standard drinks in the clinic's unit (core maths)."""
    if day > today:
        raise MeasuresError("You cannot log a drink for a day that has not come yet.")
    if day < today - dt.timedelta(days=PICKER_DAYS - 1):
        raise MeasuresError(f"Drinks can be logged for the last {PICKER_DAYS} days only; ask your clinician "
                            "to add older days to your drinking calendar.")
    if beverage not in Beverage.values:
        raise MeasuresError(f"Choose beer, wine, spirits or other (not {beverage!r}).")
    if isinstance(volume_ml, int | float) and not isinstance(volume_ml, bool) and math.isfinite(volume_ml) \
            and 0 <= volume_ml < MIN_VOLUME_ML:
        raise MeasuresError("Enter how much you drank, in mL.")
    if isinstance(abv_percent, int | float) and not isinstance(abv_percent, bool) and abv_percent == 0:
        raise MeasuresError("Alcohol-free drinks (0 %) do not need logging.")
    unit = clinic_unit(patient)
    try:
        grams = ethanol_g(volume_ml, abv_percent)
        drinks = standard_drinks_from_ethanol(grams, unit)
    except DrinkInputError as exc:
        raise MeasuresError(_plain_drink_error(str(exc))) from None
    entry = DrinkEntry.objects.create(
        patient=patient, day=day, beverage=beverage, label=label[:80], volume_ml=float(volume_ml),
        abv_percent=float(abv_percent), ethanol_g=grams, standard_drinks=drinks, unit=unit, entered_by=by)
    audit_staff_write(by, patient, AuditAction.CREATE, f"drink {entry.id}", detail=f"{day.isoformat()}",
                      request=request, via=via)
    return entry


def _plain_drink_error(message: str) -> str:
    if "volume_ml" in message:
        return "The amount must be between 1 mL and 10 litres."
    if "abv_percent" in message:
        return "The strength must be between 0 and 100 % alcohol."
    return message


@transaction.atomic
def delete_drink(entry: DrinkEntry, *, today: dt.date, by: User | None = None,
                 request: HttpRequest | None = None, via: str = "web") -> None:
    """Remove a logged drink from the last seven days (older drinks are part of the record)."""
    if entry.day < today - dt.timedelta(days=PICKER_DAYS - 1):
        raise MeasuresError(f"Only drinks from the last {PICKER_DAYS} days can be removed.")
    patient = entry.patient
    target = f"drink {entry.id}"
    entry.delete()
    audit_staff_write(by, patient, AuditAction.DELETE, target, request=request, via=via)


def drinks_on(patient: Patient, day: dt.date) -> list[DrinkEntry]:
    return list(DrinkEntry.objects.filter(patient=patient, day=day).order_by("created_at", "id"))


@dataclass(frozen=True)
class DayTotal:
    """A day's logged drinks: standard drinks (clinic unit), grams and whether the day is heavy."""

    day: dt.date
    standard_drinks: float
    ethanol_g: float
    is_heavy: bool


def is_heavy_day(patient: Patient, grams: float) -> bool:
    """Whether ``grams`` of ethanol make a heavy drinking day for this patient's sex (the core's rule)."""
    return core_is_heavy_day(grams, parse_sex(patient.sex))


def day_total(patient: Patient, entries: list[DrinkEntry], day: dt.date) -> DayTotal:
    grams = sum(entry.ethanol_g for entry in entries)
    return DayTotal(day, standard_drinks_from_ethanol(grams, clinic_unit(patient)), grams,
                    is_heavy_day(patient, grams))


# --- Timeline followback -----------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineCell:
    """One day of the calendar: what the clinician entered, and what the patient logged themselves."""

    day: dt.date
    entered: float | None  # standard drinks from the timeline (0 = abstinent), None = missing
    logged: float | None  # standard drinks the patient logged in the picker, None = none logged
    is_heavy: bool
    is_future: bool

    @property
    def field_name(self) -> str:
        return f"d{self.day.isoformat()}"


def month_days(year: int, month: int) -> list[dt.date]:
    return [dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]


def timeline_month(patient: Patient, year: int, month: int, today: dt.date) -> list[TimelineCell]:
    """The month's cells: timeline entries, the patient's own logs, heavy days by the core's rule."""
    days = month_days(year, month)
    entered = {row.day: row for row in TimelineDay.objects.filter(patient=patient, day__gte=days[0],
                                                                  day__lte=days[-1])}
    logged_g: dict[dt.date, float] = {}
    for logged_day, logged in DrinkEntry.objects.filter(patient=patient, day__gte=days[0], day__lte=days[-1]) \
            .values_list("day", "ethanol_g"):
        logged_g[logged_day] = logged_g.get(logged_day, 0.0) + logged
    unit = clinic_unit(patient)
    cells = []
    for day in days:
        row = entered.get(day)
        grams: float | None = logged_g.get(day, row.ethanol_g if row else None)
        cells.append(TimelineCell(
            day=day,
            entered=row.standard_drinks if row else None,
            logged=standard_drinks_from_ethanol(logged_g[day], unit) if day in logged_g else None,
            is_heavy=grams is not None and is_heavy_day(patient, grams),
            is_future=day > today,
        ))
    return cells


@dataclass(frozen=True)
class TimelineSaved:
    created: int
    changed: int
    cleared: int


@transaction.atomic
def save_timeline(patient: Patient, *, values: Mapping[dt.date, float | None], today: dt.date, by: User,
                  request: HttpRequest | None = None, via: str = "web") -> TimelineSaved:
    """Save a batch of timeline-followback days in one go: a number of standard drinks in the clinic's
    unit (0 = abstinent) or None, which leaves the day missing (and clears an earlier entry).

    A missing day is never turned into zero. Future days, days over three years back and impossible
    amounts are refused and nothing is saved.
    """
    unit = clinic_unit(patient)
    standard_drink_unit(unit)
    for day, drinks in values.items():
        check_not_future(day, today, "A calendar entry")
        check_not_too_old(day, today, "A calendar entry")
        if drinks is None:
            continue
        if isinstance(drinks, bool) or not isinstance(drinks, int | float) or not math.isfinite(drinks):
            raise MeasuresError(f"{day:%d %b}: enter a number of standard drinks.")
        if drinks < 0:
            raise MeasuresError(f"{day:%d %b}: standard drinks cannot be negative.")
        if drinks > MAX_TIMELINE_DRINKS_PER_DAY:
            raise MeasuresError(f"{day:%d %b}: {drinks:g} standard drinks in one day is not possible to record "
                                f"(at most {MAX_TIMELINE_DRINKS_PER_DAY:g}).")
    existing = {row.day: row for row in TimelineDay.objects.select_for_update().filter(
        patient=patient, day__in=list(values))}
    created = changed = cleared = 0
    to_create: list[TimelineDay] = []
    to_update: list[TimelineDay] = []
    to_clear: list[int] = []
    for day, drinks in sorted(values.items()):
        row = existing.get(day)
        if drinks is None:
            if row is not None:
                to_clear.append(row.id)
            continue
        grams = ethanol_g_from_standard_drinks(float(drinks), unit)
        if row is None:
            to_create.append(TimelineDay(patient=patient, day=day, standard_drinks=float(drinks), unit=unit,
                                         ethanol_g=grams, entered_by=by))
        elif row.standard_drinks != float(drinks) or row.unit != unit:
            row.standard_drinks, row.unit, row.ethanol_g, row.entered_by = float(drinks), unit, grams, by
            to_update.append(row)
    if to_create:
        TimelineDay.objects.bulk_create(to_create)
        created = len(to_create)
    if to_update:
        TimelineDay.objects.bulk_update(to_update, ["standard_drinks", "unit", "ethanol_g", "entered_by"])
        changed = len(to_update)
    if to_clear:
        cleared, _ = TimelineDay.objects.filter(id__in=to_clear).delete()
    if created or changed or cleared:
        first, last = min(values), max(values)
        audit_staff_write(by, patient, AuditAction.UPDATE, "drinking calendar",
                          detail=f"{first.isoformat()} to {last.isoformat()}: {created} added, {changed} changed, "
                                 f"{cleared} cleared", request=request, via=via)
    return TimelineSaved(created, changed, cleared)
