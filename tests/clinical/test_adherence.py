"""Adherence: coverage rules, PDC, missed and overdue days, targeted coverage, and their invariants."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from naltrack.clinical.adherence import (
    ADHERENT_PDC,
    DrinkingDay,
    InvalidAdherenceInput,
    TakenDose,
    compute_adherence,
    coverage_days,
    has_missed_doses_recently,
    missed_in_last,
    targeted_coverage,
)
from naltrack.clinical.regimens import (
    Indication,
    Order,
    RegimenName,
    SupervisedPattern,
    dose_due_on,
    scheduled_dates,
)
from tests.strategies.courses import NAMED_REGIMENS, doses_around, followed_orders, windows

START = date(2024, 1, 1)


def _days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


# --- Coverage rules (naltrack policy on adherence) -----------------------------------------------

@pytest.mark.parametrize(
    ("regimen", "dose_mg", "days"),
    [
        # One day per started 50 mg, from the dose's own day (policy; label blockade 24/48/72 h, S25).
        ("oral-daily", 25, 1),
        ("oral-daily", 50, 1),
        ("oral-daily", 51, 2),
        ("oral-supervised", 100, 2),
        ("oral-supervised", 150, 3),
        ("targeted", 50, 1),
        # Low-dose: each daily dose covers its own day.
        ("low-dose", 4.5, 1),
        # An injection covers 28 days, the label interval (S33).
        ("xr-injection", 380, 28),
    ],
)
def test_one_dose_covers_the_policy_number_of_days(regimen: str, dose_mg: float, days: int) -> None:
    assert coverage_days(regimen, dose_mg) == days
    report = compute_adherence(regimen, START, START + timedelta(days=39), [TakenDose(START, dose_mg)])
    assert report.days_covered == days


def test_an_implant_covers_its_entered_duration() -> None:
    assert coverage_days("implant", 1000, implant_duration_days=84) == 84
    report = compute_adherence("implant", START, START + timedelta(days=99), [TakenDose(START, 1000)],
                               implant_duration_days=84)
    assert report.days_covered == 84


def test_an_implant_without_a_duration_is_refused() -> None:
    with pytest.raises(InvalidAdherenceInput, match="expected duration"):
        compute_adherence("implant", START, START, [TakenDose(START, 1000)])


def test_a_dose_before_the_window_covers_the_days_it_reaches() -> None:
    # A 150 mg dose the day before the start covers the start and the day after (3 days from its own day).
    report = compute_adherence("oral-supervised", START, START + timedelta(days=4),
                               [TakenDose(START - timedelta(days=1), 150)])
    assert report.days_covered == 2
    assert report.missed == tuple(_days(START + timedelta(days=2), 3))


def test_doses_after_the_window_cover_nothing_in_it() -> None:
    later = [TakenDose(START + timedelta(days=3), 150)]
    report = compute_adherence("oral-daily", START, START + timedelta(days=2), later)
    assert report.days_covered == 0


def test_overlapping_coverage_counts_once() -> None:
    # 150 mg on day 0 covers days 0–2; 100 mg on day 1 covers days 1–2: three days, not five.
    report = compute_adherence("oral-supervised", START, START + timedelta(days=6),
                               [TakenDose(START, 150), TakenDose(START + timedelta(days=1), 100)])
    assert report.days_covered == 3


def test_start_and_end_are_both_counted() -> None:
    report = compute_adherence("oral-daily", START, START, [TakenDose(START, 50)])
    assert (report.days, report.days_covered, report.pdc) == (1, 1, 1.0)


@pytest.mark.parametrize(
    ("doses_taken", "is_adherent"),
    [
        (8, True),   # 8 of 10 days: PDC 0.8 is adherent (PQA, S139)
        (7, False),  # 0.7 is not
    ],
)
def test_a_pdc_of_at_least_08_counts_as_adherent(doses_taken: int, is_adherent: bool) -> None:
    doses = [TakenDose(day, 50) for day in _days(START, doses_taken)]
    report = compute_adherence("oral-daily", START, START + timedelta(days=9), doses)
    assert report.pdc == doses_taken / 10
    assert report.is_adherent is is_adherent
    assert (report.pdc >= ADHERENT_PDC) is is_adherent


def test_targeted_reports_carry_no_adherent_verdict() -> None:
    report = compute_adherence("targeted", START, START + timedelta(days=6), [TakenDose(START, 50)])
    assert report.is_adherent is None
    assert report.missed == ()


# --- Overdue injections ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("days_after_injection", "is_overdue"),
    [
        (27, False),  # still covered
        (28, False),  # due today (every 4 weeks, S33): not yet overdue
        (29, True),   # a day has passed beyond 28 days: overdue (policy)
        (40, True),
    ],
)
def test_an_injection_becomes_overdue_the_day_after_it_falls_due(
    days_after_injection: int, is_overdue: bool
) -> None:
    day = START + timedelta(days=days_after_injection)
    report = compute_adherence("xr-injection", START, day, [TakenDose(START, 380)])
    assert (day in report.overdue) is is_overdue


def test_every_day_of_a_late_gap_is_listed_as_overdue_until_the_next_injection() -> None:
    given_late = START + timedelta(days=33)
    report = compute_adherence("xr-injection", START, START + timedelta(days=60),
                               [TakenDose(START, 380), TakenDose(given_late, 380)])
    assert report.overdue == tuple(_days(START + timedelta(days=29), 4))
    # Days 28–32 lie uncovered (day 28 was due, 29–32 overdue); the late one covers 33–60.
    assert report.days_covered == 28 + 28


def test_an_injection_before_the_window_still_makes_days_in_it_overdue() -> None:
    report = compute_adherence("xr-injection", START, START + timedelta(days=9),
                               [TakenDose(START - timedelta(days=25), 380)])
    assert report.overdue[0] == START + timedelta(days=4)  # 29 days after the injection
    assert report.days_covered == 3


def test_nothing_is_overdue_before_the_first_injection() -> None:
    report = compute_adherence("xr-injection", START, START + timedelta(days=60), [])
    assert report.overdue == ()


def test_oral_regimens_never_report_overdue_injections() -> None:
    report = compute_adherence("oral-daily", START, START + timedelta(days=60), [TakenDose(START, 50)])
    assert report.overdue == ()


# --- Missed days ----------------------------------------------------------------------------------

def test_a_daily_regimen_misses_every_uncovered_day() -> None:
    doses = [TakenDose(day, 50) for day in _days(START, 10) if day.day not in (3, 7)]
    report = compute_adherence("oral-daily", START, START + timedelta(days=9), doses)
    assert report.missed == (date(2024, 1, 3), date(2024, 1, 7))


def test_with_an_order_only_its_dose_days_can_be_missed() -> None:
    # 100 mg every second day (S7): skipping day 2 leaves days 2 and 3 uncovered; only day 2 was a dose day.
    order = Order(RegimenName.ORAL_SUPERVISED, START, indication=Indication.OPIOID,
                  pattern=SupervisedPattern.EVERY_SECOND_DAY_100)
    doses = [TakenDose(day, 100) for day in (START, START + timedelta(days=4))]
    report = compute_adherence(order, START, START + timedelta(days=5), doses)
    assert report.missed == (START + timedelta(days=2),)
    by_name = compute_adherence("oral-supervised", START, START + timedelta(days=5), doses)
    assert by_name.missed == (START + timedelta(days=2), START + timedelta(days=3))


def test_today_ends_the_window_so_future_days_are_not_missed() -> None:
    today = START + timedelta(days=4)
    doses = [TakenDose(day, 50) for day in _days(START, 5)]
    report = compute_adherence("oral-daily", START, START + timedelta(days=29), doses, today=today)
    assert (report.days, report.pdc, report.missed) == (5, 1.0, ())


def test_a_window_that_starts_after_today_is_refused() -> None:
    with pytest.raises(InvalidAdherenceInput, match="after today"):
        compute_adherence("oral-daily", START, START + timedelta(days=3), [], today=START - timedelta(days=1))


@pytest.mark.parametrize(
    ("skipped_offsets", "is_flagged"),
    [
        ((), False),
        ((3,), False),
        ((1, 5), True),       # 2 of the last 7: the product default flags it
        ((1, 3, 5), True),
        ((-3, -2), False),    # misses before the 7-day look-back do not count
    ],
)
def test_the_caseload_flags_two_missed_doses_in_the_last_seven_days(
    skipped_offsets: tuple[int, ...], is_flagged: bool
) -> None:
    today = START + timedelta(days=6)
    doses = [TakenDose(START + timedelta(days=n), 50) for n in range(-10, 7) if n not in skipped_offsets]
    assert has_missed_doses_recently("oral-daily", doses, today=today) is is_flagged
    skipped_in_look_back = [n for n in skipped_offsets if n >= 0]
    assert len(missed_in_last(7, "oral-daily", doses, today=today)) == len(skipped_in_look_back)


def test_the_missed_dose_threshold_is_a_parameter() -> None:
    today = START + timedelta(days=6)
    doses = [TakenDose(START + timedelta(days=n), 50) for n in range(7) if n != 2]
    assert has_missed_doses_recently("oral-daily", doses, today=today, min_missed=1)
    assert not has_missed_doses_recently("oral-daily", doses, today=today, n_days=3, min_missed=1)


# --- Bad input -------------------------------------------------------------------------------------

@pytest.mark.parametrize("dose_mg", [0, -50, float("nan"), float("inf"), True, "50", 10**400])
def test_impossible_doses_are_refused(dose_mg: object) -> None:
    with pytest.raises(InvalidAdherenceInput):
        compute_adherence("oral-daily", START, START, [TakenDose(START, dose_mg)])  # type: ignore[arg-type]


def test_a_window_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidAdherenceInput, match="before it starts"):
        compute_adherence("oral-daily", START, START - timedelta(days=1), [])


# --- Targeted coverage (S95, S96; naltrack-policy:targeted-dosing) ---------------------------------

def _at(hour: int, minute: int = 0, day: int = 5) -> datetime:
    return datetime(2024, 1, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("drinking", "doses", "share"),
    [
        # Tablet an hour before the first drink: covered.
        ([DrinkingDay(date(2024, 1, 5), _at(19))], [TakenDose(date(2024, 1, 5), 50, _at(18))], 1.0),
        # Tablet after the first drink: not beforehand.
        ([DrinkingDay(date(2024, 1, 5), _at(19))], [TakenDose(date(2024, 1, 5), 50, _at(19, 30))], 0.0),
        # Times unknown: a tablet the same day counts.
        ([DrinkingDay(date(2024, 1, 5))], [TakenDose(date(2024, 1, 5), 50)], 1.0),
        ([DrinkingDay(date(2024, 1, 5), _at(19))], [TakenDose(date(2024, 1, 5), 50)], 1.0),
        # A tablet the day before does not cover the next day's drinking.
        ([DrinkingDay(date(2024, 1, 5))], [TakenDose(date(2024, 1, 4), 50)], 0.0),
        # Two drinking days, one covered.
        ([DrinkingDay(date(2024, 1, 5)), DrinkingDay(date(2024, 1, 6))],
         [TakenDose(date(2024, 1, 6), 50)], 0.5),
        # The same drinking day logged twice counts once, from its earliest known first drink.
        ([DrinkingDay(date(2024, 1, 5), _at(21)), DrinkingDay(date(2024, 1, 5), _at(17))],
         [TakenDose(date(2024, 1, 5), 50, _at(18))], 0.0),
    ],
)
def test_targeted_coverage_is_the_share_of_drinking_days_dosed_beforehand(
    drinking: list[DrinkingDay], doses: list[TakenDose], share: float
) -> None:
    assert targeted_coverage(drinking, doses) == share


def test_targeted_coverage_is_undefined_without_drinking_days() -> None:
    assert targeted_coverage([], [TakenDose(START, 50)]) is None


def test_targeted_coverage_refuses_naive_times() -> None:
    with pytest.raises(InvalidAdherenceInput, match="timezone-aware"):
        targeted_coverage([DrinkingDay(START, datetime(2024, 1, 1, 19))], [])


# --- Invariants -----------------------------------------------------------------------------------

def _reference_report(regimen: RegimenName, start: date, end: date, doses: list[TakenDose]) -> tuple[
    set[date], set[date]
]:
    """A slow, obviously-correct reading of the policy: sets of covered and overdue days."""
    covered: set[date] = set()
    for dose in doses:
        if regimen is RegimenName.XR_INJECTION:
            length = 28
        elif regimen is RegimenName.LOW_DOSE:
            length = 1
        else:
            length = max(1, math.ceil(dose.dose_mg / 50))
        covered.update(dose.day + timedelta(days=n) for n in range(length))
    window = {start + timedelta(days=n) for n in range((end - start).days + 1)}
    overdue: set[date] = set()
    if regimen is RegimenName.XR_INJECTION:
        for day in window:
            earlier = [dose.day for dose in doses if dose.day <= day]
            if earlier and (day - max(earlier)).days > 28:
                overdue.add(day)
    return covered & window, overdue


@st.composite
def cases(draw: st.DrawFn) -> tuple[RegimenName, date, date, list[TakenDose]]:
    regimen = draw(NAMED_REGIMENS)
    start, end = draw(windows())
    return regimen, start, end, draw(doses_around(start, end))


@given(cases())
def test_the_vectorised_report_matches_a_day_by_day_reading_of_the_policy(
    case: tuple[RegimenName, date, date, list[TakenDose]]
) -> None:
    regimen, start, end, doses = case
    report = compute_adherence(regimen, start, end, doses)
    covered, overdue = _reference_report(regimen, start, end, doses)
    assert report.days_covered == len(covered)
    assert set(report.overdue) == overdue
    if regimen in (RegimenName.ORAL_DAILY, RegimenName.ORAL_SUPERVISED, RegimenName.LOW_DOSE):
        all_days = {start + timedelta(days=n) for n in range(report.days)}
        assert set(report.missed) == all_days - covered


@given(cases())
def test_pdc_stays_between_zero_and_one(case: tuple[RegimenName, date, date, list[TakenDose]]) -> None:
    regimen, start, end, doses = case
    report = compute_adherence(regimen, start, end, doses)
    assert 0.0 <= report.pdc <= 1.0
    assert report.days == (end - start).days + 1
    assert report.pdc == report.days_covered / report.days


@given(cases(), st.data())
def test_removing_a_dose_never_raises_pdc(
    case: tuple[RegimenName, date, date, list[TakenDose]], data: st.DataObject
) -> None:
    regimen, start, end, doses = case
    if not doses:
        return
    index = data.draw(st.integers(0, len(doses) - 1))
    fewer = doses[:index] + doses[index + 1:]
    before = compute_adherence(regimen, start, end, doses)
    after = compute_adherence(regimen, start, end, fewer)
    assert after.pdc <= before.pdc


@given(cases(), st.data())
def test_adding_a_dose_never_lowers_pdc(
    case: tuple[RegimenName, date, date, list[TakenDose]], data: st.DataObject
) -> None:
    regimen, start, end, doses = case
    extra = data.draw(doses_around(start, end, min_size=1, max_size=1))[0]
    before = compute_adherence(regimen, start, end, doses)
    after = compute_adherence(regimen, start, end, [*doses, extra])
    assert after.pdc >= before.pdc
    assert set(after.missed) <= set(before.missed)


@given(cases())
def test_repeating_every_dose_changes_nothing(case: tuple[RegimenName, date, date, list[TakenDose]]) -> None:
    """Overlaps count once: logging each dose twice covers exactly the same days."""
    regimen, start, end, doses = case
    assert compute_adherence(regimen, start, end, doses * 2) == compute_adherence(regimen, start, end, doses)


@given(windows(max_days=90).flatmap(lambda window: st.tuples(st.just(window), followed_orders(window[0]))))
def test_taking_every_scheduled_dose_gives_full_coverage(case: tuple[tuple[date, date], Order]) -> None:
    (start, end), order = case
    doses = [
        TakenDose(day, _dose_mg(order, day))
        for day in scheduled_dates(order, order.start, end)
    ]
    report = compute_adherence(order, start, end, doses)
    assert report.pdc == 1.0
    assert report.missed == () and report.overdue == ()
    assert report.is_adherent is True


def _dose_mg(order: Order, day: date) -> float:
    dose_mg = dose_due_on(order, day)
    assert dose_mg is not None
    return dose_mg
