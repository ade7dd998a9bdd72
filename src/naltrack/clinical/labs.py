"""Liver tests: results as multiples of the upper limit of normal, flags, trends and when to test next.

The liver tests naltrack tracks are ALT, AST, GGT and total bilirubin (LOINC codes from loinc.org).
Every lab reports its own upper limit of normal (ULN), so results are compared as multiples of it:
above 3x ULN flags the clinician and above 5x ULN flags urgently (naltrack-policy:lft-thresholds).
Follow-up is at baseline (before starting), then 1, 3 and 6 months, then every 6 months, and sooner
after an abnormal result (naltrack-policy:liver-follow-up, from TIP 28 practice, S66).
"""

from __future__ import annotations

import calendar
import enum
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from naltrack.clinical.sources import cite

LOINC_SOURCE = cite("loinc:liver-tests")
THRESHOLD_SOURCE = cite("naltrack-policy:lft-thresholds")
FOLLOW_UP_SOURCE = cite("naltrack-policy:liver-follow-up")
TIP28_SOURCE = cite("S66")  # TIP 28 practice: repeat LFTs at 1, 3 and 6 months; more often if abnormal

# naltrack-policy:lft-thresholds: above 3x ULN flags the clinician, above 5x ULN flags urgently.
CLINICIAN_FLAG_MULTIPLE = 3.0
URGENT_FLAG_MULTIPLE = 5.0
# The multiple is compared after rounding to this many decimals, so that 0.3 / 0.1 counts as exactly 3x
# (a floating-point artefact, not a clinical margin).
_MULTIPLE_DECIMALS = 9

# naltrack-policy:liver-follow-up: months after the start at which liver tests are due; after the last
# listed milestone, every FOLLOW_UP_EVERY_MONTHS months.
FOLLOW_UP_MONTHS: tuple[int, ...] = (0, 1, 3, 6)
FOLLOW_UP_EVERY_MONTHS = 6


class LabValueError(ValueError):
    """A lab value or upper limit that cannot be a real measurement (negative, zero ULN, NaN, infinite)."""


@dataclass(frozen=True, slots=True)
class LiverTest:
    """One liver test as data: its short code, LOINC code, display name and usual unit."""

    code: str
    loinc: str
    display_name: str
    unit: str
    source: str = LOINC_SOURCE


ALT = LiverTest("alt", "1742-6", "Alanine aminotransferase (ALT)", "U/L")
AST = LiverTest("ast", "1920-8", "Aspartate aminotransferase (AST)", "U/L")
GGT = LiverTest("ggt", "2324-2", "Gamma-glutamyl transferase (GGT)", "U/L")
TOTAL_BILIRUBIN = LiverTest("bilirubin_total", "1975-2", "Bilirubin, total", "mg/dL")

LIVER_TESTS: tuple[LiverTest, ...] = (ALT, AST, GGT, TOTAL_BILIRUBIN)
LIVER_TESTS_BY_CODE = {test.code: test for test in LIVER_TESTS}


@dataclass(frozen=True, slots=True)
class LabResult:
    """One liver-test result: the value and that laboratory's upper limit of normal, on a date."""

    test: LiverTest
    value: float
    uln: float
    taken_on: date

    @property
    def multiple_of_uln(self) -> float:
        """The value as a multiple of the lab's upper limit of normal."""
        return multiple_of_uln(self.value, self.uln)


class LiverFlag(enum.StrEnum):
    """How far a result is above its upper limit of normal (naltrack-policy:lft-thresholds)."""

    NORMAL = "normal"  # at or below the ULN
    ABOVE_ULN = "above_uln"  # above the ULN, up to 3x: abnormal, repeat sooner
    CLINICIAN = "clinician"  # above 3x up to 5x: flag the clinician
    URGENT = "urgent"  # above 5x: flag urgently


@dataclass(frozen=True, slots=True)
class LiverClassification:
    """A result's multiple of ULN and the flag it earns."""

    multiple: float
    flag: LiverFlag
    source: str = THRESHOLD_SOURCE

    @property
    def is_abnormal(self) -> bool:
        return self.flag is not LiverFlag.NORMAL

    @property
    def flags_clinician(self) -> bool:
        return self.flag in (LiverFlag.CLINICIAN, LiverFlag.URGENT)

    @property
    def is_urgent(self) -> bool:
        return self.flag is LiverFlag.URGENT


def _require_finite(name: str, number: float) -> float:
    if isinstance(number, bool) or not isinstance(number, int | float):
        raise LabValueError(f"{name} must be a number, got {type(number).__name__}")
    if not math.isfinite(number):
        raise LabValueError(f"{name} must be a finite number, got {number!r}")
    return float(number)


