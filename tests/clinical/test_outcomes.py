"""Drinking outcome measures (naltrack policy: drinking measures; S85, S90, S91)."""

from __future__ import annotations

import json
import math
import sys
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer import Typer
from typer.testing import CliRunner

from naltrack.clinical.drinking import Sex
from naltrack.clinical.outcomes import (
    WHO_RISK_LEVELS,
    DrinkingDay,
    OutcomeInputError,
    PatientDay,
    PatientMeasures,
    WhoRiskLevel,
    classify_who_risk,
    classify_who_risk_codes,
    compare_who_risk_levels,
    measure_cohort,
    measure_patient,
    round_measure,
    who_risk_shifts_between_windows,
)
from naltrack.commands import outcomes as outcomes_command
from tests.strategies.measures import FIRST_DAY, drinking_days, sexes

D = FIRST_DAY


def day(n: int) -> date:
    """The n-th calendar day of the test period (day 1 is FIRST_DAY)."""
    return D + timedelta(days=n - 1)


# Four recorded days over six calendar days (days 3 and 5 missing): 0, 2, 4 and 1 US drinks.
SMALL = [DrinkingDay(day(1), 0), DrinkingDay(day(2), 2), DrinkingDay(day(4), 4), DrinkingDay(day(6), 1)]


def test_measures_of_a_woman_computed_by_hand():
    m = measure_patient(SMALL, Sex.FEMALE)
    assert m.days == 4
    assert m.percent_days_abstinent == 25.0            # 1 of 4 recorded days; missing days not counted
    assert m.percent_heavy_drinking_days == 25.0       # 4 US drinks = 56 g is heavy for a woman (S85)
    assert m.drinks_per_drinking_day == 2.333333       # (2 + 4 + 1) / 3
    assert m.days_to_first_heavy_drinking_day == 4     # calendar day 4, the first recorded day is day 1
    assert m.grams_per_day == 24.5                     # 7 drinks x 14 g / 4 recorded days
    assert m.who_risk_level is WhoRiskLevel.MEDIUM     # women: medium above 20 up to 40 g (S90)


def test_the_same_days_for_a_man_have_no_heavy_day_and_low_risk():
    m = measure_patient(SMALL, Sex.MALE)
    assert m.percent_heavy_drinking_days == 0.0        # 56 g is under the 70 g threshold for men (S85)
    assert m.days_to_first_heavy_drinking_day is None
    assert m.who_risk_level is WhoRiskLevel.LOW        # men: low up to 40 g (S90)


def test_missing_days_are_missing_not_abstinent():
    two_drinking_days_a_month_apart = [DrinkingDay(day(1), 1), DrinkingDay(day(30), 1)]
    m = measure_patient(two_drinking_days_a_month_apart, Sex.MALE)
    assert (m.days, m.percent_days_abstinent, m.grams_per_day) == (2, 0.0, 14.0)


def test_drinks_in_uk_units_become_grams_through_the_unit_size():
    # 10 UK units = 78.9 g (heavy for a man); 8 units = 63.12 g (not heavy)
    m = measure_patient([DrinkingDay(day(1), 8), DrinkingDay(day(2), 10)], Sex.MALE, "uk")
    assert m.percent_heavy_drinking_days == 50.0
    assert m.days_to_first_heavy_drinking_day == 2
    assert m.grams_per_day == round_measure(18 * 7.89 / 2)


def test_a_patient_who_never_drank_is_abstinent_with_no_drinking_day_measures():
    m = measure_patient([DrinkingDay(day(1), 0), DrinkingDay(day(3), 0)], Sex.FEMALE)
    assert m == PatientMeasures(2, 100.0, 0.0, None, None, 0.0, WhoRiskLevel.ABSTINENT)


def test_no_recorded_days_means_no_measures():
    assert measure_patient([], Sex.MALE) == PatientMeasures(0, None, None, None, None, None, None)


