"""DuckDB engine for cohort outcome measures over patient-day rows (Arrow or Parquet).

Input columns: ``patient`` (text), ``date`` (DATE), ``standard_drinks`` (number, in the cohort's
unit) and ``sex`` (``F``/``M``): the same rows as the ``naltrack outcomes`` CSV. Rules and sources:
``naltrack.clinical.outcomes`` (naltrack-policy:drinking-measures, S85, S90, S91).

One aggregation grouped by patient computes the measures and, in the same pass, what the input
checks need; only when some patient fails does a second query read that patient's rows to name
the problem. With the checks on, each patient's rows are folded into one bitmap of days in three
blocks (drinking days below the heavy threshold, abstinent days, heavy days): the blocks give the
day counts and the first days, and their union the number of distinct checked days, which must
equal the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from naltrack.analytics._columns import (
    DayBitmaps,
    bit_values,
    count_bits,
    first_bits,
    is_valid,
    numbers,
    texts,
    to_arrow,
)
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

# Cohorts spanning up to this many calendar days are checked with the bitmaps of days (3 bits per
# day and patient, at most 1.4 kB each); longer ones with ``count(DISTINCT date)``, which is exact
# too but several times slower.
MAX_BITMAP_SPAN_DAYS = 3_660

# Sex as a bit per row, OR-ed per patient: 1 only women's rows, 2 only men's, 3 both, 4 or more a
# missing or unknown sex. The same aggregate gives the female flag the WHO levels need.
_SEX_BITS = "CASE sex WHEN 'F' THEN 1 WHEN 'M' THEN 2 ELSE 4 END"
_FEMALE_ONLY, _MALE_ONLY = 1, 2
# The heavy-day test is the same double arithmetic as the pure path: drinks x grams-per-unit >=
# threshold grams for the patient's sex (S85).
_HEAVY = "CAST(standard_drinks AS DOUBLE) * $unit_g >= CASE WHEN sex = 'F' THEN $female_g ELSE $male_g END"

# With the checks on: each row sets one bit, day number (from the cohort's first date) plus the
# offset of its block. A row with a missing date or missing or negative drinks sets none, so its
# patient has fewer checked days than rows, as has a patient with two rows for one date. NaN and
# infinite drinks make the sum of drinks non-finite. Blocks are whole bytes (no BIT padding).
_DAY_BITMAP_SQL = f"""
SELECT
    CAST(patient AS VARCHAR)                        AS patient,
    count(*)                                        AS days,
    bit_or({_SEX_BITS})                             AS sexes,
    sum(CAST(standard_drinks AS DOUBLE))            AS total_drinks,
    bitstring_agg(
        (date - $first_date) + CASE WHEN standard_drinks = 0 THEN $abstinent_block
                                    WHEN {_HEAVY} THEN $heavy_block
                                    WHEN standard_drinks > 0 THEN 0 END,
        0, $last_bit)                               AS day_bits
FROM src
GROUP BY ALL
ORDER BY patient
"""  # noqa: S608 (built from the constants above; values are bound as parameters)

# Without the checks (or for longer cohorts, with an exact distinct count of checked days).
_MEASURES_SQL = f"""
SELECT
    CAST(patient AS VARCHAR)                        AS patient,
    count(*)                                        AS days,
    bit_or({_SEX_BITS})                             AS sexes,
    sum(CAST(standard_drinks AS DOUBLE))            AS total_drinks,
    count(*) FILTER (WHERE standard_drinks = 0)     AS abstinent_days,
    count(*) FILTER (WHERE {_HEAVY})                AS heavy_days,
    min(date)                                       AS first_date,
    min(date) FILTER (WHERE {_HEAVY})               AS first_heavy_date{{checked_days}}
