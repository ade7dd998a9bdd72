"""DuckDB engine for cohort outcome measures over patient-day rows (Arrow or Parquet).

Input columns: ``patient`` (text), ``date`` (DATE), ``standard_drinks`` (number, in the cohort's
unit) and ``sex`` (``F``/``M``): the same rows as the ``naltrack outcomes`` CSV. Rules and sources:
``naltrack.clinical.outcomes`` (naltrack-policy:drinking-measures, S85, S90, S91).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute  # loaded with the engine, not inside the first call (fill_null needs it)

from naltrack.clinical.drinking import HEAVY_DAY_ETHANOL_G, Sex, standard_drink_unit
from naltrack.clinical.outcomes import (
    WHO_RISK_LEVELS,
    CohortSummary,
    OutcomeInputError,
    PatientMeasures,
    classify_who_risk_codes,
    round_measures,
    summarise_cohort_arrays,
)

COLUMNS = ("patient", "date", "standard_drinks", "sex")
_NUMERIC_TYPES = ("DOUBLE", "FLOAT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT",
                  "UINTEGER", "USMALLINT", "UTINYINT", "DECIMAL")

# Duplicate days are found with one bitmap of days per patient (``bitstring_agg``), which is far
# cheaper than ``count(DISTINCT date)``; past this span of calendar days the bitmaps would grow
# large, so the query falls back to ``count(DISTINCT ...)``.
MAX_BITMAP_SPAN_DAYS = 3_660

# One pass over the rows, grouped by patient. The heavy-day test is the same double arithmetic as
# the pure path: drinks x grams-per-unit >= threshold grams for the patient's sex. Days are numbered
# from the cohort's first date so the aggregates stay integers.
_PER_PATIENT_SQL = """
SELECT
    patient,
    count(*)                                        AS days,{checks}
    count(*) FILTER (WHERE sex = 'F')               AS female_rows,
    count(*) FILTER (WHERE standard_drinks = 0)     AS abstinent_days,
    count(*) FILTER (WHERE heavy)                   AS heavy_days,
    sum(standard_drinks)                            AS total_drinks,
    min(day_number)                                 AS first_day,
    min(day_number) FILTER (WHERE heavy)            AS first_heavy_day
FROM (
    SELECT
        CAST(patient AS VARCHAR)                        AS patient,
        CAST(date - CAST($first_date AS DATE) AS INTEGER) AS day_number,
        CAST(standard_drinks AS DOUBLE)                 AS standard_drinks,
        sex,
        CAST(standard_drinks AS DOUBLE) * $unit_g
            >= CASE WHEN sex = 'F' THEN $female_g ELSE $male_g END AS heavy
    FROM src
)
GROUP BY patient
ORDER BY patient
"""
# The input checks: each patient's rows must have dates, drinks, one sex (F or M), no negative or
# non-finite drinks and no repeated date.
_CHECK_AGGREGATES = """
    {distinct_days}                                 AS distinct_days,
    count(day_number)                               AS dated_rows,
    count(standard_drinks)                          AS drink_rows,
    count(*) FILTER (WHERE sex = 'M')               AS male_rows,
    min(standard_drinks)                            AS min_drinks,
    max(standard_drinks)                            AS max_drinks,"""
_BITMAP_DISTINCT = "bit_count(bitstring_agg(day_number, 0, {span}))"
_HASHED_DISTINCT = "count(DISTINCT day_number)"


_database: duckdb.DuckDBPyConnection | None = None


def _connect() -> duckdb.DuckDBPyConnection:
    """A fresh connection (cursor) to one in-memory database per process: cheap, and thread-safe."""
    global _database  # one lazily opened database per process
    if _database is None:
        _database = duckdb.connect()
    return _database.cursor()


@dataclass(frozen=True)
class CohortMeasures:
    """Per-patient measures as an Arrow table (sorted by patient) and the cohort summary."""

    unit: str
    patients: pa.Table
    cohort: CohortSummary

    def patient_measures(self) -> dict[str, PatientMeasures]:
        """The per-patient rows as ``PatientMeasures`` (for JSON output and comparisons)."""
        columns = self.patients.to_pydict()
        levels = {level.value: level for level in WHO_RISK_LEVELS}
        return {
            patient: PatientMeasures(
                days=columns["days"][i],
                percent_days_abstinent=columns["percent_days_abstinent"][i],
                percent_heavy_drinking_days=columns["percent_heavy_drinking_days"][i],
                drinks_per_drinking_day=columns["drinks_per_drinking_day"][i],
                days_to_first_heavy_drinking_day=columns["days_to_first_heavy_drinking_day"][i],
                grams_per_day=columns["grams_per_day"][i],
                who_risk_level=levels[columns["who_risk_level"][i]],
            )
            for i, patient in enumerate(columns["patient"])
        }

    def as_json(self) -> dict[str, Any]:
        """The ``naltrack outcomes`` document, identical to the pure path's."""
        return {
            "unit": self.unit,
            "patients": {patient: m.as_json() for patient, m in self.patient_measures().items()},
            "cohort": self.cohort.as_json(),
        }