@pytest.mark.parametrize(
    ("sex", "grams", "level"),
    [
        # S90 read as continuous intervals (naltrack policy): women 0 | (0,20] | (20,40] | (40,60] | >60
        (Sex.FEMALE, 0.0, WhoRiskLevel.ABSTINENT),
        (Sex.FEMALE, 0.000001, WhoRiskLevel.LOW),
        (Sex.FEMALE, 20.0, WhoRiskLevel.LOW),
        (Sex.FEMALE, 20.5, WhoRiskLevel.MEDIUM),
        (Sex.FEMALE, 40.0, WhoRiskLevel.MEDIUM),
        (Sex.FEMALE, 40.000001, WhoRiskLevel.HIGH),
        (Sex.FEMALE, 60.0, WhoRiskLevel.HIGH),
        (Sex.FEMALE, 60.5, WhoRiskLevel.VERY_HIGH),
        # men: 0 | (0,40] | (40,60] | (60,100] | >100
        (Sex.MALE, 0.0, WhoRiskLevel.ABSTINENT),
        (Sex.MALE, 40.0, WhoRiskLevel.LOW),
        (Sex.MALE, 40.5, WhoRiskLevel.MEDIUM),
        (Sex.MALE, 60.0, WhoRiskLevel.MEDIUM),
        (Sex.MALE, 61.0, WhoRiskLevel.HIGH),
        (Sex.MALE, 100.0, WhoRiskLevel.HIGH),
        (Sex.MALE, 100.5, WhoRiskLevel.VERY_HIGH),
    ],
)
def test_who_risk_levels_use_continuous_intervals(sex, grams, level):
    assert classify_who_risk(grams, sex) is level
    codes = classify_who_risk_codes(np.array([grams]), np.array([sex is Sex.FEMALE]))
    assert WHO_RISK_LEVELS[codes[0]] is level


@given(grams=st.floats(0, 300), sex=sexes)
def test_vectorised_and_scalar_who_levels_agree(grams, sex):
    codes = classify_who_risk_codes(np.array([grams]), np.array([sex is Sex.FEMALE]))
    assert WHO_RISK_LEVELS[codes[0]] is classify_who_risk(grams, sex)


def test_rounding_goes_half_away_from_zero_like_sql():
    assert round_measure(0.0000005) == 0.000001     # 0.5e-6 scaled is exactly 0.5 after rounding
    assert round_measure(1 / 3) == 0.333333


def test_cohort_summary_is_the_mean_over_patients_with_counts_by_hand():
    rows = [PatientDay("b", r.day, r.standard_drinks, Sex.FEMALE) for r in SMALL]
    rows += [PatientDay("a", day(1), 0, Sex.MALE), PatientDay("a", day(2), 0, Sex.MALE)]
    outcomes = measure_cohort(rows)
    assert list(outcomes.patients) == ["a", "b"]
    cohort = outcomes.cohort
    assert (cohort.patients, cohort.days) == (2, 6)
    assert cohort.percent_days_abstinent == 62.5          # (100 + 25) / 2
    assert cohort.percent_heavy_drinking_days == 12.5     # (0 + 25) / 2
    assert cohort.drinks_per_drinking_day == 2.333333     # only b has drinking days
    assert cohort.days_to_first_heavy_drinking_day == 4.0  # only b has a heavy day
    assert cohort.patients_with_heavy_drinking_day == 1
    assert cohort.grams_per_day == 12.25                  # (0 + 24.5) / 2
    assert dict(cohort.who_risk_levels) == {"abstinent": 1, "low": 0, "medium": 1, "high": 0, "very_high": 0}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([PatientDay("p", day(1), 1, Sex.MALE), PatientDay("p", day(1), 2, Sex.MALE)],
         "two records for 2024-01-01"),
        ([PatientDay("p", day(1), 1, Sex.MALE), PatientDay("p", day(2), 2, Sex.FEMALE)], "both M and F"),
        ([PatientDay("p", day(1), -1, Sex.MALE)], "cannot be negative"),
        ([PatientDay("p", day(1), math.nan, Sex.MALE)], "finite number"),
        ([PatientDay("", day(1), 1, Sex.MALE)], "empty patient id"),
    ],
)
def test_impossible_cohorts_are_refused(rows, message):
    with pytest.raises(OutcomeInputError, match=message):
        measure_cohort(rows)


