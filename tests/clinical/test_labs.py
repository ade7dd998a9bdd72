"""Liver tests: LOINC data, multiples of ULN, flags at 3x and 5x, trends and the follow-up schedule."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from naltrack.clinical.labs import (
    ALT,
    AST,
    GGT,
    LIVER_TESTS,
    TOTAL_BILIRUBIN,
    LabResult,
    LabValueError,
    LiverFlag,
    TrendDirection,
    add_months,
    classify_liver_result,
    classify_multiple,
    liver_tests_due,
    multiple_of_uln,
    trend_liver_test,
)
from naltrack.clinical.sources import SOURCES
from tests.strategies.safety import days_in_range, lab_results

START = date(2024, 1, 15)


@pytest.mark.parametrize(("test", "loinc", "unit"), [
    # LOINC codes for serum/plasma liver tests (loinc:liver-tests).
    (ALT, "1742-6", "U/L"),
    (AST, "1920-8", "U/L"),
    (GGT, "2324-2", "U/L"),
    (TOTAL_BILIRUBIN, "1975-2", "mg/dL"),
])
def test_each_liver_test_carries_its_loinc_code(test, loinc: str, unit: str) -> None:
    assert (test.loinc, test.unit) == (loinc, unit)
    assert test.source in SOURCES


def test_the_four_liver_tests_have_distinct_codes() -> None:
    assert len({t.code for t in LIVER_TESTS}) == len({t.loinc for t in LIVER_TESTS}) == 4


@pytest.mark.parametrize(("value", "uln", "multiple"), [
    (40, 40, 1.0), (120, 40, 3.0), (0, 40, 0.0), (35, 50, 0.7), (1.2, 1.2, 1.0),
])
def test_multiple_of_uln_divides_by_the_labs_own_limit(value: float, uln: float, multiple: float) -> None:
    assert multiple_of_uln(value, uln) == pytest.approx(multiple)


@pytest.mark.parametrize(("value", "uln"), [
    (-1, 40), (40, 0), (40, -40), (math.nan, 40), (40, math.nan), (math.inf, 40), (40, math.inf),
    (True, 40), (40, False), ("40", 40), (1e308, 1e-308),
])
def test_impossible_lab_values_are_refused(value, uln) -> None:
    with pytest.raises(LabValueError):
        multiple_of_uln(value, uln)


@pytest.mark.parametrize(("multiple", "flag"), [
    # naltrack-policy:lft-thresholds: >3x flags the clinician, >5x flags urgently; above 1x is abnormal.
    (0.5, LiverFlag.NORMAL),
    (1.0, LiverFlag.NORMAL),
    (1.01, LiverFlag.ABOVE_ULN),
    (3.0, LiverFlag.ABOVE_ULN),
    (3.01, LiverFlag.CLINICIAN),
    (5.0, LiverFlag.CLINICIAN),
    (5.01, LiverFlag.URGENT),
    (19.0, LiverFlag.URGENT),
])
def test_results_are_flagged_above_three_and_five_times_uln(multiple: float, flag: LiverFlag) -> None:
    assert classify_multiple(multiple).flag is flag


def test_a_result_is_classified_against_its_own_uln() -> None:
    result = LabResult(ALT, 130, 40, START)
    classification = classify_liver_result(result)
    assert classification.flag is LiverFlag.CLINICIAN
    assert classification.flags_clinician and not classification.is_urgent
    assert classification.multiple == pytest.approx(3.25)


def test_a_trend_compares_multiples_so_a_change_of_lab_does_not_fake_a_rise() -> None:
    results = [
        LabResult(ALT, 60, 40, START),  # 1.5x
        LabResult(ALT, 70, 60, START + timedelta(days=30)),  # higher value, but only 1.17x
        LabResult(AST, 500, 40, START + timedelta(days=30)),  # another test: ignored
    ]
    trend = trend_liver_test(results, ALT)
    assert [p.multiple for p in trend.points] == pytest.approx([1.5, 70 / 60])
    assert trend.direction is TrendDirection.FALLING
    assert trend.latest is not None and trend.latest.flag is LiverFlag.ABOVE_ULN


def test_a_trend_is_ordered_by_date_and_reports_a_rise() -> None:
    later = LabResult(ALT, 250, 40, START + timedelta(days=60))
    earlier = LabResult(ALT, 100, 40, START)
    trend = trend_liver_test([later, earlier], ALT)
    assert [p.taken_on for p in trend.points] == [earlier.taken_on, later.taken_on]
    assert trend.direction is TrendDirection.RISING
    assert trend.latest is not None and trend.latest.is_urgent


def test_one_result_is_not_enough_for_a_direction() -> None:
    single = trend_liver_test([LabResult(GGT, 30, 60, START)], GGT)
    assert single.direction is TrendDirection.NOT_ENOUGH_RESULTS
    assert trend_liver_test([], GGT).latest is None


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year, clamped to the month's end
    (date(2023, 1, 31), 1, date(2023, 2, 28)),
    (date(2024, 8, 31), 6, date(2025, 2, 28)),
    (date(2024, 11, 15), 3, date(2025, 2, 15)),
    (date(2024, 1, 15), 0, date(2024, 1, 15)),
])
def test_add_months_keeps_the_day_or_clamps_it(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


# --- Follow-up schedule (naltrack-policy:liver-follow-up; TIP 28 practice, S66) ---
@pytest.mark.parametrize(("tests_on", "due", "months"), [
    ([], date(2024, 1, 15), 0),  # baseline before starting
    ([date(2024, 1, 10)], date(2024, 2, 15), 1),
    ([date(2024, 1, 10), date(2024, 2, 14)], date(2024, 4, 15), 3),
    ([date(2024, 1, 10), date(2024, 2, 20), date(2024, 4, 12)], date(2024, 7, 15), 6),
    ([date(2024, 1, 10), date(2024, 2, 20), date(2024, 4, 12), date(2024, 7, 20)], date(2025, 1, 15), 12),
    ([date(2024, 1, 10), date(2025, 1, 10)], date(2025, 7, 15), 18),  # then every 6 months
    ([date(2024, 2, 10)], date(2024, 4, 15), 3),  # a test a few days early still counts for 1 month
])
def test_liver_tests_follow_baseline_then_one_three_six_months_then_every_six(
        tests_on: list[date], due: date, months: int) -> None:
    schedule = liver_tests_due(START, tests_on, today=START)
    assert (schedule.next_due, schedule.months_after_start) == (due, months)
    assert not schedule.repeat_sooner
    assert set(schedule.sources) <= set(SOURCES)


def test_a_missed_check_is_reported_overdue() -> None:
    schedule = liver_tests_due(START, [date(2024, 1, 10)], today=date(2024, 3, 1))
    assert schedule.is_overdue and schedule.next_due == date(2024, 2, 15)
    assert "overdue" in schedule.message


def test_an_abnormal_latest_result_asks_the_clinician_to_set_an_earlier_repeat() -> None:
    # The policy says "sooner" with no number: naltrack does not invent one.
    results = [LabResult(ALT, 30, 40, date(2024, 1, 10)), LabResult(ALT, 130, 40, date(2024, 2, 15))]
    schedule = liver_tests_due(START, results, today=date(2024, 2, 16))
    assert schedule.repeat_sooner and schedule.flags_clinician and not schedule.is_urgent
    assert schedule.next_due == date(2024, 4, 15)
    assert "clinician to set the date" in schedule.message


def test_a_result_above_five_times_uln_is_urgent() -> None:
    schedule = liver_tests_due(START, [LabResult(AST, 300, 40, date(2024, 2, 15))], today=date(2024, 2, 16))
    assert schedule.is_urgent and schedule.flags_clinician and schedule.repeat_sooner


def test_a_normal_repeat_after_an_abnormal_result_clears_the_early_repeat() -> None:
    results = [LabResult(ALT, 90, 40, date(2024, 2, 15)), LabResult(ALT, 35, 40, date(2024, 3, 1))]
    assert not liver_tests_due(START, results, today=date(2024, 3, 2)).repeat_sooner


def test_anything_but_results_and_dates_is_refused() -> None:
    with pytest.raises(TypeError):
        liver_tests_due(START, ["2024-01-01"], today=START)  # type: ignore[list-item]


def test_dates_past_the_calendar_are_refused_with_the_lab_error() -> None:
    with pytest.raises(LabValueError):
        liver_tests_due(date(9999, 6, 1), [date(9999, 12, 1)], today=date(9999, 12, 2))


# --- Invariants ---
@given(st.floats(0, 1e6), st.floats(0.01, 1e4), st.floats(0, 1e6))
def test_a_higher_value_never_gets_a_milder_flag(a: float, uln: float, b: float) -> None:
    low, high = sorted((a, b))
    order = list(LiverFlag)
    assert order.index(classify_multiple(multiple_of_uln(low, uln)).flag) <= \
        order.index(classify_multiple(multiple_of_uln(high, uln)).flag)


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.booleans(), st.none(),
                 st.text(max_size=5)),
       st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.booleans(), st.none()))
def test_multiple_of_uln_gives_a_finite_number_or_the_documented_error(value, uln) -> None:
    try:
        multiple = multiple_of_uln(value, uln)
    except LabValueError:
        return
    assert math.isfinite(multiple) and multiple >= 0


@settings(max_examples=300)
@given(days_in_range, st.lists(st.one_of(days_in_range, lab_results()), max_size=8), days_in_range)
def test_the_schedule_never_falls_before_the_start(start: date, results: list, today: date) -> None:
    schedule = liver_tests_due(start, results, today)
    assert schedule.next_due >= start
    assert schedule.is_overdue is (today > schedule.next_due)
    assert schedule.message


@settings(max_examples=300)
@given(days_in_range, st.lists(days_in_range, max_size=6), days_in_range)
def test_a_later_test_never_brings_the_next_check_forward(start: date, tests_on: list[date],
                                                          extra: date) -> None:
    assume(not tests_on or extra >= max(tests_on))
    before = liver_tests_due(start, tests_on, start).next_due
    after = liver_tests_due(start, [*tests_on, extra], start).next_due
    assert after >= before
