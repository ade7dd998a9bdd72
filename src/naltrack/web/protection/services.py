"""Estimated protection from a patient's own record: recorded doses in, a blockade timeline out.

The care app owns the dose records; the pharmacology core (``naltrack.clinical.pharmacology``) owns
every number. This module only places each recorded dose on an hourly grid (hours from the start
of the grid, read in the patient's time zone), asks the core to simulate the history, and reads the
result back as curves, days and plain words. Nothing is stored: the estimate is worked out from the
record each time it is shown, so it cannot go stale and there is nothing to audit but the reading.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from django.core.exceptions import ValidationError
from django.utils import timezone

from naltrack.clinical.localtime import local_day_bounds, time_zone
from naltrack.clinical.pharmacology import SAFETY_SOURCES, TYPICAL, DoseKind, simulate
from naltrack.clinical.pharmacology import Dose as ModelDose
from naltrack.clinical.regimens import (
    XR_DOSE_MG,
    XR_INTERVAL_DAYS,
    XR_MISSED_DOSE_SOURCE,
    XR_SOURCES,
    InvalidOrder,
    RegimenName,
    Route,
    dose_due_on,
    get_regimen,
    injection_window,
    scheduled_dates,
)
from naltrack.clinical.sources import Source, describe
from naltrack.web.accounts.models import Patient
from naltrack.web.care import services as care
from naltrack.web.care.models import Dose as DoseRecord
from naltrack.web.care.services.doses import last_injection

FloatArray = npt.NDArray[np.float64]
HOUR = dt.timedelta(hours=1)

# The window shown by default: the last two weeks and the next week (the example).
PAST_DAYS = 14
AHEAD_DAYS = 7
# Product bounds on a requested window (output size), not clinical values.
MAX_PAST_DAYS = 90
MAX_AHEAD_DAYS = 28
# How far before the window recorded doses are still read. A single 380 mg injection leaves the model
# estimate below 0.5% occupancy even at the 95th percentile 98 days later (tests/web/protection checks
# it), so older doses cannot change anything shown.
HISTORY_DAYS = 98
# Tablets wear off far sooner: 28 days after even 60 days of 150 mg a day (the largest tablet dose a
# regimen uses) the model is below 0.005% at the 95th percentile (tested), so older tablets are not
# simulated, which keeps the grid short for tablet-only histories.
ORAL_HISTORY_DAYS = 28
STEP_H = 1.0
# A dose recorded without a time (a back-filled tablet, an injection entered later) is placed at
# midday of its local day, and never after "now". A display convention, said on the page.
UNKNOWN_TIME = dt.time(12, 0)
# "Injection given N days late" is asked for up to one dosing interval (28 days, S33).
MAX_LATE_DAYS = XR_INTERVAL_DAYS
MAX_LATE_DAYS_SOURCES = XR_SOURCES

# DISPLAY BANDS OF THE MODEL ESTIMATE, NOT CLINICAL CUT-OFFS and not a measure of safety. They only
# put the model's own number into a word: "high" from the model's fitted blockade level
# (TYPICAL.blockade_threshold, 0.80 occupancy; docs/pharmacology.md), "medium" from half of the
# receptors occupied (the Emax model's midpoint, where the effect-site level equals its EC50) up to
# that, "low" below half. Highest floor first.
DISPLAY_BANDS: tuple[tuple[float, str], ...] = (
    (TYPICAL.blockade_threshold, "high"),
    (0.5, "medium"),
    (0.0, "low"),
)
DISPLAY_BANDS_NOTE = (
    "High, medium and low are display bands of the model's estimate (high: at or above the level the model "
    "counts as blockade, 80% of receptors; medium: half or more; low: under half). They are not clinical "
    "cut-offs and say nothing about whether opioids would be blocked."
)

# What the estimate can and cannot claim, in plain words: from the pharmacology package docstring and
# docs/pharmacology.md (sources S2, S46, S49 for the overdose warning; S16, S63 for real exposure).
ESTIMATE_NOTE = (
    "This is an estimate for a typical person, worked out from published studies and the doses recorded "
    "in naltrack. It is not a measurement of anyone's blood or body, and it has not been checked against "
    "patients' own levels."
)
NEVER_A_TEST = (
    "It is never a reason to test the blockade or to decide that opioids would be blocked or \"safe\". "
    "Trying to get past the blockade with opioids can be fatal."
)
OVERDOSE_WARNING = (
    "After doses are missed, late or stopped, tolerance to opioids is lower than before treatment: an "
    "amount a person used to take can now cause an overdose that kills."
)
REAL_LEVELS_DIFFER = (
    "Real levels differ between people: liver disease, kidney function, weight, age and other medicines "
    "change them, and the estimate does not adjust for any of these. After a first tablet the estimate "
    "rises more slowly than the medicine really does."
)
CAVEATS = (ESTIMATE_NOTE, NEVER_A_TEST, OVERDOSE_WARNING, REAL_LEVELS_DIFFER)
CAVEAT = " ".join(CAVEATS)


class ProtectionError(ValidationError):
    """A timeline or what-if that cannot be worked out, with a message the user can act on (API: 422)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)

    def __str__(self) -> str:
        return self.messages[0]


