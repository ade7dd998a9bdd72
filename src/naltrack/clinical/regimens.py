"""The regimen catalogue: how naltrexone is ordered, on which days a dose is due, and what an order may say.

Six regimens, each a frozen :class:`Regimen` in :data:`REGIMENS`, keyed by :class:`RegimenName`
(``oral-daily``, ``oral-supervised``, ``xr-injection``, ``targeted``, ``low-dose``, ``implant``).
A patient's prescription is an :class:`Order`; :func:`validate_order` refuses an order that leaves
its regimen's rules, and :func:`scheduled_dates` / :func:`dose_due_on` say when a dose is due.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType

from naltrack.clinical.sources import cite

__all__ = [
    "ALCOHOL_EPISODE_WEEKS",
    "EXAMPLE_THREE_TIMES_WEEKLY",
    "LDN_CEILING_MG",
    "LDN_FLOOR_MG",
    "LDN_RESEARCH_DOSE_MG",
    "LDN_STEP_MG",
    "OPIOID_FIRST_DOSE_MG",
    "ORAL_DAILY_DOSE_MG",
    "REGIMENS",
    "TABLET_MG",
    "TARGETED_DOSE_MG",
    "TARGETED_MINUTES_BEFORE_DRINK_DEFAULT",
    "XR_DOSE_MG",
    "XR_INTERVAL_DAYS",
    "Indication",
    "InjectionSite",
    "InjectionWindow",
    "InvalidOrder",
    "LabelStatus",
    "Order",
    "PlannedEpisode",
    "Regimen",
    "RegimenName",
    "Route",
    "SupervisedPattern",
    "UnknownRegimen",
    "WeeklyDose",
    "dose_due_on",
    "get_regimen",
    "injection_window",
    "ldn_titration_steps_mg",
    "next_injection_site",
    "planned_episode",
    "scheduled_dates",
    "targeted_dose_time",
    "validate_order",
]

# --- Constants, each beside its source ------------------------------------------------------------

TABLET_MG = 50.0                      # oral tablets come as 50 mg, film-coated
TABLET_SOURCES = (cite("S2"), cite("S3"))
ORAL_DAILY_DOSE_MG = 50.0             # alcohol and opioid blockade: 50 mg once a day
ORAL_DAILY_SOURCES = (cite("S7"), cite("S8"))
OPIOID_FIRST_DOSE_MG = 25.0           # opioid blockade starts at 25 mg, then 50 mg if no withdrawal
OPIOID_FIRST_DOSE_SOURCE = cite("S7")
SUPERVISED_LABEL_SOURCE = cite("S7")  # 50 Mon–Fri + 100 Sat; 100 every 2nd day; 150 every 3rd day
THREE_TIMES_WEEKLY_SOURCES = (cite("S9"), cite("S10"))  # 100/100/150 mg three times a week
XR_DOSE_MG = 380.0                    # one strength, 380 mg deep IM gluteal
XR_INTERVAL_DAYS = 28                 # "every 4 weeks (or once a month)"; alternate buttocks
XR_SOURCES = (cite("S33"), cite("S35"))
XR_MISSED_DOSE_SOURCE = cite("S39")   # a missed injection: give the next as soon as possible
TARGETED_DOSE_MG = 50.0               # Sinclair method: 50 mg about 1 h before drinking, drinking days only
TARGETED_SOURCES = (cite("S95"), cite("S96"))
TARGETED_MINUTES_BEFORE_DRINK_DEFAULT = 60  # countdown default, prescriber may change it
TARGETED_POLICY = cite("naltrack-policy:targeted-dosing")
LDN_FLOOR_MG = 1.0                    # low-dose range 1–5 mg/day
LDN_RANGE_SOURCE = cite("S153")
LDN_RESEARCH_DOSE_MG = 4.5            # most research uses 4.5 mg/day
LDN_RESEARCH_SOURCES = (cite("S153"), cite("S154"))
LDN_STEP_MG = 0.5                     # compounded, titrated in 0.5 mg steps …
LDN_CEILING_MG = 4.5                  # … up to a 4.5 mg/day ceiling
LDN_TITRATION_SOURCE = cite("S155")
ALCOHOL_EPISODE_WEEKS = 12            # label trials 12 weeks; UK ~3 months; XR benefit best at >= 3 months
ALCOHOL_EPISODE_SOURCES = (cite("S7"), cite("S8"), cite("S67"), cite("S70"))
OPIOID_EPISODE_SOURCES = (cite("S45"), cite("S71"), cite("S72"))  # no recommended length; review regularly
IMPLANT_STATUS_SOURCE = cite("mja:naltrexone-implants-2008")


class RegimenName(enum.StrEnum):
    """The six ways naltrexone can be ordered in naltrack."""

    ORAL_DAILY = "oral-daily"
    ORAL_SUPERVISED = "oral-supervised"
    XR_INJECTION = "xr-injection"
    TARGETED = "targeted"
    LOW_DOSE = "low-dose"
    IMPLANT = "implant"


class Route(enum.StrEnum):
    """How the medicine enters the body."""

    ORAL = "oral"
    INTRAMUSCULAR = "intramuscular"
    SUBCUTANEOUS_IMPLANT = "subcutaneous implant"


class LabelStatus(enum.StrEnum):
    """Whether the use is one the product label describes."""

    ON_LABEL = "on-label"
    OFF_LABEL = "off-label"
    UNAPPROVED_IN_MANY_COUNTRIES = "unapproved in many countries"


class Indication(enum.StrEnum):
    """What the naltrexone is for, in naltrack's two labelled indications."""

    ALCOHOL = "alcohol"
    OPIOID = "opioid"