FROM src
GROUP BY ALL
ORDER BY patient
"""  # noqa: S608 (built from the constants above; values are bound as parameters)
_DISTINCT_CHECKED_DAYS = """,
    count(DISTINCT CASE WHEN standard_drinks >= 0 THEN date END) AS checked_days"""

# DuckDB's BIT layout, checked once per process before the bitmaps are read byte by byte: the bits
# for 0 and 9 out of 0..15 are 1000 0000 0100 0000.
_BIT_LAYOUT_PROBE = "SELECT bitstring_agg(v, 0, 15) AS bits FROM (VALUES (0), (9)) AS probe(v)"
_bit_layout_is_known: bool | None = None

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


@dataclass(frozen=True)
class _PatientTotals:
    """What the aggregation gives per patient, in patient-id order (days as day numbers)."""

    patients: pa.ChunkedArray
    days: npt.NDArray[np.int64]
    sexes: npt.NDArray[np.int32]
    total_drinks: npt.NDArray[np.float64]
    has_total: npt.NDArray[np.bool_]
    abstinent_days: npt.NDArray[np.int64]
    heavy_days: npt.NDArray[np.int64]
    first_day: npt.NDArray[np.int64]
    first_heavy_day: npt.NDArray[np.int64]
    has_heavy_day: npt.NDArray[np.bool_]
    checked_days: npt.NDArray[np.int64] | None  # None when the checks are off


def _aggregate(connection: duckdb.DuckDBPyConnection, params: dict[str, Any], check_input: bool) -> _PatientTotals:
    """Run the one aggregation that suits the cohort and the checks."""
    if not check_input:
        return _read_measures(connection.sql(_MEASURES_SQL.format(checked_days=""), params=params).to_arrow_table())
    ((first_date, last_date),) = connection.sql("SELECT min(date), max(date) FROM src").fetchall()
    if first_date is not None and (last_date - first_date).days <= MAX_BITMAP_SPAN_DAYS and _can_read_bits(connection):
        return _aggregate_day_bitmaps(connection, params, first_date, (last_date - first_date).days)
    query = _MEASURES_SQL.format(checked_days=_DISTINCT_CHECKED_DAYS)
    return _read_measures(connection.sql(query, params=params).to_arrow_table())


def _can_read_bits(connection: duckdb.DuckDBPyConnection) -> bool:
    global _bit_layout_is_known  # probed once per process
    if _bit_layout_is_known is None:
        bits = bit_values(connection.sql(_BIT_LAYOUT_PROBE).to_arrow_table().column("bits"), 2)
        _bit_layout_is_known = bits is not None and bits.tolist() == [[0b1000_0000, 0b0100_0000]]
    return _bit_layout_is_known


def _read_measures(table: pa.Table) -> _PatientTotals:
    first_heavy = table.column("first_heavy_date")
    return _PatientTotals(
        patients=table.column("patient"),
        days=numbers(table.column("days"), pa.int64(), np.int64),
        sexes=numbers(table.column("sexes"), pa.int32(), np.int32),
        total_drinks=numbers(table.column("total_drinks"), pa.float64(), np.float64),
        has_total=is_valid(table.column("total_drinks")),
        abstinent_days=numbers(table.column("abstinent_days"), pa.int64(), np.int64),
        heavy_days=numbers(table.column("heavy_days"), pa.int64(), np.int64),
        first_day=numbers(table.column("first_date"), pa.date32(), np.int32).astype(np.int64),
        first_heavy_day=numbers(first_heavy, pa.date32(), np.int32).astype(np.int64),
        has_heavy_day=is_valid(first_heavy),
        checked_days=(numbers(table.column("checked_days"), pa.int64(), np.int64)
                      if "checked_days" in table.column_names else None),
    )


def _aggregate_day_bitmaps(connection: duckdb.DuckDBPyConnection, params: dict[str, Any], first_date: date,
                           span_days: int) -> _PatientTotals:
    block_bytes = span_days // 8 + 1  # day numbers 0..span_days, rounded up to whole bytes
    block_bits = 8 * block_bytes
    table = connection.sql(_DAY_BITMAP_SQL, params={
        **params, "first_date": first_date, "abstinent_block": block_bits, "heavy_block": 2 * block_bits,
        "last_bit": 3 * block_bits - 1,
    }).to_arrow_table()
    column = table.column("day_bits")
    has_bitmap = is_valid(column)  # no bitmap: every row of the patient failed the check
    bitmaps = bit_values(pc.drop_null(column) if column.null_count else column, 3 * block_bytes)
    if bitmaps is None:
        raise RuntimeError("DuckDB returned the day bitmaps in an unexpected layout")
    if not has_bitmap.all():
        every = np.zeros((len(has_bitmap), 3 * block_bytes), dtype=np.uint8)
        every[has_bitmap] = bitmaps
        bitmaps = every
    blocks = DayBitmaps.split(bitmaps, block_bytes)
    any_day = blocks.any_day()
    first_heavy_day, has_heavy_day = first_bits(blocks.heavy)
    return _PatientTotals(
        patients=table.column("patient"),
        days=numbers(table.column("days"), pa.int64(), np.int64),
        sexes=numbers(table.column("sexes"), pa.int32(), np.int32),
        total_drinks=numbers(table.column("total_drinks"), pa.float64(), np.float64),
        has_total=is_valid(table.column("total_drinks")),
        abstinent_days=count_bits(blocks.abstinent),
        heavy_days=count_bits(blocks.heavy),
        first_day=first_bits(any_day)[0],
        first_heavy_day=first_heavy_day,
        has_heavy_day=has_heavy_day,
        checked_days=count_bits(any_day),
    )


def _refuse_bad_input(connection: duckdb.DuckDBPyConnection, totals: _PatientTotals) -> None:
    """Raise one clear ``OutcomeInputError`` if any patient failed a folded check; else nothing."""
    if totals.patients.null_count:
        raise OutcomeInputError("some rows have no patient id")
    assert totals.checked_days is not None  # only called with the checks on
    sexes = totals.sexes
    failing = (((sexes != _FEMALE_ONLY) & (sexes != _MALE_ONLY))
               | (totals.checked_days < totals.days)
               | ~(np.isfinite(totals.total_drinks) & totals.has_total))  # no drinks at all: a null sum
    if not failing.any():
        return
    suspects = totals.patients.filter(pa.array(failing))
    connection.register("suspects", pa.table({"patient": suspects}))
    found = connection.sql(_PROBLEMS_SQL).fetchall()
    if not found:  # every value finite, yet the sum overflowed
        raise OutcomeInputError(f"patient {suspects[0].as_py()} has standard_drinks too large to add up")
    ((patient, problem),) = found
    raise OutcomeInputError(f"patient {patient} {problem}")


_LEVEL_NAMES = texts(tuple(level.value for level in WHO_RISK_LEVELS))


def _measure(connection: duckdb.DuckDBPyConnection, unit: str, check_input: bool) -> CohortMeasures:
    unit_g = standard_drink_unit(unit).ethanol_g
    _check_schema(connection)
    totals = _aggregate(connection, {
        "unit_g": unit_g,
        "female_g": HEAVY_DAY_ETHANOL_G[Sex.FEMALE],
        "male_g": HEAVY_DAY_ETHANOL_G[Sex.MALE],
    }, check_input)
    if check_input:
        _refuse_bad_input(connection, totals)

    days, total_drinks, has_heavy = totals.days, totals.total_drinks, totals.has_heavy_day
    drinking = days - totals.abstinent_days
    with np.errstate(invalid="ignore", divide="ignore"):
        drinks_per_drinking_day = np.where(drinking > 0, total_drinks / drinking, np.nan)
    to_first_heavy = np.where(has_heavy, totals.first_heavy_day - totals.first_day + 1, 0)

    percent_abstinent = round_measures(100.0 * totals.abstinent_days / days)
    percent_heavy = round_measures(100.0 * totals.heavy_days / days)
    drinks_per_drinking_day = round_measures(drinks_per_drinking_day)
    grams_per_day = round_measures(total_drinks * unit_g / days)
    codes = classify_who_risk_codes(grams_per_day, totals.sexes == _FEMALE_ONLY)

    table = pa.table({
        "patient": totals.patients,
        "days": to_arrow(days, pa.int64()),
        "percent_days_abstinent": to_arrow(percent_abstinent, pa.float64()),
        "percent_heavy_drinking_days": to_arrow(percent_heavy, pa.float64()),
        "drinks_per_drinking_day": to_arrow(drinks_per_drinking_day, pa.float64(),
                                            np.isnan(drinks_per_drinking_day)),
        "days_to_first_heavy_drinking_day": to_arrow(to_first_heavy, pa.int64(), ~has_heavy),
        "grams_per_day": to_arrow(grams_per_day, pa.float64()),
        "who_risk_level": _LEVEL_NAMES.take(to_arrow(codes.astype(np.int32), pa.int32())),
    })
    summary = summarise_cohort_arrays(days, percent_abstinent, percent_heavy, drinks_per_drinking_day,
                                      np.where(has_heavy, to_first_heavy, np.nan).astype(np.float64),
                                      grams_per_day, codes)
    return CohortMeasures(unit, table, summary)
