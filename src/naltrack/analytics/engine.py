"""DuckDB engine for cohort outcome measures over patient-day rows (Arrow or Parquet).

Input columns: ``patient`` (text), ``date`` (DATE), ``standard_drinks`` (number, in the cohort's
unit) and ``sex`` (``F``/``M``): the same rows as the ``naltrack outcomes`` CSV. Rules and sources:
``naltrack.clinical.outcomes`` (naltrack-policy:drinking-measures, S85, S90, S91).

One aggregation grouped by patient computes the measures and, in the same pass, the signals of bad
input; only when a signal fires does a second query read the offending rows to name the problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

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
_TEXT_TYPES = ("VARCHAR", "ENUM")

# Repeated dates are found by comparing each patient's row count with the number of distinct days
# in a bitmap of days (``bitstring_agg``, one bit per calendar day of the cohort), far cheaper
# than ``count(DISTINCT date)``; past this span the bitmaps would grow large, so the query falls
# back to ``count(DISTINCT ...)``.
MAX_BITMAP_SPAN_DAYS = 3_660

# Sex as a bit per row, OR-ed per patient: 1 only women's rows, 2 only men's, 3 both, 4 or more a
# missing or unknown sex. The same pass gives the female flag the WHO levels need.
_SEX_BITS = "CASE sex WHEN 'F' THEN 1 WHEN 'M' THEN 2 ELSE 4 END"
_FEMALE_ONLY, _MALE_ONLY = 1, 2
# The heavy-day test is the same double arithmetic as the pure path: drinks x grams-per-unit >=
# threshold grams for the patient's sex (S85).
_HEAVY = "CAST(standard_drinks AS DOUBLE) * $unit_g >= CASE WHEN sex = 'F' THEN $female_g ELSE $male_g END"

_MEASURES_SQL = f"""
SELECT
    CAST(patient AS VARCHAR)                         AS patient,
    count(*)                                         AS days,
    bit_or({_SEX_BITS})                              AS sexes,
    count(*) FILTER (WHERE standard_drinks = 0)      AS abstinent_days,
    count(*) FILTER (WHERE {_HEAVY})                 AS heavy_days,
    sum(CAST(standard_drinks AS DOUBLE))             AS total_drinks,
    min(date)                                        AS first_date,
    min(date) FILTER (WHERE {_HEAVY})                AS first_heavy_date{{checked_days}}