def multiple_of_uln(value: float, uln: float) -> float:
    """Return ``value`` as a multiple of the upper limit of normal (naltrack-policy:lft-thresholds).

    Raises LabValueError for a negative value, a ULN at or below zero, NaN or infinity.
    """
    value_f = _require_finite("value", value)
    uln_f = _require_finite("upper limit of normal", uln)
    if value_f < 0:
        raise LabValueError(f"value must be 0 or more, got {value_f:g}")
    if uln_f <= 0:
        raise LabValueError(f"upper limit of normal must be above 0, got {uln_f:g}")
    multiple = value_f / uln_f
    if not math.isfinite(multiple):
        raise LabValueError("value is too large for its upper limit of normal")
    return multiple


def is_above_multiple(multiple: float, limit: float) -> bool:
    """Whether a multiple of ULN is strictly above ``limit`` ("above 3x" means more than 3.0x)."""
    return round(multiple, _MULTIPLE_DECIMALS) > limit


def classify_multiple(multiple: float) -> LiverClassification:
    """Flag a multiple of ULN: >5x urgent, >3x clinician, >1x abnormal (naltrack-policy:lft-thresholds)."""
    if is_above_multiple(multiple, URGENT_FLAG_MULTIPLE):
        flag = LiverFlag.URGENT
    elif is_above_multiple(multiple, CLINICIAN_FLAG_MULTIPLE):
        flag = LiverFlag.CLINICIAN
    elif is_above_multiple(multiple, 1.0):
        flag = LiverFlag.ABOVE_ULN
    else:
        flag = LiverFlag.NORMAL
    return LiverClassification(multiple=multiple, flag=flag)


def classify_liver_result(result: LabResult) -> LiverClassification:
    """Classify one result against its lab's ULN (naltrack-policy:lft-thresholds)."""
    return classify_multiple(result.multiple_of_uln)