def cohort_measures_from_arrow(table: pa.Table, unit: str = "us", *, check_input: bool = True) -> CohortMeasures:
    """Cohort outcome measures of an Arrow table of patient-days (naltrack-policy:drinking-measures).

    ``check_input=False`` skips the per-patient input checks (repeated dates, missing values, mixed
    or unknown sexes, negative drinks); only for rows from a source that already enforces them
    (say, a table with a unique patient-and-date constraint).
    """
    connection = _connect()
    try:
        connection.register("src", table)
        return _measure(connection, unit, check_input)
    finally:
        connection.close()


def cohort_measures_from_parquet(
    path: str | Path, unit: str = "us", *, check_input: bool = True
) -> CohortMeasures:
    """Cohort outcome measures of a Parquet file of patient-days (naltrack-policy:drinking-measures).

    ``check_input`` as for ``cohort_measures_from_arrow``.
    """
    path = Path(path)
    if not path.is_file():
        raise OutcomeInputError(f"no such Parquet file: {path}")
    connection = _connect()
    try:
        literal = "'" + str(path).replace("'", "''") + "'"
        try:
            connection.execute(f"CREATE TEMP VIEW src AS SELECT * FROM read_parquet({literal})")  # noqa: S608
        except duckdb.Error as exc:
            raise OutcomeInputError(f"cannot read {path} as Parquet: {exc.__class__.__name__}") from None
        return _measure(connection, unit, check_input)
    finally:
        connection.close()


def _check_schema(connection: duckdb.DuckDBPyConnection) -> None:
    types = {name: kind for name, kind, *_ in connection.execute("DESCRIBE SELECT * FROM src").fetchall()}
    missing = [column for column in COLUMNS if column not in types]
    if missing:
        raise OutcomeInputError(f"missing column(s): {', '.join(missing)} (need {', '.join(COLUMNS)})")
    if types["date"] != "DATE":
        raise OutcomeInputError(f"column date must hold dates, not {types['date']}")
    if not types["standard_drinks"].startswith(_NUMERIC_TYPES):
        raise OutcomeInputError(f"column standard_drinks must be numeric, not {types['standard_drinks']}")


def _first(patients: list[str], mask: npt.NDArray[np.bool_]) -> str:
    return str(patients[int(np.flatnonzero(mask)[0])])


def _validate(columns: dict[str, Any], patients: list[str]) -> None:
    days = columns["days"]
    if any(patient is None for patient in patients):
        raise OutcomeInputError("some rows have no patient id")
    female, male = columns["female_rows"], columns["male_rows"]
    checks: tuple[tuple[npt.NDArray[np.bool_], str], ...] = (
        (columns["dated_rows"] < days, "has a row without a date"),
        (columns["drink_rows"] < days, "has a row without standard_drinks"),
        (columns["distinct_days"] < days, "has two rows for the same date"),
        ((female > 0) & (male > 0), "is recorded with two sexes"),
        (female + male < days, "has a sex other than F or M"),
        (columns["min_drinks"] < 0, "has negative standard_drinks"),
        (~np.isfinite(columns["max_drinks"]), "has standard_drinks that are not a finite number"),
    )
    for mask, problem in checks:
        if mask.any():
            raise OutcomeInputError(f"patient {_first(patients, mask)} {problem}")


