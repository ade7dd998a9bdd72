"""Supply: tablets on hand, days of supply left, refill dates, clinic stock and the next injection date.

Tablet arithmetic uses the 50 mg tablet (S2, S3); a 25 mg dose is half a tablet. Low-dose
naltrexone is compounded as capsules of the prescribed strength (S155), one per day. The refill
lead time and the clinic's stock warning use a product default of 7 days: a setting, not a
clinical fact.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from naltrack.clinical.regimens import (
    TABLET_MG,
    Order,
    RegimenName,
    dose_due_on,
    injection_window,
    validate_order,
)
from naltrack.clinical.sources import cite

__all__ = [
    "REFILL_LEAD_TIME_DAYS",
    "StockCheck",
    "WeeklyUse",
    "check_clinic_stock",
    "days_of_supply_left",
    "expected_weekly_use",
    "next_injection_due",
    "refill_due_on",
    "supply_runs_out_on",
    "tablets_on_hand",
    "tablets_per_scheduled_week",
]

TABLET_SOURCES = (cite("S2"), cite("S3"))
LDN_CAPSULE_SOURCE = cite("S155")
INJECTION_INTERVAL_SOURCE = cite("S33")

# Product default (not a clinical fact): ask for a refill, or reorder clinic stock, a week ahead.
REFILL_LEAD_TIME_DAYS = 7

# 42 days is a whole number of weeks, of 2-day and of 3-day cycles, so every oral pattern repeats in it.
_PATTERN_CYCLE_DAYS = 42


@dataclass(frozen=True, slots=True)
class StockCheck:
    """How long a clinic's stock lasts at the expected use, and whether it is below the lead time."""

    on_hand: float
    expected_per_week: float
    days_of_stock: float | None
    is_low: bool


@dataclass(frozen=True, slots=True)
class WeeklyUse:
    """Expected weekly use across a set of orders, by kind of product."""

    tablets_50mg: float
    ldn_capsules: float
    injections: float
    implants: float
    targeted_orders: int  # targeted use follows drinking days, so it cannot be predicted from the order


def _check_count(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} must be a number, 0 or more")
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(f"{what} is too large") from None
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{what} must be a number, 0 or more")
    return number


def tablets_per_scheduled_week(order: Order, *, drinking_days_per_week: float | None = None) -> float:
    """Tablets (or LDN capsules) an order uses in a scheduled week, after any induction dose (S7, S155).

    Targeted orders depend on how many days a week the patient drinks, which the caller supplies.
    Injections and implants are not tablets and are refused.
    """
    validate_order(order)
    if order.regimen is RegimenName.TARGETED:
        if drinking_days_per_week is None:
            raise ValueError("a targeted order uses one tablet per drinking day: give drinking days per week")
        days = _check_count(drinking_days_per_week, "drinking days per week")
        if days > 7:
            raise ValueError("a week has at most 7 drinking days")
        return days
    if order.regimen in (RegimenName.XR_INJECTION, RegimenName.IMPLANT):
        raise ValueError(f"{order.regimen.value} is not a tablet order")
    if order.regimen is RegimenName.LOW_DOSE:
        return 7.0
    steady = replace(order, end=None)
    first = order.start + timedelta(days=1)  # skip the 25 mg first dose of an opioid induction
    total_mg = 0.0
    for offset in range(_PATTERN_CYCLE_DAYS):
        total_mg += dose_due_on(steady, first + timedelta(days=offset)) or 0.0
    return total_mg / TABLET_MG / (_PATTERN_CYCLE_DAYS / 7)