class TrendDirection(enum.StrEnum):
    """Which way the most recent change of a liver test went."""

    RISING = "rising"
    FALLING = "falling"
    STEADY = "steady"
    NOT_ENOUGH_RESULTS = "not_enough_results"


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One point of a trend: the date and the result as a multiple of its ULN."""

    taken_on: date
    multiple: float


@dataclass(frozen=True, slots=True)
class LiverTrend:
    """One liver test over time as multiples of ULN, oldest first, with the latest direction."""

    test: LiverTest
    points: tuple[TrendPoint, ...]
    direction: TrendDirection
    latest: LiverClassification | None
    source: str = THRESHOLD_SOURCE


def trend_liver_test(results: Iterable[LabResult], test: LiverTest) -> LiverTrend:
    """Return the results of ``test`` as multiples of ULN over time and whether they are rising or falling.

    Multiples (not raw values) are compared, so a change of laboratory (and of ULN) does not fake a
    trend. The direction compares the latest result with the one before it (naltrack-policy:lft-thresholds).
    """
    chosen = sorted((r for r in results if r.test == test), key=lambda r: r.taken_on)
    points = tuple(TrendPoint(r.taken_on, r.multiple_of_uln) for r in chosen)
    if len(points) < 2:
        direction = TrendDirection.NOT_ENOUGH_RESULTS
    else:
        before = round(points[-2].multiple, _MULTIPLE_DECIMALS)
        latest = round(points[-1].multiple, _MULTIPLE_DECIMALS)
        if latest > before:
            direction = TrendDirection.RISING
        elif latest < before:
            direction = TrendDirection.FALLING
        else:
            direction = TrendDirection.STEADY
    latest_classification = classify_multiple(points[-1].multiple) if points else None
    return LiverTrend(test=test, points=points, direction=direction, latest=latest_classification)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later, clamped to the month's end (31 Jan + 1 -> 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def follow_up_months(index: int) -> int:
    """Months after the start of the ``index``-th scheduled liver check (0 = baseline) per policy."""
    if index < 0:
        raise ValueError("index must be 0 or more")
    if index < len(FOLLOW_UP_MONTHS):
        return FOLLOW_UP_MONTHS[index]
    return FOLLOW_UP_MONTHS[-1] + FOLLOW_UP_EVERY_MONTHS * (index - len(FOLLOW_UP_MONTHS) + 1)


def _milestone_label(months: int) -> str:
    if months == 0:
        return "baseline (before starting)"
    return f"{months} month{'s' if months != 1 else ''} after starting"


@dataclass(frozen=True, slots=True)
class LiverTestsDue:
    """When the next liver tests are due and whether a clinician should set an earlier repeat."""

    next_due: date
    milestone: str  # e.g. "3 months after starting"
    months_after_start: int
    is_overdue: bool
    repeat_sooner: bool  # latest tests abnormal: repeat before next_due, on a date the clinician sets
    flags_clinician: bool  # the latest tests were above 3x ULN
    is_urgent: bool  # the latest tests were above 5x ULN
    message: str
    sources: tuple[str, ...]


def _days_between(a: date, b: date) -> int:
    return abs((a - b).days)


def liver_tests_due(start: date, results: Iterable[LabResult | date], today: date) -> LiverTestsDue:
    """Return the next liver-test due date per policy (naltrack-policy:liver-follow-up, S66).

    ``results`` holds the liver tests done so far: a LabResult (whose values are checked) or just the
    date of a test. Scheduled checks fall at baseline (before starting), then 1, 3 and 6 months after
    ``start`` and every 6 months after that. Each test is credited to the scheduled check nearest its
    date (ties go to the later check), so a test drawn a few days early or late still counts (a naltrack
    convention for matching tests to the schedule, not a clinical rule). After an abnormal latest
    result the policy says "sooner" without a number, so naltrack does not invent an interval:
    ``repeat_sooner`` is set and the clinician chooses the date; ``next_due`` stays the routine date.
    """
    dated: list[tuple[date, LabResult | None]] = []
    for item in results:
        if isinstance(item, LabResult):
            dated.append((item.taken_on, item))
        elif isinstance(item, date):
            dated.append((item, None))
        else:
            raise TypeError(f"expected a LabResult or a date, got {type(item).__name__}")

    try:
        done_index = -1  # index of the latest scheduled check that has been done
        for taken_on, _ in dated:
            done_index = max(done_index, _nearest_check_index(start, taken_on))
        months = follow_up_months(done_index + 1)
        next_due = add_months(start, months)
    except (ValueError, OverflowError) as exc:  # past year 9999: no calendar to schedule on
        raise LabValueError("dates are too far in the future to schedule liver tests") from exc

    latest_day = max((d for d, _ in dated), default=None)
    latest_results = [r for d, r in dated if d == latest_day and r is not None]
    classes = [classify_liver_result(r) for r in latest_results]
    repeat_sooner = any(c.is_abnormal for c in classes)
    flags_clinician = any(c.flags_clinician for c in classes)
    is_urgent = any(c.is_urgent for c in classes)

    label = _milestone_label(months)
    is_overdue = today > next_due
    if is_urgent:
        message = "Latest liver tests are above 5x the upper limit of normal: review urgently."
    elif flags_clinician:
        message = "Latest liver tests are above 3x the upper limit of normal: clinician to review."
    elif repeat_sooner:
        message = "Latest liver tests are above the upper limit of normal."
    else:
        message = ""
    if repeat_sooner:
        message += (f" Repeat sooner than the routine check ({label}, {next_due.isoformat()}): "
                    "clinician to set the date.")
    else:
        state = "overdue since" if is_overdue else "due on"
        message = f"Next liver tests: {label}, {state} {next_due.isoformat()}."
    sources = (FOLLOW_UP_SOURCE, TIP28_SOURCE) + ((THRESHOLD_SOURCE,) if repeat_sooner else ())
    return LiverTestsDue(
        next_due=next_due,
        milestone=label,
        months_after_start=months,
        is_overdue=is_overdue,
        repeat_sooner=repeat_sooner,
        flags_clinician=flags_clinician,
        is_urgent=is_urgent,
        message=message.strip(),
        sources=sources,
    )


def _nearest_check_index(start: date, taken_on: date) -> int:
    """Index of the scheduled check nearest ``taken_on`` (ties go to the later check; 0 before the start)."""
    if taken_on <= start:
        return 0
    months_between = (taken_on.year - start.year) * 12 + (taken_on.month - start.month)
    # Jump close to the answer (checks are every 6 months after the listed ones), then walk.
    periods_after_listed = (months_between - FOLLOW_UP_MONTHS[-1]) // FOLLOW_UP_EVERY_MONTHS
    index = max(0, len(FOLLOW_UP_MONTHS) - 2 + periods_after_listed)
    while index > 0 and add_months(start, follow_up_months(index)) > taken_on:
        index -= 1
    while True:
        here = add_months(start, follow_up_months(index))
        after = add_months(start, follow_up_months(index + 1))
        if taken_on < after:
            return index if _days_between(taken_on, here) < _days_between(taken_on, after) else index + 1
        index += 1
