"""The DuckDB cohort engine gives exactly the pure per-patient results and refuses what they refuse."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from naltrack.analytics import cohort_measures_from_arrow, cohort_measures_from_parquet
from naltrack.clinical.drinking import OUTCOME_UNIT_CODES, Sex
from naltrack.clinical.outcomes import OutcomeInputError, PatientDay, measure_cohort
from tests.strategies.measures import cohort_rows


def as_table(rows: list[PatientDay]) -> pa.Table:
    return pa.table({
        "patient": pa.array([row.patient for row in rows], type=pa.string()),
        "date": pa.array([row.day for row in rows], type=pa.date32()),
        "standard_drinks": pa.array([float(row.standard_drinks) for row in rows], type=pa.float64()),
        "sex": pa.array([row.sex.value for row in rows], type=pa.string()),
    })


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=cohort_rows(), unit=st.sampled_from(OUTCOME_UNIT_CODES))
def test_engine_equals_the_pure_functions_on_random_cohorts(rows, unit):
    assert cohort_measures_from_arrow(as_table(rows), unit).as_json() == measure_cohort(rows, unit).as_json()


@settings(max_examples=15, deadline=None)
@given(rows=cohort_rows())
def test_skipping_input_checks_changes_no_result_on_valid_rows(rows):
    table = as_table(rows)
    checked = cohort_measures_from_arrow(table).as_json()
    assert cohort_measures_from_arrow(table, check_input=False).as_json() == checked


def test_engine_on_a_small_cohort_computed_by_hand(tmp_path):
    rows = [
        PatientDay("w", date(2024, 1, 1), 0, Sex.FEMALE),
        PatientDay("w", date(2024, 1, 2), 2, Sex.FEMALE),
        PatientDay("w", date(2024, 1, 4), 4, Sex.FEMALE),  # 56 g: heavy for a woman (S85)
        PatientDay("w", date(2024, 1, 6), 1, Sex.FEMALE),
        PatientDay("m", date(2024, 1, 3), 8, Sex.MALE),    # 112 g on one recorded day
    ]
    path = tmp_path / "days.parquet"
    pq.write_table(as_table(rows), path)
    result = cohort_measures_from_parquet(path)
    patients = {m: result.patient_measures()[m].as_json() for m in ("m", "w")}
    assert patients["w"]["days_to_first_heavy_drinking_day"] == 4
    assert patients["w"]["grams_per_day"] == 24.5
    assert patients["w"]["who_risk_level"] == "medium"
    assert patients["m"] == {
        "days": 1, "percent_days_abstinent": 0.0, "percent_heavy_drinking_days": 100.0,
        "drinks_per_drinking_day": 8.0, "days_to_first_heavy_drinking_day": 1, "grams_per_day": 112.0,
        "who_risk_level": "very_high",                  # men: above 100 g/day (S90)
    }
    assert result.cohort.who_risk_levels["very_high"] == 1
    assert result.patients.column("patient").to_pylist() == ["m", "w"]


def test_long_cohorts_fall_back_to_exact_distinct_counting():
    # Twelve years apart: past the bitmap span, duplicates are still found.
    rows = [PatientDay("p", date(2010, 1, 1), 1, Sex.MALE), PatientDay("p", date(2022, 1, 1), 1, Sex.MALE)]
    assert cohort_measures_from_arrow(as_table(rows)).as_json() == measure_cohort(rows).as_json()
    with pytest.raises(OutcomeInputError, match="two rows for the same date"):
        cohort_measures_from_arrow(as_table([*rows, rows[0]]))


VALID = {"patient": ["p", "p"], "date": [date(2024, 1, 1), date(2024, 1, 2)],
         "standard_drinks": [1.0, 2.0], "sex": ["F", "F"]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date": [date(2024, 1, 1), date(2024, 1, 1)]}, "patient p has two rows for the same date"),
        ({"sex": ["F", "M"]}, "patient p is recorded with two sexes"),
        ({"sex": ["X", "X"]}, "patient p has a sex other than F or M"),
        ({"standard_drinks": [1.0, -2.0]}, "patient p has negative standard_drinks"),
        ({"standard_drinks": [1.0, float("nan")]}, "not a finite number"),
        ({"standard_drinks": [1.0, None]}, "row without standard_drinks"),
        ({"date": [date(2024, 1, 1), None]}, "row without a date"),
        ({"patient": ["p", None]}, "no patient id"),
        ({"date": ["2024-01-01", "2024-01-02"]}, "column date must hold dates"),
        ({"standard_drinks": ["1", "2"]}, "column standard_drinks must be numeric"),
    ],
)
def test_engine_refuses_what_the_pure_path_refuses(change, message):
    with pytest.raises(OutcomeInputError, match=message):
        cohort_measures_from_arrow(pa.table({**VALID, **change}))


def test_engine_refuses_missing_columns_and_files(tmp_path):
    with pytest.raises(OutcomeInputError, match="missing column"):
        cohort_measures_from_arrow(pa.table({k: v for k, v in VALID.items() if k != "sex"}))
    with pytest.raises(OutcomeInputError, match="no such Parquet file"):
        cohort_measures_from_parquet(tmp_path / "absent.parquet")
    not_parquet = tmp_path / "days.parquet"
    not_parquet.write_text("patient,date\n")
    with pytest.raises(OutcomeInputError, match="cannot read"):
        cohort_measures_from_parquet(not_parquet)