def tablets_on_hand(
    dispensed_tablets: float, doses_taken_mg: Iterable[float], *, tablet_mg: float = TABLET_MG
) -> float:
    """Tablets left from those dispensed after the doses taken since (a 25 mg dose uses half a 50 mg tablet).

    Doses beyond what was dispensed (tablets from an earlier supply) leave zero on hand, never less.
    """
    dispensed = _check_count(dispensed_tablets, "tablets dispensed")
    strength_mg = _check_count(tablet_mg, "tablet strength")
    if strength_mg == 0:
        raise ValueError("tablet strength must be above 0 mg")
    used = 0.0
    for dose_mg in doses_taken_mg:
        if _check_count(dose_mg, "a dose") == 0:
            raise ValueError("a dose must be above 0 mg")
        used += dose_mg / strength_mg
    return max(0.0, dispensed - used)


def days_of_supply_left(tablets: float, tablets_per_week: float) -> int:
    """Whole days the tablets on hand last at the order's weekly use, counting today."""
    on_hand = _check_count(tablets, "tablets on hand")
    per_week = _check_count(tablets_per_week, "tablets per week")
    if per_week == 0:
        raise ValueError("an order that uses no tablets has no days of supply to count")
    # The small tolerance keeps exact results (14 tablets at 7 a week = 14 days) from flooring down.
    return math.floor(on_hand * 7 / per_week + 1e-9)


def supply_runs_out_on(today: date, days_left: int) -> date:
    """The first day without tablets: ``days_left`` days after today."""
    if isinstance(days_left, bool) or not isinstance(days_left, int) or days_left < 0:
        raise ValueError("days of supply left must be a whole number, 0 or more")
    return today + timedelta(days=days_left)


def refill_due_on(today: date, days_left: int, *, lead_time_days: int = REFILL_LEAD_TIME_DAYS) -> date:
    """When to refill: ``lead_time_days`` before supply runs out (product default 7), never before today."""
    if isinstance(lead_time_days, bool) or not isinstance(lead_time_days, int) or lead_time_days < 0:
        raise ValueError("the refill lead time must be a whole number of days, 0 or more")
    runs_out = supply_runs_out_on(today, days_left)
    return max(today, runs_out - timedelta(days=lead_time_days))


def check_clinic_stock(
    on_hand: float, expected_per_week: float, *, lead_time_days: int = REFILL_LEAD_TIME_DAYS
) -> StockCheck:
    """Compare clinic stock with expected weekly use; low when it lasts fewer days than the lead time."""
    stock = _check_count(on_hand, "stock on hand")
    per_week = _check_count(expected_per_week, "expected use per week")
    if isinstance(lead_time_days, bool) or not isinstance(lead_time_days, int) or lead_time_days < 0:
        raise ValueError("the lead time must be a whole number of days, 0 or more")
    if per_week == 0:
        return StockCheck(on_hand=stock, expected_per_week=0.0, days_of_stock=None, is_low=False)
    days = stock * 7 / per_week
    is_low = days < lead_time_days
    return StockCheck(on_hand=stock, expected_per_week=per_week, days_of_stock=days, is_low=is_low)


def expected_weekly_use(orders: Iterable[Order]) -> WeeklyUse:
    """Expected weekly use of tablets, LDN capsules, injections and implants across active orders (S33)."""
    tablets = capsules = injections = implants = 0.0
    targeted = 0
    for order in orders:
        validate_order(order)
        match order.regimen:
            case RegimenName.TARGETED:
                targeted += 1
            case RegimenName.LOW_DOSE:
                capsules += tablets_per_scheduled_week(order)
            case RegimenName.XR_INJECTION:
                injections += 7 / (next_injection_due(order.start) - order.start).days
            case RegimenName.IMPLANT:
                assert order.implant_duration_days is not None  # validate_order guarantees it
                implants += 7 / order.implant_duration_days
            case _:
                tablets += tablets_per_scheduled_week(order)
    return WeeklyUse(
        tablets_50mg=tablets, ldn_capsules=capsules, injections=injections, implants=implants,
        targeted_orders=targeted,
    )


def next_injection_due(last_given: date) -> date:
    """The next extended-release injection's due date: 28 days after the one actually given (S33)."""
    return injection_window(last_given).due_on