class SupervisedPattern(enum.StrEnum):
    """The supervised oral schedules: the label's three alternatives and the three-times-weekly regimen."""

    WEEKDAYS_50_SATURDAY_100 = "weekdays-50-saturday-100"
    EVERY_SECOND_DAY_100 = "every-second-day-100"
    EVERY_THIRD_DAY_150 = "every-third-day-150"
    THREE_TIMES_WEEKLY = "three-times-weekly-100-100-150"


class InjectionSite(enum.StrEnum):
    """Where an extended-release injection went; consecutive injections alternate buttocks (S33)."""

    LEFT_GLUTEAL = "left gluteal"
    RIGHT_GLUTEAL = "right gluteal"


class UnknownRegimen(ValueError):
    """A regimen name that is not in the catalogue."""


class InvalidOrder(ValueError):
    """An order whose dose, interval or schedule lies outside its regimen's rules."""


@dataclass(frozen=True, slots=True)
class PlannedEpisode:
    """How long a treatment episode is planned to run by default, and why."""

    weeks: int | None
    is_open_ended: bool
    note: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Regimen:
    """One entry of the catalogue: what the regimen is, how it is given, and its sources."""

    name: RegimenName
    label: str
    route: Route
    label_status: LabelStatus
    label_note: str
    indications: frozenset[Indication]
    standard_doses_mg: tuple[float, ...]
    schedule: str
    sources: tuple[str, ...]

    @property
    def is_on_label(self) -> bool:
        return self.label_status is LabelStatus.ON_LABEL


@dataclass(frozen=True, slots=True)
class WeeklyDose:
    """One dose on a fixed weekday (0 = Monday … 6 = Sunday) of a three-times-weekly schedule."""

    weekday: int
    dose_mg: float


# A clinic-chosen example only: the Monday/Wednesday/Friday assignment was seen in secondary,
# AI-generated summaries (S11), not in label wording; the clinic picks the days.
EXAMPLE_THREE_TIMES_WEEKLY: tuple[WeeklyDose, ...] = (
    WeeklyDose(weekday=0, dose_mg=100.0),
    WeeklyDose(weekday=2, dose_mg=100.0),
    WeeklyDose(weekday=4, dose_mg=150.0),
)
EXAMPLE_THREE_TIMES_WEEKLY_SOURCE = cite("S11")  # secondary, unverified as an official source


@dataclass(frozen=True, slots=True)
class Order:
    """A patient's naltrexone prescription, as the clinician recorded it.

    Which fields apply depends on the regimen: ``dose_mg`` for daily, targeted, low-dose, injection
    and implant orders; ``pattern`` (and ``weekly_doses`` for the three-times-weekly pattern) for
    supervised orders; ``implant_duration_days`` (from the product, entered by the clinician) for
    implants; ``minutes_before_drink`` for targeted orders.
    """

    regimen: RegimenName
    start: date
    indication: Indication | None = None
    dose_mg: float | None = None
    pattern: SupervisedPattern | None = None
    weekly_doses: tuple[WeeklyDose, ...] = ()
    implant_duration_days: int | None = None
    minutes_before_drink: int = TARGETED_MINUTES_BEFORE_DRINK_DEFAULT
    end: date | None = None