def _per_patient_sql(connection: duckdb.DuckDBPyConnection, check_input: bool) -> tuple[str, Any]:
    """The aggregate query for this cohort's date span, and the cohort's first date."""
    ((first_date, last_date),) = connection.sql("SELECT min(date), max(date) FROM src").fetchall()
    if not check_input:
        return _PER_PATIENT_SQL.format(checks=""), first_date
    if first_date is None or last_date is None:
        distinct = _HASHED_DISTINCT
    else:
        span = (last_date - first_date).days
        distinct = _BITMAP_DISTINCT.format(span=span) if span <= MAX_BITMAP_SPAN_DAYS else _HASHED_DISTINCT
    return _PER_PATIENT_SQL.format(checks=_CHECK_AGGREGATES.format(distinct_days=distinct)), first_date


def _measure(connection: duckdb.DuckDBPyConnection, unit: str, check_input: bool) -> CohortMeasures:
    unit_g = standard_drink_unit(unit).ethanol_g
    _check_schema(connection)
    query, first_date = _per_patient_sql(connection, check_input)
    aggregated: pa.Table = connection.sql(query, params={
        "first_date": first_date,
        "unit_g": unit_g,
        "female_g": HEAVY_DAY_ETHANOL_G[Sex.FEMALE],
        "male_g": HEAVY_DAY_ETHANOL_G[Sex.MALE],
    }).to_arrow_table()
    patients = aggregated.column("patient").to_pylist()
    columns: dict[str, Any] = {
        name: aggregated.column(name).to_numpy(zero_copy_only=False)
        for name in aggregated.column_names if name not in ("patient", "first_heavy_day")
    }
    if check_input:
        _validate(columns, patients)

    days = columns["days"].astype(np.int64)
    abstinent = columns["abstinent_days"].astype(np.int64)
    heavy = columns["heavy_days"].astype(np.int64)
    total_drinks = columns["total_drinks"].astype(np.float64)
    drinking = days - abstinent
    with np.errstate(invalid="ignore", divide="ignore"):
        drinks_per_drinking_day = np.where(drinking > 0, total_drinks / drinking, np.nan)
    first_day = columns["first_day"].astype(np.int64)
    first_heavy = aggregated.column("first_heavy_day").fill_null(-1).to_numpy().astype(np.int64)
    has_heavy = first_heavy >= 0
    to_first_heavy = np.where(has_heavy, first_heavy - first_day + 1, 0)

    percent_abstinent = round_measures(100.0 * abstinent / days)
    percent_heavy = round_measures(100.0 * heavy / days)
    drinks_per_drinking_day = round_measures(drinks_per_drinking_day)
    grams_per_day = round_measures(total_drinks * unit_g / days)
    codes = classify_who_risk_codes(grams_per_day, columns["female_rows"] > 0)

    level_names = np.array([level.value for level in WHO_RISK_LEVELS], dtype=object)
    table = pa.table({
        "patient": aggregated.column("patient"),
        "days": pa.array(days),
        "percent_days_abstinent": pa.array(percent_abstinent),
        "percent_heavy_drinking_days": pa.array(percent_heavy),
        "drinks_per_drinking_day": pa.array(drinks_per_drinking_day, mask=np.isnan(drinks_per_drinking_day)),
        "days_to_first_heavy_drinking_day": pa.array(to_first_heavy, mask=~has_heavy),
        "grams_per_day": pa.array(grams_per_day),
        "who_risk_level": pa.array(level_names[codes], type=pa.string()),
    })
    summary = summarise_cohort_arrays(days, percent_abstinent, percent_heavy, drinks_per_drinking_day,
                                      np.where(has_heavy, to_first_heavy, np.nan).astype(np.float64),
                                      grams_per_day, codes)
    return CohortMeasures(unit, table, summary)