class Origin(StrEnum):
    RECORDED = "recorded"
    PLANNED = "planned"
    WHAT_IF = "what-if"
    LEFT_OUT = "left out"  # a baseline dose a what-if takes away (shown, never simulated)


def safety_sources() -> list[Source]:
    """The documents behind the warnings on every protection page (the core's SAFETY_SOURCES)."""
    return [describe(key) for key in SAFETY_SOURCES]


def band_word(blockade: float) -> str:
    """The display band of a model estimate (see DISPLAY_BANDS: not a clinical cut-off)."""
    for floor, word in DISPLAY_BANDS:
        if blockade >= floor:
            return word
    return DISPLAY_BANDS[-1][1]


# --- Doses in time ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimedDose:
    """One dose at an instant: recorded in the care app, planned from the current order, or a what-if."""

    key: str                 # "r<id>" recorded, "p<date><o|x>" planned, "added" what-if
    at: dt.datetime          # timezone-aware
    kind: DoseKind
    mg: float
    origin: Origin = Origin.RECORDED
    is_time_recorded: bool = True

    @property
    def noun(self) -> str:
        return "tablet" if self.kind is DoseKind.ORAL else "injection"

    def label(self, zone: ZoneInfo) -> str:
        """'50 mg tablet, Tue 17 Nov 09:15' (and how the time was chosen when it was not recorded)."""
        local = self.at.astimezone(zone)
        text = f"{self.mg:g} mg {self.noun}, {local:%a} {local.day} {local:%b %H:%M}"
        if self.origin is Origin.PLANNED:
            return f"{text} (planned)"
        if not self.is_time_recorded:
            return f"{text} (time not recorded)"
        return text


@dataclass(frozen=True, slots=True)
class Reading:
    """The estimate at one instant: typical blockade and the 5th–95th percentile band (fractions 0–1)."""

    at: dt.datetime
    blockade: float
    low: float
    high: float

    @property
    def band(self) -> str:
        # The word follows the whole percent shown beside it, so "80%" never reads "medium".
        return band_word(self.percent / 100)

    @property
    def percent(self) -> int:
        return round(100 * self.blockade)

    @property
    def low_percent(self) -> int:
        return round(100 * self.low)

    @property
    def high_percent(self) -> int:
        return round(100 * self.high)


@dataclass(frozen=True, slots=True, eq=False)
class Curve:
    """Estimated blockade over the shown grid: typical patient and the 5th–95th percentile band."""

    blockade: FloatArray
    low: FloatArray
    high: FloatArray

    def reading(self, index: int, at: dt.datetime) -> Reading:
        return Reading(at=at, blockade=float(self.blockade[index]), low=float(self.low[index]),
                       high=float(self.high[index]))