@dataclass(frozen=True, slots=True)
class InjectionWindow:
    """When the next extended-release injection is due, counted from the one actually given."""

    last_given: date
    due_on: date
    overdue_from: date
    earliest_on: date | None = None
    sources: tuple[str, ...] = field(default=XR_SOURCES)


# --- The catalogue -------------------------------------------------------------------------------

_BOTH = frozenset({Indication.ALCOHOL, Indication.OPIOID})

REGIMENS: Mapping[RegimenName, Regimen] = MappingProxyType({
    RegimenName.ORAL_DAILY: Regimen(
        name=RegimenName.ORAL_DAILY,
        label="Daily tablet",
        route=Route.ORAL,
        label_status=LabelStatus.ON_LABEL,
        label_note="The label's standard schedule for both indications.",
        indications=_BOTH,
        standard_doses_mg=(ORAL_DAILY_DOSE_MG, OPIOID_FIRST_DOSE_MG),
        schedule="50 mg once a day. For opioid blockade the first dose is 25 mg, then 50 mg a day "
                 "if no withdrawal signs appear.",
        sources=ORAL_DAILY_SOURCES,
    ),
    RegimenName.ORAL_SUPERVISED: Regimen(
        name=RegimenName.ORAL_SUPERVISED,
        label="Supervised tablets on set days",
        route=Route.ORAL,
        label_status=LabelStatus.ON_LABEL,
        label_note="The label family prints three alternative schedules; the three-times-weekly "
                   "100/100/150 mg pattern comes from the literature and adds up to the same weekly amount.",
        indications=_BOTH,
        standard_doses_mg=(50.0, 100.0, 150.0),
        schedule="One of: 50 mg Monday to Friday and 100 mg on Saturday; 100 mg every second day; "
                 "150 mg every third day; or three doses a week of 100, 100 and 150 mg on days the "
                 "clinic chooses (for example Monday, Wednesday and Friday).",
        sources=(SUPERVISED_LABEL_SOURCE, *THREE_TIMES_WEEKLY_SOURCES),
    ),
    RegimenName.XR_INJECTION: Regimen(
        name=RegimenName.XR_INJECTION,
        label="Monthly injection (extended-release)",
        route=Route.INTRAMUSCULAR,
        label_status=LabelStatus.ON_LABEL,
        label_note="Labelled for alcohol dependence and for preventing relapse to opioid dependence.",
        indications=_BOTH,
        standard_doses_mg=(XR_DOSE_MG,),
        schedule="380 mg deep into the gluteal muscle every 4 weeks, alternating left and right. "
                 "The next one is due 28 days after the last one given; if it is missed, give it as "
                 "soon as possible.",
        sources=(*XR_SOURCES, XR_MISSED_DOSE_SOURCE),
    ),
    RegimenName.TARGETED: Regimen(
        name=RegimenName.TARGETED,
        label="Targeted tablet before drinking (Sinclair method)",
        route=Route.ORAL,
        label_status=LabelStatus.OFF_LABEL,
        label_note="Uses the label's 50 mg tablet, but only on drinking days, which is not the "
                   "label's once-daily schedule.",
        indications=frozenset({Indication.ALCOHOL}),
        standard_doses_mg=(TARGETED_DOSE_MG,),
        schedule="50 mg about an hour before the first drink, only on days the patient drinks. "
                 "The app's countdown starts 60 minutes before; the prescriber can change that.",
        sources=(*TARGETED_SOURCES, TARGETED_POLICY, cite("S7")),
    ),
    RegimenName.LOW_DOSE: Regimen(
        name=RegimenName.LOW_DOSE,
        label="Low-dose naltrexone (LDN) — off-label",
        route=Route.ORAL,
        label_status=LabelStatus.OFF_LABEL,
        label_note="Off-label. It is not a treatment for alcohol or opioid use disorder and gives "
                   "no opioid blockade to rely on; it is recorded so the medication list is complete.",
        indications=frozenset(),
        standard_doses_mg=(LDN_RESEARCH_DOSE_MG,),
        schedule="Once a day, 1 to 4.5 mg, usually raised in 0.5 mg steps; most research used 4.5 mg.",
        sources=(LDN_RANGE_SOURCE, *LDN_RESEARCH_SOURCES, LDN_TITRATION_SOURCE),
    ),
    RegimenName.IMPLANT: Regimen(
        name=RegimenName.IMPLANT,
        label="Naltrexone implant — unapproved in many countries",
        route=Route.SUBCUTANEOUS_IMPLANT,
        label_status=LabelStatus.UNAPPROVED_IN_MANY_COUNTRIES,
        label_note="Not an approved product in many countries (in Australia, for example, only "
                   "through special access). The clinician enters the expected duration from the product.",
        indications=_BOTH,
        standard_doses_mg=(),
        schedule="One implant covering the expected duration the clinician records from the product.",
        sources=(IMPLANT_STATUS_SOURCE, cite("S61")),
    ),
})