def _measures(level: WhoRiskLevel) -> PatientMeasures:
    return PatientMeasures(10, 50.0, 0.0, 1.0, None, 1.0, level)


def test_who_risk_shifts_count_patients_going_down_one_or_two_levels():
    level = WhoRiskLevel
    a = {"p1": _measures(level.VERY_HIGH), "p2": _measures(level.HIGH), "p3": _measures(level.LOW),
         "p4": _measures(level.MEDIUM), "p5": _measures(level.LOW)}
    b = {"p1": _measures(level.LOW), "p2": _measures(level.MEDIUM), "p3": _measures(level.ABSTINENT),
         "p4": _measures(level.HIGH), "p6": _measures(level.LOW)}
    report = compare_who_risk_levels(a, b)
    changes = [(s.patient, s.change_levels) for s in report.shifts]
    assert changes == [("p1", -3), ("p2", -1), ("p3", 0), ("p4", 1)]
    assert (report.patients_compared, report.down_at_least_1, report.down_at_least_2) == (4, 2, 1)
    assert (report.unchanged, report.up, report.not_comparable) == (1, 1, 2)  # abstinent = low in S90


def test_who_risk_shifts_between_two_date_windows():
    # A man drinking 8 US drinks (112 g, very high) daily in January, 2 drinks (28 g, low) in February.
    rows = [PatientDay("p", date(2024, 1, d), 8, Sex.MALE) for d in range(1, 32)]
    rows += [PatientDay("p", date(2024, 2, d), 2, Sex.MALE) for d in range(1, 30)]
    report = who_risk_shifts_between_windows(
        rows, (date(2024, 1, 1), date(2024, 1, 31)), (date(2024, 2, 1), date(2024, 2, 29))
    )
    (shift,) = report.shifts
    assert (shift.level_a, shift.level_b) == (WhoRiskLevel.VERY_HIGH, WhoRiskLevel.LOW)
    assert shift.change_levels == -3
    with pytest.raises(OutcomeInputError, match="starts after it ends"):
        who_risk_shifts_between_windows(rows, (date(2024, 2, 1), date(2024, 1, 1)), (D, D))


@given(days=drinking_days(min_size=1), sex=sexes)
def test_percent_abstinent_and_percent_drinking_days_make_100(days, sex):
    m = measure_patient(days, sex)
    drinking = sum(1 for record in days if record.standard_drinks > 0)
    assert m.percent_days_abstinent + 100.0 * drinking / len(days) == pytest.approx(100.0, abs=1e-5)
    assert 0 <= m.percent_heavy_drinking_days <= 100 - m.percent_days_abstinent + 1e-5


@given(days=drinking_days(min_size=1, max_size=30), sex=sexes, new_day=st.integers(92, 200))
def test_adding_a_heavy_day_never_lowers_percent_heavy_drinking_days(days, sex, new_day):
    before = measure_patient(days, sex).percent_heavy_drinking_days
    after = measure_patient([*days, DrinkingDay(day(new_day), 5.0)], sex).percent_heavy_drinking_days
    assert after >= before


@given(days=drinking_days(min_size=1), sex=sexes)
def test_abstinent_level_exactly_when_nothing_was_drunk(days, sex):
    m = measure_patient(days, sex)
    assert (m.who_risk_level is WhoRiskLevel.ABSTINENT) == all(r.standard_drinks == 0 for r in days)
    assert m.grams_per_day >= 0


# --- the command -------------------------------------------------------------------------------