FROM src
GROUP BY ALL
ORDER BY patient
"""  # noqa: S608 (built from the constants above; values are bound as parameters)
# The input check folded into the same pass: a row counts as a checked day only if it has a date
# and non-negative drinks, and each date counts once. A patient passes when every row is a checked
# day (no repeated or missing date, no missing or negative drinks), the sexes are one of F or M,
# and the drinks add up to a finite number (no NaN or infinity).
_CHECKED_ROW = "CASE WHEN standard_drinks >= 0 THEN date END"
_CHECKED_DAYS = ",\n    {distinct}                  AS checked_days"
_BITMAP_DISTINCT = ("coalesce(bit_count(bitstring_agg(CASE WHEN standard_drinks >= 0 THEN date - $first_date END, "
                    "0, $span_days)), 0)")
_HASHED_DISTINCT = f"count(DISTINCT {_CHECKED_ROW})"

# Only when some patient fails: the rows of the failing patients, each problem with its rank (the
# order in which problems are reported) and its date. The first patient in id order is reported.
_PROBLEMS_SQL = """
WITH suspect_rows AS (
    SELECT CAST(patient AS VARCHAR) AS patient, date, CAST(standard_drinks AS DOUBLE) AS drinks,
           CAST(sex AS VARCHAR) AS sex
    FROM src
    WHERE CAST(patient AS VARCHAR) IN (SELECT patient FROM suspects)
), problems AS (
    SELECT patient, 1 AS rank, NULL::DATE AS date, 'has a row without a date' AS problem
    FROM suspect_rows WHERE date IS NULL
    UNION ALL
    SELECT patient, 2, date, 'has a row without standard_drinks on ' || date FROM suspect_rows
    WHERE drinks IS NULL
    UNION ALL
    SELECT patient, 3, date, 'has two rows for the same date, ' || date FROM suspect_rows
    WHERE date IS NOT NULL GROUP BY patient, date HAVING count(*) > 1
    UNION ALL
    SELECT patient, 4, NULL, 'is recorded with two sexes (F and M)' FROM suspect_rows
    WHERE sex IN ('F', 'M') GROUP BY patient HAVING min(sex) <> max(sex)
    UNION ALL
    SELECT patient, 5, date, 'has a sex other than F or M ('
        || coalesce('"' || left(sex, 20) || '"', 'none') || coalesce(') on ' || date, ')')
    FROM suspect_rows WHERE sex IS NULL OR sex NOT IN ('F', 'M')
    UNION ALL
    SELECT patient, 6, date, 'has standard_drinks that are not a finite number ('
        || drinks || coalesce(') on ' || date, ')')
    FROM suspect_rows WHERE NOT isfinite(drinks)
    UNION ALL
    SELECT patient, 7, date, 'has negative standard_drinks (' || drinks || coalesce(') on ' || date, ')')
    FROM suspect_rows WHERE drinks < 0
)
SELECT patient, problem FROM problems ORDER BY patient, rank, date NULLS FIRST LIMIT 1
"""


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
    or unknown sexes, negative or non-finite drinks); only for rows from a source that already
    enforces them (say, a table with a unique patient-and-date constraint).
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
    if not types["sex"].startswith(_TEXT_TYPES):
        raise OutcomeInputError(f"column sex must hold text (F or M), not {types['sex']}")


def _measures_query(
    connection: duckdb.DuckDBPyConnection, check_input: bool
) -> tuple[str, dict[str, Any]]:
    """The aggregate query (with the folded checks when asked) and its date parameters."""
    if not check_input:
        return _MEASURES_SQL.format(checked_days=""), {}
    ((first_date, last_date),) = connection.sql("SELECT min(date), max(date) FROM src").fetchall()
    if first_date is None or (last_date - first_date).days > MAX_BITMAP_SPAN_DAYS:
        return _MEASURES_SQL.format(checked_days=_CHECKED_DAYS.format(distinct=_HASHED_DISTINCT)), {}
    query = _MEASURES_SQL.format(checked_days=_CHECKED_DAYS.format(distinct=_BITMAP_DISTINCT))
    return query, {"first_date": first_date, "span_days": (last_date - first_date).days}


def _refuse_bad_input(connection: duckdb.DuckDBPyConnection, aggregated: pa.Table, days: npt.NDArray[np.int64],
                      sexes: npt.NDArray[np.int32], total_drinks: npt.NDArray[np.float64],
                      checked_days: npt.NDArray[np.int64]) -> None:
    """Raise one clear ``OutcomeInputError`` if any patient failed a folded check; else nothing."""
    patients = aggregated.column("patient")
    if patients.null_count:
        raise OutcomeInputError("some rows have no patient id")
    # A sum of no values (every drink missing) is null: not finite either.
    finite = np.isfinite(total_drinks) & _is_valid(aggregated.column("total_drinks"))
    failing = ((sexes != _FEMALE_ONLY) & (sexes != _MALE_ONLY)) | (checked_days < days) | ~finite
    if not failing.any():
        return
    connection.register("suspects", pa.table({"patient": patients.filter(pa.array(failing))}))
    found = connection.sql(_PROBLEMS_SQL).fetchall()
    if not found:  # every value finite, yet the sum overflowed
        patient = patients.filter(pa.array(failing))[0].as_py()
        raise OutcomeInputError(f"patient {patient} has standard_drinks too large to add up")
    ((patient, problem),) = found
    raise OutcomeInputError(f"patient {patient} {problem}")


# pyarrow's to_numpy() and pa.array() import pandas on first use, about 0.4 s in a fresh process
# (more than the arithmetic below), so the few fixed-width columns are read and written through
# their Arrow buffers instead.


def _numbers(column: pa.ChunkedArray, kind: pa.DataType, dtype: type[np.generic]) -> npt.NDArray[Any]:
    """A fixed-width column as a NumPy array over its Arrow buffer (null slots hold any value)."""
    array = column.combine_chunks()
    if array.type != kind:
        array = pc.cast(array, kind)
    if len(array) == 0:
        return np.empty(0, dtype=dtype)
    itemsize = np.dtype(dtype).itemsize
    return np.frombuffer(array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * itemsize)


def _is_valid(column: pa.ChunkedArray) -> npt.NDArray[np.bool_]:
    """Which values of a column are not null."""
    array = column.combine_chunks()
    if array.null_count == 0:
        return np.ones(len(array), dtype=np.bool_)
    bits = np.unpackbits(np.frombuffer(array.buffers()[0], dtype=np.uint8), bitorder="little")
    return bits[array.offset:array.offset + len(array)].astype(np.bool_)


def _arrow(values: npt.NDArray[Any], kind: pa.DataType, missing: npt.NDArray[np.bool_] | None = None) -> pa.Array:
    """A NumPy array as an Arrow array sharing its buffer; ``missing`` marks the nulls."""
    values = np.ascontiguousarray(values)
    validity = None
    if missing is not None and missing.any():
        validity = pa.py_buffer(np.packbits(~missing, bitorder="little"))
    null_count = 0 if validity is None or missing is None else int(missing.sum())
    return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(values)], null_count=null_count)


def _texts(values: tuple[str, ...]) -> pa.Array:
    """A short tuple of strings as an Arrow string array."""
    encoded = [value.encode() for value in values]
    offsets = np.cumsum([0, *(len(value) for value in encoded)], dtype=np.int32)
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    return pa.Array.from_buffers(pa.string(), len(values), buffers)


_LEVEL_NAMES = _texts(tuple(level.value for level in WHO_RISK_LEVELS))


def _measure(connection: duckdb.DuckDBPyConnection, unit: str, check_input: bool) -> CohortMeasures:
    unit_g = standard_drink_unit(unit).ethanol_g
    _check_schema(connection)
    query, date_params = _measures_query(connection, check_input)
    aggregated: pa.Table = connection.sql(query, params={
        **date_params,
        "unit_g": unit_g,
        "female_g": HEAVY_DAY_ETHANOL_G[Sex.FEMALE],
        "male_g": HEAVY_DAY_ETHANOL_G[Sex.MALE],
    }).to_arrow_table()

    def numbers(name: str, kind: pa.DataType, dtype: type[np.generic]) -> npt.NDArray[Any]:
        return _numbers(aggregated.column(name), kind, dtype)

    days = numbers("days", pa.int64(), np.int64)
    sexes = numbers("sexes", pa.int32(), np.int32)
    total_drinks = numbers("total_drinks", pa.float64(), np.float64)
    if check_input:
        _refuse_bad_input(connection, aggregated, days, sexes, total_drinks,
                          numbers("checked_days", pa.int64(), np.int64))

    abstinent = numbers("abstinent_days", pa.int64(), np.int64)
    heavy = numbers("heavy_days", pa.int64(), np.int64)
    drinking = days - abstinent
    with np.errstate(invalid="ignore", divide="ignore"):
        drinks_per_drinking_day = np.where(drinking > 0, total_drinks / drinking, np.nan)
    first_day = numbers("first_date", pa.date32(), np.int32).astype(np.int64)
    has_heavy = _is_valid(aggregated.column("first_heavy_date"))
    first_heavy_day = numbers("first_heavy_date", pa.date32(), np.int32).astype(np.int64)
    to_first_heavy = np.where(has_heavy, first_heavy_day - first_day + 1, 0)

    percent_abstinent = round_measures(100.0 * abstinent / days)
    percent_heavy = round_measures(100.0 * heavy / days)
    drinks_per_drinking_day = round_measures(drinks_per_drinking_day)
    grams_per_day = round_measures(total_drinks * unit_g / days)
    codes = classify_who_risk_codes(grams_per_day, sexes == _FEMALE_ONLY)

    table = pa.table({
        "patient": aggregated.column("patient"),
        "days": _arrow(days, pa.int64()),
        "percent_days_abstinent": _arrow(percent_abstinent, pa.float64()),
        "percent_heavy_drinking_days": _arrow(percent_heavy, pa.float64()),
        "drinks_per_drinking_day": _arrow(drinks_per_drinking_day, pa.float64(),
                                          np.isnan(drinks_per_drinking_day)),
        "days_to_first_heavy_drinking_day": _arrow(to_first_heavy, pa.int64(), ~has_heavy),
        "grams_per_day": _arrow(grams_per_day, pa.float64()),
        "who_risk_level": _LEVEL_NAMES.take(_arrow(codes.astype(np.int32), pa.int32())),
    })
    summary = summarise_cohort_arrays(days, percent_abstinent, percent_heavy, drinks_per_drinking_day,
                                      np.where(has_heavy, to_first_heavy, np.nan).astype(np.float64),
                                      grams_per_day, codes)
    return CohortMeasures(unit, table, summary)