def get_regimen(name: str | RegimenName) -> Regimen:
    """The catalogue entry called ``name``, or UnknownRegimen listing the known names."""
    try:
        return REGIMENS[RegimenName(name)]
    except ValueError:
        known = ", ".join(member.value for member in RegimenName)
        raise UnknownRegimen(f"unknown regimen {name!r} (known: {known})") from None


def planned_episode(regimen: str | RegimenName, indication: Indication) -> PlannedEpisode:
    """The default planned episode length for a regimen and indication (S7, S8, S67, S70, S45, S71)."""
    entry = get_regimen(regimen)
    if indication not in entry.indications:
        raise InvalidOrder(f"{entry.name.value} is not used for the {indication.value} indication")
    if indication is Indication.ALCOHOL:
        return PlannedEpisode(
            weeks=ALCOHOL_EPISODE_WEEKS,
            is_open_ended=False,
            note="About 12 weeks (3 months) at first, as in the label trials; review and continue "
                 "if it is helping.",
            sources=ALCOHOL_EPISODE_SOURCES,
        )
    return PlannedEpisode(
        weeks=None,
        is_open_ended=True,
        note="Open-ended: the guidelines set no length of treatment for opioid use disorder; "
             "review regularly.",
        sources=OPIOID_EPISODE_SOURCES,
    )


# --- Validation ----------------------------------------------------------------------------------

def _is_positive_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value) and value > 0
    except OverflowError:  # an int too large for a float is no dose
        return False


def _mg(value: float) -> str:
    return f"{value:g} mg"


def validate_order(order: Order) -> None:
    """Refuse (InvalidOrder) an order whose dose, interval or schedule is outside its regimen's rules.

    Rules: oral-daily 50 mg (25 mg first dose for opioids, S7); supervised patterns as printed
    (S7, S9, S10); injection 380 mg (S33); targeted 50 mg (S95, S96); low-dose 1–4.5 mg in
    0.5 mg steps (S153, S155); implant with a clinician-entered duration.
    """
    entry = get_regimen(order.regimen)
    name = entry.name.value
    if order.end is not None and order.end < order.start:
        raise InvalidOrder(f"{name}: the order ends ({order.end}) before it starts ({order.start})")
    if entry.indications and order.indication is None:
        raise InvalidOrder(f"{name}: say whether the order is for alcohol or opioid use")
    if order.indication is not None and order.indication not in entry.indications:
        raise InvalidOrder(f"{name} is not a regimen for the {order.indication.value} indication")
    if order.dose_mg is not None and not _is_positive_number(order.dose_mg):
        raise InvalidOrder(f"{name}: the dose must be a positive number of mg")
    if order.pattern is not None and entry.name is not RegimenName.ORAL_SUPERVISED:
        raise InvalidOrder(f"{name}: only supervised orders take a pattern")
    if order.weekly_doses and order.pattern is not SupervisedPattern.THREE_TIMES_WEEKLY:
        raise InvalidOrder(f"{name}: weekday doses belong only to the three-times-weekly pattern")
    if order.implant_duration_days is not None and entry.name is not RegimenName.IMPLANT:
        raise InvalidOrder(f"{name}: only implants take an expected duration")
    _VALIDATORS[entry.name](order, name)


def _validate_oral_daily(order: Order, name: str) -> None:
    if order.dose_mg != ORAL_DAILY_DOSE_MG:
        got = "no dose" if order.dose_mg is None else _mg(order.dose_mg)
        raise InvalidOrder(f"{name} is 50 mg once a day (the first dose 25 mg for opioids); got {got}")


