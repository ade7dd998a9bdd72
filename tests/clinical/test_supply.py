"""Supply: tablets per week, on hand, days left, refill dates, clinic stock and injection due dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from naltrack.clinical.regimens import (
    EXAMPLE_THREE_TIMES_WEEKLY,
    Indication,
    Order,
    RegimenName,
    SupervisedPattern,
    injection_window,
)
from naltrack.clinical.supply import (
    REFILL_LEAD_TIME_DAYS,
    check_clinic_stock,
    days_of_supply_left,
    expected_weekly_use,
    next_injection_due,
    refill_due_on,
    supply_runs_out_on,
    tablets_on_hand,
    tablets_per_scheduled_week,
)

START = date(2024, 1, 1)


def _supervised(pattern: SupervisedPattern) -> Order:
    weekly = EXAMPLE_THREE_TIMES_WEEKLY if pattern is SupervisedPattern.THREE_TIMES_WEEKLY else ()
    return Order(RegimenName.ORAL_SUPERVISED, START, indication=Indication.OPIOID, pattern=pattern,
                 weekly_doses=weekly)


@pytest.mark.parametrize(
    ("order", "tablets"),
    [
        # 50 mg once a day (S7) with 50 mg tablets (S2): 7 a week, the 25 mg induction dose aside.
        (Order(RegimenName.ORAL_DAILY, START, indication=Indication.OPIOID, dose_mg=50.0), 7.0),
        # Every supervised pattern adds up to 350 mg a week (S7, S9): 7 tablets.
        *[(_supervised(pattern), 7.0) for pattern in SupervisedPattern],
        # LDN: one compounded capsule a day (S155).
        (Order(RegimenName.LOW_DOSE, START, dose_mg=4.5), 7.0),
    ],
)
def test_tablets_per_scheduled_week_follow_the_order(order: Order, tablets: float) -> None:
    assert tablets_per_scheduled_week(order) == pytest.approx(tablets)


def test_targeted_use_follows_the_drinking_days() -> None:
    order = Order(RegimenName.TARGETED, START, indication=Indication.ALCOHOL, dose_mg=50.0)
    assert tablets_per_scheduled_week(order, drinking_days_per_week=3) == 3
    with pytest.raises(ValueError, match="drinking days"):
        tablets_per_scheduled_week(order)
    with pytest.raises(ValueError, match="at most 7"):
        tablets_per_scheduled_week(order, drinking_days_per_week=8)


def test_injections_are_not_counted_in_tablets() -> None:
    order = Order(RegimenName.XR_INJECTION, START, indication=Indication.OPIOID, dose_mg=380.0)
    with pytest.raises(ValueError, match="not a tablet order"):
        tablets_per_scheduled_week(order)


@pytest.mark.parametrize(
    ("dispensed", "doses_mg", "left"),
    [
        (30, [50] * 10, 20.0),
        (30, [25, 50, 50], 27.5),      # a 25 mg dose is half a 50 mg tablet
        (14, [100, 150], 9.0),
        (5, [50] * 8, 0.0),            # more taken than dispensed: tablets from elsewhere, none left here
    ],
)
def test_tablets_on_hand_subtract_what_was_taken(
    dispensed: float, doses_mg: list[float], left: float
) -> None:
    assert tablets_on_hand(dispensed, doses_mg) == left


@pytest.mark.parametrize(
    ("tablets", "per_week", "days"),
    [
        (14, 7, 14),
        (13.5, 7, 13),
        (7, 3.5, 14),
        (0, 7, 0),
    ],
)
def test_days_of_supply_left_at_the_weekly_use(tablets: float, per_week: float, days: int) -> None:
    assert days_of_supply_left(tablets, per_week) == days


def test_the_refill_is_due_a_lead_time_before_the_supply_runs_out() -> None:
    today = date(2024, 5, 1)
    assert REFILL_LEAD_TIME_DAYS == 7  # product default, not a clinical fact
    assert supply_runs_out_on(today, 20) == date(2024, 5, 21)
    assert refill_due_on(today, 20) == date(2024, 5, 14)
    assert refill_due_on(today, 20, lead_time_days=3) == date(2024, 5, 18)
    assert refill_due_on(today, 2) == today  # already inside the lead time: refill now


@pytest.mark.parametrize(
    ("on_hand", "per_week", "days", "is_low"),
    [
        (70, 35, 14.0, False),
        (20, 35, 4.0, True),    # four days of stock is under the 7-day lead time
        (35, 35, 7.0, False),
        (3, 0, None, False),    # nothing expected to be used: never runs out
    ],
)
def test_clinic_stock_is_low_when_it_lasts_less_than_the_lead_time(
    on_hand: float, per_week: float, days: float | None, is_low: bool
) -> None:
    check = check_clinic_stock(on_hand, per_week)
    assert (check.days_of_stock, check.is_low) == (days, is_low)


def test_expected_weekly_use_sums_orders_by_product() -> None:
    orders = [
        Order(RegimenName.ORAL_DAILY, START, indication=Indication.ALCOHOL, dose_mg=50.0),
        _supervised(SupervisedPattern.EVERY_THIRD_DAY_150),
        Order(RegimenName.LOW_DOSE, START, dose_mg=3.0),
        Order(RegimenName.XR_INJECTION, START, indication=Indication.OPIOID, dose_mg=380.0),
        Order(RegimenName.XR_INJECTION, START, indication=Indication.ALCOHOL, dose_mg=380.0),
        Order(RegimenName.TARGETED, START, indication=Indication.ALCOHOL, dose_mg=50.0),
    ]
    use = expected_weekly_use(orders)
    assert use.tablets_50mg == pytest.approx(14.0)
    assert use.ldn_capsules == 7.0
    assert use.injections == pytest.approx(2 * 7 / 28)  # one injection every 4 weeks each (S33)
    assert use.targeted_orders == 1


@pytest.mark.parametrize(
    ("last_given", "due"),
    [
        (date(2024, 1, 1), date(2024, 1, 29)),   # every 4 weeks (S33)
        (date(2024, 2, 10), date(2024, 3, 9)),   # across a leap day
        (date(2023, 12, 20), date(2024, 1, 17)),
    ],
)
def test_the_next_injection_is_due_28_days_after_the_one_given(last_given: date, due: date) -> None:
    assert next_injection_due(last_given) == due


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
def test_the_due_date_agrees_with_the_injection_window(last_given: date) -> None:
    due = next_injection_due(last_given)
    assert due == injection_window(last_given).due_on
    assert (due - last_given).days == 28


@given(st.floats(min_value=0, max_value=10_000), st.floats(min_value=0.5, max_value=70))
def test_more_tablets_never_mean_fewer_days(tablets: float, per_week: float) -> None:
    assert days_of_supply_left(tablets + 1, per_week) >= days_of_supply_left(tablets, per_week)


@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf"), True, "7"])
def test_impossible_counts_are_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        days_of_supply_left(bad, 7)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        check_clinic_stock(bad, 7)  # type: ignore[arg-type]


def test_a_week_without_tablets_has_no_days_of_supply() -> None:
    with pytest.raises(ValueError, match="no tablets"):
        days_of_supply_left(10, 0)


def test_supply_days_count_forward_from_today() -> None:
    today = START + timedelta(days=3)
    assert supply_runs_out_on(today, 0) == today