@dataclass(frozen=True, slots=True)
class Grid:
    """The hourly grid the core simulates: ``start`` is hour 0; hours before ``shown_from`` are history."""

    start: dt.datetime
    n_hours: int
    shown_from: int
    now_index: int  # index of "now" among the shown points

    def hour_of(self, at: dt.datetime) -> float:
        return (at - self.start) / HOUR

    @property
    def end(self) -> dt.datetime:
        return self.start + self.n_hours * HOUR


@dataclass(frozen=True, slots=True, eq=False)
class Timeline:
    """A patient's estimated blockade over a window, from recorded doses (and the current order's plan)."""

    patient_id: int
    zone: ZoneInfo
    now: dt.datetime
    today: dt.date
    window_start: dt.datetime
    window_end: dt.datetime
    grid: Grid
    times: tuple[dt.datetime, ...]            # the shown grid points, aware
    recorded: tuple[TimedDose, ...]           # every recorded dose on the grid (history included)
    planned: tuple[TimedDose, ...]            # the current order's doses from now to the window's end
    recorded_curve: Curve | None              # None: no dose recorded in the history
    planned_curve: Curve | None               # recorded + planned; None when nothing is planned
    notes: tuple[str, ...]
    regimen_label: str

    @property
    def has_doses(self) -> bool:
        return self.recorded_curve is not None

    @property
    def baseline_doses(self) -> tuple[TimedDose, ...]:
        """Recorded, then as prescribed: what a clinician's what-if changes."""
        return self.recorded + self.planned

    @property
    def baseline_curve(self) -> Curve | None:
        return self.planned_curve or self.recorded_curve

    def shown(self, doses: Iterable[TimedDose]) -> list[TimedDose]:
        """The doses that fall inside the shown window, in time order."""
        return sorted((d for d in doses if self.window_start <= d.at <= self.window_end), key=lambda d: d.at)

    def reading_now(self, curve: Curve) -> Reading:
        return curve.reading(self.grid.now_index, self.times[self.grid.now_index])

    def reading_at_end(self, curve: Curve) -> Reading:
        return curve.reading(len(self.times) - 1, self.times[-1])

    def local(self, at: dt.datetime) -> dt.datetime:
        return at.astimezone(self.zone)


def _record_instant(record: DoseRecord, zone: ZoneInfo, now: dt.datetime) -> tuple[dt.datetime, bool]:
    if record.time_taken is not None:
        return min(record.time_taken, now), True
    return min(dt.datetime.combine(record.taken_on, UNKNOWN_TIME, tzinfo=zone), now), False


def _recorded_doses(patient: Patient, first_day: dt.date, zone: ZoneInfo,
                    now: dt.datetime) -> tuple[list[TimedDose], int]:
    """Tablets and injections recorded from ``first_day`` on (one query), and how many implants were skipped."""
    doses: list[TimedDose] = []
    implants = 0
    rows = DoseRecord.objects.filter(patient=patient, taken_on__gte=first_day).order_by("taken_on", "id").only(
        "id", "taken_on", "time_taken", "dose_mg", "formulation")
    for row in rows:
        if row.formulation not in ("oral", "injection"):
            implants += 1  # the model covers tablets and the monthly injection only
            continue
        at, known = _record_instant(row, zone, now)
        kind = DoseKind.ORAL if row.formulation == "oral" else DoseKind.XR
        doses.append(TimedDose(f"r{row.id}", at, kind, float(row.dose_mg), Origin.RECORDED, known))
    return doses, implants


def _usual_time(recorded: Sequence[TimedDose], kind: DoseKind, zone: ZoneInfo) -> dt.time:
    """The local time of the latest recorded dose of ``kind`` with a known time, else UNKNOWN_TIME."""
    for dose in reversed(recorded):
        if dose.kind is kind and dose.is_time_recorded:
            return dose.at.astimezone(zone).time().replace(second=0, microsecond=0)
    return UNKNOWN_TIME


