"""The DuckDB cohort engine gives exactly the pure per-patient results and refuses what they refuse."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from unittest import mock

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from naltrack.analytics import cohort_measures_from_arrow, cohort_measures_from_parquet, engine
from naltrack.analytics._columns import bit_values, count_bits, first_bits
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


# --- the input checks folded into the one aggregation: each refusal is one line naming the first bad row ---

def a_cohort_with(patient_rows: dict[str, list]) -> pa.Table:
    """Two valid patients ("a", "z") around patient "p", whose rows are given column by column."""
    ids = ["a", "a", *(["p"] * len(patient_rows["date"])), "z"]
    return pa.table({
        "patient": pa.array(patient_rows.get("patient", ids), type=pa.string()),
        "date": pa.array([date(2024, 1, 1), date(2024, 1, 2), *patient_rows["date"], date(2024, 1, 1)],
                         type=pa.date32()),
        "standard_drinks": pa.array([0.0, 3.0, *patient_rows["standard_drinks"], 1.0], type=pa.float64()),
        "sex": pa.array(["F", "F", *patient_rows["sex"], "M"], type=pa.string()),
    })


TWO_DAYS = [date(2024, 1, 1), date(2024, 1, 2)]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({"date": [date(2024, 1, 2), date(2024, 1, 2)], "standard_drinks": [1.0, 2.0], "sex": ["F", "F"]},
         "patient p has two rows for the same date, 2024-01-02"),
        ({"date": TWO_DAYS, "standard_drinks": [1.0, 2.0], "sex": ["F", "M"]},
         "patient p is recorded with two sexes (F and M)"),
        ({"date": TWO_DAYS, "standard_drinks": [1.0, 2.0], "sex": ["X", "X"]},
         'patient p has a sex other than F or M ("X") on 2024-01-01'),
        ({"date": TWO_DAYS, "standard_drinks": [1.0, 2.0], "sex": ["M", None]},
         "patient p has a sex other than F or M (none) on 2024-01-02"),
        ({"date": TWO_DAYS, "standard_drinks": [1.0, -2.0], "sex": ["F", "F"]},
         "patient p has negative standard_drinks (-2.0) on 2024-01-02"),
        ({"date": TWO_DAYS, "standard_drinks": [float("nan"), 1.0], "sex": ["F", "F"]},
         "patient p has standard_drinks that are not a finite number (nan) on 2024-01-01"),
        ({"date": TWO_DAYS, "standard_drinks": [1.0, float("inf")], "sex": ["F", "F"]},
         "patient p has standard_drinks that are not a finite number (inf) on 2024-01-02"),
        ({"date": TWO_DAYS, "standard_drinks": [float("-inf"), 1.0], "sex": ["F", "F"]},
         "patient p has standard_drinks that are not a finite number (-inf) on 2024-01-01"),
        ({"date": TWO_DAYS, "standard_drinks": [1.0, None], "sex": ["F", "F"]},
         "patient p has a row without standard_drinks on 2024-01-02"),
        ({"date": TWO_DAYS, "standard_drinks": [None, None], "sex": ["F", "F"]},
         "patient p has a row without standard_drinks on 2024-01-01"),
        ({"date": [date(2024, 1, 1), None], "standard_drinks": [1.0, 2.0], "sex": ["F", "F"]},
         "patient p has a row without a date"),
        ({"date": TWO_DAYS, "standard_drinks": [1e308, 1e308], "sex": ["F", "F"]},
         "patient p has standard_drinks too large to add up"),
        ({"patient": ["a", "a", "p", None, "z"], "date": TWO_DAYS, "standard_drinks": [1.0, 2.0],
          "sex": ["F", "F"]},
         "some rows have no patient id"),
    ],
)
def test_each_check_refuses_bad_rows_with_one_line_naming_patient_and_day(rows, message, tmp_path):
    table = a_cohort_with(rows)
    with pytest.raises(OutcomeInputError) as from_arrow:
        cohort_measures_from_arrow(table)
    assert str(from_arrow.value) == message
    path = tmp_path / "days.parquet"
    pq.write_table(table, path)
    with pytest.raises(OutcomeInputError) as from_parquet:
        cohort_measures_from_parquet(path)
    assert str(from_parquet.value) == message


def test_refusal_names_the_first_patient_in_id_order_and_its_first_problem():
    table = pa.table({
        "patient": ["c", "c", "b", "b", "a"],
        "date": pa.array([date(2024, 1, 3), date(2024, 1, 3), date(2024, 1, 1), date(2024, 1, 2),
                          date(2024, 1, 1)], type=pa.date32()),
        "standard_drinks": [1.0, 1.0, -1.0, 2.0, 0.0],
        "sex": ["F", "F", "F", "M", "M"],   # b: two sexes and a negative amount
    })
    with pytest.raises(OutcomeInputError, match=r"^patient b is recorded with two sexes \(F and M\)$"):
        cohort_measures_from_arrow(table)


def test_long_cohorts_refuse_missing_drinks_and_repeated_dates_too():
    # Twelve years apart: the exact count(DISTINCT ...) path instead of the bitmap of days.
    rows = a_cohort_with({"date": [date(2010, 1, 1), date(2022, 1, 1)], "standard_drinks": [1.0, None],
                          "sex": ["F", "F"]})
    with pytest.raises(OutcomeInputError, match=r"^patient p has a row without standard_drinks on 2022-01-01$"):
        cohort_measures_from_arrow(rows)


def test_sex_must_be_a_text_column():
    with pytest.raises(OutcomeInputError, match="column sex must hold text"):
        cohort_measures_from_arrow(pa.table({**VALID, "sex": [1, 1]}))


FAULTS = {
    # fault name: (change to one row of the chosen patient, start of the expected message)
    "repeated date": "has two rows for the same date",
    "other sex": "is recorded with two sexes",
    "unknown sex": "has a sex other than F or M",
    "negative drinks": "has negative standard_drinks",
    "missing drinks": "has a row without standard_drinks",
    "missing date": "has a row without a date",
    "not a number": "has standard_drinks that are not a finite number",
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=cohort_rows(), fault=st.sampled_from(sorted(FAULTS)), data=st.data())
def test_one_bad_row_in_a_valid_cohort_is_always_refused_naming_its_patient(rows, fault, data):
    table = as_table(rows).to_pydict()
    index = data.draw(st.integers(0, len(rows) - 1), label="bad row")
    patient = table["patient"][index]
    if fault == "repeated date":
        for column in table.values():
            column.append(column[index])
    elif fault in ("other sex", "unknown sex"):
        table["sex"][index] = "X" if fault == "unknown sex" else {"F": "M", "M": "F"}[table["sex"][index]]
        if fault == "other sex" and table["patient"].count(patient) == 1:
            for column in table.values():  # a second row with the first sex, on a new day
                column.append(column[index])
            table["date"][-1] = date(2030, 1, 1)
            table["sex"][-1] = {"F": "M", "M": "F"}[table["sex"][index]]
    else:
        column, value = {"negative drinks": ("standard_drinks", -0.25),
                         "missing drinks": ("standard_drinks", None),
                         "missing date": ("date", None),
                         "not a number": ("standard_drinks", float("nan"))}[fault]
        table[column][index] = value
    bad = pa.table({name: pa.array(values, type=as_table(rows).schema.field(name).type)
                    for name, values in table.items()})
    with pytest.raises(OutcomeInputError) as refused:
        cohort_measures_from_arrow(bad)
    assert str(refused.value).startswith(f"patient {patient} {FAULTS[fault]}")


def test_the_engine_does_not_import_pandas(tmp_path):
    # pyarrow's NumPy conversions import pandas on first use, which costs more than the measures.
    path = tmp_path / "days.parquet"
    pq.write_table(pa.table(VALID), path)
    script = ("import sys; from naltrack.analytics import cohort_measures_from_parquet as m; "
              f"m({str(path)!r}); print('pandas' in sys.modules)")
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "False"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=cohort_rows(), unit=st.sampled_from(OUTCOME_UNIT_CODES))
def test_the_exact_distinct_count_path_gives_the_same_results(rows, unit):
    # Taken when DuckDB's BIT layout is not the one the bitmaps are read with (or for long cohorts).
    with mock.patch.object(engine, "_bit_layout_is_known", False):
        assert cohort_measures_from_arrow(as_table(rows), unit).as_json() == measure_cohort(rows, unit).as_json()


def test_the_exact_distinct_count_path_refuses_repeated_dates_and_bad_rows():
    with mock.patch.object(engine, "_bit_layout_is_known", False):
        with pytest.raises(OutcomeInputError, match=r"^patient p has two rows for the same date, 2024-01-02$"):
            cohort_measures_from_arrow(a_cohort_with({"date": [date(2024, 1, 2)] * 2, "standard_drinks": [1.0, 2.0],
                                                      "sex": ["M", "M"]}))
        with pytest.raises(OutcomeInputError, match=r"^patient p has negative standard_drinks \(-1.0\) on 2024-01-01$"):
            cohort_measures_from_arrow(a_cohort_with({"date": TWO_DAYS, "standard_drinks": [-1.0, 2.0],
                                                      "sex": ["M", "M"]}))


def test_a_bitmap_read_byte_by_byte_must_have_the_expected_layout():
    whole_bytes = pa.chunked_array([pa.array([b"\x00\x80\x40", b"\x00\x00\x01"], type=pa.binary())])
    assert bit_values(whole_bytes, 2).tolist() == [[0x80, 0x40], [0x00, 0x01]]
    padded = pa.chunked_array([pa.array([b"\x06\xfe\x41"], type=pa.binary())])   # ten bits: padding byte 6
    assert bit_values(padded, 2) is None
    other_length = pa.chunked_array([pa.array([b"\x00\x80"], type=pa.binary())])
    assert bit_values(other_length, 2) is None


def test_first_bits_and_bit_counts_read_most_significant_bit_first():
    bitmaps = np.array([[0b0001_0000, 0b1000_0001], [0, 0], [0, 0b0000_0010]], dtype=np.uint8)
    first, has_one = first_bits(bitmaps)
    assert first[has_one].tolist() == [3, 14]
    assert has_one.tolist() == [True, False, True]
    assert count_bits(bitmaps).tolist() == [3, 0, 1]