def _validate_supervised(order: Order, name: str) -> None:
    if order.pattern is None:
        known = ", ".join(pattern.value for pattern in SupervisedPattern)
        raise InvalidOrder(f"{name}: choose a pattern ({known})")
    if order.dose_mg is not None:
        raise InvalidOrder(f"{name}: the pattern sets the doses; leave dose_mg empty")
    if order.pattern is not SupervisedPattern.THREE_TIMES_WEEKLY:
        return
    weekdays = [dose.weekday for dose in order.weekly_doses]
    doses_mg = sorted(dose.dose_mg for dose in order.weekly_doses)
    if len(weekdays) != 3 or len(set(weekdays)) != 3 or any(d not in range(7) for d in weekdays):
        raise InvalidOrder(f"{name}: three-times-weekly needs three different weekdays (0=Monday … 6=Sunday)")
    if doses_mg != [100.0, 100.0, 150.0]:
        got = ", ".join(_mg(mg) for mg in doses_mg)
        raise InvalidOrder(f"{name}: three-times-weekly doses are 100, 100 and 150 mg; got {got}")


def _validate_xr(order: Order, name: str) -> None:
    if order.dose_mg != XR_DOSE_MG:
        got = "no dose" if order.dose_mg is None else _mg(order.dose_mg)
        raise InvalidOrder(f"{name} comes in one strength, 380 mg every 4 weeks; got {got}")


def _validate_targeted(order: Order, name: str) -> None:
    if order.dose_mg != TARGETED_DOSE_MG:
        got = "no dose" if order.dose_mg is None else _mg(order.dose_mg)
        raise InvalidOrder(f"{name} is one 50 mg tablet before drinking; got {got}")
    minutes = order.minutes_before_drink
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        raise InvalidOrder(f"{name}: minutes before the first drink must be a positive whole number")


def _validate_low_dose(order: Order, name: str) -> None:
    dose_mg = order.dose_mg
    if dose_mg is None:
        raise InvalidOrder(f"{name}: enter the daily dose in mg")
    steps = dose_mg / LDN_STEP_MG
    if not (LDN_FLOOR_MG <= dose_mg <= LDN_CEILING_MG) or abs(steps - round(steps)) > 1e-9:
        raise InvalidOrder(f"{name} is 1 to 4.5 mg a day in 0.5 mg steps; got {_mg(dose_mg)}")


def _validate_implant(order: Order, name: str) -> None:
    days = order.implant_duration_days
    if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
        raise InvalidOrder(f"{name}: enter the expected duration in whole days from the product")
    if order.dose_mg is None:
        raise InvalidOrder(f"{name}: enter the implant's naltrexone content in mg from the product")


_VALIDATORS = {
    RegimenName.ORAL_DAILY: _validate_oral_daily,
    RegimenName.ORAL_SUPERVISED: _validate_supervised,
    RegimenName.XR_INJECTION: _validate_xr,
    RegimenName.TARGETED: _validate_targeted,
    RegimenName.LOW_DOSE: _validate_low_dose,
    RegimenName.IMPLANT: _validate_implant,
}


# --- Schedules -----------------------------------------------------------------------------------

def _supervised_dose_mg(order: Order, day: date) -> float | None:
    offset = (day - order.start).days
    match order.pattern:
        case SupervisedPattern.WEEKDAYS_50_SATURDAY_100:
            weekday = day.weekday()
            return 50.0 if weekday < 5 else (100.0 if weekday == 5 else None)
        case SupervisedPattern.EVERY_SECOND_DAY_100:
            return 100.0 if offset % 2 == 0 else None
        case SupervisedPattern.EVERY_THIRD_DAY_150:
            return 150.0 if offset % 3 == 0 else None
        case _:
            by_weekday = {dose.weekday: dose.dose_mg for dose in order.weekly_doses}
            return by_weekday.get(day.weekday())


def _every_n_days(anchor: date, day: date, interval_days: int, *, include_anchor: bool) -> bool:
    offset = (day - anchor).days
    return offset % interval_days == 0 and (offset > 0 or (include_anchor and offset == 0))


def dose_due_on(order: Order, day: date, *, last_injection: date | None = None) -> float | None:
    """The dose in mg due on ``day`` under ``order``, or None when no dose is due (S7, S9, S33, S155).

    Targeted orders have no fixed days (the dose follows drinking, S95), so they return None.
    For injections the schedule runs every 28 days from ``last_injection`` when given (the one
    actually given), otherwise from the order's start.
    """
    validate_order(order)
    return _dose_due_on(order, day, last_injection)