def _planned_doses(patient: Patient, recorded: Sequence[TimedDose], *, today: dt.date, last_day: dt.date,
                   zone: ZoneInfo, now: dt.datetime) -> tuple[list[TimedDose], list[str], str]:
    """The current order's doses from today to ``last_day`` ("if taken as prescribed"), notes, regimen label."""
    episode = care.current_episode(patient)
    order = care.current_order(episode)
    if order is None:
        return [], ["There is no current naltrexone order, so there is no \"as prescribed\" line."], ""
    regimen = get_regimen(order.regimen)
    if regimen.name is RegimenName.TARGETED:
        return [], ["Targeted tablets are taken only on drinking days, so there is no \"as prescribed\" line."], \
            regimen.label
    if regimen.name is RegimenName.IMPLANT:
        return [], [], regimen.label
    kind = DoseKind.ORAL if regimen.route is Route.ORAL else DoseKind.XR
    last = last_injection(episode) if kind is DoseKind.XR else None
    notes: list[str] = []
    try:
        core_order = order.as_core_order()
        due = None
        if kind is DoseKind.XR:
            due = injection_window(last.taken_on).due_on if last is not None else order.starts_on
        if due is not None and due < today:
            # Overdue: given as soon as possible (S39), and the next one 28 days after the one actually
            # given (S33), so the line never stacks two injections a day apart.
            days = [today, *scheduled_dates(core_order, today, last_day, last_injection=today)]
            notes.append(f"The injection is overdue: the \"as prescribed\" line assumes it is given now, as the "
                         f"label advises for a missed injection ({XR_MISSED_DOSE_SOURCE}).")
        else:
            days = scheduled_dates(core_order, today, last_day, last_injection=last.taken_on if last else None)
    except (InvalidOrder, ValueError):
        return [], ["The current order could not be read, so there is no \"as prescribed\" line."], regimen.label
    taken_today = any(d.kind is kind and d.at.astimezone(zone).date() == today for d in recorded)
    usual = _usual_time(recorded, kind, zone)
    planned: list[TimedDose] = []
    for day in days:
        if day == today and taken_today:
            continue
        mg = (order.dose_mg or XR_DOSE_MG) if kind is DoseKind.XR else dose_due_on(core_order, day)
        if mg is None:
            continue
        at = max(dt.datetime.combine(day, usual, tzinfo=zone), now)
        planned.append(TimedDose(f"p{day:%Y%m%d}{'o' if kind is DoseKind.ORAL else 'x'}", at, kind, float(mg),
                                 Origin.PLANNED))
    if planned:
        notes.append(f"The \"as prescribed\" line places each future {planned[0].noun} at "
                     f"{usual:%H:%M}, {'the time of the last recorded one' if usual != UNKNOWN_TIME else 'midday'}.")
    return planned, notes, regimen.label


def simulate_curve(doses: Iterable[TimedDose], grid: Grid) -> Curve:
    """The core's estimate for ``doses`` on ``grid``, cut to the shown part (doses off the grid are left out)."""
    model_doses = []
    for dose in doses:
        hour = grid.hour_of(dose.at)
        if 0 <= hour <= grid.n_hours:
            model_doses.append(ModelDose(dose.kind, dose.mg, hour))
    try:
        result = simulate(model_doses, float(grid.n_hours), STEP_H)
    except ValueError as exc:  # a dose the model cannot speak for (the core says which)
        raise ProtectionError(f"The estimate cannot be worked out: {exc}.") from exc
    cut = slice(grid.shown_from, None)
    return Curve(blockade=result.blockade[cut], low=result.blockade_low[cut], high=result.blockade_high[cut])


def check_window(past_days: int, ahead_days: int) -> None:
    if not (1 <= past_days <= MAX_PAST_DAYS):
        raise ProtectionError(f"Show between 1 and {MAX_PAST_DAYS} past days.")
    if not (0 <= ahead_days <= MAX_AHEAD_DAYS):
        raise ProtectionError(f"Show between 0 and {MAX_AHEAD_DAYS} days ahead.")