CSV = """patient,date,standard_drinks,sex
b,2024-01-01,0,F
b,2024-01-02,2,F
b,2024-01-04,4,F
b,2024-01-06,1,F
a,2024-01-01,0,M
a,2024-01-02,0,M
"""


@pytest.fixture
def run_outcomes():
    app = Typer()
    outcomes_command.register(app)

    @app.command("other", hidden=True)
    def _other() -> None:  # a second command keeps Typer from collapsing the app into one command
        pass

    def run(*args: str, stdin: str | None = None):
        return CliRunner().invoke(app, ["outcomes", *args], input=stdin)

    return run


def test_outcomes_command_prints_the_contract_json(run_outcomes, tmp_path):
    path = tmp_path / "days.csv"
    path.write_text(CSV)
    result = run_outcomes("--json", str(path))
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["unit"] == "us"
    assert document["patients"]["b"] == {
        "days": 4, "percent_days_abstinent": 25.0, "percent_heavy_drinking_days": 25.0,
        "drinks_per_drinking_day": 2.333333, "days_to_first_heavy_drinking_day": 4, "grams_per_day": 24.5,
        "who_risk_level": "medium",
    }
    assert document["patients"]["a"]["drinks_per_drinking_day"] is None
    assert document["cohort"]["patients"] == 2


def test_outcomes_command_reads_standard_input_and_other_units(run_outcomes):
    result = run_outcomes("--json", "-", "--unit", "uk", stdin=CSV)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["unit"] == "uk"
    assert document["patients"]["b"]["grams_per_day"] == round_measure(7 * 7.89 / 4)


@pytest.mark.parametrize(
    ("csv_text", "args", "message"),
    [
        ("patient,date,sex\np,2024-01-01,F\n", (), "missing column(s) standard_drinks"),
        ("patient,date,standard_drinks,sex,x\np,2024-01-01,1,F,1\n", (), "unknown column(s) x"),
        ("patient,date,standard_drinks,sex\np,2024-02-30,1,F\n", (), "line 2: date '2024-02-30'"),
        ("patient,date,standard_drinks,sex\np,01/02/2024,1,F\n", (), "is not a valid YYYY-MM-DD"),
        ("patient,date,standard_drinks,sex\np,2024-01-01,-1,F\n", (), "must be zero or more"),
        ("patient,date,standard_drinks,sex\np,2024-01-01,nan,F\n", (), "must be zero or more"),
        ("patient,date,standard_drinks,sex\np,2024-01-01,two,F\n", (), "is not a number"),
        ("patient,date,standard_drinks,sex\np,2024-01-01,1,X\n", (), "sex must be F or M"),
        ("patient,date,standard_drinks,sex\np,2024-01-01,1,F\np,2024-01-02,1,M\n", (), "both F and M"),
        ("patient,date,standard_drinks,sex\np,2024-01-01,1,F\np,2024-01-01,1,F\n", (), "two records"),
        ("patient,date,standard_drinks,sex\np,2024-01-01,1\n", (), "expected 4 fields"),
        (CSV, ("--unit", "jp"), "unknown unit 'jp'"),
    ],
)
def test_outcomes_command_refuses_bad_csv_in_one_line_with_exit_2(run_outcomes, csv_text, args, message):
    result = run_outcomes("--json", "-", *args, stdin=csv_text)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_pure_core_imports_neither_django_nor_duckdb():
    import subprocess

    probe = ("import sys, naltrack.clinical.outcomes, naltrack.clinical.instruments, naltrack.clinical.drinking; "
             "print(sorted({'django', 'duckdb', 'pandas'} & set(sys.modules)))")
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "[]"


def test_replacing_a_record_changes_the_measures():
    """Guards against a measure that ignores its input."""
    changed = [replace(SMALL[0], standard_drinks=6), *SMALL[1:]]
    assert measure_patient(changed, Sex.FEMALE) != measure_patient(SMALL, Sex.FEMALE)