def _dose_due_on(order: Order, day: date, last_injection: date | None) -> float | None:
    if day < order.start or (order.end is not None and day > order.end):
        return None
    match order.regimen:
        case RegimenName.ORAL_DAILY:
            is_first_opioid_dose = order.indication is Indication.OPIOID and day == order.start
            return OPIOID_FIRST_DOSE_MG if is_first_opioid_dose else ORAL_DAILY_DOSE_MG
        case RegimenName.LOW_DOSE:
            return order.dose_mg
        case RegimenName.ORAL_SUPERVISED:
            return _supervised_dose_mg(order, day)
        case RegimenName.XR_INJECTION:
            anchor = order.start if last_injection is None else last_injection
            is_due = _every_n_days(anchor, day, XR_INTERVAL_DAYS, include_anchor=last_injection is None)
            return XR_DOSE_MG if is_due else None
        case RegimenName.IMPLANT:
            assert order.implant_duration_days is not None  # validate_order guarantees it
            is_due = _every_n_days(order.start, day, order.implant_duration_days, include_anchor=True)
            return order.dose_mg if is_due else None
        case _:
            return None


_DAILY_REGIMENS = frozenset({RegimenName.ORAL_DAILY, RegimenName.LOW_DOSE})


def scheduled_dates(
    order: Order | RegimenName | str, start: date, end: date, *, last_injection: date | None = None
) -> list[date]:
    """Every day from ``start`` to ``end`` (inclusive) on which ``order`` has a dose due (S7, S9, S33).

    A bare regimen name is enough for the once-daily regimens (every day is a dose day); the others
    need the full order, whose pattern, start or duration fixes the days.
    """
    if end < start:
        raise ValueError(f"the window ends ({end}) before it starts ({start})")
    if not isinstance(order, Order):
        name = get_regimen(order).name
        if name not in _DAILY_REGIMENS:
            raise InvalidOrder(f"{name.value}: the dose days depend on the order; pass the full order")
        return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    validate_order(order)
    first = max(start, order.start)
    last = end if order.end is None else min(end, order.end)
    days: list[date] = []
    day = first
    while day <= last:
        if _dose_due_on(order, day, last_injection) is not None:
            days.append(day)
        day += timedelta(days=1)
    return days


# --- Injections, targeted timing, titration ------------------------------------------------------

def next_injection_site(previous_site: InjectionSite) -> InjectionSite:
    """The buttock for the next injection: the other one from last time (S33)."""
    if previous_site is InjectionSite.LEFT_GLUTEAL:
        return InjectionSite.RIGHT_GLUTEAL
    return InjectionSite.LEFT_GLUTEAL


def injection_window(last_given: date, *, earliest_days_before_due: int | None = None) -> InjectionWindow:
    """When the next injection is due (28 days after the last one given) and overdue (the day after, S33).

    ``earliest_days_before_due`` is a clinic setting with no clinical default: the label gives no
    early window, so ``earliest_on`` stays None unless the clinic sets one.
    """
    if earliest_days_before_due is not None and (
        isinstance(earliest_days_before_due, bool) or earliest_days_before_due < 0
    ):
        raise ValueError("the clinic's early window must be a whole number of days, 0 or more")
    due_on = last_given + timedelta(days=XR_INTERVAL_DAYS)
    earliest_on = None
    if earliest_days_before_due is not None:
        earliest_on = due_on - timedelta(days=earliest_days_before_due)
    return InjectionWindow(
        last_given=last_given,
        due_on=due_on,
        overdue_from=due_on + timedelta(days=1),
        earliest_on=earliest_on,
    )


def targeted_dose_time(first_drink_at: datetime, order: Order) -> datetime:
    """When to take the targeted tablet: the prescribed minutes (60 by default) before the first drink."""
    validate_order(order)
    if order.regimen is not RegimenName.TARGETED:
        raise InvalidOrder(f"{order.regimen.value} is not a targeted order")
    return first_drink_at - timedelta(minutes=order.minutes_before_drink)


def ldn_titration_steps_mg(from_mg: float) -> list[float]:
    """The low-dose steps from ``from_mg`` up to the 4.5 mg ceiling, 0.5 mg at a time (S155)."""
    probe = Order(regimen=RegimenName.LOW_DOSE, start=date.min, dose_mg=from_mg)
    validate_order(probe)
    steps = round((LDN_CEILING_MG - from_mg) / LDN_STEP_MG)
    return [round(from_mg + LDN_STEP_MG * index, 1) for index in range(steps + 1)]