def build_timeline(patient: Patient, *, now: dt.datetime | None = None, past_days: int = PAST_DAYS,
                   ahead_days: int = AHEAD_DAYS) -> Timeline:
    """The estimated blockade from ``patient``'s recorded doses over the last ``past_days`` days and the next
    ``ahead_days`` (with no more doses), and the "as prescribed" line from the current order.

    Recorded doses are read back HISTORY_DAYS before the window so that an earlier injection still counts.
    A fixed number of queries whatever the number of doses.
    """
    check_window(past_days, ahead_days)
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    zone = time_zone(patient.time_zone)
    today = now.astimezone(zone).date()
    window_start = local_day_bounds(today - dt.timedelta(days=past_days), patient.time_zone)[0]
    window_end = local_day_bounds(today + dt.timedelta(days=ahead_days), patient.time_zone)[1]
    past_h = math.ceil((now - window_start) / HOUR)
    ahead_h = math.ceil((window_end - now) / HOUR)
    history_start = window_start - dt.timedelta(days=HISTORY_DAYS)
    recorded, implants = _recorded_doses(patient, history_start.astimezone(zone).date(), zone, now)
    oral_start = window_start - dt.timedelta(days=ORAL_HISTORY_DAYS)
    recorded = [d for d in recorded if d.at >= (oral_start if d.kind is DoseKind.ORAL else history_start)]
    earliest = min((d.at for d in recorded), default=window_start)
    history_h = max(0, math.ceil((now - past_h * HOUR - earliest) / HOUR))
    grid = Grid(start=now - (past_h + history_h) * HOUR, n_hours=history_h + past_h + ahead_h,
                shown_from=history_h, now_index=past_h)
    times = tuple(now + (k - past_h) * HOUR for k in range(past_h + ahead_h + 1))
    planned, notes, regimen_label = _planned_doses(patient, recorded, today=today,
                                                   last_day=today + dt.timedelta(days=ahead_days), zone=zone,
                                                   now=now)
    planned = [d for d in planned if d.at <= window_end]
    unknown = sum(1 for d in recorded if not d.is_time_recorded and d.at >= window_start)
    if unknown:
        notes.insert(0, f"{unknown} dose{'s' if unknown != 1 else ''} in this window had no recorded time and "
                        f"{'are' if unknown != 1 else 'is'} placed at midday of {'their' if unknown != 1 else 'its'} "
                        "day.")
    if implants:
        notes.insert(0, "Implants are not part of this estimate: the model covers tablets and the monthly "
                        "injection only.")
    recorded_curve = simulate_curve(recorded, grid) if recorded else None
    planned_curve = simulate_curve([*recorded, *planned], grid) if planned else None
    return Timeline(patient_id=patient.id, zone=zone, now=now, today=today, window_start=window_start,
                    window_end=window_end, grid=grid, times=times, recorded=tuple(recorded),
                    planned=tuple(planned), recorded_curve=recorded_curve, planned_curve=planned_curve,
                    notes=tuple(notes), regimen_label=regimen_label)


# --- Reading a timeline ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayRow:
    """One local day of the window: its doses and the lowest estimate of the day on each curve."""

    day: dt.date
    doses: tuple[TimedDose, ...]
    lowest: Reading
    other_lowest: Reading | None
    is_today: bool
    is_future: bool


def _lowest(curve: Curve, indexes: list[int], times: Sequence[dt.datetime]) -> Reading:
    index = min(indexes, key=lambda i: curve.blockade[i])
    return curve.reading(index, times[index])


def day_rows(timeline: Timeline, main: Curve, other: Curve | None = None,
             doses: Iterable[TimedDose] = ()) -> list[DayRow]:
    """The window day by day (patient-local days), with the lowest estimate of each day on each curve."""
    by_day: dict[dt.date, list[int]] = {}
    for index, at in enumerate(timeline.times):
        if timeline.window_start <= at < timeline.window_end:
            by_day.setdefault(timeline.local(at).date(), []).append(index)
    dose_days: dict[dt.date, list[TimedDose]] = {}
    for dose in timeline.shown(doses):
        dose_days.setdefault(timeline.local(dose.at).date(), []).append(dose)
    return [DayRow(day=day, doses=tuple(dose_days.get(day, ())), lowest=_lowest(main, indexes, timeline.times),
                   other_lowest=_lowest(other, indexes, timeline.times) if other is not None else None,
                   is_today=day == timeline.today, is_future=day > timeline.today)
            for day, indexes in by_day.items()]


# --- What-if (clinicians) ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WhatIf:
    """Changes to the recorded-then-prescribed history: doses left out, one injection late, one dose added."""

    missed: tuple[str, ...] = ()
    late_key: str | None = None
    late_days: int = 0
    added: TimedDose | None = None

    @property
    def is_empty(self) -> bool:
        return not self.missed and self.late_key is None and self.added is None


@dataclass(frozen=True, slots=True, eq=False)
class Comparison:
    """The baseline (recorded, then as prescribed) against the what-if, on the same grid."""

    baseline: Curve
    changed: Curve
    doses: tuple[TimedDose, ...]
    changes: tuple[str, ...]
    largest_drop: tuple[Reading, Reading] | None  # (baseline, what-if) where the what-if is lowest below it
    first_change: int  # the shown point just before the what-if first leaves the baseline


def apply_what_if(timeline: Timeline, what_if: WhatIf) -> tuple[list[TimedDose], list[str]]:
    """The baseline doses with ``what_if`` applied, and each change in words. Unknown doses are refused."""
    doses = {d.key: d for d in timeline.baseline_doses}
    shown = {d.key for d in timeline.shown(timeline.baseline_doses)}
    changes: list[str] = []
    for key in what_if.missed:
        if key not in shown:
            raise ProtectionError("A dose chosen to leave out is not in this window; choose one from the list.")
        changes.append(f"Left out: {doses.pop(key).label(timeline.zone)}.")
    if what_if.late_key is not None:
        dose = doses.get(what_if.late_key)
        if what_if.late_key not in shown or dose is None or dose.kind is not DoseKind.XR:
            raise ProtectionError("The injection chosen to move is not in this window; choose one from the list.")
        if not (1 <= what_if.late_days <= MAX_LATE_DAYS):
            raise ProtectionError(f"An injection can be moved between 1 and {MAX_LATE_DAYS} days later.")
        moved = replace(dose, at=dose.at + dt.timedelta(days=what_if.late_days), origin=Origin.WHAT_IF)
        doses[dose.key] = moved
        where = "" if moved.at <= timeline.window_end else " (after the end of this chart)"
        changes.append(f"Injection given {what_if.late_days} day{'s' if what_if.late_days != 1 else ''} late: "
                       f"{moved.label(timeline.zone)}{where}.")
    if what_if.added is not None:
        added = what_if.added
        if not (timeline.window_start <= added.at <= timeline.window_end):
            raise ProtectionError("The added dose must fall inside the window shown.")
        doses["added"] = replace(added, key="added", origin=Origin.WHAT_IF)
        changes.append(f"Added: {added.label(timeline.zone)}.")
    return sorted(doses.values(), key=lambda d: d.at), changes


def compare(timeline: Timeline, what_if: WhatIf) -> Comparison:
    """Simulate ``what_if`` against the baseline (recorded doses, then the current order as prescribed)."""
    baseline = timeline.baseline_curve
    if baseline is None:
        raise ProtectionError("No doses are recorded, so there is nothing to compare.")
    doses, changes = apply_what_if(timeline, what_if)
    changed = simulate_curve(doses, timeline.grid)
    inside = np.array([timeline.window_start <= t < timeline.window_end for t in timeline.times])
    difference = np.where(inside, baseline.blockade - changed.blockade, 0.0)
    index = int(np.argmax(difference))
    largest = None
    if difference[index] > 1e-9:
        at = timeline.times[index]
        largest = (baseline.reading(index, at), changed.reading(index, at))
    moved = np.abs(baseline.blockade - changed.blockade) > 1e-9
    first_change = max(int(np.argmax(moved)) - 1, 0) if moved.any() else len(timeline.times) - 1
    return Comparison(baseline=baseline, changed=changed, doses=tuple(doses), changes=tuple(changes),
                      largest_drop=largest, first_change=first_change)
